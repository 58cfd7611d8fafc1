/**
 * The SOW view's controller (no DOM): the form, the running view in main, the grid model fed
 * by its batches, progress, counters, pause, row detail, deletes and exports. The grid
 * component registers a {@link GridSink} and renders what the model decides.
 */
import type {
  SowBatch,
  SowEndedEvent,
  SowExportFormat,
  SowProgress,
  SowQuerySpec,
  SowRecordDetail,
} from '../../../common/src/dto/sow.js';
import type { ExplorerApi } from '../../../common/src/ipc/contract.js';
import { isExplorerError } from '../../../common/src/ipc/errors.js';
import { DEFAULT_LAYOUT, type ColumnLayout } from './sowColumnLayout.js';
import { exportToFile, shownKeysProblem } from './sowExportActions.js';
import { checkForm, toSpec } from './sowForm.js';
import type { FormProblems, SowForm } from './sowForm.js';
import { SowGridModel } from './sowGridModel.js';
import type { SowColumn } from './sowColumns.js';
import type { GridCounters } from './sowGridModel.js';
import { reattachedStatus, type GridSink, type PendingDelete, type SowStatus } from './sowViewShapes.js';

export type { GridSink, PendingDelete, SowStatus } from './sowViewShapes.js';

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** A change that flashes nothing (rows handed to a newly attached grid). */
const NO_CHANGES: ReadonlyMap<string, readonly string[]> = new Map<string, readonly string[]>();

/** How often leaving rows are swept, ms. */
const SWEEP_MS = 250;

/** One SOW view. */
export class SowViewController {
  form = $state<SowForm>() as SowForm;
  problems = $state<FormProblems>({});
  status = $state<SowStatus>('idle');
  /** The last error (server, validation of a request, a failed action), shown as an alert. */
  error = $state<string | undefined>(undefined);
  /** The last outcome of an action (delete, export), shown as a status message. */
  notice = $state<string | undefined>(undefined);
  progress = $state.raw<SowProgress | undefined>(undefined);
  counters = $state.raw<GridCounters>({ inserts: 0, updates: 0, removals: {} });
  rowCount = $state(0);
  conflated = $state(0);
  waiting = $state(0);
  paused = $state(false);
  columns = $state.raw<readonly SowColumn[]>([]);
  /** Hidden and pinned columns, from the Columns menu. */
  columnLayout = $state.raw<ColumnLayout>(DEFAULT_LAYOUT);
  detail = $state.raw<SowRecordDetail | null | undefined>(undefined);
  pendingDelete = $state.raw<PendingDelete | undefined>(undefined);
  /** The filter the live view runs with now (after a replace). */
  runningFilter = $state('');

  readonly model = new SowGridModel();
  /** Server paging of big SOWs: when it takes a query, the view is paged instead of loaded. */
  pager: { tryPage(spec: SowQuerySpec): Promise<boolean>; close(): Promise<void> } | undefined;
  readonly #api: ExplorerApi;
  readonly #stops: (() => void)[] = [];
  readonly #sweeper: ReturnType<typeof setInterval>;
  #sink: GridSink | undefined;
  // Reactive: the toolbar enables its actions from it.
  #queryId = $state<string | undefined>(undefined);
  /** Grows with every run; an older run stops at its next wait. */
  #runs = 0;
  #connectionId: string | undefined;
  #topic = '';
  /** Events that arrived while sowQuery had not answered yet (a fast query can end before). */
  #early: ({ batch: SowBatch } | { ended: SowEndedEvent })[] = [];

  constructor(api: ExplorerApi, form: SowForm) {
    this.#api = api;
    this.form = form;
    this.#stops.push(api.onSowBatch((b) => this.#onBatch(b)));
    this.#stops.push(api.onSowEnded((e) => this.#onEnded(e)));
    this.#sweeper = setInterval(() => this.#sweep(), SWEEP_MS);
  }

  /** The running (or finished, still held) view's id. */
  get queryId(): string | undefined {
    return this.#queryId;
  }

  get running(): boolean {
    return this.status === 'starting' || this.status === 'querying' || this.status === 'live';
  }

  attach(sink: GridSink): void {
    this.#sink = sink;
    sink.layout?.(this.columnLayout);
    sink.columns(this.model.columns);
    const rows = [...this.model.rows()];
    if (rows.length > 0) sink.apply({ add: rows, update: [], changed: NO_CHANGES, columnsChanged: false });
  }

  /** Hides, shows or pins columns of the grid. */
  setLayout(layout: ColumnLayout): void {
    this.columnLayout = layout;
    this.#sink?.layout?.(layout);
  }

  detach(): void {
    this.#sink = undefined;
  }

  /** Checks the form; true when it may be sent. */
  check(): boolean {
    this.problems = checkForm(this.form);
    return Object.keys(this.problems).length === 0;
  }

  /** Runs the form's query on `connectionId`, ending the previous view first. */
  async run(connectionId: string | undefined): Promise<void> {
    this.error = undefined;
    this.notice = undefined;
    if (connectionId === undefined) {
      this.error = 'The tab has no open connection: connect first.';
      return;
    }
    if (!this.check()) return;
    // A later run (a second click) supersedes this one at each of its waits.
    const run = ++this.#runs;
    await this.cancel();
    if (run !== this.#runs) return;
    this.model.clear();
    this.#sink?.reset();
    this.#refresh();
    this.progress = undefined;
    this.detail = undefined;
    this.status = 'starting';
    const spec = toSpec(this.form, connectionId);
    try {
      const paged = this.pager !== undefined && (await this.pager.tryPage(spec));
      if (run !== this.#runs) return;
      if (paged) {
        this.#connectionId = connectionId;
        this.#topic = spec.topic;
        this.runningFilter = spec.filter ?? '';
        this.status = spec.mode === 'query' ? 'done' : 'live';
        return;
      }
      this.#early = [];
      const { queryId } = await this.#api.sowQuery(spec);
      if (run !== this.#runs) {
        await this.#api.sowCancel({ queryId }).catch(() => undefined);
        return;
      }
      this.#queryId = queryId;
      this.#connectionId = connectionId;
      this.#topic = spec.topic;
      this.runningFilter = spec.filter ?? '';
      if (this.status === 'starting') this.status = 'querying';
      const early = this.#early;
      this.#early = [];
      for (const e of early) {
        if ('batch' in e) this.#onBatch(e.batch);
        else this.#onEnded(e.ended);
      }
    } catch (e) {
      this.#early = [];
      this.status = 'error';
      this.error = messageOf(e);
      if (isExplorerError(e) && e.code === 'bad filter') this.problems = { filter: { message: e.message } };
    }
  }

  /**
   * After a page reload: takes the view main still holds under `queryId` (the tab claimed it).
   * Main sends its current records as batches, then its live changes; a view main no longer
   * holds leaves the tab idle with a note to run the query again.
   */
  async adopt(queryId: string): Promise<void> {
    this.#queryId = queryId;
    this.status = 'querying';
    try {
      const info = await this.#api.attachSowView({ queryId });
      if (this.#queryId !== queryId) return;
      this.#connectionId = info.spec.connectionId;
      this.#topic = info.spec.topic;
      this.runningFilter = info.spec.filter ?? '';
      this.progress = info.progress;
      this.status = reattachedStatus(info);
      if (info.error !== undefined) this.error = info.error.message;
    } catch (e) {
      if (this.#queryId !== queryId) return;
      this.#queryId = undefined;
      this.status = 'idle';
      this.notice = `The view this tab showed is no longer running in the app (${messageOf(e)}): run the query again.`;
    }
  }

  /** Ends the running view (its records in main are freed). */
  async cancel(): Promise<void> {
    await this.pager?.close();
    const id = this.#queryId;
    if (id === undefined) {
      if (this.running) this.status = 'ended';
      return;
    }
    this.#queryId = undefined;
    if (this.running) this.status = 'ended';
    try {
      await this.#api.sowCancel({ queryId: id });
    } catch {
      // Already gone in main (connection closed, window reloaded): nothing to end.
    }
  }

  /** Applies the form's filter to the live view atomically (records enter and leave). */
  async replaceFilter(): Promise<void> {
    const id = this.#queryId;
    this.error = undefined;
    if (id === undefined || this.status !== 'live') return;
    if (!this.check()) return;
    const filter = this.form.filter.trim();
    try {
      await this.#api.sowReplaceFilter({ queryId: id, filter });
      this.runningFilter = filter;
    } catch (e) {
      this.error = messageOf(e);
    }
  }

  togglePause(): void {
    if (this.model.paused) {
      const change = this.model.resume();
      this.#sink?.apply(change);
      if (change.columnsChanged) this.#sink?.columns(this.model.columns);
    } else {
      this.model.pause();
    }
    this.#refresh();
  }

  async showDetail(key: string | undefined): Promise<void> {
    const id = this.#queryId;
    if (key === undefined || id === undefined) {
      this.detail = undefined;
      return;
    }
    try {
      this.detail = await this.#api.sowRecord({ queryId: id, key });
    } catch (e) {
      this.detail = undefined;
      this.error = messageOf(e);
    }
  }

  /** Asks to delete these records (by their SowKeys); confirm with {@link confirmDelete}. */
  askDeleteKeys(keys: readonly string[]): void {
    if (keys.length === 0) return;
    this.pendingDelete = { kind: 'keys', keys: [...keys], count: keys.length };
  }

  /** Counts what the filter matches on the server, then asks to delete them. */
  async askDeleteMatching(): Promise<void> {
    this.error = undefined;
    const connectionId = this.#connectionId;
    const filter = this.runningFilter.trim();
    if (connectionId === undefined || this.#topic === '') return;
    if (filter === '') {
      this.error = 'Deleting every record of the topic needs a filter: enter one and run the query.';
      return;
    }
    try {
      const { count } = await this.#api.sowCount({ connectionId, topic: this.#topic, filter });
      this.pendingDelete = { kind: 'filter', filter, count };
    } catch (e) {
      this.error = messageOf(e);
    }
  }

  async confirmDelete(): Promise<void> {
    const pending = this.pendingDelete;
    const connectionId = this.#connectionId;
    this.pendingDelete = undefined;
    if (pending === undefined || connectionId === undefined) return;
    try {
      const { deleted } = await this.#api.sowDelete(
        pending.kind === 'keys'
          ? { connectionId, topic: this.#topic, keys: pending.keys }
          : { connectionId, topic: this.#topic, filter: pending.filter },
      );
      this.notice = `Deleted ${deleted} record${deleted === 1 ? '' : 's'} from ${this.#topic}.`;
    } catch (e) {
      this.error = messageOf(e);
    }
  }

  cancelDelete(): void {
    this.pendingDelete = undefined;
  }

  /**
   * Main writes the records (all, or these keys in this order) to a file; the notice says
   * where. `queryId`: an app-held paged view's instead of the loaded one's.
   */
  async exportRecords(format: SowExportFormat, keys?: readonly string[], queryId?: string): Promise<void> {
    const id = queryId ?? this.#queryId;
    this.error = undefined;
    if (id === undefined) return;
    try {
      this.notice = await exportToFile(this.#api, id, format, keys);
    } catch (e) {
      this.error = messageOf(e);
    }
  }

  /** Exports the rows the grid shows now (after the quick filter), in the grid's order. */
  async exportShown(format: SowExportFormat): Promise<void> {
    const keys = this.#sink?.shownKeys?.();
    if (keys === undefined) return;
    this.error = shownKeysProblem(keys.length);
    if (this.error === undefined) await this.exportRecords(format, keys);
  }

  /** The tab's connection closed: the view is over. */
  connectionLost(): void {
    if (this.running) {
      this.status = 'ended';
      this.error = 'The connection closed; the view stopped.';
    }
  }

  dispose(): void {
    clearInterval(this.#sweeper);
    for (const stop of this.#stops) stop();
    void this.cancel();
  }

  #onBatch(batch: SowBatch): void {
    if (batch.queryId !== this.#queryId) {
      if (this.status === 'starting' && this.#queryId === undefined) this.#early.push({ batch });
      return;
    }
    const change = this.model.apply(batch.upserts, batch.removals);
    if (change !== null) {
      if (change.columnsChanged) {
        this.columns = this.model.columns;
        this.#sink?.columns(this.model.columns);
      }
      this.#sink?.apply(change);
    }
    this.progress = batch.progress;
    this.conflated = batch.conflatedTotal;
    if (this.status === 'starting' || this.status === 'querying' || this.status === 'live') {
      this.status =
        batch.progress.phase === 'querying' ? 'querying' : batch.progress.phase === 'live' ? 'live' : 'done';
    }
    this.#refresh();
  }

  #onEnded(event: SowEndedEvent): void {
    if (event.queryId !== this.#queryId) {
      if (this.status === 'starting' && this.#queryId === undefined) this.#early.push({ ended: event });
      return;
    }
    this.progress = event.progress;
    if (event.reason === 'completed') {
      this.status = 'done';
    } else if (event.reason !== 'cancelled') {
      this.status = event.reason === 'error' || event.reason === 'limit' ? 'error' : 'ended';
      this.error = event.error?.message ?? `The view ended: ${event.reason}`;
    }
  }

  #sweep(): void {
    const gone = this.model.sweep();
    if (gone.length === 0) return;
    this.#sink?.remove(gone);
    this.#refresh();
  }

  #refresh(): void {
    this.counters = { ...this.model.counters, removals: { ...this.model.counters.removals } };
    this.rowCount = this.model.liveCount;
    this.waiting = this.model.waiting;
    this.paused = this.model.paused;
    this.columns = this.model.columns;
  }
}
