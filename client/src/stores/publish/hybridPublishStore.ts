/**
 * HybridPublishStore (seed): held messages stay in memory up to a cap; beyond it they spill
 * to a {@link FilePublishStore}. While anything is spilled, new messages also go to the file,
 * so memory always holds the oldest messages and the file the newest, and replay reads memory
 * first. As in the official client, only the spilled part survives a restart: reopening
 * yields the messages that were in the file and continues sequences above them.
 */
import type { StoreRecoveryReport } from '../storeErrors.js';
import { BasePublishStore } from './basePublishStore.js';
import { FilePublishStore, type FilePublishStoreOptions } from './filePublishStore.js';
import { MemoryPublishStore } from './memoryPublishStore.js';
import type { StoredPublish } from './publishStore.js';

/** Options of {@link HybridPublishStore}. */
export interface HybridPublishStoreOptions extends FilePublishStoreOptions {
  /** Messages kept in memory before spilling to the file (default 10 000). */
  maxMemoryMessages?: number;
}

/** A publish store that keeps up to a cap in memory and spills the rest to a file. */
export class HybridPublishStore extends BasePublishStore {
  /** What opening the spill file found. */
  readonly recovery: StoreRecoveryReport;
  private readonly memory = new MemoryPublishStore({ now: () => 0 });
  private readonly spill: FilePublishStore;
  private readonly cap: number;

  /**
   * Opens or creates the spill file at `path`, locked like a {@link FilePublishStore}'s file
   * until `close()`.
   * @throws UsageError (code `store locked`) when the spill file is already open in a live
   *   process, this one included
   * @throws StoreCorruptError when the spill file is non-empty and nothing valid can be read
   */
  constructor(path: string, options: HybridPublishStoreOptions = {}) {
    super(options);
    this.cap = options.maxMemoryMessages ?? 10_000;
    if (!Number.isInteger(this.cap) || this.cap < 0)
      throw new RangeError(`maxMemoryMessages must be an integer >= 0`);
    this.spill = new FilePublishStore(path, { ...options, now: () => 0 });
    this.recovery = this.spill.recovery;
    this.lastPersisted = this.spill.getLastPersisted();
    this.raiseSequence(this.spill.lastSequence());
  }

  /** Number of messages currently held in memory (the rest are in the file). */
  get inMemoryCount(): number {
    return this.memory.unpersistedCount();
  }

  protected hold(message: StoredPublish): void {
    if (this.spill.unpersistedCount() > 0 || this.memory.unpersistedCount() >= this.cap) {
      this.spill.storeSequenced(message);
    } else {
      this.memory.storeSequenced(message);
    }
  }

  protected drop(seq: bigint): void {
    this.memory.discardUpTo(seq);
    this.spill.discardUpTo(seq);
  }

  protected forEachHeld(visit: (message: StoredPublish) => void): void {
    this.memory.replay(visit);
    this.spill.replay(visit);
  }

  protected getHeld(seq: bigint): StoredPublish | undefined {
    let found: StoredPublish | undefined;
    const keep = (message: StoredPublish): void => {
      found = message;
    };
    if (!this.memory.replaySingle(keep, seq)) this.spill.replaySingle(keep, seq);
    return found;
  }

  /** {@inheritDoc PublishStore.unpersistedCount} */
  unpersistedCount(): number {
    return this.memory.unpersistedCount() + this.spill.unpersistedCount();
  }

  /** {@inheritDoc PublishStore.getLowestUnpersisted} */
  getLowestUnpersisted(): bigint | undefined {
    return this.memory.getLowestUnpersisted() ?? this.spill.getLowestUnpersisted();
  }

  protected onClose(): void {
    this.memory.close();
    this.spill.close();
  }
}
