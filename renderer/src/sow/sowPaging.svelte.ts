/**
 * Paging of a SOW view (no DOM): decides from the server's count whether a query is paged,
 * opens the window in main (kept by the server or held by the app, as the toolbar says),
 * moves it as the visible rows move, and takes the live window's changes. The paged grid
 * renders {@link SowPagingController.rows}.
 */
import { SOW_HELD_MAX_RECORDS } from '../../../common/src/dto/sow.js';
import type { SowPagedBy, SowPageWindow, SowQuerySpec } from '../../../common/src/dto/sow.js';
import type { ExplorerApi } from '../../../common/src/ipc/contract.js';
import type { SowColumn } from './sowColumns.js';
import { PAGING_THRESHOLD, shouldPage, SowPagingModel } from './sowPagingModel.js';
import type { PagedRow } from './sowPagingModel.js';

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** Paging of one SOW view. */
export class SowPagingController {
  /** Page big results (on by default); off loads every record, as far as main's limits allow. */
  enabled = $state(true);
  /**
   * Who keeps a paged view's order: the server (a paginated subscription per window) or the
   * app (main holds every record of one plain subscription; moving the window asks nothing of
   * the server).
   */
  heldBy = $state<SowPagedBy>('server');
  /** App-held views: publishes and oofs main applied to the records it holds. */
  updates = $state(0);
  /** App-held views: true while the query part is still arriving (the total grows). */
  loading = $state(false);
  /** Who keeps the open view's order. */
  activeHeldBy = $state<SowPagedBy>('server');
  /** The open view's query in main when the app holds its records (it can be exported). */
  heldQueryId = $state<string | undefined>(undefined);
  /** True while the view is paged (the paged grid replaces the loaded one). */
  active = $state(false);
  total = $state(0);
  skipN = $state(0);
  live = $state(false);
  rows = $state.raw<readonly PagedRow[]>([]);
  columns = $state.raw<readonly SowColumn[]>([]);
  error = $state<string | undefined>(undefined);

  readonly model: SowPagingModel;
  readonly threshold: number;
  readonly #api: ExplorerApi;
  readonly #stop: () => void;
  /** Grows with every open, so a late answer of an older one is dropped. */
  #opening = 0;

  constructor(api: ExplorerApi, options: { threshold?: number; pageRows?: number } = {}) {
    this.#api = api;
    this.threshold = options.threshold ?? PAGING_THRESHOLD;
    this.model = new SowPagingModel(options.pageRows);
    this.#stop = api.onSowPage((w) => {
      if (w.queryId === this.model.queryId) this.#take(w);
    });
  }

  /**
   * Pages the query when the server counts more records than the threshold: opens the first
   * window and returns true; false when the query should be loaded whole (a top_n or skip_n
   * of the user's own, an as-of bookmark, an aggregation, a small result, or a count the
   * server would not give).
   */
  async tryPage(spec: SowQuerySpec): Promise<boolean> {
    await this.close();
    if (!this.enabled) return false;
    if (spec.topN !== undefined || spec.skipN !== undefined || spec.bookmark !== undefined) return false;
    // An aggregated query returns one record per group: the server sheds the load already.
    if (spec.grouping !== undefined) return false;
    const opening = ++this.#opening;
    let count: number;
    try {
      const counted = await this.#api.sowCount({
        connectionId: spec.connectionId,
        topic: spec.topic,
        ...(spec.filter === undefined ? {} : { filter: spec.filter }),
      });
      count = counted.count;
    } catch {
      // Not a SOW topic, a refused filter…: the whole query reports it in its own words.
      return false;
    }
    if (!shouldPage(count, this.threshold) || opening !== this.#opening) return false;
    const heldBy = this.heldBy;
    if (heldBy === 'app' && count > SOW_HELD_MAX_RECORDS) {
      throw new Error(
        `${count.toLocaleString('en-US')} records: the app holds at most ${SOW_HELD_MAX_RECORDS.toLocaleString('en-US')} in one view; page this query by the server, or narrow its filter`,
      );
    }
    const window = await this.#api.sowPageOpen({ spec, skipN: 0, topN: this.model.pageRows, heldBy });
    if (opening !== this.#opening) {
      await this.#api.sowPageClose({ queryId: window.queryId }).catch(() => undefined);
      return false;
    }
    this.model.clear();
    this.active = true;
    this.activeHeldBy = heldBy;
    this.heldQueryId = heldBy === 'app' ? window.queryId : undefined;
    this.error = undefined;
    this.#take(window);
    return true;
  }

  /** The rows `first`..`last` are visible: moves the window when they are not all held. */
  async show(first: number, last: number): Promise<void> {
    const queryId = this.model.queryId;
    if (!this.active || queryId === undefined) return;
    const wanted = this.model.wanted(first, last);
    if (wanted === undefined) return;
    try {
      this.#take(await this.#api.sowPage({ queryId, ...wanted }));
    } catch (e) {
      this.model.forget();
      if (this.model.queryId === queryId) this.error = messageOf(e);
    }
  }

  /** Ends the paged view (its subscription in main too). */
  async close(): Promise<void> {
    this.#opening++;
    const queryId = this.model.queryId;
    this.model.clear();
    this.active = false;
    this.rows = [];
    this.total = 0;
    this.live = false;
    this.updates = 0;
    this.loading = false;
    this.heldQueryId = undefined;
    if (queryId === undefined) return;
    try {
      await this.#api.sowPageClose({ queryId });
    } catch {
      // Already gone in main (connection closed, window reloaded).
    }
  }

  dispose(): void {
    this.#stop();
    void this.close();
  }

  #take(window: SowPageWindow): void {
    if (!this.model.accept(window)) return;
    this.rows = this.model.rows;
    this.columns = this.model.columns;
    this.total = this.model.total;
    this.skipN = this.model.skipN;
    this.live = this.model.live;
    this.updates = window.updates ?? 0;
    this.loading = window.loading === true;
    if (window.error !== undefined) this.error = window.error;
  }

  /** The toolbar's paging choice: by the server, in the app, or off (load whole). */
  get choice(): SowPagedBy | 'off' {
    return this.enabled ? this.heldBy : 'off';
  }
  set choice(value: SowPagedBy | 'off') {
    this.enabled = value !== 'off';
    if (value !== 'off') this.heldBy = value;
  }
}
