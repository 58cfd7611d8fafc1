/**
 * The publish store conformance suite: behaviours every PublishStore implementation must
 * show, run by publishStores.test.ts on memory, file and hybrid stores.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type {
  PublishStore,
  PublishStoreOptions,
  StoredPublish,
} from '../../src/stores/publish/publishStore.js';
import { StoreError, TimedOutError } from '../../src/errors.js';

/** Creates stores for the suite; `reopen` opens the same storage again after `close`. */
export interface PublishStoreFactory {
  create(options: PublishStoreOptions): PublishStore;
  reopen?(options: PublishStoreOptions): PublishStore;
}

const NOW = (): number => 1_700_000_000_000;
const FIRST = 1_700_000_000_000n * 1_000_000n;

function held(store: PublishStore): Array<[bigint, string, string | undefined]> {
  const out: Array<[bigint, string, string | undefined]> = [];
  store.replay((m: StoredPublish) =>
    out.push([m.sequence, Buffer.from(m.payload).toString(), m.header.sequence]),
  );
  return out;
}

function put(store: PublishStore, text: string): bigint {
  return store.store({ header: { command: 'publish', topic: 'orders' }, payload: Buffer.from(text) });
}

/** Runs the conformance suite against one implementation. */
export function describePublishStore(name: string, factory: PublishStoreFactory): void {
  describe(`PublishStore conformance: ${name}`, () => {
    const open: PublishStore[] = [];
    const create = (options: PublishStoreOptions = { now: NOW }): PublishStore => {
      const store = factory.create(options);
      open.push(store);
      return store;
    };
    afterEach(() => {
      vi.useRealTimers();
      for (const store of open.splice(0)) store.close();
    });

    it('assigns increasing sequences from now x 1e6 and stamps them in the header', () => {
      const store = create();
      expect(store.getLowestUnpersisted()).toBeUndefined();
      expect(put(store, 'a')).toBe(FIRST);
      expect(put(store, 'b')).toBe(FIRST + 1n);
      const seen: StoredPublish[] = [];
      store.replay((m) => seen.push(m));
      expect(seen.map((m) => m.header)).toEqual([
        { command: 'publish', topic: 'orders', sequence: FIRST.toString() },
        { command: 'publish', topic: 'orders', sequence: (FIRST + 1n).toString() },
      ]);
      expect(store.unpersistedCount()).toBe(2);
      expect(store.getLowestUnpersisted()).toBe(FIRST);
      expect(store.getLastPersisted()).toBe(0n);
    });

    it('keeps its own copy of header and payload', () => {
      const store = create();
      const payload = Buffer.from('original');
      const header = { topic: 't' };
      store.store({ header, payload });
      payload.write('CHANGED!');
      header.topic = 'changed';
      expect(held(store)).toEqual([[FIRST, 'original', FIRST.toString()]]);
      const seen: StoredPublish[] = [];
      store.replay((m) => seen.push(m));
      expect(seen[0]?.header.topic).toBe('t');
    });

    it('stores binary and empty payloads', () => {
      const store = create();
      const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
      store.store({ header: { topic: 't' }, payload: bytes });
      store.store({ header: { topic: 't' } });
      const seen: StoredPublish[] = [];
      store.replay((m) => seen.push(m));
      expect(Buffer.from(seen[0]?.payload ?? []).equals(Buffer.from(bytes))).toBe(true);
      expect(seen[1]?.payload.length).toBe(0);
    });

    it('discards up to a sequence and replays the rest in order', () => {
      const store = create();
      for (const text of ['a', 'b', 'c', 'd']) put(store, text);
      store.discardUpTo(FIRST + 1n);
      expect(held(store).map(([seq, text]) => [seq, text])).toEqual([
        [FIRST + 2n, 'c'],
        [FIRST + 3n, 'd'],
      ]);
      expect(store.getLastPersisted()).toBe(FIRST + 1n);
      expect(store.getLowestUnpersisted()).toBe(FIRST + 2n);
      store.discardUpTo(FIRST);
      expect(store.unpersistedCount()).toBe(2);
      expect(store.getLastPersisted()).toBe(FIRST + 1n);
      store.discardUpTo(FIRST + 3n);
      expect(store.unpersistedCount()).toBe(0);
      expect(store.getLowestUnpersisted()).toBeUndefined();
    });

    it('replays a single message by sequence', () => {
      const store = create();
      for (const text of ['a', 'b', 'c']) put(store, text);
      const seen: string[] = [];
      expect(store.replaySingle((m) => seen.push(Buffer.from(m.payload).toString()), FIRST + 1n)).toBe(true);
      expect(store.replaySingle((m) => seen.push(Buffer.from(m.payload).toString()), FIRST + 9n)).toBe(false);
      store.discardUpTo(FIRST + 1n);
      expect(store.replaySingle(() => seen.push('gone'), FIRST + 1n)).toBe(false);
      expect(seen).toEqual(['b']);
    });

    it('continues above a discard beyond its last sequence (logon ack)', () => {
      const store = create();
      put(store, 'a');
      store.discardUpTo(FIRST + 100n);
      expect(put(store, 'b')).toBe(FIRST + 101n);
    });

    it('flush resolves at once when empty and once everything stored is acknowledged', async () => {
      const store = create();
      await store.flush(10);
      put(store, 'a');
      put(store, 'b');
      let done = false;
      const flushed = store.flush(5_000).then(() => (done = true));
      put(store, 'c');
      store.discardUpTo(FIRST);
      await Promise.resolve();
      expect(done).toBe(false);
      store.discardUpTo(FIRST + 1n);
      await flushed;
      expect(done).toBe(true);
      expect(store.unpersistedCount()).toBe(1);
    });

    it('flush rejects with TimedOutError on timeout and StoreError on close', async () => {
      vi.useFakeTimers();
      const store = create();
      put(store, 'a');
      const timed = store.flush(1_000);
      vi.advanceTimersByTime(1_000);
      await expect(timed).rejects.toBeInstanceOf(TimedOutError);
      await expect(store.flush(-1)).rejects.toBeInstanceOf(RangeError);
      const pending = store.flush(60_000);
      store.close();
      await expect(pending).rejects.toBeInstanceOf(StoreError);
      await expect(store.flush(10)).rejects.toThrow(/closed/);
      expect(() => put(store, 'b')).toThrow(StoreError);
    });

    const reopen = factory.reopen;
    if (reopen) {
      it('replays unacknowledged publishes after close and reopen, sequences continuing', () => {
        const store = factory.create({ now: NOW });
        for (const text of ['a', 'b', 'c', 'd']) put(store, text);
        store.discardUpTo(FIRST + 1n);
        const before = held(store);
        store.close();
        const again = reopen({ now: () => 1 });
        open.push(again);
        expect(held(again)).toEqual(before);
        expect(again.getLastPersisted()).toBe(FIRST + 1n);
        expect(put(again, 'e')).toBe(FIRST + 4n);
      });
    }
  });
}
