/**
 * The perspective grid engine behind a {@link GridSink} (opt-in, beside ag-grid): an indexed
 * @finos/perspective table keyed by SowKey in a worker takes each refresh's folded changes
 * (`update` for adds and updates, `remove` for rows that left), sorts there, and the page only
 * draws the visible window of the sorted view (`to_columns` of those rows). The
 * `@finos/perspective-viewer-datagrid` plugin is not installed, so the window is drawn by
 * PerspectiveGrid.svelte rather than by `<perspective-viewer>`.
 * perspective's schema is fixed when the table is made: a column that appears later (or
 * changes type) rebuilds the table from the rows held here.
 */
import { FlushBuffer } from './gridFlush.js';
import { perspectiveClient } from './perspectiveEngine.js';
import type { PerspectiveSort, PerspectiveTable, PerspectiveView } from './perspectiveEngine.js';
import {
  HeldRows,
  KEY_COLUMN,
  needsRebuild,
  perspectiveRow,
  perspectiveSchema,
  splitTake,
  STATE_COLUMN,
} from './perspectiveRows.js';
import type { PerspectiveType } from './perspectiveRows.js';
import type { SowColumn } from './sowColumns.js';
import type { GridChange, SowRow } from './sowGridModel.js';
import type { GridSink } from './sowView.svelte.js';

/** Time between two refreshes of the table, ms: perspective takes batches best at 50–100 ms. */
const FLUSH_MS = 100;

/** One drawn row of the window. */
export interface WindowRow {
  key: string;
  state: string;
  cells: unknown[];
}

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** Feeds perspective and holds the window the component draws. */
export class PerspectiveGridController implements GridSink {
  /** Columns drawn (the grid's columns). */
  shown = $state.raw<readonly SowColumn[]>([]);
  /** Rows in the view. */
  total = $state(0);
  /** Index of the first drawn row. */
  first = $state(0);
  rows = $state.raw<WindowRow[]>([]);
  sort = $state.raw<PerspectiveSort | undefined>(undefined);
  error = $state<string | undefined>(undefined);
  ready = $state(false);
  /** Rows the window draws. */
  visible = 40;

  readonly #buffer = new FlushBuffer();
  /** Every row the table holds, for a rebuild. */
  readonly #held = new HeldRows();
  #columns: readonly SowColumn[] = [];
  #schema: Record<string, PerspectiveType> | undefined;
  #table: PerspectiveTable | undefined;
  #view: PerspectiveView | undefined;
  #rebuild = true;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #flushing = false;
  /** The view a window fetch is in flight on (a rebuild may delete it under the fetch). */
  #drawing: PerspectiveView | undefined;
  #drawAgain = false;
  /** The window fetch in flight (a view is deleted only once its fetch is over). */
  #drawDone: Promise<void> = Promise.resolve();
  #destroyed = false;

  columns(columns: readonly SowColumn[]): void {
    this.#columns = columns;
    if (needsRebuild(this.#schema, columns)) this.#rebuild = true;
    this.#schedule();
  }

  apply(change: GridChange): void {
    for (const row of change.add) this.#upsert(row);
    for (const row of change.update) this.#upsert(row);
    this.#schedule();
  }

  remove(rows: readonly SowRow[]): void {
    for (const row of rows) {
      this.#held.delete(row.key);
      this.#buffer.remove(row);
    }
    this.#schedule();
  }

  reset(): void {
    this.#buffer.clear();
    this.#held.clear();
    this.#columns = [];
    this.#rebuild = true;
    this.shown = [];
    this.rows = [];
    this.total = 0;
    this.#schedule(true);
  }

  /** Sorts by `path`: ascending, then descending, then unsorted. */
  toggleSort(path: string): void {
    const now = this.sort;
    this.sort = now?.[0] !== path ? [path, 'asc'] : now[1] === 'asc' ? [path, 'desc'] : undefined;
    void this.#makeView().catch((e: unknown) => (this.error = messageOf(e)));
  }

  /** Scrolls the window to start at row `first`. */
  scrollTo(first: number): void {
    const at = Math.max(0, Math.floor(first));
    if (at === this.first) return;
    this.first = at;
    this.#draw();
  }

  destroy(): void {
    this.#destroyed = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#buffer.clear();
    this.#held.clear();
    void this.#drop();
  }

  #upsert(row: SowRow): void {
    this.#held.set(row);
    this.#buffer.upsert(row);
  }

  #schedule(force = false): void {
    if (this.#timer !== undefined || this.#destroyed) return;
    if (!force && this.#buffer.size === 0 && !this.#rebuild) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#flush();
    }, FLUSH_MS);
  }

  async #flush(): Promise<void> {
    if (this.#flushing) return this.#schedule();
    this.#flushing = true;
    try {
      const client = await perspectiveClient();
      if (this.#destroyed) return;
      if (this.#rebuild) {
        this.#rebuild = false;
        this.#buffer.clear();
        await this.#drop();
        const schema = perspectiveSchema(this.#columns);
        this.#schema = schema;
        this.shown = this.#columns;
        const table = await client.table(schema, { index: KEY_COLUMN });
        this.#table = table;
        if (this.#held.size > 0)
          await table.update([...this.#held.values()].map((r) => perspectiveRow(r, schema)));
        await this.#makeView();
      } else if (this.#table !== undefined && this.#schema !== undefined && this.#buffer.size > 0) {
        const { update, remove } = splitTake(this.#buffer.take(), this.#schema);
        if (update.length > 0) await this.#table.update(update);
        if (remove.length > 0) await this.#table.remove(remove);
      }
      this.ready = true;
      this.error = undefined;
    } catch (e) {
      this.error = messageOf(e);
    } finally {
      this.#flushing = false;
    }
    this.#schedule();
  }

  async #drop(): Promise<void> {
    const view = this.#view;
    const table = this.#table;
    this.#view = undefined;
    this.#table = undefined;
    await this.#settled(view);
    await view?.delete();
    await table?.delete();
  }

  /**
   * Waits for a window fetch on `view` to end: deleting a view while a call on it is pending
   * fails in perspective's WASM ("attempted to take ownership of Rust value while it was borrowed").
   */
  async #settled(view: PerspectiveView | undefined): Promise<void> {
    if (view !== undefined && this.#drawing === view) await this.#drawDone;
  }

  async #makeView(): Promise<void> {
    const table = this.#table;
    if (table === undefined) return;
    const old = this.#view;
    const view = await table.view({
      columns: [KEY_COLUMN, STATE_COLUMN, ...this.shown.map((c) => c.path)],
      sort: this.sort === undefined ? [] : [this.sort],
    });
    this.#view = view;
    await this.#settled(old);
    await old?.delete();
    await view.on_update(() => this.#draw());
    this.#draw();
  }

  /** Fetches the window of the sorted view; one fetch per view at a time, the latest wins. */
  #draw(): void {
    const view = this.#view;
    if (view === undefined) return;
    if (this.#drawing === view) {
      this.#drawAgain = true;
      return;
    }
    this.#drawing = view;
    this.#drawAgain = false;
    this.#drawDone = (async () => {
      try {
        const total = await view.num_rows();
        const first = Math.min(this.first, Math.max(0, total - 1));
        const cols = await view.to_columns({ start_row: first, end_row: first + this.visible });
        if (view !== this.#view) return;
        const keys = (cols[KEY_COLUMN] ?? []) as string[];
        const states = cols[STATE_COLUMN] ?? [];
        const paths = this.shown.map((c) => cols[c.path] ?? []);
        this.rows = keys.map((key, i) => ({
          key,
          state: String(states[i] ?? ''),
          cells: paths.map((p) => p[i]),
        }));
        this.total = total;
      } catch (e) {
        if (view === this.#view) this.error = messageOf(e);
      } finally {
        if (this.#drawing === view) this.#drawing = undefined;
        if (this.#drawAgain && view === this.#view) this.#draw();
      }
    })();
  }
}
