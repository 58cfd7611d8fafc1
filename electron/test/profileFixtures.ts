import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SaveProfileRequest } from '../../common/src/dto/profiles.js';
import { memoryLogger } from '../main/platform/logger.js';
import { createSafeStorageCipher } from '../main/platform/safeStorage.js';
import type { SafeStorageLike } from '../main/platform/safeStorage.js';
import { ProfileStore } from '../main/services/profiles.js';
import type { ProfileStoreOptions } from '../main/services/profiles.js';

/** A stand-in for Electron safeStorage: XOR "encryption", enough to prove no plain text is written. */
export const fakeSafeStorage: SafeStorageLike = {
  isEncryptionAvailable: () => true,
  encryptString: (plain) => Buffer.from([...Buffer.from(plain, 'utf8')].map((b) => b ^ 0x5a)),
  decryptString: (enc) => Buffer.from([...enc].map((b) => b ^ 0x5a)).toString('utf8'),
};

export const PASSWORD = 'correct-horse-battery';

/** PEM-shaped test material (not real certificates: nothing here parses them). */
export const CA_PEM = '-----BEGIN CERTIFICATE-----\nQ0FDRVJUSUZJQ0FURURBVEE=\n-----END CERTIFICATE-----\n';
export const CERT_PEM = '-----BEGIN CERTIFICATE-----\nQ0xJRU5UQ0VSVElGSUNBVEU=\n-----END CERTIFICATE-----\n';
export const KEY_BODY = 'UFJJVkFURUtFWVNFQ1JFVE1BVEVSSUFM';
export const KEY_PEM = `-----BEGIN PRIVATE KEY-----\n${KEY_BODY}\n-----END PRIVATE KEY-----\n`;

/** A save request with one server and nothing else set. */
export const request: SaveProfileRequest = { name: 'Prod', servers: ['tcp://alice@prod:9007/amps/json'] };

/** A profile store over `dir` with the fake safeStorage unless told otherwise. */
export function makeStore(dir: string, extra: Partial<ProfileStoreOptions> = {}) {
  const logger = memoryLogger();
  const s = new ProfileStore({ dir, cipher: createSafeStorageCipher(fakeSafeStorage), logger, ...extra });
  return { s, logger };
}

/** The profiles file's text. */
export const profilesText = (dir: string): Promise<string> => readFile(join(dir, 'profiles.json'), 'utf8');

/** True when a secret appears in the text as written, or base64- or percent-encoded. */
export function leaks(text: string, secret: string): boolean {
  return (
    text.includes(secret) ||
    text.includes(Buffer.from(secret).toString('base64')) ||
    text.includes(encodeURIComponent(secret))
  );
}
