/**
 * The paging window of a big SOW, apart from the DOM: which rows (by position in the server's
 * order) the renderer holds, which window to ask main for when the visible rows move, and the
 * rows with their flattened fields for the grid. Never more than {@link SOW_PAGE_MAX_ROWS}.
 */
import { SOW_PAGE_MAX_ROWS } from '../../../common/src/dto/sow.js';
import type { SowPageWindow } from '../../../common/src/dto/sow.js';
import { ColumnSet, parseRecord } from './sowColumns.js';
import type { FlatRecord, SowColumn } from './sowColumns.js';

/** Records in one window by default: a few screens around what is visible. */
export const DEFAULT_PAGE_ROWS = 200;

/** Past this many records (the server's count) a view is paged instead of loaded whole. */
export const PAGING_THRESHOLD = 10_000;

/** One row of the window. */
export interface PagedRow {
  /** Position in the query's order, from 0. */
  index: number;
  key: string;
  /** The record's text as the server sent it. */
  data: string;
  fields: FlatRecord;
}

/** What to ask main for. */
export interface PageWanted {
  skipN: number;
  topN: number;
}

/** True when a query matching `total` records should be paged rather than loaded. */
export function shouldPage(total: number, threshold = PAGING_THRESHOLD): boolean {
  return total > threshold;
}

/** The window of one paged view. */
export class SowPagingModel {
  readonly pageRows: number;
  readonly #columns = new ColumnSet();
  #queryId: string | undefined;
  #seq = -1;
  #skipN = 0;
  #topN = 0;
  #total = 0;
  #live = false;
  #rows: PagedRow[] = [];
  /** The window last asked for and not answered yet. */
  #asked: PageWanted | undefined;

  constructor(pageRows = DEFAULT_PAGE_ROWS) {
    if (!Number.isInteger(pageRows) || pageRows < 1 || pageRows > SOW_PAGE_MAX_ROWS) {
      throw new RangeError(`pageRows: 1 to ${SOW_PAGE_MAX_ROWS}, not ${pageRows}`);
    }
    this.pageRows = pageRows;
  }

  get queryId(): string | undefined {
    return this.#queryId;
  }
  /** Records the query matches, as the server counted them. */
  get total(): number {
    return this.#total;
  }
  get skipN(): number {
    return this.#skipN;
  }
  get live(): boolean {
    return this.#live;
  }
  /** The rows held, in order (at most the window's size). */
  get rows(): readonly PagedRow[] {
    return this.#rows;
  }
  get columns(): readonly SowColumn[] {
    return this.#columns.list;
  }

  /**
   * Takes a window from main; an older state (lower seq) or another view's is ignored.
   * @returns true when the rows changed
   */
  accept(window: SowPageWindow): boolean {
    if (this.#queryId !== undefined && window.queryId !== this.#queryId) return false;
    if (window.seq <= this.#seq) return false;
    this.#queryId = window.queryId;
    this.#seq = window.seq;
    this.#skipN = window.skipN;
    this.#topN = window.topN;
    this.#total = window.total;
    this.#live = window.live;
    if (this.#asked?.skipN === window.skipN) this.#asked = undefined;
    // A live window is re-sent as it changes: a row whose record did not change keeps its fields.
    const before = new Map(this.#rows.map((r) => [r.key, r]));
    this.#rows = window.rows.slice(0, SOW_PAGE_MAX_ROWS).map((r, i) => {
      const kept = before.get(r.key);
      const fields = kept !== undefined && kept.data === r.data ? kept.fields : parseRecord(r.data);
      if (fields !== kept?.fields) this.#columns.observe(fields);
      return { index: window.skipN + i, key: r.key, data: r.data, fields };
    });
    return true;
  }

  /** The row at a position in the query's order, when the window holds it. */
  rowAt(index: number): PagedRow | undefined {
    const at = index - this.#skipN;
    return at >= 0 && at < this.#rows.length ? this.#rows[at] : undefined;
  }

  /**
   * The window to ask for so that rows `first`..`last` (visible, inclusive) are held with a
   * margin around them, or undefined when the window held (or already asked for) covers them.
   */
  wanted(first: number, last: number): PageWanted | undefined {
    const total = this.#total;
    const lo = Math.max(0, Math.min(first, last));
    const hi = Math.max(lo, Math.min(Math.max(first, last), Math.max(0, total - 1)));
    // `hi` is clamped to the last record, so a window reaching the end covers the tail.
    const covers = (skipN: number, topN: number): boolean => lo >= skipN && hi < skipN + topN;
    if (this.#topN > 0 && covers(this.#skipN, this.#topN)) return undefined;
    if (this.#asked !== undefined && covers(this.#asked.skipN, this.#asked.topN)) return undefined;
    const topN = Math.max(this.pageRows, Math.min(SOW_PAGE_MAX_ROWS, hi - lo + 1));
    const centred = Math.floor((lo + hi) / 2 - topN / 2);
    const skipN = Math.max(0, Math.min(centred, total - topN));
    const next = { skipN, topN };
    this.#asked = next;
    return next;
  }

  /** A move failed or was dropped: the next scroll asks again. */
  forget(): void {
    this.#asked = undefined;
  }

  clear(): void {
    this.#queryId = undefined;
    this.#seq = -1;
    this.#skipN = 0;
    this.#topN = 0;
    this.#total = 0;
    this.#live = false;
    this.#rows = [];
    this.#asked = undefined;
    this.#columns.clear();
  }
}
