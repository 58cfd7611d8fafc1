import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileBookmarkStore } from '../../src/stores/bookmark/fileBookmarkStore.js';
import { FilePublishStore } from '../../src/stores/publish/filePublishStore.js';
import { useTempDir } from './tempDir.js';

const tempDir = useTempDir('recovery');
const MAGIC = 8;
const HEAD = 8;

/** Body offsets of every record of a record file (after the 8-byte magic). */
function recordOffsets(file: string): number[] {
  const data = fs.readFileSync(file);
  const offsets: number[] = [];
  for (let pos = MAGIC; pos < data.length; pos += HEAD + data.readUInt32LE(pos)) offsets.push(pos + HEAD);
  return offsets;
}

/** Flips one byte of the body of record `index` (0-based), so its checksum no longer matches. */
function damageRecord(file: string, index: number): void {
  const data = fs.readFileSync(file);
  const at = recordOffsets(file)[index] as number;
  data[at] = (data[at] as number) ^ 0xff;
  fs.writeFileSync(file, data);
}

function publishFile(messages: number): string {
  const file = path.join(tempDir(), 'p.log');
  const store = new FilePublishStore(file, { now: () => 1 });
  for (let i = 0; i < messages; i++) store.store({ header: { topic: 't' }, payload: Buffer.from(`m${i}`) });
  store.close();
  return file;
}

describe('a damaged store says what it set aside', () => {
  it('a publish store whose 2nd record is damaged reports the 2 messages it cannot replay', () => {
    const file = publishFile(3);
    const original = fs.readFileSync(file);
    damageRecord(file, 1);
    const damaged = fs.readFileSync(file);
    const store = new FilePublishStore(file, { now: () => 1 });
    const replayed: string[] = [];
    store.replay((m) => replayed.push(Buffer.from(m.payload).toString()));
    expect(replayed).toEqual(['m0']);
    expect(store.recovery).toMatchObject({
      recoveredRecords: 1,
      setAsideRecords: 2,
      setAsideCountComplete: true,
      problem: 'record checksum mismatch',
      problemOffset: recordOffsets(`${file}.corrupt`)[1]! - HEAD,
      droppedBytes: original.length - (recordOffsets(`${file}.corrupt`)[1]! - HEAD),
      preservedCopy: `${file}.corrupt`,
    });
    expect(fs.readFileSync(`${file}.corrupt`).equals(damaged)).toBe(true);
    store.close();
  });

  it('says the count is a minimum when a damaged length field stops it', () => {
    const file = publishFile(3);
    const data = fs.readFileSync(file);
    data.writeUInt32LE(0xffffffff, (recordOffsets(file)[1] as number) - HEAD);
    fs.writeFileSync(file, data);
    const store = new FilePublishStore(file, { now: () => 1 });
    expect(store.recovery).toMatchObject({
      recoveredRecords: 1,
      setAsideRecords: 1,
      setAsideCountComplete: false,
    });
    store.close();
  });

  it('a second and third recovery keep every earlier corrupt copy', () => {
    const file = publishFile(4);
    const copies: Buffer[] = [];
    const preserved: (string | undefined)[] = [];
    for (let round = 0; round < 3; round++) {
      // Damage the last record, then add more so the next round has something to lose again.
      damageRecord(file, recordOffsets(file).length - 1);
      copies.push(fs.readFileSync(file));
      const store = new FilePublishStore(file, { now: () => 1 });
      preserved.push(store.recovery.preservedCopy);
      store.store({ header: { topic: 't' }, payload: Buffer.from(`r${round}a`) });
      store.store({ header: { topic: 't' }, payload: Buffer.from(`r${round}b`) });
      store.close();
    }
    expect(preserved).toEqual([`${file}.corrupt`, `${file}.corrupt.1`, `${file}.corrupt.2`]);
    preserved.forEach((copy, i) =>
      expect(fs.readFileSync(copy as string).equals(copies[i] as Buffer)).toBe(true),
    );
  });

  it('a bookmark store reports what it set aside', () => {
    const file = path.join(tempDir(), 'b.log');
    const store = new FileBookmarkStore(file);
    store.log({ subId: 'other', bookmark: '7|1|' });
    store.log({ subId: 'mine', bookmark: '7|2|' });
    store.log({ subId: 'mine', bookmark: '7|3|' });
    store.close();
    damageRecord(file, 1);
    const again = new FileBookmarkStore(file);
    expect(again.recovery).toMatchObject({
      recoveredRecords: 1,
      setAsideRecords: 2,
      preservedCopy: `${file}.corrupt`,
    });
    expect(again.getMostRecent('mine')).toBe('0');
    again.close();
  });
});
