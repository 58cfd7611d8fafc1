/**
 * Recovery points and recovery point adapters (seed RecoveryPoint, ConflatingRecoveryPointAdapter):
 * a memory bookmark store can hand each subscription's resume point to an adapter that saves
 * it elsewhere (a SOW topic, a file), and read them back after a restart.
 */

/** A subscription's resume point: its id and an opaque bookmark (possibly a list). */
export interface RecoveryPoint {
  subId: string;
  bookmark: string;
}

/** Where a bookmark store saves and recovers resume points. */
export interface RecoveryPointAdapter {
  /** The next saved recovery point, or undefined when recovery is complete. */
  next(): Promise<RecoveryPoint | undefined>;
  /** Saves a subscription's new resume point. Never throws; failures go to the adapter's error handler. */
  update(point: RecoveryPoint): void;
  /** Removes the saved point of one subscription, or all of this client's points. */
  purge(subId?: string): Promise<void>;
  /** Trims the adapter's storage, where that means anything. */
  prune?(): void;
  /** Saves anything pending and releases resources. */
  close(): Promise<void>;
}

/** Timer functions, injectable for tests. */
export interface AdapterTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: AdapterTimers = {
  setTimeout: (fn, ms) => {
    const handle = setTimeout(fn, ms);
    handle.unref();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Options of {@link ConflatingRecoveryPointAdapter}. */
export interface ConflatingOptions {
  /** Pass updates on once this many are pending (default 10; 1 passes each one on). */
  updateThreshold?: number;
  /** Pass updates on at most this many ms after the first pending one (default 2000; 0: only by count). */
  intervalMs?: number;
  /** Timers, for tests. */
  timers?: AdapterTimers;
}

/**
 * Conflates updates before passing them to another adapter: only the latest point per
 * subscription is kept, and the pending set is passed on when `updateThreshold` updates have
 * arrived or `intervalMs` after the first pending update, whichever comes first.
 */
export class ConflatingRecoveryPointAdapter implements RecoveryPointAdapter {
  private pending = new Map<string, RecoveryPoint>();
  private updatesPending = 0;
  private timer: unknown;
  private readonly threshold: number;
  private readonly intervalMs: number;
  private readonly timers: AdapterTimers;
  private closed = false;

  constructor(
    private readonly delegate: RecoveryPointAdapter,
    options: ConflatingOptions = {},
  ) {
    this.threshold = options.updateThreshold ?? 10;
    this.intervalMs = options.intervalMs ?? 2000;
    if (!Number.isInteger(this.threshold) || this.threshold < 1) {
      throw new RangeError(`updateThreshold must be an integer >= 1, got ${this.threshold}`);
    }
    if (!(this.intervalMs >= 0)) throw new RangeError(`intervalMs must be >= 0, got ${this.intervalMs}`);
    this.timers = options.timers ?? realTimers;
  }

  /** Passes through to the delegate. */
  next(): Promise<RecoveryPoint | undefined> {
    return this.delegate.next();
  }

  /** Keeps the latest point per subscription; passes the set on by count or interval. */
  update(point: RecoveryPoint): void {
    if (this.closed) return;
    this.pending.set(point.subId, { subId: point.subId, bookmark: point.bookmark });
    this.updatesPending++;
    if (this.updatesPending >= this.threshold) {
      this.flush();
    } else if (this.timer === undefined && this.intervalMs > 0) {
      this.timer = this.timers.setTimeout(() => {
        this.timer = undefined;
        this.flush();
      }, this.intervalMs);
    }
  }

  /** Passes every pending point on to the delegate now. */
  flush(): void {
    if (this.timer !== undefined) {
      this.timers.clearTimeout(this.timer);
      this.timer = undefined;
    }
    const points = [...this.pending.values()];
    this.pending.clear();
    this.updatesPending = 0;
    for (const point of points) this.delegate.update(point);
  }

  /** Drops pending points of `subId` (or all), then purges the delegate. */
  async purge(subId?: string): Promise<void> {
    if (subId === undefined) {
      this.pending.clear();
      this.updatesPending = 0;
    } else {
      this.pending.delete(subId);
    }
    await this.delegate.purge(subId);
  }

  /** Tells the delegate to prune. */
  prune(): void {
    this.delegate.prune?.();
  }

  /** Flushes, then closes the delegate. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    await this.delegate.close();
  }
}
