/**
 * FilePublishStore (the seed's file-backed PublishStore): every stored message and every
 * discard is appended to a checksummed {@link RecordFile}; only an index (sequence → file
 * offset) stays in memory and replay reads messages back from the file. After a process kill,
 * reopening yields every message not yet discarded, and the next sequence continues above
 * everything the file saw.
 *
 * Record kinds: `S` stored message {q, h} + payload blob, `D` discard-up-to {q}.
 */
import {
  decodeBody,
  encodeBody,
  RecordFile,
  type OpenedRecordFile,
  type StoreSyncPolicy,
} from '../recordFile.js';
import type { StoreRecoveryReport } from '../storeErrors.js';
import { StoreLock } from '../storeLock.js';
import type { HeaderFields } from '../../protocol/fields.js';
import { BasePublishStore } from './basePublishStore.js';
import type { PublishStoreOptions, RecoverablePublishStore, StoredPublish } from './publishStore.js';

const MAGIC = 'AMPSPUB1';

/** Options of {@link FilePublishStore}. */
export interface FilePublishStoreOptions extends PublishStoreOptions {
  /** fsync policy, see {@link RecordFile} (default `none`: survives a process kill). */
  sync?: StoreSyncPolicy;
  /** Compact once this many records are obsolete and outnumber the held messages (default 10 000; 0 disables). */
  autoPruneRecords?: number;
  /** On close, shrink the file to its minimum when nothing is held (seed `truncate_on_close`; default false). */
  truncateOnClose?: boolean;
}

interface IndexEntry {
  sequence: bigint;
  offset: number;
  length: number;
}

function sequenceOf(meta: Record<string, unknown>): bigint {
  const q = meta.q;
  if (typeof q !== 'string' || !/^\d+$/.test(q))
    throw new Error(`record sequence is not an unsigned integer: ${String(q)}`);
  return BigInt(q);
}

function headerOf(meta: Record<string, unknown>): HeaderFields {
  const h = meta.h;
  if (typeof h !== 'object' || h === null || Array.isArray(h))
    throw new Error('record header is not an object');
  for (const [key, value] of Object.entries(h)) {
    if (typeof value !== 'string') throw new Error(`record header field "${key}" is not a string`);
  }
  return h as HeaderFields;
}

/** A publish store that survives restarts in a file. */
export class FilePublishStore extends BasePublishStore implements RecoverablePublishStore {
  /** {@inheritDoc RecoverablePublishStore.recovery} */
  readonly recovery: StoreRecoveryReport;
  private readonly file: RecordFile;
  private readonly lock: StoreLock;
  private index: IndexEntry[] = [];
  private head = 0;
  private obsolete = 0;
  private readonly autoPrune: number;
  private readonly truncateOnClose: boolean;

  /**
   * Opens or creates the store at `path`, locking it for this store object (see
   * {@link StoreLock}); `close()` releases the lock.
   * @throws UsageError (code `store locked`) when the file is already open in a live process,
   *   this one included
   * @throws StoreCorruptError when the file is non-empty and nothing valid can be read
   */
  constructor(path: string, options: FilePublishStoreOptions = {}) {
    super(options);
    this.autoPrune = options.autoPruneRecords ?? 10_000;
    this.truncateOnClose = options.truncateOnClose ?? false;
    this.lock = StoreLock.acquire(path);
    let opened: OpenedRecordFile;
    try {
      opened = RecordFile.open(path, MAGIC, options.sync ?? 'none', (body, offset) =>
        this.apply(body, offset),
      );
    } catch (error) {
      this.lock.release();
      throw error;
    }
    this.file = opened.file;
    this.recovery = opened.recovery;
    this.compactIndex();
  }

  /** Path of the store file. */
  get path(): string {
    return this.file.path;
  }

  private apply(body: Buffer, offset: number): void {
    const { kind, meta } = decodeBody(body);
    const sequence = sequenceOf(meta);
    if (kind === 'S') {
      headerOf(meta);
      const last = this.index[this.index.length - 1];
      if (last && sequence <= last.sequence) throw new Error(`stored sequence ${sequence} is out of order`);
      this.index.push({ sequence, offset, length: body.length });
      this.raiseSequence(sequence);
    } else if (kind === 'D') {
      if (sequence > this.lastPersisted) this.lastPersisted = sequence;
      this.raiseSequence(sequence);
      this.dropIndex(sequence);
    } else {
      throw new Error(`unknown record kind "${kind}"`);
    }
  }

  private dropIndex(seq: bigint): void {
    while (this.head < this.index.length && (this.index[this.head] as IndexEntry).sequence <= seq) {
      this.head++;
      this.obsolete++;
    }
  }

  private compactIndex(): void {
    if (this.head === 0) return;
    this.index = this.index.slice(this.head);
    this.head = 0;
  }

  protected hold(message: StoredPublish): void {
    const body = encodeBody('S', { q: message.sequence.toString(), h: message.header }, message.payload);
    const offset = this.file.append(body);
    this.index.push({ sequence: message.sequence, offset, length: body.length });
  }

  protected drop(seq: bigint): void {
    this.file.append(encodeBody('D', { q: seq.toString() }));
    this.obsolete++;
    this.dropIndex(seq);
    if (this.head > 1024 && this.head * 2 > this.index.length) this.compactIndex();
    if (this.autoPrune > 0 && this.obsolete >= this.autoPrune && this.obsolete > this.unpersistedCount())
      this.prune();
  }

  private load(entry: IndexEntry): StoredPublish {
    const { meta, blob } = decodeBody(this.file.read(entry.offset, entry.length));
    return { sequence: entry.sequence, header: headerOf(meta), payload: blob ?? new Uint8Array(0) };
  }

  protected forEachHeld(visit: (message: StoredPublish) => void): void {
    for (let i = this.head; i < this.index.length; i++) visit(this.load(this.index[i] as IndexEntry));
  }

  protected getHeld(seq: bigint): StoredPublish | undefined {
    let lo = this.head;
    let hi = this.index.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const entry = this.index[mid] as IndexEntry;
      if (entry.sequence === seq) return this.load(entry);
      if (entry.sequence < seq) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  }

  /** {@inheritDoc PublishStore.unpersistedCount} */
  unpersistedCount(): number {
    return this.index.length - this.head;
  }

  /** {@inheritDoc PublishStore.getLowestUnpersisted} */
  getLowestUnpersisted(): bigint | undefined {
    return this.index[this.head]?.sequence;
  }

  /** {@inheritDoc RecoverablePublishStore.prune} */
  prune(): void {
    this.assertOpen();
    this.compact();
  }

  private compact(): void {
    const live = this.index.slice(this.head);
    const bodies: Buffer[] = [];
    if (this.lastPersisted > 0n) bodies.push(encodeBody('D', { q: this.lastPersisted.toString() }));
    for (const entry of live) bodies.push(this.file.read(entry.offset, entry.length));
    const offsets = this.file.rewrite(bodies);
    const first = bodies.length - live.length;
    this.index = live.map((entry, i) => ({ ...entry, offset: offsets[first + i] as number }));
    this.head = 0;
    this.obsolete = 0;
  }

  /** Forces everything written so far to stable storage (fdatasync). */
  sync(): void {
    this.assertOpen();
    this.file.flushToDisk();
  }

  protected onClose(): void {
    try {
      if (this.truncateOnClose && this.unpersistedCount() === 0 && this.obsolete > 0) this.compact();
      this.file.close();
    } finally {
      this.lock.release();
    }
  }
}
