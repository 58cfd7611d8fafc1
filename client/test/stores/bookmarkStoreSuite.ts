/**
 * The bookmark store conformance suite: one set of behaviours every BookmarkStore
 * implementation must show, run by bookmarkStores.test.ts on memory, file and ring stores.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Bookmarks, BookmarkFormatError } from '../../src/stores/bookmark/bookmark.js';
import type { BookmarkStore, BookmarkedMessage } from '../../src/stores/bookmark/bookmarkStore.js';
import { StoreError } from '../../src/errors.js';

/** How much of its state a store keeps across close and reopen. */
export type Durability = 'none' | 'most-recent' | 'all';

/** Creates stores for the suite; `reopen` opens the same storage again after `close`. */
export interface BookmarkStoreFactory {
  create(): BookmarkStore;
  reopen?(): BookmarkStore;
  durability: Durability;
}

const msg = (subId: string, bookmark: string): BookmarkedMessage => ({ subId, bookmark });

/** Runs the conformance suite against one implementation. */
export function describeBookmarkStore(name: string, factory: BookmarkStoreFactory): void {
  describe(`BookmarkStore conformance: ${name}`, () => {
    const open: BookmarkStore[] = [];
    const create = (): BookmarkStore => {
      const store = factory.create();
      open.push(store);
      return store;
    };
    afterEach(() => {
      for (const store of open.splice(0)) store.close();
    });

    it('logs plain bookmarks with increasing sequences per subscription', () => {
      const store = create();
      const a = msg('s1', '7|1|');
      expect(store.log(a)).toBe(1n);
      expect(a.bookmarkSeq).toBe(1n);
      expect(store.log(msg('s1', '7|2|'))).toBe(2n);
      expect(store.log(msg('s2', '7|1|'))).toBe(1n);
      expect(store.log(msg('s1', '7|1|'))).toBe(1n);
      expect(store.getOldestBookmarkSeq('s1')).toBe(1n);
      expect(store.getOldestBookmarkSeq('nobody')).toBe(0n);
    });

    it('suppresses duplicates: discarded, or older than the newest seen from that publisher', () => {
      const store = create();
      expect(store.isDiscarded(msg('s', '7|5|'))).toBe(false);
      store.log(msg('s', '7|5|'));
      expect(store.isDiscarded(msg('s', '7|5|'))).toBe(false);
      store.log(msg('s', '7|6|'));
      store.discardMessage(msg('s', '7|5|'));
      expect(store.isDiscarded(msg('s', '7|5|'))).toBe(true);
      expect(store.isDiscarded(msg('s', '7|6|'))).toBe(false);
      expect(store.isDiscarded(msg('s', '7|3|'))).toBe(true);
      expect(store.isDiscarded(msg('s', '7|7|'))).toBe(false);
      expect(store.isDiscarded(msg('s', '8|1|'))).toBe(false);
      expect(store.isDiscarded(msg('other', '7|3|'))).toBe(false);
      expect(store.isDiscarded(msg('s', Bookmarks.NOW))).toBe(false);
    });

    it('resumes after the contiguous prefix of discarded messages', () => {
      const store = create();
      for (const seq of [1, 2, 3]) store.log(msg('s', `7|${seq}|`));
      store.discard('s', 2n);
      expect(store.getMostRecent('s')).toBe(Bookmarks.EPOCH);
      store.discard('s', 1n);
      expect(store.getMostRecent('s')).toBe('7|2|');
      expect(store.getOldestBookmarkSeq('s')).toBe(3n);
      store.discard('s', 3n);
      expect(store.getMostRecent('s')).toBe('7|3|');
      expect(store.getOldestBookmarkSeq('s')).toBe(0n);
      store.discard('s', 3n);
      store.discard('s', 99n);
      expect(store.getMostRecent('s')).toBe('7|3|');
    });

    it('uses the starting point while nothing is discarded', () => {
      const store = create();
      expect(store.getMostRecent('none')).toBe(Bookmarks.EPOCH);
      expect(store.log(msg('t', '20240115T093000Z'))).toBe(0n);
      expect(store.getMostRecent('t')).toBe('20240115T093000Z');
      store.log(msg('t', '7|1|'));
      expect(store.getMostRecent('t')).toBe('20240115T093000Z');
      store.log(msg('n', Bookmarks.NOW));
      expect(store.getMostRecent('n')).toBe(Bookmarks.NOW);
      store.persisted('n', '9|4|');
      expect(store.getMostRecent('n')).toBe('9|4|');
      store.log(msg('n', '9|5|'));
      expect(store.getMostRecent('n')).toBe(Bookmarks.EPOCH);
    });

    it('combines the discarded and persisted points (spec §8.6)', () => {
      const store = create();
      for (const seq of [1, 2, 3, 4]) store.log(msg('s', `7|${seq}|`));
      for (const seq of [1n, 2n, 3n]) store.discard('s', seq);
      store.persisted('s', '7|2|');
      expect(store.getMostRecent('s')).toBe('7|2|');
      store.persisted('s', '7|9|');
      expect(store.getMostRecent('s')).toBe('7|3|');
      store.persisted('s', '8|1|');
      expect(store.getMostRecent('s')).toBe('7|3|,8|1|');
      store.setServerVersion('3.8.1.0');
      expect(store.getMostRecent('s')).toBe('7|3|');
      store.setServerVersion('5.3.5.1');
      expect(store.getMostRecent('s')).toBe('7|3|,8|1|');
      expect(() => store.setServerVersion('develop')).toThrow(StoreError);
      // with everything discarded, the persisted point alone is enough
      store.discard('s', 4n);
      expect(store.getMostRecent('s')).toBe('8|1|');
    });

    it('ignores persisted acks that do not move forward for the same publisher', () => {
      const store = create();
      store.log(msg('s', '7|1|'));
      store.persisted('s', '7|5|');
      store.persisted('s', '7|4|');
      store.persisted('s', Bookmarks.NOW);
      expect(store.getMostRecent('s')).toBe(Bookmarks.EPOCH);
      store.discard('s', 1n);
      expect(store.getMostRecent('s')).toBe('7|5|');
      store.persisted('s', '9|1|');
      expect(store.getMostRecent('s')).toBe('9|1|');
    });

    it('marks persistence by store sequence', () => {
      const store = create();
      for (const seq of [1, 2, 3]) store.log(msg('s', `7|${seq}|`));
      store.discard('s', 1n);
      store.discard('s', 2n);
      store.discard('s', 3n);
      store.persistedIndex('s', 1n);
      expect(store.getMostRecent('s')).toBe('7|3|');
      store.log(msg('s', '7|4|'));
      store.log(msg('s', '7|5|'));
      store.persistedIndex('s', 4n);
      store.discard('s', 4n);
      store.discard('s', 5n);
      expect(store.getMostRecent('s')).toBe('7|4|');
    });

    it('discards by message, using bookmarkSeq or the bookmark', () => {
      const store = create();
      const first = msg('s', '7|1|');
      store.log(first);
      store.log(msg('s', '7|2|'));
      store.discardMessage(first);
      expect(store.getMostRecent('s')).toBe('7|1|');
      store.discardMessage(msg('s', '7|2|'));
      expect(store.getMostRecent('s')).toBe('7|2|');
      store.discardMessage(msg('unknown', '7|2|'));
    });

    it('purges one subscription or all', () => {
      const store = create();
      store.log(msg('a', '7|1|'));
      store.discard('a', 1n);
      store.log(msg('b', '7|1|'));
      store.discard('b', 1n);
      store.purge('a');
      expect(store.getMostRecent('a')).toBe(Bookmarks.EPOCH);
      expect(store.isDiscarded(msg('a', '7|1|'))).toBe(false);
      expect(store.getMostRecent('b')).toBe('7|1|');
      store.purge();
      expect(store.getMostRecent('b')).toBe(Bookmarks.EPOCH);
    });

    it('rejects malformed bookmarks, MOST_RECENT and ranges in log', () => {
      const store = create();
      expect(() => store.log(msg('s', '7|x|'))).toThrow(BookmarkFormatError);
      expect(() => store.log(msg('s', Bookmarks.MOST_RECENT))).toThrow(BookmarkFormatError);
      expect(() => store.log(msg('s', '[1|2|:3|4|]'))).toThrow(/range cannot be logged/);
      expect(store.getMostRecent('s')).toBe(Bookmarks.EPOCH);
    });

    it('refuses use after close', () => {
      const store = factory.create();
      store.close();
      store.close();
      expect(() => store.log(msg('s', '7|1|'))).toThrow(StoreError);
      expect(() => store.getMostRecent('s')).toThrow(/closed/);
    });

    const reopen = factory.reopen;
    if (reopen && factory.durability !== 'none') {
      it('answers the same after close and reopen', () => {
        const store = factory.create();
        for (let seq = 1; seq <= 6; seq++) store.log(msg('s', `7|${seq}|`));
        store.log(msg('t', '20240115T093000Z'));
        for (const seq of [1n, 2n, 4n]) store.discard('s', seq);
        store.persisted('s', '8|3|');
        const before = store.getMostRecent('s');
        store.close();
        const again = reopen();
        open.push(again);
        expect(before).toBe('7|2|,8|3|');
        expect(again.getMostRecent('s')).toBe(before);
        expect(again.getMostRecent('t')).toBe('20240115T093000Z');
        expect(again.isDiscarded(msg('s', '7|1|'))).toBe(true);
        if (factory.durability === 'all') {
          expect(again.isDiscarded(msg('s', '7|4|'))).toBe(true);
          expect(again.isDiscarded(msg('s', '7|3|'))).toBe(false);
          expect(again.getOldestBookmarkSeq('s')).toBe(3n);
          expect(again.log(msg('s', '7|7|'))).toBe(7n);
        }
      });
    }
  });
}
