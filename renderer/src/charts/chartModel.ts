/**
 * The live chart view's logic without the DOM: places its own subscription, reads a numeric
 * field of every JSON message (optionally one series per value of a key field) and keeps a
 * bounded history for drawing; pausable (the subscription runs on, points are not added).
 */
import type { SubscriptionBatch, SubscriptionMode } from '../../../common/src/dto/subscriptions.js';
import type { ExplorerApi } from '../../../common/src/ipc/contract.js';
import { Model, messageOf } from '../lib/model.js';
import { attachTo } from '../views/reattach.js';
import { keyOf, numberOf, parseFieldPath, valueAt } from './fieldPath.js';
import { SeriesHistory } from './seriesHistory.js';
import type { AlignedColumns } from './seriesHistory.js';

/** Points kept per chart. */
export const CHART_CAPACITY = 2_000;
/** Series (key values) drawn at most. */
export const CHART_MAX_SERIES = 8;

export interface ChartSpec {
  connectionId: string;
  topic: string;
  filter?: string;
  mode: Extract<SubscriptionMode, 'subscribe' | 'sow_and_subscribe'>;
  /** `/price` or `quote.bid`. */
  fieldPath: string;
  /** Splits into one series per value of this field, when set. */
  keyField?: string;
}

export interface ChartSnapshot {
  spec: ChartSpec | undefined;
  subscriptionId: string | undefined;
  running: boolean;
  paused: boolean;
  starting: boolean;
  columns: AlignedColumns;
  names: readonly string[];
  /** Values held across the series. */
  points: number;
  /** Messages without a number at the field path (or not JSON). */
  skipped: number;
  /** Points of series beyond the limit. */
  refused: number;
  error: string | undefined;
}

const EMPTY: AlignedColumns = [[]];

export class ChartModel extends Model<ChartSnapshot> {
  readonly #api: ExplorerApi;
  readonly #stops: (() => void)[];
  #history = new SeriesHistory({ capacity: CHART_CAPACITY, maxSeries: CHART_MAX_SERIES });
  #field: string[] = [];
  #key: string[] | undefined;
  #skipped = 0;

  constructor(api: ExplorerApi) {
    super({
      spec: undefined,
      subscriptionId: undefined,
      running: false,
      paused: false,
      starting: false,
      columns: EMPTY,
      names: [],
      points: 0,
      skipped: 0,
      refused: 0,
      error: undefined,
    });
    this.#api = api;
    this.#stops = [
      api.onSubscriptionBatch((batch) => this.#onBatch(batch)),
      api.onSubscriptionEnded((event) => {
        if (event.subscriptionId !== this.state.subscriptionId) return;
        this.update({
          running: false,
          subscriptionId: undefined,
          ...(event.error === undefined ? {} : { error: `the subscription ended: ${event.error.message}` }),
        });
      }),
    ];
  }

  /** Starts plotting `spec` (stopping a running chart first); a bad field path is refused with why. */
  async start(spec: ChartSpec): Promise<void> {
    let field: string[];
    let key: string[] | undefined;
    try {
      field = parseFieldPath(spec.fieldPath);
      key =
        spec.keyField === undefined || spec.keyField.trim() === ''
          ? undefined
          : parseFieldPath(spec.keyField);
    } catch (error) {
      this.update({ error: messageOf(error) });
      return;
    }
    await this.stop();
    this.#field = field;
    this.#key = key;
    this.#history.clear();
    this.#skipped = 0;
    this.update({
      spec,
      starting: true,
      error: undefined,
      columns: EMPTY,
      names: [],
      points: 0,
      skipped: 0,
      refused: 0,
    });
    try {
      const ref = await this.#api.subscribe({
        connectionId: spec.connectionId,
        topic: spec.topic,
        mode: spec.mode,
        ...(spec.filter === undefined || spec.filter.trim() === '' ? {} : { filter: spec.filter }),
      });
      this.update({ subscriptionId: ref.subscriptionId, running: true, starting: false, paused: false });
    } catch (error) {
      this.update({ starting: false, error: messageOf(error) });
    }
  }

  /**
   * After a page reload: plots the subscription main still runs for this chart (the tab
   * claimed it). The messages main kept of it arrive again, then live ones. False (with the
   * reason shown) when it is gone or the saved field path is bad.
   */
  async adopt(spec: ChartSpec, subscriptionId: string): Promise<boolean> {
    try {
      this.#field = parseFieldPath(spec.fieldPath);
      this.#key =
        spec.keyField === undefined || spec.keyField.trim() === ''
          ? undefined
          : parseFieldPath(spec.keyField);
    } catch (error) {
      this.update({ error: messageOf(error) });
      return false;
    }
    this.#history.clear();
    this.#skipped = 0;
    this.update({ spec, subscriptionId, running: true, starting: true, paused: false, error: undefined });
    const outcome = await attachTo(this.#api, subscriptionId);
    if (this.state.subscriptionId !== subscriptionId) return false;
    if (outcome.kind === 'gone') {
      this.update({
        subscriptionId: undefined,
        running: false,
        starting: false,
        error: `The chart's subscription is no longer running (${outcome.reason}): plot again.`,
      });
      return false;
    }
    this.update({ starting: false });
    return true;
  }

  async stop(): Promise<void> {
    const id = this.state.subscriptionId;
    if (id === undefined) return;
    this.update({ subscriptionId: undefined, running: false });
    try {
      await this.#api.unsubscribe({ subscriptionId: id });
    } catch {
      // already ended in main (connection closed): nothing left to stop
    }
  }

  setPaused(paused: boolean): void {
    this.update({ paused });
  }

  /** Empties the chart (the subscription runs on). */
  clear(): void {
    this.#history.clear();
    this.#skipped = 0;
    this.update({ columns: EMPTY, names: [], points: 0, skipped: 0, refused: 0 });
  }

  dispose(): void {
    for (const stop of this.#stops) stop();
    void this.stop();
  }

  /** Adds the points of one message's text at `atMs` (exposed for tests). */
  add(data: string, atMs: number): boolean {
    let parsed: unknown;
    try {
      parsed = JSON.parse(data);
    } catch {
      this.#skipped++;
      return false;
    }
    const value = numberOf(valueAt(parsed, this.#field));
    if (value === undefined) {
      this.#skipped++;
      return false;
    }
    const name =
      this.#key === undefined ? this.#field.join('/') : (keyOf(valueAt(parsed, this.#key)) ?? '(no key)');
    this.#history.push(atMs, { [name]: value });
    return true;
  }

  #onBatch(batch: SubscriptionBatch): void {
    if (batch.subscriptionId !== this.state.subscriptionId || this.state.paused) return;
    if (batch.messages.length === 0) return;
    for (const m of batch.messages) {
      if (m.command === 'oof') continue;
      this.add(m.data, m.receivedAt);
    }
    this.update({
      columns: this.#history.columns(),
      names: [...this.#history.names],
      points: this.#history.points,
      skipped: this.#skipped,
      refused: this.#history.refused,
    });
  }
}
