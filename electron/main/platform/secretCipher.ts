import { randomBytes } from 'node:crypto';
import type { SecretStorageInfo } from '../../../common/src/dto/app.js';

/** A secret as written to the profiles file: never the plain text. */
export interface StoredSecret {
  /** `safeStorage`: `data` is the OS-encrypted bytes (base64). `memory`: `data` is a random handle. */
  scheme: 'safeStorage' | 'memory';
  data: string;
}

/** Encrypts passwords for the profiles file. */
export interface SecretCipher {
  readonly info: SecretStorageInfo;
  encrypt(plain: string): StoredSecret;
  /** The plain text, or undefined when this cipher cannot open it (other scheme, lost handle). */
  decrypt(secret: StoredSecret): string | undefined;
}

/**
 * The fallback when no OS key store is available (browser host): passwords stay in this
 * process's memory; the file only receives a random handle, so nothing secret reaches the
 * disk and the password is gone after a restart. Reports `persistent: false` for the UI.
 */
export function createMemoryCipher(): SecretCipher {
  const secrets = new Map<string, string>();
  return {
    info: { persistent: false, backend: 'memory' },
    encrypt(plain) {
      const handle = randomBytes(16).toString('base64url');
      secrets.set(handle, plain);
      return { scheme: 'memory', data: handle };
    },
    decrypt(secret) {
      return secret.scheme === 'memory' ? secrets.get(secret.data) : undefined;
    },
  };
}
