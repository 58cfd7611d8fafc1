/**
 * Warms a view's parsed-payload cache while the user shows the intent to search (focus in the
 * search field, or text starting with `/`), so the first expression pass reads parsed payloads
 * instead of parsing 100,000 of them at once. It parses the messages the list holds in slices
 * of at most `sliceMs`, yielding to the page between slices (typing never waits for it), and
 * reports its progress. Messages that arrive later are parsed by the next pass (or by a look
 * again `refreshMs` after the buffer is done, while the intent lasts). Pure: the scheduler and
 * the clock are injected.
 */
import { Model } from '../lib/model.js';
import type { PayloadCache } from './searchCache.js';
import type { SearchableList } from './search.js';

/** Where the warm-up stands. */
export interface WarmupSnapshot {
  /** `preparing`: parsing the buffer; `ready`: every message the buffer held is parsed. */
  phase: 'idle' | 'preparing' | 'ready';
  /** Messages of the current pass looked at, of `total`. */
  done: number;
  total: number;
  /** The pass's time from its start to its end, ms (the page ran between slices). */
  elapsedMs: number;
  /** The pass's longest slice, ms. */
  longestSliceMs: number;
}

/** Runs `task` after `delayMs` (yielding to the page); returns its cancel. */
export type WarmupScheduler = (task: () => void, delayMs: number) => () => void;

/** Options of {@link SearchWarmup}. */
export interface WarmupOptions {
  schedule?: WarmupScheduler;
  now?: () => number;
  /** Longest work between two yields, ms (default 8). */
  sliceMs?: number;
  /** After a pass, look again for new messages this many ms later while warming (0: never; default 1000). */
  refreshMs?: number;
}

/** The page's scheduler: a timer, so the page renders and handles input between slices. */
export const timerScheduler: WarmupScheduler = (task, delayMs) => {
  const handle = setTimeout(task, delayMs);
  return () => clearTimeout(handle);
};

/** Rows between two reads of the clock (unless the payloads parsed are large). */
const CHECK_EVERY = 32;
/** Payload characters parsed between two reads of the clock, at most. */
const CHECK_CHARS = 32_768;

const EMPTY: SearchableList = { count: 0, rowAt: () => undefined };

const IDLE: WarmupSnapshot = { phase: 'idle', done: 0, total: 0, elapsedMs: 0, longestSliceMs: 0 };

/** Parses a view's buffered payloads into its cache, a slice at a time. */
export class SearchWarmup extends Model<WarmupSnapshot> {
  readonly #cache: PayloadCache;
  readonly #schedule: WarmupScheduler;
  readonly #now: () => number;
  readonly #sliceMs: number;
  readonly #refreshMs: number;
  #source: (() => SearchableList) | undefined;
  #cancel: (() => void) | undefined;
  #list: SearchableList = EMPTY;
  #row = 0;
  /** The oldest message index the pass saw. */
  #oldest = Infinity;
  #startedAt = 0;
  #longest = 0;

  constructor(cache: PayloadCache, options: WarmupOptions = {}) {
    super(IDLE);
    this.#cache = cache;
    this.#schedule = options.schedule ?? timerScheduler;
    this.#now = options.now ?? (() => performance.now());
    this.#sliceMs = options.sliceMs ?? 8;
    this.#refreshMs = options.refreshMs ?? 1000;
  }

  /** True while warming (preparing, or ready and looking again from time to time). */
  get active(): boolean {
    return this.#source !== undefined;
  }

  /**
   * Starts warming the messages `source()` lists (read at each pass: the list is live). Does
   * nothing when already warming.
   */
  start(source: () => SearchableList): void {
    if (this.#source !== undefined) return;
    this.#source = source;
    this.#pass();
  }

  /** Stops warming (what is parsed stays in the cache). */
  stop(): void {
    this.#cancel?.();
    this.#cancel = undefined;
    this.#source = undefined;
    this.#list = EMPTY;
    this.#row = 0;
    if (this.state.phase !== 'idle') this.update(IDLE);
  }

  /**
   * A pass over the list as it is now, a slice at a time. The list is live: rows a slice reads
   * may have moved since the last one, so a pass can look at a message twice (it is parsed once)
   * or miss one that moved past it (the search pass, or the next look, parses it; its payload
   * may also be dropped with those older than the oldest seen, and parsed again when needed).
   */
  #pass(): void {
    this.#cancel = undefined;
    const source = this.#source;
    if (source === undefined) return;
    this.#list = source();
    this.#cache.fit(this.#list.count);
    this.#row = 0;
    this.#oldest = Infinity;
    this.#startedAt = this.#now();
    this.#longest = 0;
    // Once ready, a later look over new arrivals works unseen: the bar does not flicker back.
    const phase = this.state.phase === 'ready' ? 'ready' : 'preparing';
    this.update({ phase, done: 0, total: this.#list.count, elapsedMs: 0, longestSliceMs: 0 });
    this.#cancel = this.#schedule(() => this.#slice(), 0);
  }

  #slice(): void {
    this.#cancel = undefined;
    const list = this.#list;
    const cache = this.#cache;
    const started = this.#now();
    let row = this.#row;
    let sinceCheck = 0;
    let chars = 0;
    let oldest = this.#oldest;
    while (row < list.count) {
      const m = list.rowAt(row++);
      if (m === undefined) continue;
      if (m.index < oldest) oldest = m.index;
      if (!cache.has(m)) {
        cache.parsed(m);
        chars += m.data.length;
      }
      if (++sinceCheck >= CHECK_EVERY || chars >= CHECK_CHARS) {
        sinceCheck = 0;
        chars = 0;
        if (this.#now() - started >= this.#sliceMs) break;
      }
    }
    this.#row = row;
    this.#oldest = oldest;
    const done = row >= list.count;
    // The buffer is looked through: what is older than its oldest message left it.
    if (done && oldest !== Infinity) cache.dropBefore(oldest);
    const ended = this.#now();
    this.#longest = Math.max(this.#longest, ended - started);
    this.update({
      phase: done ? 'ready' : this.state.phase,
      done: row,
      total: list.count,
      elapsedMs: ended - this.#startedAt,
      longestSliceMs: this.#longest,
    });
    if (!done) this.#cancel = this.#schedule(() => this.#slice(), 0);
    else {
      this.#list = EMPTY;
      this.#again();
    }
  }

  /** While warming, a later pass parses what arrived since. */
  #again(): void {
    if (this.#source !== undefined && this.#refreshMs > 0)
      this.#cancel = this.#schedule(() => this.#pass(), this.#refreshMs);
  }
}
