/**
 * The HA view's logic without the DOM: polls `getHaStatus` for one connection, keeps the last
 * status, and offers "Simulate failover" and "Reconnect now". Also the texts the view shows
 * (timeline entries, the countdown to the next attempt, the delay strategy).
 */
import type { HaStatus, HaTimelineEvent, ReconnectDelaySettings } from '../../../common/src/dto/ha.js';
import type { ExplorerApi } from '../../../common/src/ipc/contract.js';
import { Model, messageOf } from '../lib/model.js';

/** How often the view asks main for the status. */
export const HA_POLL_MS = 1000;

/** What the HA view shows. */
export interface HaViewSnapshot {
  connectionId: string | undefined;
  status: HaStatus | undefined;
  /** The last poll failed: why. */
  error: string | undefined;
  /** The last action failed: why (kept until the next action). */
  actionError: string | undefined;
  /** An action (simulate, reconnect) is running. */
  busy: boolean;
  /** What the last action did, for the user. */
  notice: string | undefined;
}

/** Timers, injectable for tests. */
export interface HaTimers {
  setInterval(callback: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

const realTimers: HaTimers = {
  setInterval: (cb, ms) => setInterval(cb, ms),
  clearInterval: (h) => clearInterval(h as ReturnType<typeof setInterval>),
};

/** Polls the HA status of the connection it is pointed at. */
export class HaViewModel extends Model<HaViewSnapshot> {
  readonly #api: ExplorerApi;
  readonly #timers: HaTimers;
  #timer: unknown;
  #generation = 0;

  constructor(api: ExplorerApi, timers: HaTimers = realTimers) {
    super({
      connectionId: undefined,
      status: undefined,
      error: undefined,
      actionError: undefined,
      busy: false,
      notice: undefined,
    });
    this.#api = api;
    this.#timers = timers;
  }

  /** Points the view at a connection (undefined: its connection is not open) and polls it. */
  follow(connectionId: string | undefined): void {
    if (connectionId === this.state.connectionId && this.#timer !== undefined) return;
    this.#stopTimer();
    this.#generation++;
    this.update({ connectionId, error: undefined, actionError: undefined, notice: undefined });
    if (connectionId === undefined) return;
    void this.refresh();
    this.#timer = this.#timers.setInterval(() => void this.refresh(), HA_POLL_MS);
  }

  /** Asks for the status now. */
  async refresh(): Promise<void> {
    const connectionId = this.state.connectionId;
    if (connectionId === undefined) return;
    const generation = this.#generation;
    try {
      const status = await this.#api.getHaStatus({ connectionId });
      if (generation === this.#generation) this.update({ status, error: undefined });
    } catch (error) {
      if (generation === this.#generation)
        this.update({ error: `Could not read the HA status: ${messageOf(error)}` });
    }
  }

  /** Drops the current server's transport, so the connection fails over. */
  simulateFailover(): Promise<void> {
    return this.#act('simulateFailover', 'Dropped the current server: watch the failover below.');
  }

  /** Skips the delay strategy's wait. */
  reconnectNow(): Promise<void> {
    return this.#act('reconnectConnection', 'Reconnecting now.');
  }

  dispose(): void {
    this.#stopTimer();
    this.#generation++;
  }

  async #act(what: 'simulateFailover' | 'reconnectConnection', done: string): Promise<void> {
    const connectionId = this.state.connectionId;
    if (connectionId === undefined) return;
    this.update({ busy: true, notice: undefined, actionError: undefined });
    try {
      await this.#api[what]({ connectionId });
      this.update({ busy: false, notice: done });
    } catch (error) {
      const action = what === 'simulateFailover' ? 'Simulate failover' : 'Reconnect now';
      this.update({ busy: false, actionError: `${action} failed: ${messageOf(error)}` });
    }
    await this.refresh();
  }

  #stopTimer(): void {
    if (this.#timer !== undefined) this.#timers.clearInterval(this.#timer);
    this.#timer = undefined;
  }
}

/** "in 2.4 s" until `at`, "now" when due; undefined when nothing is scheduled. */
export function countdown(at: number | undefined, now: number): string | undefined {
  if (at === undefined) return undefined;
  const left = at - now;
  if (left <= 0) return 'now';
  return left < 10_000 ? `in ${(left / 1000).toFixed(1)} s` : `in ${Math.ceil(left / 1000)} s`;
}

/** The delay strategy in words. */
export function describeDelay(delay: ReconnectDelaySettings): string {
  return delay.kind === 'fixed'
    ? `fixed ${delay.delayMs} ms`
    : `exponential from ${delay.initialMs} ms to ${delay.maxMs} ms, ×${delay.backoff}, jitter ${delay.jitter}× initial`;
}

const server = (e: HaTimelineEvent): string =>
  e.serverIndex === undefined ? '' : `server ${e.serverIndex + 1}`;

/** One timeline entry in words ("failed over to server 2"). */
export function describeEvent(e: HaTimelineEvent): string {
  const err = e.error === undefined ? '' : `: ${e.error.message}`;
  const attempt = e.attempt === undefined ? '' : ` (attempt ${e.attempt})`;
  switch (e.kind) {
    case 'connecting':
      return `connecting to ${server(e) || 'the server'}${attempt}`;
    case 'loggedOn':
      return `logged on to ${server(e) || 'the server'}`;
    case 'disconnected':
      return `disconnected from ${server(e) || 'the server'}${err}`;
    case 'reconnecting':
      return `reconnecting${attempt}`;
    case 'retryScheduled':
      return `next attempt${e.retryInMs === undefined ? '' : ` in ${e.retryInMs} ms`}${e.serverIndex === undefined ? '' : ` on ${server(e)}`}${attempt}`;
    case 'attemptFailed':
      return `attempt on ${server(e) || 'the server'} failed${err}`;
    case 'failedOver':
      return `failed over to ${server(e) || 'the next server'}`;
    case 'resubscribed':
      return `resubscribed on ${server(e) || 'the server'}`;
    case 'heartbeatMissed':
      return `heartbeat missed on ${server(e) || 'the server'}`;
    case 'reconnectNow':
      return 'reconnect now (asked by the user)';
    case 'simulatedFailover':
      return `simulated failover: dropped ${server(e) || 'the current server'}`;
    case 'closed':
      return 'closed';
    case 'failed':
      return `gave up${err}`;
  }
}

/** A time of day with milliseconds, in local time ("14:03:07.123"). */
export function timeOfDay(at: number): string {
  const d = new Date(at);
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}
