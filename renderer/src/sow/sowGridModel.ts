/**
 * The model of a SOW grid, apart from the DOM and the grid engine: rows keyed by SowKey,
 * columns found in the records, removals that stay visible with their reason for a moment,
 * counters, a pause that buffers (and counts) what waits, the changed fields of each update
 * (for the cell flash), and the client-side sort and quick filter over what is loaded.
 */
import type { OofReason, SowRemoval, SowUpsert } from '../../../common/src/dto/sow.js';
import { ColumnSet, parseRecord } from './sowColumns.js';
import type { ColumnType, FlatRecord, SowColumn } from './sowColumns.js';
import { matchesQuickFilter, rowComparator } from './sowSort.js';
import type { SortTerm } from './sowSort.js';

/** One row: the SowKey, the flattened record and, while it is leaving, why. */
export interface SowRow {
  readonly key: string;
  readonly cells: FlatRecord;
  /** Set while an oof'd row is still shown: its reason and when it arrived. */
  readonly removed?: { reason: OofReason; at: number };
}

/** What one applied batch changed, for the grid engine. */
export interface GridChange {
  add: SowRow[];
  update: SowRow[];
  /** Changed field paths per updated key (every path of the record when it came whole). */
  changed: ReadonlyMap<string, readonly string[]>;
  /** True when the column list changed (new field, or a type changed). */
  columnsChanged: boolean;
}

/** Counters shown beside the grid. */
export interface GridCounters {
  inserts: number;
  updates: number;
  /** Removals by reason (`match`, `deleted`, `expired`, ...). */
  removals: Record<string, number>;
}

/** Options of {@link SowGridModel}. */
export interface SowGridModelOptions {
  /** How long a removed row stays with its reason, ms (default 1500). */
  removalHoldMs?: number;
  now?: () => number;
}

type Waiting = { kind: 'upsert'; upsert: SowUpsert } | { kind: 'remove'; reason: OofReason };

/** Rows and columns of one SOW view. */
export class SowGridModel {
  readonly #rows = new Map<string, SowRow>();
  readonly #columns = new ColumnSet();
  readonly #leaving = new Map<string, number>();
  readonly #waiting = new Map<string, Waiting>();
  readonly #holdMs: number;
  readonly #now: () => number;
  #paused = false;
  #waitingUpdates = 0;
  counters: GridCounters = { inserts: 0, updates: 0, removals: {} };

  constructor(options: SowGridModelOptions = {}) {
    this.#holdMs = options.removalHoldMs ?? 1500;
    this.#now = options.now ?? Date.now;
  }

  get columns(): readonly SowColumn[] {
    return this.#columns.list;
  }

  /** The type of a column (`string` for an unknown one). */
  typeOf(path: string): ColumnType {
    return this.#columns.get(path)?.type ?? 'string';
  }

  /** Rows held, those still leaving included. */
  get size(): number {
    return this.#rows.size;
  }

  /** Rows not leaving. */
  get liveCount(): number {
    return this.#rows.size - this.#leaving.size;
  }

  row(key: string): SowRow | undefined {
    return this.#rows.get(key);
  }

  rows(): IterableIterator<SowRow> {
    return this.#rows.values();
  }

  get paused(): boolean {
    return this.#paused;
  }

  /** Updates received while paused (every one, even those folded into a later one of the same key). */
  get waiting(): number {
    return this.#waitingUpdates;
  }

  /**
   * Applies one batch from main; while paused it is buffered (the latest state of each key
   * kept) and null is returned. Removals do not remove yet: the row is marked with its reason
   * and leaves at {@link sweep}.
   */
  apply(upserts: readonly SowUpsert[], removals: readonly SowRemoval[]): GridChange | null {
    if (this.#paused) {
      for (const u of upserts) this.#wait(u.key, { kind: 'upsert', upsert: this.#mergeWaiting(u) });
      for (const r of removals) this.#wait(r.key, { kind: 'remove', reason: r.reason });
      return null;
    }
    const changed = new Map<string, readonly string[]>();
    const change: GridChange = { add: [], update: [], changed, columnsChanged: false };
    for (const u of upserts) this.#upsert(u, change);
    const at = this.#now();
    for (const r of removals) this.#remove(r.key, r.reason, at, change);
    return change;
  }

  pause(): void {
    this.#paused = true;
  }

  /** Resumes and applies what waited, as one change. */
  resume(): GridChange {
    this.#paused = false;
    const upserts: SowUpsert[] = [];
    const removals: SowRemoval[] = [];
    for (const [key, w] of this.#waiting) {
      if (w.kind === 'upsert') upserts.push(w.upsert);
      else removals.push({ key, reason: w.reason });
    }
    this.#waiting.clear();
    this.#waitingUpdates = 0;
    return this.apply(upserts, removals) as GridChange;
  }

  /** Drops rows whose removal is older than the hold time; returns them. */
  sweep(now = this.#now()): SowRow[] {
    const gone: SowRow[] = [];
    for (const [key, at] of this.#leaving) {
      if (now - at < this.#holdMs) continue;
      const row = this.#rows.get(key);
      this.#leaving.delete(key);
      this.#rows.delete(key);
      if (row !== undefined) gone.push(row);
    }
    return gone;
  }

  /** Rows passing the quick filter, sorted by the terms (client side, over loaded rows). */
  view(terms: readonly SortTerm[] = [], quickFilter = ''): SowRow[] {
    const out: SowRow[] = [];
    for (const row of this.#rows.values()) if (matchesQuickFilter(row, quickFilter)) out.push(row);
    if (terms.length > 0) out.sort(rowComparator(terms, (p) => this.typeOf(p)));
    return out;
  }

  /** Forgets every row, column, counter and waiting update (a new query). */
  clear(): void {
    this.#rows.clear();
    this.#columns.clear();
    this.#leaving.clear();
    this.#waiting.clear();
    this.#waitingUpdates = 0;
    this.counters = { inserts: 0, updates: 0, removals: {} };
  }

  #upsert(u: SowUpsert, change: GridChange): void {
    const cells = parseRecord(u.data);
    if (this.#columns.observe(cells)) change.columnsChanged = true;
    const prior = this.#rows.get(u.key);
    const row: SowRow = { key: u.key, cells };
    this.#rows.set(u.key, row);
    if (prior === undefined) {
      this.counters.inserts++;
      change.add.push(row);
      return;
    }
    if (prior.removed !== undefined) this.#leaving.delete(u.key);
    this.counters.updates++;
    change.update.push(row);
    (change.changed as Map<string, readonly string[]>).set(
      u.key,
      u.changed ?? changedPaths(prior.cells, cells),
    );
  }

  #remove(key: string, reason: OofReason, at: number, change: GridChange): void {
    const prior = this.#rows.get(key);
    if (prior === undefined || prior.removed !== undefined) return;
    this.counters.removals[reason] = (this.counters.removals[reason] ?? 0) + 1;
    const row: SowRow = { key, cells: prior.cells, removed: { reason, at } };
    this.#rows.set(key, row);
    this.#leaving.set(key, at);
    change.update.push(row);
  }

  #wait(key: string, w: Waiting): void {
    this.#waitingUpdates++;
    this.#waiting.delete(key);
    this.#waiting.set(key, w);
  }

  /** A delta waiting behind another: the changed fields of both are flashed at resume. */
  #mergeWaiting(u: SowUpsert): SowUpsert {
    const prior = this.#waiting.get(u.key);
    if (prior?.kind !== 'upsert' || prior.upsert.changed === undefined || u.changed === undefined) {
      return prior?.kind === 'upsert' && u.changed !== undefined ? { key: u.key, data: u.data } : u;
    }
    return { key: u.key, data: u.data, changed: [...new Set([...prior.upsert.changed, ...u.changed])] };
  }
}

/** Paths whose value differs between two versions of a record (for whole-record updates). */
export function changedPaths(before: FlatRecord, after: FlatRecord): string[] {
  const out: string[] = [];
  for (const path in after) if (!Object.is(before[path], after[path])) out.push(path);
  for (const path in before) if (!(path in after)) out.push(path);
  return out;
}
