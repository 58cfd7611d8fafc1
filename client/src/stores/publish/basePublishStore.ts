/**
 * The shared body of the publish stores: sequence assignment, the persisted watermark and
 * flush waiters. Subclasses decide where held messages live.
 */
import { StoreError, TimedOutError } from '../../errors.js';
import type {
  PublishReplaySink,
  PublishStore,
  PublishStoreOptions,
  PublishToStore,
  StoredPublish,
} from './publishStore.js';

interface FlushWaiter {
  target: bigint;
  resolve: () => void;
  reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

/** Base class of the publish stores. */
export abstract class BasePublishStore implements PublishStore {
  /** Highest sequence assigned or held. */
  protected lastAssigned: bigint;
  /** Highest sequence discarded. */
  protected lastPersisted = 0n;
  private readonly waiters = new Set<FlushWaiter>();
  private closed = false;

  constructor(options: PublishStoreOptions = {}) {
    const now = options.now ?? Date.now;
    this.lastAssigned = BigInt(Math.floor(now())) * 1_000_000n - 1n;
  }

  /** Keeps `message` (already copied; its sequence is above every held one). */
  protected abstract hold(message: StoredPublish): void;
  /** Drops every held message with sequence ≤ `seq`. */
  protected abstract drop(seq: bigint): void;
  /** Calls `visit` for each held message in sequence order. */
  protected abstract forEachHeld(visit: (message: StoredPublish) => void): void;
  /** The held message `seq`, or undefined. */
  protected abstract getHeld(seq: bigint): StoredPublish | undefined;
  /** {@inheritDoc PublishStore.unpersistedCount} */
  abstract unpersistedCount(): number;
  /** {@inheritDoc PublishStore.getLowestUnpersisted} */
  abstract getLowestUnpersisted(): bigint | undefined;
  /** Releases what the subclass holds. */
  protected abstract onClose(): void;

  /** Raises the sequence counter so the next `store` is above `seq`. */
  protected raiseSequence(seq: bigint): void {
    if (seq > this.lastAssigned) this.lastAssigned = seq;
  }

  /** {@inheritDoc PublishStore.store} */
  store(message: PublishToStore): bigint {
    const sequence = this.lastAssigned + 1n;
    this.storeSequenced({ sequence, header: message.header, payload: message.payload ?? new Uint8Array(0) });
    return sequence;
  }

  /**
   * Stores a message under a sequence chosen by the caller (used by the hybrid store).
   * @throws StoreError when `message.sequence` is not above every sequence seen
   */
  storeSequenced(message: StoredPublish): void {
    this.assertOpen();
    if (message.sequence <= this.lastAssigned || message.sequence <= this.lastPersisted) {
      throw new StoreError(`sequence ${message.sequence} is not above the last one (${this.lastAssigned})`);
    }
    this.lastAssigned = message.sequence;
    this.hold({
      sequence: message.sequence,
      header: { ...message.header, sequence: message.sequence.toString() },
      payload: Uint8Array.prototype.slice.call(message.payload),
    });
  }

  /** {@inheritDoc PublishStore.discardUpTo} */
  discardUpTo(seq: bigint): void {
    this.assertOpen();
    if (seq <= this.lastPersisted) return;
    this.lastPersisted = seq;
    this.raiseSequence(seq);
    this.drop(seq);
    this.checkWaiters();
  }

  /** {@inheritDoc PublishStore.replay} */
  replay(sink: PublishReplaySink): void {
    this.assertOpen();
    this.forEachHeld(sink);
  }

  /** {@inheritDoc PublishStore.replaySingle} */
  replaySingle(sink: PublishReplaySink, seq: bigint): boolean {
    this.assertOpen();
    const message = this.getHeld(seq);
    if (!message) return false;
    sink(message);
    return true;
  }

  /** Highest sequence assigned, held or discarded so far; the next `store` gets a higher one. */
  lastSequence(): bigint {
    return this.lastAssigned;
  }

  /** {@inheritDoc PublishStore.getLastPersisted} */
  getLastPersisted(): bigint {
    return this.lastPersisted;
  }

  /** {@inheritDoc PublishStore.flush} */
  flush(timeoutMs: number): Promise<void> {
    if (this.closed) return Promise.reject(new StoreError('the publish store is closed'));
    if (!(timeoutMs >= 0))
      return Promise.reject(new RangeError(`flush timeout must be >= 0 ms, got ${timeoutMs}`));
    const target = this.lastAssigned;
    if (this.isFlushed(target)) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const waiter: FlushWaiter = {
        target,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters.delete(waiter);
          reject(
            new TimedOutError(
              `publish store flush timed out after ${timeoutMs} ms with ${this.unpersistedCount()} message(s) unacknowledged`,
              { code: 'timed out', retriable: true },
            ),
          );
        }, timeoutMs),
      };
      this.waiters.add(waiter);
    });
  }

  private isFlushed(target: bigint): boolean {
    const lowest = this.getLowestUnpersisted();
    return lowest === undefined || lowest > target;
  }

  private checkWaiters(): void {
    for (const waiter of this.waiters) {
      if (!this.isFlushed(waiter.target)) continue;
      clearTimeout(waiter.timer);
      this.waiters.delete(waiter);
      waiter.resolve();
    }
  }

  /** {@inheritDoc PublishStore.close} */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const waiter of this.waiters) {
      clearTimeout(waiter.timer);
      waiter.reject(new StoreError('the publish store was closed before the flush completed'));
    }
    this.waiters.clear();
    this.onClose();
  }

  /** Throws when the store was closed. */
  protected assertOpen(): void {
    if (this.closed) throw new StoreError('the publish store is closed');
  }
}
