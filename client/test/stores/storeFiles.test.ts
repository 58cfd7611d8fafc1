import * as fs from 'node:fs';
import * as path from 'node:path';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { FileBookmarkStore } from '../../src/stores/bookmark/fileBookmarkStore.js';
import { RingBookmarkStore } from '../../src/stores/bookmark/ringBookmarkStore.js';
import { FilePublishStore } from '../../src/stores/publish/filePublishStore.js';
import { StoreCorruptError } from '../../src/stores/storeErrors.js';
import { StoreError } from '../../src/errors.js';
import { useTempDir } from './tempDir.js';

const tempDir = useTempDir('files');

function filledBookmarkFile(): string {
  const file = path.join(tempDir(), 'b.log');
  const store = new FileBookmarkStore(file);
  for (let i = 1; i <= 20; i++) store.log({ subId: 's', bookmark: `7|${i}|` });
  for (let i = 1n; i <= 10n; i++) store.discard('s', i);
  store.close();
  return file;
}

/** Leaves one message pending, so the resume point stays the last discarded one. */
function store11(file: string): void {
  const store = new FileBookmarkStore(file);
  store.log({ subId: 's', bookmark: '7|21|' });
  store.close();
}

function expectCorrupt(open: () => unknown, file: string, offset: number): void {
  const before = fs.readFileSync(file);
  try {
    open();
    expect.unreachable('opening should have thrown');
  } catch (error) {
    expect(error).toBeInstanceOf(StoreCorruptError);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreCorruptError).file).toBe(file);
    expect((error as StoreCorruptError).offset).toBe(offset);
    expect((error as Error).message).toContain(file);
  }
  expect(fs.readFileSync(file).equals(before)).toBe(true);
  expect(fs.existsSync(`${file}.corrupt`)).toBe(false);
}

describe('file bookmark store: corruption and compaction', () => {
  it('opens an empty file as a fresh store and creates a missing one', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'empty.log'), '');
    const empty = new FileBookmarkStore(path.join(dir, 'empty.log'));
    expect(empty.recovery).toEqual({ recoveredRecords: 0, droppedBytes: 0, problem: null });
    empty.close();
    const created = new FileBookmarkStore(path.join(dir, 'new.log'));
    expect(fs.readFileSync(path.join(dir, 'new.log'), 'latin1')).toBe('AMPSBMK1');
    created.close();
  });

  it('throws StoreCorruptError for a foreign file and leaves it untouched', () => {
    const file = path.join(tempDir(), 'foreign.log');
    fs.writeFileSync(file, 'this is not a bookmark store at all');
    expectCorrupt(() => new FileBookmarkStore(file), file, 0);
  });

  it('throws StoreCorruptError when the first record is already bad', () => {
    const file = filledBookmarkFile();
    const data = fs.readFileSync(file);
    data[8 + 4] = (data[8 + 4] as number) ^ 0xff;
    fs.writeFileSync(file, data);
    expectCorrupt(() => new FileBookmarkStore(file), file, 8);
  });

  it('recovers the records before a bad checksum, reports it and keeps a copy', () => {
    const file = filledBookmarkFile();
    const data = fs.readFileSync(file);
    const flip = data.length - 20;
    data[flip] = (data[flip] as number) ^ 0x01;
    fs.writeFileSync(file, data);
    const store = new FileBookmarkStore(file);
    expect(store.recovery.problem).toBe('record checksum mismatch');
    expect(store.recovery.recoveredRecords).toBe(29);
    expect(store.recovery.droppedBytes).toBeGreaterThan(0);
    expect(store.recovery.problemOffset).toBe(data.length - store.recovery.droppedBytes);
    expect(fs.readFileSync(`${file}.corrupt`).equals(data)).toBe(true);
    // the last discard (of 10) was lost: the store resumes one message earlier
    expect(store.getMostRecent('s')).toBe('7|9|');
    store.discard('s', 10n);
    store.close();
    const again = new FileBookmarkStore(file);
    expect(again.recovery.problem).toBeNull();
    expect(again.getMostRecent('s')).toBe('7|10|');
    again.close();
  });

  it('reports a zero-filled tail and an undecodable record', () => {
    const file = filledBookmarkFile();
    fs.appendFileSync(file, Buffer.alloc(64));
    const zeroTail = new FileBookmarkStore(file);
    expect(zeroTail.recovery.problem).toMatch(/impossible record length 0/);
    expect(zeroTail.recovery.droppedBytes).toBe(64);
    zeroTail.close();

    const body = Buffer.from('Z\u0002\u0000\u0000\u0000{}', 'latin1');
    const head = Buffer.alloc(8);
    head.writeUInt32LE(body.length, 0);
    head.writeUInt32LE(crc32(body, crc32(head.subarray(0, 4))), 4);
    fs.appendFileSync(file, Buffer.concat([head, body]));
    const unknown = new FileBookmarkStore(file);
    expect(unknown.recovery.problem).toMatch(/undecodable record: unknown record kind "Z"/);
    expect(unknown.getMostRecent('s')).toBe('7|10|');
    unknown.close();
  });

  it('prune compacts the file atomically and keeps every answer', () => {
    const file = filledBookmarkFile();
    const store = new FileBookmarkStore(file);
    for (let i = 21; i <= 400; i++) store.log({ subId: 's', bookmark: `7|${i}|` });
    for (let i = 11n; i <= 390n; i++) store.discard('s', i);
    store.persisted('s', '8|2|');
    const before = fs.statSync(file).size;
    store.prune();
    expect(fs.statSync(file).size).toBeLessThan(before / 5);
    expect(fs.existsSync(`${file}.tmp`)).toBe(false);
    store.log({ subId: 's', bookmark: '7|401|' });
    store.close();
    const again = new FileBookmarkStore(file);
    expect(again.getMostRecent('s')).toBe('7|390|,8|2|');
    expect(again.isDiscarded({ subId: 's', bookmark: '7|390|' })).toBe(true);
    expect(again.isDiscarded({ subId: 's', bookmark: '7|391|' })).toBe(false);
    expect(again.getOldestBookmarkSeq('s')).toBe(391n);
    expect(again.log({ subId: 's', bookmark: '7|402|' })).toBe(402n);
    again.close();
  });

  it('adds the file time to recovered resume lists until the next persisted ack', () => {
    const file = filledBookmarkFile();
    store11(file);
    fs.utimesSync(file, new Date(Date.UTC(2024, 0, 15, 9, 30, 0)), new Date(Date.UTC(2024, 0, 15, 9, 30, 0)));
    const store = new FileBookmarkStore(file, { useLastModifiedTime: true });
    expect(store.getMostRecent('s')).toBe('7|10|,20240115T093000Z');
    store.persisted('s', '7|12|');
    expect(store.getMostRecent('s')).toBe('7|10|');
    store.close();
    const plain = new FileBookmarkStore(file);
    expect(plain.getMostRecent('s')).toBe('7|10|');
    plain.close();
  });

  it('syncs to disk on request and with the every-write policy', () => {
    const file = path.join(tempDir(), 'sync.log');
    const store = new FileBookmarkStore(file, { sync: 'every-write' });
    store.log({ subId: 's', bookmark: '1|1|' });
    store.sync();
    store.close();
    expect(new FileBookmarkStore(file).getOldestBookmarkSeq('s')).toBe(1n);
  });
});

describe('file publish store: corruption', () => {
  function filledPublishFile(): string {
    const file = path.join(tempDir(), 'p.log');
    const store = new FilePublishStore(file, { now: () => 1 });
    for (let i = 0; i < 5; i++) store.store({ header: { topic: 't' }, payload: Buffer.from(`m${i}`) });
    store.close();
    return file;
  }

  it('recovers the publishes before a torn tail', () => {
    const file = filledPublishFile();
    const size = fs.statSync(file).size;
    fs.truncateSync(file, size - 1);
    const store = new FilePublishStore(file, { now: () => 1 });
    expect(store.recovery.problem).toMatch(/torn record/);
    expect(store.unpersistedCount()).toBe(4);
    const payloads: string[] = [];
    store.replay((m) => payloads.push(Buffer.from(m.payload).toString()));
    expect(payloads).toEqual(['m0', 'm1', 'm2', 'm3']);
    expect(store.store({ header: { topic: 't' } })).toBe(1_000_004n);
    store.close();
  });

  it('shrinks an empty store file on close when asked to', () => {
    const file = filledPublishFile();
    const store = new FilePublishStore(file, { truncateOnClose: true, now: () => 1 });
    store.discardUpTo(store.lastSequence());
    const before = fs.statSync(file).size;
    store.close();
    expect(fs.statSync(file).size).toBeLessThan(before);
    const again = new FilePublishStore(file, { now: () => 1 });
    expect(again.unpersistedCount()).toBe(0);
    expect(again.store({ header: { topic: 't' } })).toBe(1_000_005n);
    again.close();
  });

  it('throws StoreCorruptError when nothing can be read', () => {
    const file = filledPublishFile();
    fs.truncateSync(file, 12);
    expectCorrupt(() => new FilePublishStore(file), file, 8);
    const foreign = path.join(tempDir(), 'foreign.log');
    fs.writeFileSync(foreign, 'AMPSBMK1');
    expectCorrupt(() => new FilePublishStore(foreign), foreign, 0);
  });
});

describe('ring bookmark store: slots', () => {
  it('falls back to the previous slot when the newest is torn', () => {
    const file = path.join(tempDir(), 'ring.bin');
    const store = new RingBookmarkStore(file, { slotSize: 128, slotsPerSubscription: 2 });
    store.log({ subId: 's', bookmark: '7|1|' });
    store.log({ subId: 's', bookmark: '7|2|' });
    store.discard('s', 1n);
    store.discard('s', 2n);
    store.close();
    // generations: 1 EPOCH (log), 2 7|1|, 3 7|2| -> slot 1 holds 3, slot 0 holds 2
    const data = fs.readFileSync(file);
    data[16 + 128 + 20] = (data[16 + 128 + 20] as number) ^ 0xff;
    fs.writeFileSync(file, data);
    const again = new RingBookmarkStore(file);
    expect(again.recovery.problem).toMatch(/1 torn or corrupt slot/);
    expect(again.getMostRecent('s')).toBe('7|1|');
    again.close();
  });

  it('reuses purged blocks, prunes, and rejects unreadable files', () => {
    const file = path.join(tempDir(), 'ring2.bin');
    const store = new RingBookmarkStore(file, { slotSize: 128 });
    store.log({ subId: 'a', bookmark: '20240101T000000Z' });
    store.log({ subId: 'b', bookmark: '20240102T000000Z' });
    store.purge('a');
    store.log({ subId: 'c', bookmark: '20240103T000000Z' });
    expect(fs.statSync(file).size).toBeLessThanOrEqual(16 + 2 * 4 * 128);
    store.purge('b');
    store.prune();
    expect(fs.statSync(file).size).toBe(16 + 4 * 128);
    store.close();
    const again = new RingBookmarkStore(file);
    expect(again.getMostRecent('a')).toBe('0');
    expect(again.getMostRecent('b')).toBe('0');
    expect(again.getMostRecent('c')).toBe('20240103T000000Z');
    again.close();

    const garbage = path.join(tempDir(), 'garbage.bin');
    const bytes = fs.readFileSync(file);
    bytes.fill(0x5a, 16);
    fs.writeFileSync(garbage, bytes);
    expectCorrupt(() => new RingBookmarkStore(garbage), garbage, 16);
    fs.writeFileSync(garbage, 'nonsense');
    expectCorrupt(() => new RingBookmarkStore(garbage), garbage, 0);
  });
});
