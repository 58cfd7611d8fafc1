import type { MessageDto, SubscriptionBatch } from '../../../common/src/dto/subscriptions.js';

/** A fixed-capacity FIFO that evicts its oldest item when full. O(1) push, never grows. */
export class RingBuffer<T> {
  readonly #items: (T | undefined)[];
  #head = 0;
  #size = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`ring buffer capacity must be a positive integer, got ${capacity}`);
    this.#items = new Array<T | undefined>(capacity);
  }

  get size(): number {
    return this.#size;
  }

  /** Adds an item; returns true when the oldest item was evicted to make room. */
  push(item: T): boolean {
    const tail = (this.#head + this.#size) % this.capacity;
    this.#items[tail] = item;
    if (this.#size === this.capacity) {
      this.#head = (this.#head + 1) % this.capacity;
      return true;
    }
    this.#size++;
    return false;
  }

  /** Removes and returns up to `max` items, oldest first. */
  drain(max = this.#size): T[] {
    return this.drainMap(max, (item) => item);
  }

  /**
   * Removes up to `max` items, oldest first, and returns `map(item, i)` of each (`i` counts
   * from 0): one pass and one array, however the items are turned into output.
   */
  drainMap<U>(max: number, map: (item: T, i: number) => U): U[] {
    const n = Math.min(max, this.#size);
    const out = new Array<U>(n);
    let at = this.#head;
    for (let i = 0; i < n; i++) {
      out[i] = map(this.#items[at] as T, i);
      this.#items[at] = undefined;
      if (++at === this.capacity) at = 0;
    }
    this.#head = at;
    this.#size -= n;
    return out;
  }

  /**
   * Removes every item, oldest first, and returns `map(item, i)` of `keep` of them spread
   * evenly over the run (always the newest); `i` is the item's position among those removed.
   */
  drainSample<U>(keep: number, map: (item: T, i: number) => U): U[] {
    const n = this.#size;
    const k = Math.min(Math.max(0, Math.floor(keep)), n);
    const out = new Array<U>(k);
    let at = this.#head;
    let j = 0;
    let pick = k === 0 ? -1 : Math.floor(n / k) - 1;
    for (let i = 0; i < n; i++) {
      if (i === pick) {
        out[j++] = map(this.#items[at] as T, i);
        pick = j < k ? Math.floor(((j + 1) * n) / k) - 1 : -1;
      }
      this.#items[at] = undefined;
      if (++at === this.capacity) at = 0;
    }
    this.#head = at;
    this.#size = 0;
    return out;
  }

  /** Empties the buffer; returns how many items were discarded. */
  clear(): number {
    const n = this.#size;
    this.#items.fill(undefined);
    this.#head = 0;
    this.#size = 0;
    return n;
  }
}

/** Running counts of one subscription. */
export interface SubscriptionCounts {
  received: number;
  delivered: number;
  /** Never delivered: the ring overflowed, or left out by the display budget (batches say how many as `sampled`). */
  dropped: number;
}

/** The counts batches carry. */
interface BatchCounts extends SubscriptionCounts {
  /** Of `dropped`: left out because the stream ran faster than the display budget. */
  sampled: number;
}

/**
 * Default display budget: most messages delivered per second per subscription. Far past what
 * anyone reads (the list redraws 10 times a second: 2,000 new rows each time), and low enough
 * that a page on a busy machine keeps its frame rate whatever the stream's rate.
 */
export const DISPLAY_BUDGET_PER_SECOND = 20_000;
/** Unused display allowance carries over for this long, so bursts and late ticks are not sampled. */
const ALLOWANCE_MS = 250;

/** Options of {@link SubscriptionBatcher}. */
export interface BatcherOptions<T> {
  /** Flush period; clamped to 16..50 ms (one to three frames). Default 33. */
  intervalMs?: number;
  /**
   * Ring capacity per subscription. Default 50 000: about a second of a 50 k msg/s stream, so
   * a main process stalled that long (GC, a busy machine) drops nothing; still bounded.
   */
  capacity?: number;
  /** Most messages in one batch, bounding one IPC message. Default 2 000. */
  maxBatch?: number;
  /**
   * Display budget: most messages delivered per second per subscription (default
   * {@link DISPLAY_BUDGET_PER_SECOND}). A faster stream is delivered sampled (evenly over each
   * flush, the newest always in), the rest counted in `dropped` and `sampled`: past what anyone
   * can read, the page shows fewer rather than fall behind. Unused allowance carries over for
   * 250 ms (at least four flush periods), so jitter and late ticks are not sampled.
   */
  maxPerSecond?: number;
  /** Clock for the budget, ms (default `performance.now`). */
  now?: () => number;
  /** Turns a buffered item into what the renderer receives (done at flush, not at receive). */
  format(item: T, index: number): MessageDto;
  /** Delivers a batch to the subscription's owner. */
  deliver(ownerId: string, batch: SubscriptionBatch): void;
}

interface Entry<T> {
  ownerId: string;
  /** The newest items received; the ring's oldest has index `received - size + 1`. */
  ring: RingBuffer<T>;
  counts: BatchCounts;
  paused: boolean;
  /** The owner's page is gone (reloading): keep buffering, deliver nothing until attached. */
  detached: boolean;
  /** Counts changed since the last batch (drops while paused are reported on resume). */
  dirty: boolean;
  /** Messages the display budget still allows, and when it was last topped up. */
  allowance: number;
  toppedAt: number;
}

/**
 * Per-subscription bounded buffers and one timer that flushes them in batches. `push` never
 * blocks and never waits for the renderer: when a ring is full its oldest message is dropped
 * and counted. Paused subscriptions keep buffering (and dropping) but deliver nothing.
 * The timer runs only while at least one subscription exists.
 */
export class SubscriptionBatcher<T> {
  readonly intervalMs: number;
  readonly #capacity: number;
  readonly #maxBatch: number;
  readonly #perMs: number;
  readonly #maxAllowance: number;
  readonly #now: () => number;
  readonly #entries = new Map<string, Entry<T>>();
  readonly #options: BatcherOptions<T>;
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(options: BatcherOptions<T>) {
    this.#options = options;
    this.intervalMs = Math.min(50, Math.max(16, options.intervalMs ?? 33));
    this.#capacity = options.capacity ?? 50_000;
    this.#maxBatch = options.maxBatch ?? 2_000;
    const perSecond = options.maxPerSecond ?? DISPLAY_BUDGET_PER_SECOND;
    if (!(perSecond > 0)) throw new RangeError(`maxPerSecond must be > 0, got ${perSecond}`);
    this.#perMs = perSecond / 1000;
    this.#maxAllowance = Math.max(1, Math.ceil(this.#perMs * Math.max(ALLOWANCE_MS, this.intervalMs * 4)));
    this.#now = options.now ?? (() => performance.now());
  }

  /** Starts buffering for a subscription owned by `ownerId`. */
  add(subscriptionId: string, ownerId: string): void {
    if (this.#entries.has(subscriptionId))
      throw new Error(`subscription ${subscriptionId} is already buffered`);
    this.#entries.set(subscriptionId, {
      ownerId,
      ring: new RingBuffer(this.#capacity),
      counts: { received: 0, delivered: 0, dropped: 0, sampled: 0 },
      paused: false,
      detached: false,
      dirty: false,
      allowance: this.#maxAllowance,
      toppedAt: this.#now(),
    });
    this.#timer ??= setInterval(() => this.flush(), this.intervalMs);
  }

  has(subscriptionId: string): boolean {
    return this.#entries.has(subscriptionId);
  }

  /** Buffers one message; O(1), drops the oldest when full. Unknown ids are ignored. */
  push(subscriptionId: string, item: T): void {
    const entry = this.#entries.get(subscriptionId);
    if (entry === undefined) return;
    entry.counts.received++;
    // Items carry no index: the ring always holds the newest `size` of `received`, in order.
    if (entry.ring.push(item)) entry.counts.dropped++;
    entry.dirty = true;
  }

  setPaused(subscriptionId: string, paused: boolean): boolean {
    const entry = this.#entries.get(subscriptionId);
    if (entry === undefined) return false;
    entry.paused = paused;
    return true;
  }

  /** Holds (true) or resumes (false) delivery while the owner's page is away; false if unknown. */
  setDetached(subscriptionId: string, detached: boolean): boolean {
    const entry = this.#entries.get(subscriptionId);
    if (entry === undefined) return false;
    entry.detached = detached;
    // Resuming delivers what the ring kept and the drop count at the next tick.
    if (!detached) entry.dirty = true;
    return true;
  }

  /** Delivery state of a subscription. */
  delivery(subscriptionId: string): { paused: boolean; detached: boolean } | undefined {
    const entry = this.#entries.get(subscriptionId);
    return entry === undefined ? undefined : { paused: entry.paused, detached: entry.detached };
  }

  counts(subscriptionId: string): SubscriptionCounts | undefined {
    const c = this.#entries.get(subscriptionId)?.counts;
    return c === undefined ? undefined : { received: c.received, delivered: c.delivered, dropped: c.dropped };
  }

  /** Ids of the subscriptions a client owns. */
  ownedBy(ownerId: string): string[] {
    return [...this.#entries].filter(([, e]) => e.ownerId === ownerId).map(([id]) => id);
  }

  /**
   * Stops buffering; messages not yet delivered are discarded and counted as dropped, so the
   * final counts satisfy received = delivered + dropped. Returns them (undefined if unknown).
   */
  remove(subscriptionId: string): SubscriptionCounts | undefined {
    const entry = this.#entries.get(subscriptionId);
    if (entry === undefined) return undefined;
    this.#entries.delete(subscriptionId);
    const c = entry.counts;
    c.dropped += entry.ring.clear();
    if (this.#entries.size === 0) this.#stopTimer();
    return { received: c.received, delivered: c.delivered, dropped: c.dropped };
  }

  /**
   * Delivers everything buffered for each subscription that has news (called by the timer),
   * in batches of at most `maxBatch` messages: a late tick catches up instead of leaving the
   * ring to overflow, while one IPC message stays bounded.
   */
  flush(): void {
    const now = this.#now();
    for (const [subscriptionId, entry] of this.#entries) {
      if (entry.paused || entry.detached || !entry.dirty) continue;
      const format = this.#options.format;
      entry.allowance = Math.min(this.#maxAllowance, entry.allowance + (now - entry.toppedAt) * this.#perMs);
      entry.toppedAt = now;
      const allowed = Math.max(1, Math.floor(entry.allowance));
      if (entry.ring.size > allowed) this.#deliverSampled(subscriptionId, entry, allowed);
      else {
        do {
          const first = entry.counts.received - entry.ring.size + 1;
          const messages = entry.ring.drainMap(this.#maxBatch, (item, i) => format(item, first + i));
          entry.counts.delivered += messages.length;
          entry.allowance -= messages.length;
          this.#options.deliver(entry.ownerId, { subscriptionId, messages, ...entry.counts });
        } while (entry.ring.size > 0);
      }
      entry.dirty = false;
    }
  }

  /** Delivers `keep` of the ring's messages spread over it; the rest are counted as sampled out. */
  #deliverSampled(subscriptionId: string, entry: Entry<T>, keep: number): void {
    const format = this.#options.format;
    const size = entry.ring.size;
    const first = entry.counts.received - size + 1;
    const picked = entry.ring.drainSample(keep, (item, i) => format(item, first + i));
    const left = size - picked.length;
    entry.counts.dropped += left;
    entry.counts.sampled += left;
    entry.allowance -= picked.length;
    for (let at = 0; at < picked.length; at += this.#maxBatch) {
      const messages = picked.slice(at, at + this.#maxBatch);
      entry.counts.delivered += messages.length;
      this.#options.deliver(entry.ownerId, { subscriptionId, messages, ...entry.counts });
    }
  }

  /** Ring capacity per subscription (the buffer budget). */
  get capacity(): number {
    return this.#capacity;
  }

  /** Number of subscriptions buffered. */
  get size(): number {
    return this.#entries.size;
  }

  /** True while the flush timer is scheduled. */
  get timerActive(): boolean {
    return this.#timer !== undefined;
  }

  /** Drops everything and stops the timer. */
  dispose(): void {
    for (const id of [...this.#entries.keys()]) this.remove(id);
    this.#stopTimer();
  }

  #stopTimer(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
