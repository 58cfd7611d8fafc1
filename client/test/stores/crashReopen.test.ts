import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileBookmarkStore } from '../../src/stores/bookmark/fileBookmarkStore.js';
import { MemoryBookmarkStore } from '../../src/stores/bookmark/memoryBookmarkStore.js';
import { RingBookmarkStore } from '../../src/stores/bookmark/ringBookmarkStore.js';
import { FilePublishStore } from '../../src/stores/publish/filePublishStore.js';
import { MemoryPublishStore } from '../../src/stores/publish/memoryPublishStore.js';
import type { StoredPublish } from '../../src/stores/publish/publishStore.js';
import {
  applyBookmarkOp,
  applyPublishOp,
  CRASH_NOW,
  CRASH_SUBS,
  crashBookmark,
} from './fixtures/crashOps.js';
import { writeAndKill } from './fixtures/killChild.js';
import { useTempDir } from './tempDir.js';

const tempDir = useTempDir('crash');

/** A memory store counting the records a file store would have written for the same calls. */
class CountingBookmarkStore extends MemoryBookmarkStore {
  records = 0;
  protected override onLogged(subId: string, bookmark: string, index: bigint): void {
    this.records++;
    super.onLogged(subId, bookmark, index);
  }
  protected override onDiscarded(subId: string): void {
    this.records++;
    super.onDiscarded(subId);
  }
}

class CountingPublishStore extends MemoryPublishStore {
  records = 0;
  protected override hold(message: StoredPublish): void {
    this.records++;
    super.hold(message);
  }
  protected override drop(seq: bigint): void {
    this.records++;
    super.drop(seq);
  }
}

function held(store: { replay(sink: (m: StoredPublish) => void): void }): StoredPublish[] {
  const out: StoredPublish[] = [];
  store.replay((m) => out.push({ ...m, payload: Buffer.from(m.payload) }));
  return out;
}

/** Records a file store holds after the first `ops` operations of the bookmark stream. */
function recordsAfter(ops: number): number {
  const store = new CountingBookmarkStore();
  for (let n = 0; n < ops; n++) applyBookmarkOp(store, n);
  return store.records;
}

/** Replays the bookmark stream on a memory store until it matches `records` file records. */
function bookmarkReference(records: number): { store: CountingBookmarkStore; ops: number } {
  const store = new CountingBookmarkStore();
  let n = 0;
  while (store.records < records) applyBookmarkOp(store, n++);
  expect(store.records).toBe(records);
  return { store, ops: n };
}

function compareBookmarks(file: FileBookmarkStore, ref: MemoryBookmarkStore, ops: number): void {
  for (const subId of CRASH_SUBS) {
    expect(file.getMostRecent(subId), subId).toBe(ref.getMostRecent(subId));
    expect(file.getOldestBookmarkSeq(subId), subId).toBe(ref.getOldestBookmarkSeq(subId));
  }
  const messages = Math.floor(ops / 2) + 3;
  for (let i = 0; i < messages; i++) {
    const message = { subId: CRASH_SUBS[i % CRASH_SUBS.length] as string, bookmark: crashBookmark(i) };
    expect(file.isDiscarded(message), message.bookmark).toBe(ref.isDiscarded(message));
  }
}

describe('file stores after the writing process is killed (SIGKILL)', () => {
  it('a file bookmark store reopens with the same most-recent and is-discarded answers', async () => {
    const file = path.join(tempDir(), 'bookmarks.log');
    await writeAndKill('bookmark', file, 3000);
    const store = new FileBookmarkStore(file);
    try {
      expect(store.recovery.recoveredRecords).toBeGreaterThanOrEqual(recordsAfter(3000));
      expect(store.recovery.problem).toBeNull();
      const { store: ref, ops } = bookmarkReference(store.recovery.recoveredRecords);
      compareBookmarks(store, ref, ops);
      // the reopened store keeps working and survives a further reopen
      applyBookmarkOp(store, ops);
      applyBookmarkOp(ref, ops);
      store.close();
      const again = new FileBookmarkStore(file);
      compareBookmarks(again, ref, ops + 1);
      again.close();
    } finally {
      store.close();
    }
  });

  it('a killed bookmark file with a torn last record recovers the records before it', async () => {
    const file = path.join(tempDir(), 'torn.log');
    await writeAndKill('bookmark', file, 500);
    const size = fs.statSync(file).size;
    fs.truncateSync(file, size - 3);
    const store = new FileBookmarkStore(file);
    try {
      expect(store.recovery.problem).toMatch(/torn record/);
      expect(store.recovery.droppedBytes).toBeGreaterThan(0);
      expect(fs.statSync(`${file}.corrupt`).size).toBe(size - 3);
      const { store: ref, ops } = bookmarkReference(store.recovery.recoveredRecords);
      compareBookmarks(store, ref, ops);
    } finally {
      store.close();
    }
  });

  it('a ring bookmark store reopens with the most recent points of one moment before the kill', async () => {
    const file = path.join(tempDir(), 'ring.bin');
    await writeAndKill('ring', file, 3000);
    const ring = new RingBookmarkStore(file);
    try {
      expect(ring.recovery.problem).toBeNull();
      expect(ring.recovery.recoveredRecords).toBe(CRASH_SUBS.length);
      const recovered = CRASH_SUBS.map((subId) => ring.getMostRecent(subId));
      const ref = new MemoryBookmarkStore();
      let matched = -1;
      for (let n = 0; n < 300_000 && matched < 0; n++) {
        applyBookmarkOp(ref, n);
        if (n >= 2999 && CRASH_SUBS.every((subId, i) => ref.getMostRecent(subId) === recovered[i]))
          matched = n;
      }
      expect(matched).toBeGreaterThanOrEqual(2999);
      // what the ring recovered counts as seen for duplicate suppression
      const first = recovered[0] as string;
      expect(first).toMatch(/^\d+\|\d+\|$/);
      const [publisher, sequence] = first.split('|');
      expect(
        ring.isDiscarded({
          subId: CRASH_SUBS[0] as string,
          bookmark: `${publisher}|${Number(sequence) - 1}|`,
        }),
      ).toBe(true);
    } finally {
      ring.close();
    }
  });

  it('a file publish store replays every unacknowledged publish after reopen', async () => {
    const file = path.join(tempDir(), 'publish.log');
    await writeAndKill('publish', file, 3000);
    const store = new FilePublishStore(file, { now: CRASH_NOW });
    try {
      expect(store.recovery.problem).toBeNull();
      const ref = new CountingPublishStore({ now: CRASH_NOW });
      let n = 0;
      while (ref.records < store.recovery.recoveredRecords) applyPublishOp(ref, n++);
      expect(ref.records).toBe(store.recovery.recoveredRecords);
      expect(held(store)).toEqual(held(ref));
      expect(store.unpersistedCount()).toBeGreaterThan(0);
      expect(store.getLastPersisted()).toBe(ref.getLastPersisted());
      expect(store.getLowestUnpersisted()).toBe(ref.getLowestUnpersisted());
      const payload = { header: { command: 'publish' as const, topic: 'after' }, payload: Buffer.from('x') };
      expect(store.store(payload)).toBe(ref.store(payload));
    } finally {
      store.close();
    }
  });
});
