import { randomUUID } from 'node:crypto';
import { MESSAGE_TYPES } from '../../../common/src/dto/profiles.js';
import type {
  MessageType,
  PemUpload,
  PickedFile,
  Profile,
  SaveProfileRequest,
} from '../../../common/src/dto/profiles.js';
import { ExplorerError } from '../../../common/src/ipc/errors.js';
import type { SecretCipher, StoredSecret } from '../platform/secretCipher.js';
import { refuseFileOptions, splitPassword } from './connectionStrings.js';
import { profileDefaults } from './profileFile.js';
import type { StoredKey, StoredPem, StoredProfile } from './profileFile.js';

/** A new profile id. */
export const newProfileId = (): string => `p-${randomUUID()}`;

/** The message type named by the last path segment of a connection string (json when none). */
export function messageTypeOf(connectionString: string | undefined): MessageType {
  if (connectionString === undefined) return 'json';
  const path = connectionString.replace(/[?#].*$/s, '');
  const last = path.slice(path.lastIndexOf('/') + 1);
  return (MESSAGE_TYPES as readonly string[]).includes(last) ? (last as MessageType) : 'json';
}

const pemError = (message: string): ExplorerError =>
  new ExplorerError({ name: 'InvalidPemError', code: 'invalid-pem', message });

/** Checks what a PEM upload holds: certificates for `ca` / `cert`, a private key for `key`. */
function checkPem(which: 'ca' | 'cert' | 'key', upload: PemUpload): void {
  const wantsKey = which === 'key';
  const hasKey = /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(upload.pem);
  const hasCert = upload.pem.includes('-----BEGIN CERTIFICATE-----');
  if (wantsKey && !hasKey)
    throw pemError(`tls.key: ${upload.fileName} holds no PEM private key (-----BEGIN … PRIVATE KEY-----)`);
  if (!wantsKey && !hasCert)
    throw pemError(`tls.${which}: ${upload.fileName} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
  if (!wantsKey && hasKey)
    throw pemError(`tls.${which}: ${upload.fileName} holds a private key; pick it as the key instead`);
}

const bytesOf = (text: string): number => Buffer.byteLength(text, 'utf8');

/**
 * Builds the stored form of a save request: passwords moved out of the server strings and
 * encrypted, PEM uploads checked, the key encrypted, absent settings kept from `existing` (or
 * defaulted for a new profile).
 */
export function buildStoredProfile(
  request: SaveProfileRequest,
  existing: StoredProfile | undefined,
  cipher: SecretCipher,
): StoredProfile {
  let inlinePassword: string | undefined;
  const servers = request.servers.map((s) => {
    // Certificate files are picked in the TLS section, never named by a server string.
    refuseFileOptions(s);
    const split = splitPassword(s);
    if (split.password !== undefined && split.password !== '') inlinePassword ??= split.password;
    return split.connectionString;
  });
  const base: StoredProfile = existing ?? {
    ...profileDefaults(),
    id: newProfileId(),
    name: request.name,
    servers,
  };
  const next: StoredProfile = {
    id: base.id,
    name: request.name,
    servers,
    tls: { verify: request.tls?.verify ?? base.tls.verify },
    ha: structuredClone(request.ha ?? base.ha),
    bookmarkStore: structuredClone(request.bookmarkStore ?? base.bookmarkStore),
    publishStore: structuredClone(request.publishStore ?? base.publishStore),
    production: request.production ?? base.production,
  };
  if (request.user !== undefined) next.user = request.user;
  if (request.clientName !== undefined) next.clientName = request.clientName;
  if (request.heartbeatSeconds !== undefined) next.heartbeatSeconds = request.heartbeatSeconds;
  if (request.adminUrl !== undefined) next.adminUrl = request.adminUrl;
  if (request.color !== undefined) next.color = request.color;

  for (const which of ['ca', 'cert'] as const) {
    const upload = request.tls?.[which];
    if (upload === undefined) {
      const kept = base.tls[which];
      if (kept !== undefined) next.tls[which] = { ...kept };
    } else if (upload !== null) {
      checkPem(which, upload);
      next.tls[which] = { fileName: upload.fileName, pem: upload.pem } satisfies StoredPem;
    }
  }
  const key = request.tls?.key;
  if (key === undefined) {
    if (base.tls.key !== undefined) next.tls.key = structuredClone(base.tls.key);
  } else if (key !== null) {
    checkPem('key', key);
    next.tls.key = {
      fileName: key.fileName,
      bytes: bytesOf(key.pem),
      secret: cipher.encrypt(key.pem),
    } satisfies StoredKey;
  }

  const password = request.password !== undefined ? request.password : inlinePassword;
  if (password === undefined) {
    if (base.secret !== undefined) next.secret = { ...base.secret };
  } else if (password !== null && password !== '') {
    next.secret = cipher.encrypt(password);
  }
  return next;
}

/** True when the cipher can open the secret (safeStorage secrets are not decrypted just to list them). */
export function secretAvailable(secret: StoredSecret | undefined, cipher: SecretCipher): boolean {
  if (secret === undefined) return false;
  return secret.scheme === 'safeStorage' ? cipher.info.persistent : cipher.decrypt(secret) !== undefined;
}

const picked = (fileName: string, bytes: number): PickedFile => ({ fileName, bytes });

/** The renderer's view of a stored profile: no password, no PEM content. */
export function toProfile(p: StoredProfile, cipher: SecretCipher): Profile {
  const tls: Profile['tls'] = { verify: p.tls.verify };
  if (p.tls.ca !== undefined) tls.ca = picked(p.tls.ca.fileName, bytesOf(p.tls.ca.pem));
  if (p.tls.cert !== undefined) tls.cert = picked(p.tls.cert.fileName, bytesOf(p.tls.cert.pem));
  if (p.tls.key !== undefined && secretAvailable(p.tls.key.secret, cipher)) {
    tls.key = picked(p.tls.key.fileName, p.tls.key.bytes);
  }
  return {
    id: p.id,
    name: p.name,
    servers: [...p.servers],
    ...(p.user === undefined ? {} : { user: p.user }),
    hasPassword: secretAvailable(p.secret, cipher),
    ...(p.clientName === undefined ? {} : { clientName: p.clientName }),
    ...(p.heartbeatSeconds === undefined ? {} : { heartbeatSeconds: p.heartbeatSeconds }),
    tls,
    ha: structuredClone(p.ha),
    bookmarkStore: structuredClone(p.bookmarkStore),
    publishStore: structuredClone(p.publishStore),
    ...(p.adminUrl === undefined ? {} : { adminUrl: p.adminUrl }),
    ...(p.color === undefined ? {} : { color: p.color }),
    production: p.production,
    builtIn: false,
    messageType: messageTypeOf(p.servers[0]),
  };
}
