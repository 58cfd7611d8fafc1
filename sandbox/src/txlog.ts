/**
 * The transaction log (spec §8): every message of a transaction-logged topic, in arrival
 * order, each with its bookmark `<publisherId>|<seq>|`; start points resolve to positions.
 */
import { isTimestampText, parseTimestamp } from './timestamp.js';

/** One logged message. */
export interface LogEntry {
  bookmark: string;
  topic: string;
  /** `publish` entries are replayed; `delete` entries only rebuild historical SOW state. */
  kind: 'publish' | 'delete';
  data: Buffer;
  key?: string;
  correlationId?: string;
  timestampMicros: number;
}

/** Thrown for a start point that cannot be used; `reason` is the AMPS reason text. */
export class BookmarkError extends Error {
  override readonly name = 'BookmarkError';
  readonly reason = 'invalid bookmark';
}

const BOOKMARK = /^(\d{1,20})\|(\d{1,20})\|$/;

/** What to do when none of the bookmarks is in the log (`bookmark_not_found` option). */
export type NotFoundPolicy = 'now' | 'epoch' | 'fail';

/** A resolved bookmark range (spec §8.4): replay `[start, end)`; a future end stops live delivery at `stopAfterMicros`. */
export interface ResolvedRange {
  start: number;
  /** End position (exclusive) when the end point is already in the log. */
  end?: number;
  /** End point in the future: deliver live messages up to this time. */
  stopAfterMicros?: number;
  /** Whether a live message at exactly `stopAfterMicros` is still delivered. */
  stopInclusive?: boolean;
}

const RANGE = /^([[(])(.*):(.*)([\])])$/;

/** Whether a bookmark text is a range such as `[20200604T000000:20200605T000000)`. */
export function isBookmarkRange(text: string): boolean {
  return RANGE.test(text.trim());
}

/** The in-memory transaction log. */
export class TransactionLog {
  readonly entries: LogEntry[] = [];
  private readonly positions = new Map<string, number>();

  append(entry: LogEntry): number {
    this.positions.set(entry.bookmark, this.entries.length);
    this.entries.push(entry);
    return this.entries.length - 1;
  }

  /** Bookmark of the newest entry, if any. */
  get lastBookmark(): string | undefined {
    return this.entries[this.entries.length - 1]?.bookmark;
  }

  /** Position of a bookmark, or undefined. */
  positionOf(bookmark: string): number | undefined {
    return this.positions.get(bookmark);
  }

  /**
   * Resolves a subscription start point (spec §8.2–§8.4, §8.7) to the index of the first
   * entry to replay (`entries.length` = nothing to replay, start live).
   * @throws BookmarkError when the text is not a bookmark, or with policy `fail` when none is found
   */
  resolveStart(text: string, notFound: NotFoundPolicy = 'now'): number {
    const items = text
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
    if (items.length === 0) throw new BookmarkError(`empty bookmark "${text}"`);
    let best: number | undefined;
    for (const item of items) {
      const pos = this.resolveOne(item);
      if (pos !== undefined && (best === undefined || pos < best)) best = pos;
    }
    if (best !== undefined) return best;
    if (notFound === 'fail') throw new BookmarkError(`bookmark ${text} not found in the transaction log`);
    return notFound === 'epoch' ? 0 : this.entries.length;
  }

  private resolveOne(item: string): number | undefined {
    if (item === '0' || item === 'recent' || item.toUpperCase() === 'EPOCH') return 0;
    if (item === '0|1|' || item === '1|0|' || item.toUpperCase() === 'NOW') return this.entries.length;
    if (isTimestampText(item)) {
      const micros = parseTimestamp(item);
      if (micros === undefined) throw new BookmarkError(`invalid timestamp bookmark "${item}"`);
      return this.firstAtOrAfter(micros);
    }
    if (!BOOKMARK.test(item)) throw new BookmarkError(`"${item}" is not a bookmark, timestamp, 0 or 0|1|`);
    const pos = this.positions.get(item);
    return pos === undefined ? undefined : pos + 1;
  }

  /**
   * Resolves a bookmark range (spec §8.4): each side a bookmark, timestamp or comma list
   * (earliest start, latest end); `(`/`)` exclusive, `[`/`]` inclusive.
   * @throws BookmarkError for a malformed range
   */
  resolveRange(text: string): ResolvedRange {
    const m = RANGE.exec(text.trim());
    if (!m) throw new BookmarkError(`"${text}" is not a bookmark range`);
    const [, open, startText, endText, close] = m as unknown as [string, string, string, string, string];
    const startItems = startText
      .split(',')
      .map((x) => x.trim())
      .filter((x) => x !== '');
    const endItems = endText
      .split(',')
      .map((x) => x.trim())
      .filter((x) => x !== '');
    if (startItems.length === 0 || endItems.length === 0)
      throw new BookmarkError(`range "${text}" needs a start and an end`);
    let start: number | undefined;
    for (const item of startItems) {
      let pos: number;
      if (item === '0|1|' || item === '1|0|')
        pos = open === '[' ? Math.max(0, this.entries.length - 1) : this.entries.length;
      else if (isTimestampText(item)) {
        const micros = parseTimestamp(item);
        if (micros === undefined) throw new BookmarkError(`invalid timestamp "${item}" in range`);
        pos = open === '[' ? this.firstAtOrAfter(micros) : this.firstAtOrAfter(micros + 1);
      } else if (item === '0') pos = 0;
      else {
        if (!BOOKMARK.test(item))
          throw new BookmarkError(`"${item}" in range "${text}" is not a bookmark or timestamp`);
        const at = this.positions.get(item);
        if (at === undefined) continue;
        pos = open === '[' ? at : at + 1;
      }
      if (start === undefined || pos < start) start = pos;
    }
    const out: ResolvedRange = { start: start ?? this.entries.length };
    const inclusive = close === ']';
    let end: number | undefined;
    for (const item of endItems) {
      if (isTimestampText(item)) {
        const micros = parseTimestamp(item);
        if (micros === undefined) throw new BookmarkError(`invalid timestamp "${item}" in range`);
        const last = this.entries[this.entries.length - 1];
        if (!last || last.timestampMicros < micros || (inclusive && last.timestampMicros === micros)) {
          if (out.stopAfterMicros === undefined || micros > out.stopAfterMicros) {
            out.stopAfterMicros = micros;
            out.stopInclusive = inclusive;
          }
          continue;
        }
        const pos = inclusive ? this.firstAtOrAfter(micros + 1) : this.firstAtOrAfter(micros);
        if (end === undefined || pos > end) end = pos;
      } else {
        if (!BOOKMARK.test(item))
          throw new BookmarkError(`"${item}" in range "${text}" is not a bookmark or timestamp`);
        const at = this.positions.get(item);
        if (at === undefined) continue;
        const pos = inclusive ? at + 1 : at;
        if (end === undefined || pos > end) end = pos;
      }
    }
    if (out.stopAfterMicros === undefined) out.end = end ?? this.entries.length;
    return out;
  }

  /** Index of the first entry logged at or after the given time. */
  firstAtOrAfter(micros: number): number {
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.entries[mid] as LogEntry).timestampMicros < micros) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
