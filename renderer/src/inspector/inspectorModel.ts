/**
 * The wire inspector's logic without the DOM: polls `getWireLog` for one connection while the
 * tab is visible, keeps the newest entries (bounded), the counters, and each subscription's
 * data rate over time (from the counters' deltas); filter, pause, clear, sampling and export.
 */
import type { ExportedWireLog, WireCountersDto, WireEntryDto } from '../../../common/src/dto/inspector.js';
import type { ExplorerApi } from '../../../common/src/ipc/contract.js';
import { SeriesHistory } from '../charts/seriesHistory.js';
import type { AlignedColumns } from '../charts/seriesHistory.js';
import { Model, messageOf } from '../lib/model.js';

/** How often the view asks main for news. */
export const INSPECTOR_POLL_MS = 500;
/** Entries the view keeps (main keeps as many). */
export const INSPECTOR_CAPACITY = 2_000;
/** Points of the rate chart (one a poll: a minute at 2 polls a second). */
export const RATE_HISTORY = 120;

export interface InspectorSnapshot {
  connectionId: string | undefined;
  /** Kept entries, oldest first. */
  entries: readonly WireEntryDto[];
  /** The entries the filter lets through, oldest first. */
  visible: readonly WireEntryDto[];
  filter: string;
  counters: WireCountersDto | undefined;
  paused: boolean;
  sampleEvery: number;
  /** Data messages per second per subscription, for the chart. */
  rates: AlignedColumns;
  rateNames: readonly string[];
  error: string | undefined;
}

export interface InspectorTimers {
  setInterval(callback: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
  now(): number;
}

const realTimers: InspectorTimers = {
  setInterval: (cb, ms) => setInterval(cb, ms),
  clearInterval: (h) => clearInterval(h as ReturnType<typeof setInterval>),
  now: () => Date.now(),
};

/** The text of an entry the filter searches (every listed field). */
export function entryText(e: WireEntryDto): string {
  return [
    e.direction,
    e.command,
    e.commandId,
    e.subId,
    e.queryId,
    e.topic,
    e.filter,
    e.options,
    e.ackType,
    e.status,
    e.reason,
  ]
    .filter((v) => v !== undefined && v !== '')
    .join(' ')
    .toLowerCase();
}

/** Entries whose text holds every word of `filter` (case-insensitive). */
export function filterEntries(entries: readonly WireEntryDto[], filter: string): readonly WireEntryDto[] {
  const words = filter
    .toLowerCase()
    .split(/\s+/)
    .filter((w) => w !== '');
  if (words.length === 0) return entries;
  return entries.filter((e) => {
    const text = entryText(e);
    return words.every((w) => text.includes(w));
  });
}

const EMPTY_RATES: AlignedColumns = [[]];

export class InspectorModel extends Model<InspectorSnapshot> {
  readonly #api: ExplorerApi;
  readonly #timers: InspectorTimers;
  #timer: unknown;
  #generation = 0;
  #lastSeq = 0;
  #inFlight = false;
  #history = new SeriesHistory({ capacity: RATE_HISTORY, maxSeries: 8 });
  #previous: { at: number; bySub: Record<string, number> } | undefined;

  constructor(api: ExplorerApi, timers: InspectorTimers = realTimers) {
    super({
      connectionId: undefined,
      entries: [],
      visible: [],
      filter: '',
      counters: undefined,
      paused: false,
      sampleEvery: 0,
      rates: EMPTY_RATES,
      rateNames: [],
      error: undefined,
    });
    this.#api = api;
    this.#timers = timers;
  }

  /** Points the view at a connection (undefined: hidden tab or connection not open). */
  follow(connectionId: string | undefined): void {
    const changed = connectionId !== this.state.connectionId;
    if (!changed && (this.#timer !== undefined) === (connectionId !== undefined && !this.state.paused))
      return;
    this.#stop();
    if (changed) this.#reset(connectionId);
    if (connectionId !== undefined && !this.state.paused) {
      this.#timer = this.#timers.setInterval(() => void this.poll(), INSPECTOR_POLL_MS);
      void this.poll();
    }
  }

  /** Asks main for news once (the timer calls it). */
  async poll(): Promise<void> {
    const connectionId = this.state.connectionId;
    if (connectionId === undefined || this.#inFlight) return;
    const generation = this.#generation;
    this.#inFlight = true;
    try {
      const log = await this.#api.getWireLog({ connectionId, afterSeq: this.#lastSeq });
      if (generation !== this.#generation) return;
      this.#lastSeq = Math.max(this.#lastSeq, log.lastSeq);
      let entries = this.state.entries;
      if (log.entries.length > 0) {
        entries = [...entries, ...log.entries];
        if (entries.length > INSPECTOR_CAPACITY) entries = entries.slice(entries.length - INSPECTOR_CAPACITY);
      }
      this.#recordRates(log.counters.dataBySub);
      this.update({
        entries,
        visible:
          entries === this.state.entries ? this.state.visible : filterEntries(entries, this.state.filter),
        counters: log.counters,
        sampleEvery: log.sampleEvery,
        rates: this.#history.columns(),
        rateNames: [...this.#history.names],
        error: undefined,
      });
    } catch (error) {
      if (generation === this.#generation) this.update({ error: messageOf(error) });
    } finally {
      this.#inFlight = false;
    }
  }

  setFilter(filter: string): void {
    this.update({ filter, visible: filterEntries(this.state.entries, filter) });
  }

  /** Pausing stops asking main; resuming lists what main still holds since the last entry seen. */
  setPaused(paused: boolean): void {
    if (paused === this.state.paused) return;
    this.update({ paused });
    const id = this.state.connectionId;
    this.#stop();
    if (!paused && id !== undefined) {
      this.#timer = this.#timers.setInterval(() => void this.poll(), INSPECTOR_POLL_MS);
      void this.poll();
    }
  }

  /** Empties the list and the chart; entries already seen do not come back. */
  clear(): void {
    this.#history.clear();
    this.#previous = undefined;
    this.update({ entries: [], visible: [], rates: EMPTY_RATES, rateNames: [] });
  }

  async setSampling(sampleEvery: number): Promise<void> {
    const connectionId = this.state.connectionId;
    if (connectionId === undefined) return;
    try {
      await this.#api.setWireSampling({ connectionId, sampleEvery });
      this.update({ sampleEvery, error: undefined });
    } catch (error) {
      this.update({ error: messageOf(error) });
    }
  }

  /** The kept entries as NDJSON from main (the view saves it as a file). */
  async exportLog(): Promise<ExportedWireLog | undefined> {
    const connectionId = this.state.connectionId;
    if (connectionId === undefined) return undefined;
    try {
      return await this.#api.exportWireLog({ connectionId });
    } catch (error) {
      this.update({ error: messageOf(error) });
      return undefined;
    }
  }

  dispose(): void {
    this.#stop();
    this.#generation++;
  }

  #recordRates(bySub: Record<string, number>): void {
    const at = this.#timers.now();
    const previous = this.#previous;
    this.#previous = { at, bySub };
    if (previous === undefined || at <= previous.at) return;
    const seconds = (at - previous.at) / 1000;
    const rates: Record<string, number> = {};
    for (const [sub, n] of Object.entries(bySub)) {
      rates[sub] = Math.max(0, n - (previous.bySub[sub] ?? 0)) / seconds;
    }
    for (const name of this.#history.names) rates[name] ??= 0;
    this.#history.push(at, rates);
  }

  #reset(connectionId: string | undefined): void {
    this.#generation++;
    this.#lastSeq = 0;
    this.#history.clear();
    this.#previous = undefined;
    this.update({
      connectionId,
      entries: [],
      visible: [],
      counters: undefined,
      rates: EMPTY_RATES,
      rateNames: [],
      error: undefined,
    });
  }

  #stop(): void {
    if (this.#timer !== undefined) this.#timers.clearInterval(this.#timer);
    this.#timer = undefined;
  }
}

/** `12:03:04.567` of a time in ms. */
export function clockTime(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** The ids column: cid, sub_id and query_id as AMPS names them. */
export function idsOf(e: WireEntryDto): string {
  return [
    e.commandId === undefined ? '' : `cid=${e.commandId}`,
    e.subId === undefined ? '' : `sub_id=${e.subId}`,
    e.queryId === undefined ? '' : `query_id=${e.queryId}`,
  ]
    .filter((s) => s !== '')
    .join(' ');
}
