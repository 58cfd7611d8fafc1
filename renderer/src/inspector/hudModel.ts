/**
 * The performance HUD's logic without the DOM: main's figures (polled once a second while the
 * page is visible), the renderer's frame rate (fed one call per animation frame) and heap, and
 * a warning naming each view whose buffer dropped messages since the HUD started watching it.
 */
import type { PerformanceStats, StreamBufferStats } from '../../../common/src/dto/inspector.js';
import type { ExplorerApi } from '../../../common/src/ipc/contract.js';
import { Model, messageOf } from '../lib/model.js';

export const HUD_POLL_MS = 1000;
/** Polls averaged for the shown message rate. */
const RATE_SAMPLES = 3;

export interface HudSnapshot {
  /** Messages in per second across the app (average of the last polls). */
  messagesInPerSec: number;
  /** Renderer frames per second over the last second (undefined until measured). */
  fps: number | undefined;
  /** Renderer JS heap in MiB (where the browser tells it). */
  heapMiB: number | undefined;
  mainRssMiB: number | undefined;
  dropped: number;
  conflated: number;
  streams: readonly StreamBufferStats[];
  /** Views that dropped messages: one line each, for the warning. */
  dropping: readonly string[];
  error: string | undefined;
}

export interface HudTimers {
  setInterval(callback: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

const realTimers: HudTimers = {
  setInterval: (cb, ms) => setInterval(cb, ms),
  clearInterval: (h) => clearInterval(h as ReturnType<typeof setInterval>),
};

/** "orders (subscription) dropped 120 messages: its buffer of 50,000 was full". */
export function describeDrop(s: StreamBufferStats): string {
  const kind = s.kind === 'sow' ? 'SOW view' : 'subscription';
  return `${s.topic} (${kind}) dropped ${s.dropped.toLocaleString('en-US')} message${s.dropped === 1 ? '' : 's'}: its buffer of ${s.budget.toLocaleString('en-US')} was full`;
}

export class HudModel extends Model<HudSnapshot> {
  readonly #api: ExplorerApi;
  readonly #timers: HudTimers;
  #timer: unknown;
  #inFlight = false;
  #rates: number[] = [];
  #frames = 0;
  #frameWindowStart: number | undefined;

  constructor(api: ExplorerApi, timers: HudTimers = realTimers) {
    super({
      messagesInPerSec: 0,
      fps: undefined,
      heapMiB: undefined,
      mainRssMiB: undefined,
      dropped: 0,
      conflated: 0,
      streams: [],
      dropping: [],
      error: undefined,
    });
    this.#api = api;
    this.#timers = timers;
  }

  /** Polls while `visible` (the page shows), not otherwise. */
  setVisible(visible: boolean): void {
    if (visible === (this.#timer !== undefined)) return;
    if (visible) {
      this.#timer = this.#timers.setInterval(() => void this.poll(), HUD_POLL_MS);
      void this.poll();
    } else {
      this.#timers.clearInterval(this.#timer);
      this.#timer = undefined;
      this.#frameWindowStart = undefined;
    }
  }

  async poll(): Promise<void> {
    if (this.#inFlight) return;
    this.#inFlight = true;
    try {
      this.apply(await this.#api.getPerformance());
    } catch (error) {
      this.update({ error: messageOf(error) });
    } finally {
      this.#inFlight = false;
    }
  }

  /** Takes one answer of main (exposed for tests). */
  apply(stats: PerformanceStats): void {
    this.#rates.push(stats.messagesInPerSec);
    if (this.#rates.length > RATE_SAMPLES) this.#rates.shift();
    const mean = this.#rates.reduce((a, b) => a + b, 0) / this.#rates.length;
    this.update({
      messagesInPerSec: Math.round(mean * 10) / 10,
      mainRssMiB: stats.mainRssMiB,
      dropped: stats.dropped,
      conflated: stats.conflated,
      streams: stats.perSubscription,
      dropping: stats.perSubscription.filter((s) => s.dropped > 0).map(describeDrop),
      error: undefined,
    });
  }

  /** One animation frame at `now` (ms); the rate is published once a second. */
  frame(now: number): void {
    if (this.#frameWindowStart === undefined) {
      this.#frameWindowStart = now;
      this.#frames = 0;
      return;
    }
    this.#frames++;
    const elapsed = now - this.#frameWindowStart;
    if (elapsed >= 1000) {
      this.update({ fps: Math.round((this.#frames * 1000) / elapsed) });
      this.#frameWindowStart = now;
      this.#frames = 0;
    }
  }

  /** The renderer's heap in bytes, when known. */
  heap(bytes: number | undefined): void {
    const mib = bytes === undefined ? undefined : Math.round((bytes / (1024 * 1024)) * 10) / 10;
    if (mib !== this.state.heapMiB) this.update({ heapMiB: mib });
  }

  dispose(): void {
    this.setVisible(false);
  }
}
