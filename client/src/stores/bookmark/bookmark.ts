/**
 * Bookmark values (spec §8.1–§8.4): `publisherId|sequence|`, the special values, ISO-8601
 * timestamps, comma lists and ranges.
 */
import { InvalidBookmarkError } from '../../errors.js';

/** The special bookmark values (spec §8.2), as the seed's `Bookmarks` class. */
export const Bookmarks = {
  /** Replay from the beginning of the transaction log. */
  EPOCH: '0',
  /** Start at the current end of the log (no replay). */
  NOW: '0|1|',
  /** Client-only: replaced by the bookmark store's most recent value for the subscription. */
  MOST_RECENT: 'recent',
} as const;

/** NOW as the JavaScript client 5.2.2.2 spelled it; still understood as NOW. */
export const LEGACY_NOW = '1|0|';

/** Largest value of an unsigned 64-bit number. */
const U64_MAX = (1n << 64n) - 1n;

/** What kind of value a bookmark string is. */
export type BookmarkKind = 'epoch' | 'now' | 'most-recent' | 'bookmark' | 'timestamp' | 'list' | 'range';

/** A plain bookmark split into its two numbers. */
export interface ParsedBookmark {
  publisherId: bigint;
  sequence: bigint;
}

/** A bookmark string is malformed; `position` is the 0-based character offset of the problem. */
export class BookmarkFormatError extends InvalidBookmarkError {
  override name = 'BookmarkFormatError';
  /** The value that failed to parse. */
  readonly value: string;
  /** 0-based character offset of the problem in `value`. */
  readonly position: number;
  /** What is wrong, without the value and position. */
  readonly problem: string;

  constructor(value: string, position: number, problem: string) {
    super(`invalid bookmark "${value}" at position ${position}: ${problem}`, { code: 'invalid bookmark' });
    this.value = value;
    this.position = position;
    this.problem = problem;
  }
}

/** Fast path for the common case; the slow path finds the position of any problem. */
const PLAIN = /^(\d{1,20})\|(\d{1,20})\|$/;
const TIMESTAMP = /^\d{8}T\d{6}(\.\d{1,6})?Z?$/;

/** Whether `text` is an AMPS bookmark timestamp `YYYYMMDDTHHMMSS[.ffffff][Z]` (spec §8.3). */
export function isBookmarkTimestamp(text: string): boolean {
  return TIMESTAMP.test(text);
}

function readNumber(value: string, start: number, base: number): { n: bigint; next: number } {
  let i = start;
  while (i < value.length && value.charCodeAt(i) >= 48 && value.charCodeAt(i) <= 57) i++;
  if (i === start) throw new BookmarkFormatError(value, base + start, 'expected decimal digits');
  if (i - start > 20) throw new BookmarkFormatError(value, base + start, 'number longer than 20 digits');
  const n = BigInt(value.slice(start, i));
  if (n > U64_MAX) throw new BookmarkFormatError(value, base + start, 'number exceeds 2^64-1');
  if (value[i] !== '|') throw new BookmarkFormatError(value, base + i, 'expected "|" after the number');
  return { n, next: i + 1 };
}

/**
 * Parses a plain bookmark `publisherId|sequence|` (spec §8.1).
 * @param base added to error positions when `text` is part of a longer value
 * @throws BookmarkFormatError naming the offending character
 */
export function parseBookmark(text: string, base = 0): ParsedBookmark {
  const plain = PLAIN.exec(text);
  if (plain) {
    const publisherId = BigInt(plain[1] as string);
    const sequence = BigInt(plain[2] as string);
    if (publisherId <= U64_MAX && sequence <= U64_MAX) return { publisherId, sequence };
  }
  const pub = readNumber(text, 0, base);
  const seq = readNumber(text, pub.next, base);
  if (seq.next !== text.length)
    throw new BookmarkFormatError(text, base + seq.next, 'unexpected text after the bookmark');
  return { publisherId: pub.n, sequence: seq.n };
}

/** Formats a plain bookmark from its two numbers. */
export function formatBookmark(publisherId: bigint, sequence: bigint): string {
  return `${publisherId}|${sequence}|`;
}

/** Whether `text` means NOW (`0|1|`, or the legacy `1|0|`). */
export function isNow(text: string): boolean {
  return text === Bookmarks.NOW || text === LEGACY_NOW;
}

function classifyItem(value: string, item: string, base: number): BookmarkKind {
  if (item === Bookmarks.EPOCH) return 'epoch';
  if (isNow(item)) return 'now';
  if (isBookmarkTimestamp(item)) return 'timestamp';
  if (/^\d{8}T/.test(item))
    throw new BookmarkFormatError(value, base, 'malformed timestamp (YYYYMMDDTHHMMSS[Z])');
  parseBookmark(item, base);
  return 'bookmark';
}

/**
 * Classifies a bookmark value and checks its syntax.
 * @throws BookmarkFormatError when it is none of EPOCH, NOW, MOST_RECENT, a bookmark, a
 *   timestamp, a comma list of those, or a range `[start:end)` (spec §8.4)
 */
export function classifyBookmark(value: string): BookmarkKind {
  const plain = PLAIN.exec(value);
  if (plain && value !== Bookmarks.NOW && value !== LEGACY_NOW) {
    // only 20-digit numbers can exceed 2^64-1
    if ((plain[1] as string).length === 20 || (plain[2] as string).length === 20) parseBookmark(value);
    return 'bookmark';
  }
  if (value.length === 0) throw new BookmarkFormatError(value, 0, 'empty bookmark');
  if (value === Bookmarks.MOST_RECENT) return 'most-recent';
  const first = value[0];
  if (first === '[' || first === '(') {
    const last = value[value.length - 1];
    if (last !== ']' && last !== ')') {
      throw new BookmarkFormatError(value, value.length - 1, 'a range must end with "]" or ")"');
    }
    const colon = value.indexOf(':');
    if (colon < 0) throw new BookmarkFormatError(value, 1, 'a range needs ":" between start and end');
    checkList(value, value.slice(1, colon), 1);
    checkList(value, value.slice(colon + 1, value.length - 1), colon + 1);
    return 'range';
  }
  if (value.includes(',')) {
    checkList(value, value, 0);
    return 'list';
  }
  return classifyItem(value, value, 0);
}

function checkList(value: string, list: string, base: number): void {
  let offset = base;
  for (const item of list.split(',')) {
    if (item.length === 0) throw new BookmarkFormatError(value, offset, 'empty list item');
    try {
      classifyItem(value, item, offset);
    } catch (error) {
      if (error instanceof BookmarkFormatError) {
        throw new BookmarkFormatError(value, error.position, error.problem);
      }
      throw error;
    }
    offset += item.length + 1;
  }
}

/** Splits a comma list into its items (a single value gives one item). */
export function splitBookmarkList(value: string): string[] {
  return value.split(',').filter((item) => item.length > 0);
}
