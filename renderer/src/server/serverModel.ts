/**
 * The server overview's logic without the DOM: polls `getServerOverview` for one connection
 * while the tab is visible and derives each topic's message rate from successive counts, kept
 * as a bounded history for a small chart.
 */
import type { ServerOverview } from '../../../common/src/dto/inspector.js';
import type { ExplorerApi } from '../../../common/src/ipc/contract.js';
import { SeriesHistory } from '../charts/seriesHistory.js';
import type { AlignedColumns } from '../charts/seriesHistory.js';
import { Model, messageOf } from '../lib/model.js';

export const SERVER_POLL_MS = 2000;
/** Points of the rate chart: five minutes at one poll every two seconds. */
export const SERVER_HISTORY = 150;

export interface ServerSnapshot {
  connectionId: string | undefined;
  overview: ServerOverview | undefined;
  /** Messages per second per topic over the last poll interval. */
  rates: Readonly<Record<string, number>>;
  columns: AlignedColumns;
  names: readonly string[];
  error: string | undefined;
}

export interface ServerTimers {
  setInterval(callback: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

const realTimers: ServerTimers = {
  setInterval: (cb, ms) => setInterval(cb, ms),
  clearInterval: (h) => clearInterval(h as ReturnType<typeof setInterval>),
};

/** `3d 04:05:06` from seconds. */
export function formatUptime(seconds: number | undefined): string {
  if (seconds === undefined) return 'unknown';
  const d = Math.floor(seconds / 86_400);
  const rest = seconds % 86_400;
  const pad = (n: number): string => String(n).padStart(2, '0');
  const hms = `${pad(Math.floor(rest / 3600))}:${pad(Math.floor((rest % 3600) / 60))}:${pad(rest % 60)}`;
  return d > 0 ? `${d}d ${hms}` : hms;
}

export class ServerModel extends Model<ServerSnapshot> {
  readonly #api: ExplorerApi;
  readonly #timers: ServerTimers;
  #timer: unknown;
  #generation = 0;
  #history = new SeriesHistory({ capacity: SERVER_HISTORY, maxSeries: 8 });

  constructor(api: ExplorerApi, timers: ServerTimers = realTimers) {
    super({
      connectionId: undefined,
      overview: undefined,
      rates: {},
      columns: [[]],
      names: [],
      error: undefined,
    });
    this.#api = api;
    this.#timers = timers;
  }

  follow(connectionId: string | undefined): void {
    const changed = connectionId !== this.state.connectionId;
    if (!changed && (this.#timer !== undefined) === (connectionId !== undefined)) return;
    this.#stop();
    if (changed) {
      this.#generation++;
      this.#history.clear();
      this.update({
        connectionId,
        overview: undefined,
        rates: {},
        columns: [[]],
        names: [],
        error: undefined,
      });
    }
    if (connectionId !== undefined) {
      this.#timer = this.#timers.setInterval(() => void this.poll(), SERVER_POLL_MS);
      void this.poll();
    }
  }

  async poll(): Promise<void> {
    const connectionId = this.state.connectionId;
    if (connectionId === undefined) return;
    const generation = this.#generation;
    try {
      const overview = await this.#api.getServerOverview({ connectionId });
      if (generation === this.#generation) this.apply(overview);
    } catch (error) {
      if (generation === this.#generation) this.update({ error: messageOf(error) });
    }
  }

  /** Takes one overview (exposed for tests). */
  apply(overview: ServerOverview): void {
    const previous = this.state.overview;
    const rates: Record<string, number> = {};
    if (previous !== undefined && overview.at > previous.at) {
      const seconds = (overview.at - previous.at) / 1000;
      const before = new Map(previous.topics.map((t) => [t.name, t.messages]));
      for (const t of overview.topics) {
        const was = before.get(t.name);
        if (t.messages === undefined || was === undefined) continue;
        rates[t.name] = Math.max(0, t.messages - was) / seconds;
      }
      // Busiest topics first, so the chart's limited series show them.
      const ordered = Object.fromEntries(Object.entries(rates).sort((a, b) => b[1] - a[1]));
      if (Object.keys(ordered).length > 0) this.#history.push(overview.at, ordered);
    }
    this.update({
      overview,
      rates,
      columns: this.#history.columns(),
      names: [...this.#history.names],
      error: undefined,
    });
  }

  dispose(): void {
    this.#stop();
    this.#generation++;
  }

  #stop(): void {
    if (this.#timer !== undefined) this.#timers.clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
