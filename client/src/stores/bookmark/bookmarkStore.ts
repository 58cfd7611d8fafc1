/**
 * The bookmark store interface (spec §8.6, seed MemoryBookmarkStore / MMapBookmarkStore /
 * RingBookmarkStore). A bookmark store remembers, per subscription, which messages of a
 * bookmark subscription the application has processed, so a resubscription after a failover
 * or restart resumes at the right point and duplicates are suppressed.
 *
 * How a client uses it:
 * - at subscribe time, tell the store where the subscription starts: `log` its bookmark when
 *   it is EPOCH, NOW, a timestamp or a list (recorded as the starting point); when it is a
 *   plain bookmark, `log` it and then `discard` it (replay starts after it, so it counts as
 *   processed). MOST_RECENT must be resolved with `getMostRecent` first;
 * - for each arriving message with `bm`: drop it when `isDiscarded` says so, else `log` it;
 * - when the application has processed a message: `discardMessage` (or `discard`);
 * - on a persisted ack with `sub_id` + `bm` (spec §5.5): `persisted`;
 * - on resubscribe: send `getMostRecent(subId)` as the bookmark.
 */
import type { StoreRecoveryReport } from '../storeErrors.js';

/**
 * The part of a message a bookmark store needs. The client's message type can satisfy this
 * shape directly; `bookmarkSeq` is filled in by {@link BookmarkStore.log}.
 */
export interface BookmarkedMessage {
  /** The subscription id the message was delivered for. */
  subId: string;
  /** The message's bookmark (`bm` header). */
  bookmark: string;
  /** Store-local sequence assigned by `log` (0n for values that are not logged, such as NOW). */
  bookmarkSeq?: bigint;
}

/** The bookmark store interface, implemented by the memory, file and ring stores. */
export interface BookmarkStore {
  /**
   * Logs an arriving message (or a subscription's starting bookmark) and returns its
   * store-local sequence, also written to `message.bookmarkSeq`. Plain bookmarks get
   * increasing sequences from 1n per subscription; logging one that is already held returns
   * its existing sequence. EPOCH, NOW, timestamps and lists are remembered as the
   * subscription's starting point and return 0n.
   * @throws BookmarkFormatError for a malformed bookmark, or for MOST_RECENT and ranges
   */
  log(message: BookmarkedMessage): bigint;
  /** Marks the message logged under `seq` for `subId` as processed by the application. */
  discard(subId: string, seq: bigint): void;
  /** Marks `message` as processed (by its `bookmarkSeq` when set, else by its bookmark). */
  discardMessage(message: BookmarkedMessage): void;
  /**
   * Duplicate suppression: true when the message's bookmark was already discarded, or is
   * older than the most recent one seen from the same publisher and is not pending.
   */
  isDiscarded(message: BookmarkedMessage): boolean;
  /**
   * The bookmark to resume `subId` from: the earlier of the last contiguously discarded and
   * the last persisted bookmark when they share a publisher, else both as a comma list; the
   * starting point when nothing was discarded; EPOCH when nothing is known (spec §8.6).
   */
  getMostRecent(subId: string): string;
  /** Sequence of the oldest message of `subId` not yet discarded, or 0n when there is none. */
  getOldestBookmarkSeq(subId: string): bigint;
  /** A persisted ack for `subId`: the server holds everything up to `bookmark`. */
  persisted(subId: string, bookmark: string): void;
  /** Like `persisted`, naming the message by its store-local sequence. */
  persistedIndex(subId: string, seq: bigint): void;
  /** Forgets one subscription, or everything when `subId` is omitted. */
  purge(subId?: string): void;
  /**
   * Tells the store the server's version (e.g. `5.3.5.1`); servers before 4.0 cannot take
   * a bookmark list, so `getMostRecent` then returns a single bookmark.
   */
  setServerVersion(version: string): void;
  /** Releases resources (files); later calls throw. */
  close(): void;
}

/** A bookmark store backed by a file, which can report what it recovered on open. */
export interface RecoverableBookmarkStore extends BookmarkStore {
  /** What opening the store file found. */
  readonly recovery: StoreRecoveryReport;
  /** Compacts the file to the records needed for the current state (atomic rewrite). */
  prune(): void;
}
