import type { MessageDto, SubscriptionBatch } from '../../../common/src/dto/subscriptions.js';
import type { Clock, FrameScheduler } from '../lib/frameScheduler.js';
import { Model } from '../lib/model.js';
import { RateMeter } from '../lib/rateMeter.js';
import { RingBuffer } from '../lib/ringBuffer.js';

/** Default number of messages the view keeps. */
export const DEFAULT_CAPACITY = 10_000;
/** Queued rows always shown at the next frame, whatever `minFrameMs` says (a slow stream). */
export const TRICKLE_ROWS = 2;

/** Counts shown in the stats bar. */
export interface FeedStats {
  /** Messages per second arriving in batches (sliding window). */
  rate: number;
  /** From the main process: received from the server, delivered to this page, dropped there. */
  received: number;
  delivered: number;
  dropped: number;
  /** Of `dropped`: left out by main's display budget (a stream faster than anyone reads is shown sampled). */
  sampled: number;
  /** Messages this view discarded: evicted from its ring, or never shown because newer ones crowded them out. */
  viewDropped: number;
  /** Messages that arrived while the view was paused. */
  pausedArrivals: number;
}

/** What the message list renders. */
export interface FeedSnapshot {
  /** Rows in the list. */
  count: number;
  /** The message at display row `row` (0 = first row on screen), by the current order. */
  rowAt: (row: number) => MessageDto | undefined;
  newestOnTop: boolean;
  paused: boolean;
  stats: FeedStats;
  selected: MessageDto | undefined;
  /** Rows added at the newest end and removed at the oldest end by the last flush. */
  lastChange: { added: number; removed: number };
  /** Bumped on every change of the rows (a cheap identity for the list). */
  version: number;
}

/** Options of {@link MessageFeed}. */
export interface FeedOptions {
  scheduler: FrameScheduler;
  clock: Clock;
  /** Ring size: at most this many messages are held (default {@link DEFAULT_CAPACITY}). */
  capacity?: number;
  /**
   * Shortest time (ms) between two scheduled row updates on a fast stream: a frame that comes
   * sooner with more than {@link TRICKLE_ROWS} rows queued keeps them queued for a later frame.
   * Bounds the page's layout and paint work (nobody reads 60 screens of rows a second) while a
   * slow stream still shows each message at the next frame. 0 = every frame (default).
   */
  minFrameMs?: number;
}

const ZERO_STATS: FeedStats = {
  rate: 0,
  received: 0,
  delivered: 0,
  dropped: 0,
  sampled: 0,
  viewDropped: 0,
  pausedArrivals: 0,
};

/**
 * The live message list's data: batches are queued as they arrive and appended to a bounded
 * ring at most once per animation frame; pause freezes what is shown (new messages keep
 * filling the ring and are counted); rows are read by index, never copied per frame.
 */
export class MessageFeed extends Model<FeedSnapshot> {
  readonly capacity: number;
  readonly #ring: RingBuffer<MessageDto>;
  readonly #meter = new RateMeter();
  readonly #scheduler: FrameScheduler;
  readonly #clock: Clock;
  readonly #minFrameMs: number;
  #lastFlush = Number.NEGATIVE_INFINITY;
  #pending: MessageDto[] = [];
  #frame: unknown;
  #frozen: MessageDto[] | undefined;
  #newestOnTop = true;
  #version = 0;
  #stats: FeedStats = ZERO_STATS;

  constructor(options: FeedOptions) {
    const capacity = options.capacity ?? DEFAULT_CAPACITY;
    super({
      count: 0,
      rowAt: () => undefined,
      newestOnTop: true,
      paused: false,
      stats: ZERO_STATS,
      selected: undefined,
      lastChange: { added: 0, removed: 0 },
      version: 0,
    });
    this.capacity = capacity;
    this.#ring = new RingBuffer<MessageDto>(capacity);
    this.#scheduler = options.scheduler;
    this.#clock = options.clock;
    const minFrameMs = options.minFrameMs ?? 0;
    if (!(minFrameMs >= 0)) throw new RangeError(`minFrameMs must be >= 0, got ${minFrameMs}`);
    this.#minFrameMs = minFrameMs;
  }

  /** Queues one batch; the rows appear at the next animation frame. */
  push(batch: SubscriptionBatch): void {
    const n = batch.messages.length;
    this.#meter.add(n, this.#clock());
    let viewDropped = this.#stats.viewDropped;
    for (const message of batch.messages) this.#pending.push(message);
    // Only the newest `capacity` messages can be shown: drop the excess now to bound memory.
    const excess = this.#pending.length - this.capacity;
    if (excess > 0) {
      this.#pending.splice(0, excess);
      viewDropped += excess;
    }
    this.#stats = {
      ...this.#stats,
      received: batch.received,
      delivered: batch.delivered,
      dropped: batch.dropped,
      sampled: batch.sampled ?? 0,
      viewDropped,
      pausedArrivals: this.#stats.pausedArrivals + (this.#frozen === undefined ? 0 : n),
    };
    this.#schedule();
  }

  /** Records final counts (the subscription ended) without rows. */
  setCounts(counts: { received: number; delivered: number; dropped: number }): void {
    this.#stats = { ...this.#stats, ...counts };
    this.#publish({ added: 0, removed: 0 });
  }

  /** Appends everything queued to the ring and publishes one snapshot. Runs once per frame. */
  flush(): void {
    if (this.#frame !== undefined) this.#scheduler.cancel(this.#frame);
    this.#frame = undefined;
    this.#lastFlush = this.#clock();
    const batch = this.#pending;
    this.#pending = [];
    const evicted = this.#ring.pushAll(batch);
    // Rows pushed out of the ring before ever being drawn also count as evicted above.
    this.#stats = { ...this.#stats, viewDropped: this.#stats.viewDropped + evicted };
    const shown = this.#frozen === undefined;
    this.#publish(shown ? { added: batch.length, removed: evicted } : { added: 0, removed: 0 });
  }

  /** Refreshes the rate (call periodically so it decays when the stream stops). */
  tick(): void {
    const rate = this.#meter.rate(this.#clock());
    if (rate === this.#stats.rate) return;
    this.#stats = { ...this.#stats, rate };
    this.update({ stats: this.#stats });
  }

  /** Freezes the visible rows; arrivals are counted and kept in the ring. */
  pause(): void {
    if (this.#frozen !== undefined) return;
    this.#frozen = this.#ring.toArray();
    this.#publish({ added: 0, removed: 0 });
  }

  /** Shows the live ring again and resets the paused-arrivals count. */
  resume(): void {
    if (this.#frozen === undefined) return;
    this.#frozen = undefined;
    this.#stats = { ...this.#stats, pausedArrivals: 0 };
    this.#publish({ added: 0, removed: 0 });
  }

  /** Newest rows first (true) or last. */
  setNewestOnTop(newestOnTop: boolean): void {
    this.#newestOnTop = newestOnTop;
    this.#publish({ added: 0, removed: 0 });
  }

  /** Selects a message for the detail pane (kept even after it leaves the ring). */
  select(message: MessageDto | undefined): void {
    this.update({ selected: message });
  }

  /**
   * Moves the selection `step` rows down (positive) or up (negative) in display order and
   * returns the newly selected row, or undefined when the list is empty. With no selection (or
   * one no longer in the list) it selects the first row.
   */
  selectAdjacent(step: number): number | undefined {
    const { count, rowAt, selected } = this.state;
    if (count === 0) return undefined;
    let current = -1;
    if (selected !== undefined) {
      for (let row = 0; row < count; row++) {
        if (rowAt(row) === selected) {
          current = row;
          break;
        }
      }
    }
    const next = current < 0 ? 0 : Math.min(count - 1, Math.max(0, current + step));
    this.update({ selected: rowAt(next) });
    return next;
  }

  /** Empties the list and the view's own counts; the main process's counts stay. */
  clear(): void {
    this.#pending = [];
    this.#ring.clear();
    if (this.#frozen !== undefined) this.#frozen = [];
    this.#stats = { ...this.#stats, viewDropped: 0, pausedArrivals: 0 };
    this.update({ selected: undefined });
    this.#publish({ added: 0, removed: 0 });
  }

  /** Clears everything for a new subscription. */
  reset(): void {
    if (this.#frame !== undefined) this.#scheduler.cancel(this.#frame);
    this.#frame = undefined;
    this.#pending = [];
    this.#ring.clear();
    this.#frozen = undefined;
    this.#meter.reset();
    this.#stats = ZERO_STATS;
    this.update({ selected: undefined });
    this.#publish({ added: 0, removed: 0 });
  }

  /** Cancels a scheduled flush. */
  dispose(): void {
    if (this.#frame !== undefined) this.#scheduler.cancel(this.#frame);
    this.#frame = undefined;
  }

  #schedule(): void {
    if (this.#frame !== undefined) return;
    this.#frame = this.#scheduler.request(() => {
      this.#frame = undefined;
      // Too soon after the last update: keep the rows queued (bounded by `capacity`) a frame longer.
      const early = this.#clock() - this.#lastFlush < this.#minFrameMs;
      if (early && this.#pending.length > TRICKLE_ROWS) this.#schedule();
      else this.flush();
    });
  }

  #publish(lastChange: { added: number; removed: number }): void {
    const frozen = this.#frozen;
    const ring = this.#ring;
    const count = frozen === undefined ? ring.size : frozen.length;
    const newestOnTop = this.#newestOnTop;
    const read = frozen === undefined ? (i: number) => ring.at(i) : (i: number) => frozen[i];
    const rowAt = (row: number): MessageDto | undefined =>
      row < 0 || row >= count ? undefined : read(newestOnTop ? count - 1 - row : row);
    this.#version++;
    this.update({
      count,
      rowAt,
      newestOnTop,
      paused: frozen !== undefined,
      stats: this.#stats,
      lastChange,
      version: this.#version,
    });
  }
}
