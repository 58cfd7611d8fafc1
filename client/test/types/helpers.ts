/** Helpers shared by the payload-codec tests. */
import { PayloadError } from '../../src/types/payloadError.js';

/** UTF-8 bytes of a string. */
export const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

/** Runs `fn` and returns the PayloadError it throws; fails if it throws nothing or something else. */
export function errorOf(fn: () => unknown): PayloadError {
  try {
    fn();
  } catch (err) {
    if (err instanceof PayloadError) return err;
    throw err;
  }
  throw new Error('expected a PayloadError');
}
