/**
 * The per-subscription bookkeeping every bookmark store shares (spec §8.6). Pure state, no
 * I/O: the memory, file and ring stores wrap it and persist what they need.
 */
import {
  Bookmarks,
  BookmarkFormatError,
  classifyBookmark,
  formatBookmark,
  isNow,
  parseBookmark,
  splitBookmarkList,
} from './bookmark.js';

/** One logged message. */
export interface BookmarkEntry {
  index: bigint;
  bookmark: string;
  publisherId: bigint;
  sequence: bigint;
  discarded: boolean;
}

/** Everything needed to rebuild a subscription's state (used by file compaction). */
export interface SubscriptionSnapshot {
  subId: string;
  nextIndex: bigint;
  recent: string | undefined;
  lastPersisted: string | undefined;
  startPoint: string | undefined;
  publishers: Array<[bigint, bigint]>;
  entries: BookmarkEntry[];
}

/** Bookkeeping for one subscription id. */
export class SubscriptionBookmarks {
  private nextIndex = 1n;
  /** Held entries in index order; `head` is the first live one. */
  private entries: BookmarkEntry[] = [];
  private head = 0;
  private readonly byBookmark = new Map<string, BookmarkEntry>();
  private readonly byIndex = new Map<bigint, BookmarkEntry>();
  /** Highest sequence seen per publisher id. */
  private readonly publishers = new Map<bigint, bigint>();
  /** Bookmark of the last entry of the contiguous discarded prefix. */
  private recent: string | undefined;
  private lastPersisted: string | undefined;
  /** Where the subscription started (EPOCH, NOW, timestamp, list), or a recovered point. */
  private startPoint: string | undefined;
  /** Added to resume lists after a file recovery until the next persisted ack. */
  private recoveryTimestamp: string | undefined;

  constructor(readonly subId: string) {}

  /** Number of held entries (pending or discarded out of order). */
  get heldCount(): number {
    return this.entries.length - this.head;
  }

  /**
   * Logs a bookmark, see {@link BookmarkStore.log}.
   * @param forcedIndex the index to use (when replaying a store file)
   */
  log(bookmark: string, forcedIndex?: bigint): bigint {
    const existing = this.byBookmark.get(bookmark);
    if (existing) return existing.index;
    const kind = classifyBookmark(bookmark);
    if (kind === 'most-recent' || kind === 'range') {
      throw new BookmarkFormatError(bookmark, 0, `${kind} cannot be logged in a bookmark store`);
    }
    if (kind !== 'bookmark') {
      this.startPoint = isNow(bookmark) ? Bookmarks.NOW : bookmark;
      return 0n;
    }
    const { publisherId, sequence } = parseBookmark(bookmark);
    const index = forcedIndex ?? this.nextIndex;
    if (index >= this.nextIndex) this.nextIndex = index + 1n;
    const entry: BookmarkEntry = { index, bookmark, publisherId, sequence, discarded: false };
    this.entries.push(entry);
    this.byBookmark.set(bookmark, entry);
    this.byIndex.set(index, entry);
    this.notePublisher(publisherId, sequence);
    return index;
  }

  private notePublisher(publisherId: bigint, sequence: bigint): void {
    const seen = this.publishers.get(publisherId);
    if (seen === undefined || seen < sequence) this.publishers.set(publisherId, sequence);
  }

  /** Duplicate check, see {@link BookmarkStore.isDiscarded}. */
  isDiscarded(bookmark: string): boolean {
    const entry = this.byBookmark.get(bookmark);
    if (entry) return entry.discarded;
    let parsed;
    try {
      parsed = parseBookmark(bookmark);
    } catch {
      return false;
    }
    const seen = this.publishers.get(parsed.publisherId);
    return seen !== undefined && parsed.sequence <= seen;
  }

  /**
   * Marks the entry with `index` discarded.
   * @returns whether anything changed
   */
  discard(index: bigint): boolean {
    const entry = this.byIndex.get(index);
    if (!entry || entry.discarded) return false;
    entry.discarded = true;
    this.advance();
    return true;
  }

  /** Index of a held entry with this bookmark, or undefined. */
  indexOf(bookmark: string): bigint | undefined {
    return this.byBookmark.get(bookmark)?.index;
  }

  /** Bookmark of a held entry, or undefined. */
  bookmarkAt(index: bigint): string | undefined {
    return this.byIndex.get(index)?.bookmark;
  }

  private advance(): void {
    while (this.head < this.entries.length) {
      const entry = this.entries[this.head] as BookmarkEntry;
      if (!entry.discarded) break;
      this.recent = entry.bookmark;
      this.byBookmark.delete(entry.bookmark);
      this.byIndex.delete(entry.index);
      this.head++;
    }
    if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
  }

  /**
   * Records a persisted ack. Values that are not plain bookmarks are ignored, and so is one
   * from the same publisher as the last persisted bookmark that does not move it forward.
   * @returns whether the persisted point changed
   */
  persisted(bookmark: string): boolean {
    if (classifyBookmark(bookmark) !== 'bookmark') return false;
    if (this.lastPersisted !== undefined) {
      const last = parseBookmark(this.lastPersisted);
      const next = parseBookmark(bookmark);
      if (last.publisherId === next.publisherId && next.sequence <= last.sequence) return false;
    }
    this.lastPersisted = bookmark;
    this.recoveryTimestamp = undefined;
    return true;
  }

  /** Sets the timestamp appended to resume lists until the next persisted ack. */
  setRecoveryTimestamp(timestamp: string): void {
    this.recoveryTimestamp = timestamp;
  }

  /**
   * Restores a resume point recovered from a ring slot or a recovery point adapter: it becomes
   * the starting point, and each plain bookmark in it counts as seen for duplicate suppression.
   */
  recover(point: string): void {
    classifyBookmark(point);
    this.startPoint = point;
    for (const item of splitBookmarkList(point)) {
      if (classifyBookmark(item) !== 'bookmark') continue;
      const { publisherId, sequence } = parseBookmark(item);
      this.notePublisher(publisherId, sequence);
    }
  }

  /** Index of the oldest held entry (always undiscarded), or 0n. */
  oldestIndex(): bigint {
    return this.entries[this.head]?.index ?? 0n;
  }

  /** The resume point, see {@link BookmarkStore.getMostRecent}. */
  mostRecent(allowList: boolean): string {
    const point = this.resumePoint(allowList);
    if (this.recoveryTimestamp === undefined || !allowList) return point;
    if (point === Bookmarks.EPOCH || point === Bookmarks.NOW) return point;
    return `${point},${this.recoveryTimestamp}`;
  }

  private resumePoint(allowList: boolean): string {
    const pending = this.heldCount > 0;
    let app = this.recent;
    if (app === undefined) {
      // messages pending with nothing discarded: only a start point before them (never NOW) is safe
      const start = this.startPoint === Bookmarks.NOW ? undefined : this.startPoint;
      app = pending ? (start ?? Bookmarks.EPOCH) : this.startPoint;
    }
    if (app === Bookmarks.EPOCH) return Bookmarks.EPOCH;
    const parts: string[] = [];
    // with everything discarded, the persisted point alone is a safe restart (as the official store does)
    const persistedOnly = this.recent !== undefined && this.lastPersisted !== undefined && !pending;
    if (app !== undefined && app !== Bookmarks.NOW && !persistedOnly) parts.push(app);
    if (this.lastPersisted !== undefined) this.mergePersisted(parts, this.lastPersisted);
    if (parts.length === 0) {
      if (app === Bookmarks.NOW) return Bookmarks.NOW;
      const seen = [...this.publishers].map(([pub, seq]) => formatBookmark(pub, seq));
      if (seen.length === 0) return Bookmarks.EPOCH;
      return allowList ? seen.join(',') : (seen[0] as string);
    }
    return allowList ? parts.join(',') : (parts[0] as string);
  }

  private mergePersisted(parts: string[], persisted: string): void {
    if (parts.length === 1 && classifyBookmark(parts[0] as string) === 'bookmark') {
      const app = parseBookmark(parts[0] as string);
      const ack = parseBookmark(persisted);
      if (app.publisherId === ack.publisherId) {
        if (ack.sequence < app.sequence) parts[0] = persisted;
        return;
      }
    }
    if (!parts.includes(persisted)) parts.push(persisted);
  }

  /** A copy of the whole state, for compaction. */
  snapshot(): SubscriptionSnapshot {
    return {
      subId: this.subId,
      nextIndex: this.nextIndex,
      recent: this.recent,
      lastPersisted: this.lastPersisted,
      startPoint: this.startPoint,
      publishers: [...this.publishers],
      entries: this.entries.slice(this.head).map((entry) => ({ ...entry })),
    };
  }

  /** Rebuilds state from a snapshot (inverse of {@link snapshot}). */
  static fromSnapshot(snap: SubscriptionSnapshot): SubscriptionBookmarks {
    const sub = new SubscriptionBookmarks(snap.subId);
    sub.recent = snap.recent;
    sub.lastPersisted = snap.lastPersisted;
    sub.startPoint = snap.startPoint;
    for (const [pub, seq] of snap.publishers) sub.publishers.set(pub, seq);
    for (const entry of snap.entries) {
      const copy = { ...entry };
      sub.entries.push(copy);
      sub.byBookmark.set(copy.bookmark, copy);
      sub.byIndex.set(copy.index, copy);
    }
    sub.nextIndex = snap.nextIndex;
    return sub;
  }
}
