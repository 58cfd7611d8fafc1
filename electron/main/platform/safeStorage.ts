import type { SecretCipher } from './secretCipher.js';
import { createMemoryCipher } from './secretCipher.js';

/** The part of Electron's `safeStorage` used here (a fake in tests). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only: `basic_text` means no real key store (weak protection). */
  getSelectedStorageBackend?(): string;
}

/**
 * Passwords encrypted with Electron safeStorage (Keychain, DPAPI, libsecret/kwallet). When
 * encryption is unavailable, falls back to the in-memory cipher (never plain text on disk).
 */
export function createSafeStorageCipher(safeStorage: SafeStorageLike): SecretCipher {
  if (!safeStorage.isEncryptionAvailable()) return createMemoryCipher();
  const linuxBackend = safeStorage.getSelectedStorageBackend?.();
  const backend = linuxBackend === undefined ? 'safeStorage' : `safeStorage:${linuxBackend}`;
  return {
    info: { persistent: true, backend },
    encrypt(plain) {
      return { scheme: 'safeStorage', data: safeStorage.encryptString(plain).toString('base64') };
    },
    decrypt(secret) {
      if (secret.scheme !== 'safeStorage') return undefined;
      try {
        return safeStorage.decryptString(Buffer.from(secret.data, 'base64'));
      } catch {
        return undefined;
      }
    },
  };
}
