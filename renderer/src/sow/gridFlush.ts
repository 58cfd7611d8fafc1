/**
 * What the grid engine is fed between two of its refreshes, apart from the engine: the latest
 * state of each key (adds, updates, removes folded per key, the changed fields of folded
 * updates merged for the flash), and a pacer that spaces the refreshes by what the last one
 * cost, so a big sorted view under a high update rate keeps the page drawing frames instead
 * of re-sorting on every batch.
 */
import type { SowRow } from './sowGridModel.js';

/** One key's pending change. */
type Pending =
  { op: 'upsert'; row: SowRow; changed: readonly string[] | undefined } | { op: 'remove'; row: SowRow };

/** What one refresh hands the engine. */
export interface FlushTake {
  /** Rows to add or update (the engine tells which by whether it holds the key). */
  upserts: SowRow[];
  /** Rows to remove. */
  removes: SowRow[];
  /** Changed field paths per upserted key, for the flash (absent: nothing to flash). */
  changed: Map<string, readonly string[]>;
  /** Changes folded into a later one of the same key since the last take. */
  folded: number;
}

/** Changes waiting for the next refresh, the latest per key. */
export class FlushBuffer {
  readonly #pending = new Map<string, Pending>();
  #folded = 0;

  get size(): number {
    return this.#pending.size;
  }

  /** An added or updated row; `changed` (when known) are the fields to flash. */
  upsert(row: SowRow, changed?: readonly string[]): void {
    const prior = this.#pending.get(row.key);
    if (prior !== undefined) this.#folded++;
    let merged = changed;
    if (prior?.op === 'upsert' && prior.changed !== undefined && changed !== undefined) {
      merged = [...new Set([...prior.changed, ...changed])];
    } else if (prior?.op === 'upsert' && prior.changed !== undefined) {
      merged = prior.changed;
    }
    this.#pending.set(row.key, { op: 'upsert', row, changed: merged });
  }

  /** A row that leaves the grid. */
  remove(row: SowRow): void {
    if (this.#pending.has(row.key)) this.#folded++;
    this.#pending.set(row.key, { op: 'remove', row });
  }

  /** Takes everything pending. */
  take(): FlushTake {
    const out: FlushTake = { upserts: [], removes: [], changed: new Map(), folded: this.#folded };
    for (const p of this.#pending.values()) {
      if (p.op === 'remove') {
        out.removes.push(p.row);
        continue;
      }
      out.upserts.push(p.row);
      if (p.changed !== undefined && p.changed.length > 0) out.changed.set(p.row.key, p.changed);
    }
    this.#pending.clear();
    this.#folded = 0;
    return out;
  }

  clear(): void {
    this.#pending.clear();
    this.#folded = 0;
  }
}

/** Options of {@link FlushPacer}. */
export interface FlushPacerOptions {
  /** Shortest wait between refreshes, ms (default 50). */
  minMs?: number;
  /** Longest wait, ms (default 1000). */
  maxMs?: number;
  /**
   * The share of the page's time refreshes may take (default 0.1): after a refresh that cost
   * c ms the next waits c × (1 / share − 1) ms, so the rest is left for drawing frames.
   */
  share?: number;
}

/** Spaces refreshes by what they cost. */
export class FlushPacer {
  readonly #min: number;
  readonly #max: number;
  readonly #factor: number;
  #cost = 0;

  constructor(options: FlushPacerOptions = {}) {
    this.#min = options.minMs ?? 50;
    this.#max = options.maxMs ?? 1000;
    const share = Math.min(1, Math.max(0.01, options.share ?? 0.1));
    this.#factor = 1 / share - 1;
  }

  /** Records what the last refresh cost (smoothed, so one slow refresh does not stall the next ones). */
  cost(ms: number): void {
    this.#cost = this.#cost === 0 ? ms : this.#cost * 0.5 + ms * 0.5;
  }

  /** How long to wait before the next refresh, ms. */
  get delayMs(): number {
    return Math.min(this.#max, Math.max(this.#min, this.#cost * this.#factor));
  }
}
