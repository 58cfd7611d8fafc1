/**
 * Client names: the check every name passes, and the client-name hash (seed:
 * `Client.get_name_hash`). The algorithm AMPS uses for the publisher id in bookmarks is not
 * public (spec §6.3, §17 item 8; test vector `Test` → 5934099655320710513 is matched by none
 * of the common 64-bit hashes). This client therefore:
 *
 * 1. uses the publisher id the server reports in the logon ack's `bm` (the part before the
 *    first `|`) when there is one, since that is the server's own value for this name;
 * 2. otherwise uses FNV-1a 64 over the UTF-8 bytes of the name (offset basis
 *    14695981039346656037, prime 1099511628211), rendered as unsigned decimal text.
 */
import { UsageError } from '../errors.js';

const OFFSET = 14695981039346656037n;
const PRIME = 1099511628211n;
const MASK = (1n << 64n) - 1n;

/** FNV-1a 64 of the UTF-8 bytes of `name`, as unsigned decimal text. */
export function fnv1a64(name: string): string {
  let h = OFFSET;
  for (const b of Buffer.from(name, 'utf8')) {
    h ^= BigInt(b);
    h = (h * PRIME) & MASK;
  }
  return h.toString();
}

/** The publisher id part of a bookmark (`<id>|<seq>|`), if it has one. */
export function publisherIdOf(bookmark: string | undefined): string | undefined {
  if (bookmark === undefined) return undefined;
  const m = /^(\d+)\|\d+\|/.exec(bookmark);
  return m?.[1];
}

/**
 * Checks a client name: non-empty, not only spaces, no control characters.
 * @throws UsageError naming the problem
 */
export function validateClientName(name: string): void {
  if (typeof name !== 'string' || name.trim() === '') {
    throw new UsageError(
      'the client name must be a non-empty string (AMPS uses it for duplicate detection)',
      { code: 'invalid client name' },
    );
  }
  const bad = /[\u0000-\u001f\u007f]/.exec(name);
  if (bad) {
    throw new UsageError(
      `the client name has a control character (code ${bad[0].charCodeAt(0)}) at position ${bad.index}`,
      { code: 'invalid client name' },
    );
  }
}
