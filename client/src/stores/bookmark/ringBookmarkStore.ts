/**
 * RingBookmarkStore (seed): tracks bookmarks in memory like the memory store, and keeps only
 * each subscription's most recent resume point in a file of fixed-size blocks. Each
 * subscription owns one block of `slotsPerSubscription` slots written in rotation, one slot
 * per change, each with a generation number and a checksum, so a write torn by a crash leaves
 * the previous slot readable. After a restart each subscription resumes from its last saved
 * point, and the bookmarks in that point count as seen for duplicate suppression; the finer
 * per-message state (pending messages) is not kept, as in the official ring store.
 *
 * File: `AMPSRNG1 | u32le slotSize | u32le slotsPerSubscription`, then blocks. Slot:
 * `u32le crc32(rest) | u32le jsonLength | u64le generation | json [subId, bookmark]`, zero padded.
 * An empty bookmark marks a purged (free) block. In `recovery`, `recoveredRecords` counts the
 * subscriptions recovered and `droppedBytes` the bytes of unreadable slots.
 */
import * as fs from 'node:fs';
import { crc32 } from 'node:zlib';
import { StoreCorruptError, type StoreRecoveryReport } from '../storeErrors.js';
import type { StoreSyncPolicy } from '../recordFile.js';
import { StoreLock } from '../storeLock.js';
import type { RecoverableBookmarkStore } from './bookmarkStore.js';
import { Bookmarks } from './bookmark.js';
import { TrackingBookmarkStore } from './trackingBookmarkStore.js';

const MAGIC = Buffer.from('AMPSRNG1', 'latin1');
const FILE_HEAD = 16;
const SLOT_HEAD = 16;

/** Options of {@link RingBookmarkStore}. */
export interface RingBookmarkStoreOptions {
  /** Bytes per slot (default 1024); a resume point that does not fit is saved as EPOCH. */
  slotSize?: number;
  /** Slots per subscription block (default 4, at least 2). Ignored for an existing file. */
  slotsPerSubscription?: number;
  /** `every-write` fsyncs each slot write (default `none`: survives a process kill). */
  sync?: StoreSyncPolicy;
}

interface Block {
  index: number;
  generation: bigint;
  written: string;
}

/** A bookmark store keeping each subscription's most recent point in a ring file. */
export class RingBookmarkStore extends TrackingBookmarkStore implements RecoverableBookmarkStore {
  /** {@inheritDoc RecoverableBookmarkStore.recovery} */
  readonly recovery: StoreRecoveryReport;
  private fd: number;
  private readonly lock: StoreLock;
  private readonly slotSize: number;
  private readonly slots: number;
  private readonly sync: StoreSyncPolicy;
  private readonly blocks = new Map<string, Block>();
  private freeBlocks: Array<{ index: number; generation: bigint }> = [];
  private blockCount = 0;

  /**
   * Opens or creates the ring file at `path`, locking it for this store object (see
   * {@link StoreLock}); `close()` releases the lock.
   * @throws UsageError (code `store locked`) when the file is already open in a live process,
   *   this one included
   * @throws StoreCorruptError when the file is non-empty and nothing valid can be read
   */
  constructor(
    readonly path: string,
    options: RingBookmarkStoreOptions = {},
  ) {
    super();
    this.sync = options.sync ?? 'none';
    this.lock = StoreLock.acquire(path);
    try {
      const exists = fs.existsSync(path) && fs.statSync(path).size > 0;
      if (!exists) {
        this.slotSize = options.slotSize ?? 1024;
        this.slots = options.slotsPerSubscription ?? 4;
        if (!Number.isInteger(this.slotSize) || this.slotSize < 64)
          throw new RangeError('slotSize must be an integer >= 64');
        if (!Number.isInteger(this.slots) || this.slots < 2)
          throw new RangeError('slotsPerSubscription must be >= 2');
        const head = Buffer.alloc(FILE_HEAD);
        MAGIC.copy(head, 0);
        head.writeUInt32LE(this.slotSize, 8);
        head.writeUInt32LE(this.slots, 12);
        fs.writeFileSync(`${path}.tmp`, head);
        fs.renameSync(`${path}.tmp`, path);
        this.fd = fs.openSync(path, 'r+');
        this.recovery = { recoveredRecords: 0, droppedBytes: 0, problem: null };
        return;
      }
      const data = fs.readFileSync(path);
      if (data.length < FILE_HEAD || !data.subarray(0, 8).equals(MAGIC)) {
        throw new StoreCorruptError(path, 0, 'file does not start with the AMPSRNG1 ring store header');
      }
      this.slotSize = data.readUInt32LE(8);
      this.slots = data.readUInt32LE(12);
      if (this.slotSize < 64 || this.slots < 2 || this.slotSize > 1 << 24 || this.slots > 1024) {
        throw new StoreCorruptError(path, 8, `impossible ring geometry ${this.slotSize} x ${this.slots}`);
      }
      this.recovery = this.load(data);
      this.fd = fs.openSync(path, 'r+');
    } catch (error) {
      this.lock.release();
      throw error;
    }
  }

  private get blockBytes(): number {
    return this.slotSize * this.slots;
  }

  private load(data: Buffer): StoreRecoveryReport {
    const body = data.length - FILE_HEAD;
    this.blockCount = Math.ceil(body / this.blockBytes);
    let droppedBytes = 0;
    let badSlots = 0;
    let firstBad: number | undefined;
    let recovered = 0;
    let validSlots = 0;
    for (let b = 0; b < this.blockCount; b++) {
      let best: { generation: bigint; subId: string; bookmark: string } | undefined;
      for (let s = 0; s < this.slots; s++) {
        const start = FILE_HEAD + b * this.blockBytes + s * this.slotSize;
        const slot = data.subarray(start, Math.min(start + this.slotSize, data.length));
        if (slot.length === 0 || slot.every((byte) => byte === 0)) continue;
        const parsed = this.parseSlot(slot);
        if (!parsed) {
          badSlots++;
          droppedBytes += slot.length;
          firstBad ??= start;
          continue;
        }
        validSlots++;
        if (!best || parsed.generation > best.generation) best = parsed;
      }
      if (!best || best.bookmark === '') {
        this.freeBlocks.push({ index: b, generation: best?.generation ?? 0n });
        continue;
      }
      try {
        this.sub(best.subId).recover(best.bookmark);
      } catch {
        badSlots++;
        firstBad ??= FILE_HEAD + b * this.blockBytes;
        this.subs.delete(best.subId);
        this.freeBlocks.push({ index: b, generation: best.generation });
        continue;
      }
      this.blocks.set(best.subId, { index: b, generation: best.generation, written: best.bookmark });
      recovered++;
    }
    if (badSlots > 0 && validSlots === 0) {
      throw new StoreCorruptError(this.path, firstBad ?? FILE_HEAD, 'no ring slot has a valid checksum');
    }
    const report: StoreRecoveryReport = {
      recoveredRecords: recovered,
      droppedBytes,
      problem: badSlots > 0 ? `${badSlots} torn or corrupt slot(s) skipped` : null,
    };
    if (firstBad !== undefined) report.problemOffset = firstBad;
    return report;
  }

  private parseSlot(slot: Buffer): { generation: bigint; subId: string; bookmark: string } | undefined {
    if (slot.length < SLOT_HEAD) return undefined;
    const length = slot.readUInt32LE(4);
    if (SLOT_HEAD + length > slot.length) return undefined;
    if (crc32(slot.subarray(4, SLOT_HEAD + length)) !== slot.readUInt32LE(0)) return undefined;
    try {
      const value: unknown = JSON.parse(slot.toString('utf8', SLOT_HEAD, SLOT_HEAD + length));
      if (!Array.isArray(value) || typeof value[0] !== 'string' || typeof value[1] !== 'string')
        return undefined;
      return { generation: slot.readBigUInt64LE(8), subId: value[0], bookmark: value[1] };
    } catch {
      return undefined;
    }
  }

  private encodeSlot(subId: string, bookmark: string, generation: bigint): Buffer {
    let json = Buffer.from(JSON.stringify([subId, bookmark]), 'utf8');
    if (SLOT_HEAD + json.length > this.slotSize) {
      json = Buffer.from(JSON.stringify([subId, Bookmarks.EPOCH]), 'utf8');
      if (SLOT_HEAD + json.length > this.slotSize) {
        throw new RangeError(
          `subscription id "${subId}" is too long for ring slots of ${this.slotSize} bytes`,
        );
      }
    }
    const slot = Buffer.alloc(this.slotSize);
    slot.writeUInt32LE(json.length, 4);
    slot.writeBigUInt64LE(generation, 8);
    json.copy(slot, SLOT_HEAD);
    slot.writeUInt32LE(crc32(slot.subarray(4, SLOT_HEAD + json.length)), 0);
    return slot;
  }

  private slotOffset(blockIndex: number, generation: bigint): number {
    return FILE_HEAD + blockIndex * this.blockBytes + Number(generation % BigInt(this.slots)) * this.slotSize;
  }

  private writeSlot(subId: string, bookmark: string): void {
    let block = this.blocks.get(subId);
    if (block?.written === bookmark) return;
    if (!block) {
      const free = this.freeBlocks.shift() ?? { index: this.blockCount++, generation: 0n };
      block = { index: free.index, generation: free.generation, written: '' };
      this.blocks.set(subId, block);
    }
    const slot = this.encodeSlot(subId, bookmark, block.generation + 1n);
    block.generation++;
    fs.writeSync(this.fd, slot, 0, slot.length, this.slotOffset(block.index, block.generation));
    if (this.sync === 'every-write') fs.fdatasyncSync(this.fd);
    block.written = bookmark;
  }

  private save(subId: string): void {
    this.writeSlot(subId, this.getMostRecent(subId));
  }

  protected onLogged(subId: string): void {
    this.save(subId);
  }

  protected onDiscarded(subId: string): void {
    this.save(subId);
  }

  protected onPersisted(subId: string): void {
    this.save(subId);
  }

  protected onPurged(subId: string | undefined): void {
    const ids = subId === undefined ? [...this.blocks.keys()] : [subId];
    for (const id of ids) {
      const block = this.blocks.get(id);
      if (!block) continue;
      this.writeSlot(id, '');
      this.blocks.delete(id);
      this.freeBlocks.push({ index: block.index, generation: block.generation });
    }
  }

  /**
   * Rewrites the file with one block per live subscription and no free blocks, atomically
   * (temp file, fsync, rename).
   */
  prune(): void {
    this.assertOpen();
    const live = [...this.blocks.entries()];
    const out = Buffer.alloc(FILE_HEAD + live.length * this.blockBytes);
    MAGIC.copy(out, 0);
    out.writeUInt32LE(this.slotSize, 8);
    out.writeUInt32LE(this.slots, 12);
    live.forEach(([subId, block], i) => {
      block.index = i;
      this.encodeSlot(subId, block.written, block.generation).copy(out, this.slotOffset(i, block.generation));
    });
    const temp = `${this.path}.tmp`;
    const fd = fs.openSync(temp, 'w');
    try {
      fs.writeSync(fd, out);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temp, this.path);
    fs.closeSync(this.fd);
    this.fd = fs.openSync(this.path, 'r+');
    this.freeBlocks = [];
    this.blockCount = live.length;
  }

  protected onClose(): void {
    try {
      fs.closeSync(this.fd);
    } finally {
      this.lock.release();
    }
  }
}
