import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A fresh per-launch token: 32 random bytes, base64url. */
export const createLaunchToken = (): string => randomBytes(32).toString('base64url');

/** Compares tokens in constant time (over their digests, so lengths do not leak either). */
export function tokenMatches(expected: string, presented: unknown): boolean {
  if (typeof presented !== 'string') return false;
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(presented).digest();
  return timingSafeEqual(a, b);
}
