/**
 * Queue acknowledgement batching (spec §11.2): acks for the same topic and options are
 * collected and sent as one `sow_delete` whose `bookmark` is a comma list, when the batch is
 * full or when the batch timeout expires.
 */
import type { Timers } from './hooks.js';

/** Sends one batched acknowledgement. */
export type AckSender = (topic: string, bookmarks: readonly string[], options: string | undefined) => void;

interface Batch {
  topic: string;
  options: string | undefined;
  bookmarks: string[];
}

/** Collects queue acks per topic + options. A batch size of 1 (the default) sends at once. */
export class AckBatcher {
  private batchSize = 1;
  private timeoutMs = 1000;
  private readonly batches = new Map<string, Batch>();
  private timer: unknown;

  constructor(
    private readonly sender: AckSender,
    private readonly timers: Timers,
  ) {}

  /** Acks per batch (1 = no batching). */
  get size(): number {
    return this.batchSize;
  }
  /** Milliseconds a partial batch waits before it is sent. */
  get timeout(): number {
    return this.timeoutMs;
  }
  /** Acks waiting in batches. */
  get pendingCount(): number {
    let n = 0;
    for (const b of this.batches.values()) n += b.bookmarks.length;
    return n;
  }

  /** Sets the batch size. @throws RangeError below 1 */
  setSize(size: number): void {
    if (!Number.isInteger(size) || size < 1)
      throw new RangeError(`ack batch size must be an integer >= 1, got ${size}`);
    this.batchSize = size;
    if (size === 1) this.flush();
  }

  /** Sets the batch timeout. @throws RangeError when negative */
  setTimeout(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`ack timeout must be >= 0 ms, got ${ms}`);
    this.timeoutMs = ms;
  }

  /** Adds one ack; sends its batch when full. */
  add(topic: string, bookmark: string, options?: string): void {
    if (this.batchSize <= 1) {
      this.sender(topic, [bookmark], options);
      return;
    }
    const key = `${topic}\u0000${options ?? ''}`;
    let batch = this.batches.get(key);
    if (!batch) {
      batch = { topic, options, bookmarks: [] };
      this.batches.set(key, batch);
    }
    batch.bookmarks.push(bookmark);
    if (batch.bookmarks.length >= this.batchSize) {
      this.batches.delete(key);
      this.sender(batch.topic, batch.bookmarks, batch.options);
    }
    if (this.batches.size > 0) this.arm();
    else this.disarm();
  }

  /** Sends every partial batch now. */
  flush(): void {
    this.disarm();
    const all = [...this.batches.values()];
    this.batches.clear();
    for (const b of all) this.sender(b.topic, b.bookmarks, b.options);
  }

  /** Drops every pending ack (the connection is gone: leases end with it). */
  clear(): void {
    this.disarm();
    this.batches.clear();
  }

  private arm(): void {
    if (this.timer !== undefined || this.timeoutMs === 0) return;
    this.timer = this.timers.setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, this.timeoutMs);
  }

  private disarm(): void {
    if (this.timer !== undefined) {
      this.timers.clearTimeout(this.timer);
      this.timer = undefined;
    }
  }
}
