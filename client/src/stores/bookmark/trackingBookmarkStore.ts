/**
 * The shared body of the bookmark stores: a map of {@link SubscriptionBookmarks} behind the
 * {@link BookmarkStore} interface, with hooks the file and ring stores use to persist changes.
 */
import { StoreError } from '../../errors.js';
import { Bookmarks } from './bookmark.js';
import type { BookmarkStore, BookmarkedMessage } from './bookmarkStore.js';
import { SubscriptionBookmarks } from './subscriptionBookmarks.js';

/** Servers before this major version take a single bookmark only, not a list. */
const FIRST_LIST_MAJOR = 4;

/** Base class of the bookmark stores; subclasses persist through the protected hooks. */
export abstract class TrackingBookmarkStore implements BookmarkStore {
  /** Subscriptions by id. */
  protected subs = new Map<string, SubscriptionBookmarks>();
  private allowList = true;
  private closed = false;

  /** A plain bookmark was logged under `index` (0n: a starting point was recorded). */
  protected abstract onLogged(subId: string, bookmark: string, index: bigint): void;
  /** The entry `index` of `subId` was discarded. */
  protected abstract onDiscarded(subId: string, index: bigint): void;
  /** A persisted ack was recorded. */
  protected abstract onPersisted(subId: string, bookmark: string): void;
  /** A subscription, or everything, was purged. */
  protected abstract onPurged(subId: string | undefined): void;
  /** Releases what the subclass holds. */
  protected abstract onClose(): void;

  /** The state of `subId`, created when missing. */
  protected sub(subId: string): SubscriptionBookmarks {
    this.assertOpen();
    let sub = this.subs.get(subId);
    if (!sub) {
      sub = new SubscriptionBookmarks(subId);
      this.subs.set(subId, sub);
    }
    return sub;
  }

  /** {@inheritDoc BookmarkStore.log} */
  log(message: BookmarkedMessage): bigint {
    const sub = this.sub(message.subId);
    const before = sub.indexOf(message.bookmark);
    const index = sub.log(message.bookmark);
    message.bookmarkSeq = index;
    if (before === undefined) this.onLogged(message.subId, message.bookmark, index);
    return index;
  }

  /** {@inheritDoc BookmarkStore.discard} */
  discard(subId: string, seq: bigint): void {
    this.assertOpen();
    const sub = this.subs.get(subId);
    if (sub?.discard(seq)) this.onDiscarded(subId, seq);
  }

  /** {@inheritDoc BookmarkStore.discardMessage} */
  discardMessage(message: BookmarkedMessage): void {
    this.assertOpen();
    const sub = this.subs.get(message.subId);
    if (!sub) return;
    let index = message.bookmarkSeq;
    if (index === undefined || index === 0n || sub.bookmarkAt(index) !== message.bookmark) {
      index = sub.indexOf(message.bookmark);
    }
    if (index !== undefined) this.discard(message.subId, index);
  }

  /** {@inheritDoc BookmarkStore.isDiscarded} */
  isDiscarded(message: BookmarkedMessage): boolean {
    this.assertOpen();
    return this.subs.get(message.subId)?.isDiscarded(message.bookmark) ?? false;
  }

  /** {@inheritDoc BookmarkStore.getMostRecent} */
  getMostRecent(subId: string): string {
    this.assertOpen();
    const sub = this.subs.get(subId);
    return sub ? sub.mostRecent(this.allowList) : Bookmarks.EPOCH;
  }

  /** {@inheritDoc BookmarkStore.getOldestBookmarkSeq} */
  getOldestBookmarkSeq(subId: string): bigint {
    this.assertOpen();
    return this.subs.get(subId)?.oldestIndex() ?? 0n;
  }

  /** {@inheritDoc BookmarkStore.persisted} */
  persisted(subId: string, bookmark: string): void {
    if (this.sub(subId).persisted(bookmark)) this.onPersisted(subId, bookmark);
  }

  /**
   * {@inheritDoc BookmarkStore.persistedIndex}
   * A sequence no longer held (already discarded and released) is ignored, which keeps the
   * previous, earlier persisted point: the conservative choice.
   */
  persistedIndex(subId: string, seq: bigint): void {
    this.assertOpen();
    const bookmark = this.subs.get(subId)?.bookmarkAt(seq);
    if (bookmark !== undefined) this.persisted(subId, bookmark);
  }

  /** {@inheritDoc BookmarkStore.purge} */
  purge(subId?: string): void {
    this.assertOpen();
    if (subId === undefined) this.subs.clear();
    else this.subs.delete(subId);
    this.onPurged(subId);
  }

  /** {@inheritDoc BookmarkStore.setServerVersion} */
  setServerVersion(version: string): void {
    const major = Number.parseInt(version.split('.')[0] ?? '', 10);
    if (Number.isNaN(major)) throw new StoreError(`server version "${version}" does not start with a number`);
    this.allowList = major >= FIRST_LIST_MAJOR;
  }

  /** {@inheritDoc BookmarkStore.close} */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.onClose();
  }

  /** Throws when the store was closed. */
  protected assertOpen(): void {
    if (this.closed) throw new StoreError('the bookmark store is closed');
  }
}
