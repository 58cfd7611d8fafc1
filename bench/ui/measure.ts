/**
 * One measurement phase of the UI benchmark: the idle baseline, or one publish rate with the
 * page and the host sampled every 500 ms while the publisher runs, then a wait for the
 * pipeline to drain so the final dropped counts are complete.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { CDPSession, Page } from 'playwright-core';
import { cpuMs, rssBytes, treeCpuMs } from './host.js';
import type { RatePublisher } from './publisher.js';
import type { RendererTracer, TraceShare } from './rendererTrace.js';
import { readFrames, readMetrics, readStats, resetFrames } from './page.js';
import type { BatchRecorder, BatchTrace, PageMetrics } from './page.js';

/** What a phase needs. */
export interface PhaseContext {
  page: Page;
  cdp: CDPSession;
  hostPid: number;
  /** Chromium's browser process (its descendants are the renderer, GPU and utility processes). */
  browserPid: number | undefined;
  publisher: RatePublisher;
  /** When set, the host's batches are traced on the page's WebSocket. */
  batches?: BatchRecorder;
  /** When set, each rate phase is traced and the renderer main thread's time broken down. */
  tracer?: RendererTracer;
}

/** CPU use over a phase, in cores (1 = one core busy for the whole phase). */
export interface CpuShares {
  /** This process: the in-process sandbox, the publisher and the Playwright driver. */
  bench: number;
  host: number;
  chromium: number;
}

interface CpuMark {
  bench: number;
  host: number;
  chromium: number;
  at: number;
}

function cpuMark(ctx: PhaseContext): CpuMark {
  const own = process.cpuUsage();
  return {
    bench: (own.user + own.system) / 1000,
    host: cpuMs(ctx.hostPid) ?? Number.NaN,
    chromium: ctx.browserPid === undefined ? Number.NaN : treeCpuMs(ctx.browserPid),
    at: performance.now(),
  };
}

function cpuShares(a: CpuMark, b: CpuMark): CpuShares {
  const wall = b.at - a.at;
  return {
    bench: (b.bench - a.bench) / wall,
    host: (b.host - a.host) / wall,
    chromium: (b.chromium - a.chromium) / wall,
  };
}

/** Renderer main-thread time over a phase as a share of wall time. */
export interface PageBusy {
  task: number;
  script: number;
  layout: number;
  style: number;
}

/** The idle baseline. */
export interface IdleFigures {
  fps: number;
  worstMs: number;
  heapUsed: number;
  hostRss: number | undefined;
  busy: PageBusy;
  cpu: CpuShares;
}

/** Figures of one rate. */
export interface RateFigures {
  target: number;
  achieved: number;
  /** Mean of the stats bar's msg/s once its 2 s window is full. */
  uiRate: number;
  deliveredPerSec: number;
  receivedPerSec: number;
  fps: number;
  worstMs: number;
  longFrames: number;
  heapPeak: number;
  heapAfterGc: number;
  hostRssPeak: number | undefined;
  hostRssEnd: number | undefined;
  /** Increase of the main process's and the list's dropped counts over the phase (after draining). */
  dropped: number;
  /** Of `dropped`: left out by main's display budget (the page was shown a sample). */
  sampled: number;
  viewDropped: number;
  /** Time from the end of publishing until the page's counts stopped moving; undefined if over 10 s. */
  drainMs: number | undefined;
  busy: PageBusy;
  cpu: CpuShares;
  /** Publisher ticks that ran more than 5 ms late. */
  lateTicks: number;
  /** Longest time the page took to answer one read of its stats bar (its responsiveness). */
  probeMaxMs: number;
  /** Longest event-loop delay of the bench process itself during the phase (ms): when it is
   * close to `probeMaxMs`, slow page replies were the bench's own loop, not the page. */
  benchLagMaxMs: number;
  /** Stats bar rate samples behind `uiRate`. */
  uiSamples: number;
  /** The host's batches as the page received them (only when traced). */
  batches?: BatchTrace;
  /** The renderer main thread's self time by trace event (only when traced). */
  renderer?: TraceShare[];
}

const SAMPLE_MS = 500;
const DRAIN_LIMIT_MS = 10_000;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const maxOf = (a: number | undefined, b: number | undefined): number | undefined =>
  a === undefined ? b : b === undefined ? a : Math.max(a, b);

function busyOf(a: PageMetrics, b: PageMetrics, wallMs: number): PageBusy {
  const share = (key: keyof PageBusy): number => ((b[key] - a[key]) * 1000) / wallMs;
  return { task: share('task'), script: share('script'), layout: share('layout'), style: share('style') };
}

/** Frames per second of the subscribed page with no traffic, over `ms`. */
export async function measureIdle(ctx: PhaseContext, ms: number): Promise<IdleFigures> {
  await sleep(500);
  const metrics0 = await readMetrics(ctx.cdp);
  const cpu0 = cpuMark(ctx);
  await resetFrames(ctx.page);
  await sleep(ms);
  const frames = await readFrames(ctx.page);
  const metrics = await readMetrics(ctx.cdp);
  const cpu1 = cpuMark(ctx);
  return {
    busy: busyOf(metrics0, metrics, cpu1.at - cpu0.at),
    cpu: cpuShares(cpu0, cpu1),
    fps: (frames.frames * 1000) / frames.ms,
    worstMs: frames.worstMs,
    heapUsed: metrics.heapUsed,
    hostRss: rssBytes(ctx.hostPid),
  };
}

/** Waits until the page's received and delivered counts stop changing for 1 s. */
async function drain(page: Page): Promise<number | undefined> {
  const started = performance.now();
  let last = await readStats(page);
  let stableSince = performance.now();
  while (performance.now() - started < DRAIN_LIMIT_MS) {
    await sleep(250);
    const now = await readStats(page);
    if (
      now.received !== last.received ||
      now.delivered !== last.delivered ||
      now.viewDropped !== last.viewDropped
    ) {
      last = now;
      stableSince = performance.now();
    } else if (performance.now() - stableSince >= 1_000) {
      return stableSince - started;
    }
  }
  return undefined;
}

/** Publishes at `rate` for `ms` while sampling the page and the host. */
export async function measureRate(ctx: PhaseContext, rate: number, ms: number): Promise<RateFigures> {
  const { page, cdp, hostPid } = ctx;
  const stats0 = await readStats(page);
  const metrics0 = await readMetrics(cdp);
  const cpu0 = cpuMark(ctx);
  await resetFrames(page);
  ctx.batches?.reset();
  await ctx.tracer?.start();
  const started = performance.now();
  let publishing = true;
  let heapPeak = metrics0.heapUsed;
  let hostRssPeak = rssBytes(hostPid);
  const uiRates: number[] = [];
  let probeMaxMs = 0;
  const lag = monitorEventLoopDelay({ resolution: 20 });
  lag.enable();
  // The host's memory is read from /proc on its own timer: page reads can stall under load.
  const rssTimer = setInterval(() => (hostRssPeak = maxOf(hostRssPeak, rssBytes(hostPid))), SAMPLE_MS / 2);
  const sampler = (async () => {
    while (publishing) {
      await sleep(SAMPLE_MS);
      const asked = performance.now();
      const [stats, metrics] = await Promise.all([readStats(page), readMetrics(cdp)]);
      probeMaxMs = Math.max(probeMaxMs, performance.now() - asked);
      heapPeak = Math.max(heapPeak, metrics.heapUsed);
      // Samples taken once the meter's 2 s window is full, and answered while still publishing: a
      // read answered after the stream stopped shows a decaying rate (it made the stats bar look
      // like it read about half the delivered rate when the page answered slowly).
      if (publishing && performance.now() - started >= 2_000 && Number.isFinite(stats.rate))
        uiRates.push(stats.rate);
    }
  })();
  let published;
  try {
    published = await ctx.publisher.run(rate, ms);
  } finally {
    publishing = false;
    clearInterval(rssTimer);
    await sampler;
  }
  lag.disable();
  const frames = await readFrames(page);
  const batches = ctx.batches?.read();
  const stats1 = await readStats(page);
  const metrics1 = await readMetrics(cdp);
  const cpu1 = cpuMark(ctx);
  const wallMs = performance.now() - started;
  const renderer = await ctx.tracer?.stop();
  const drainMs = await drain(page);
  const stats2 = await readStats(page);
  hostRssPeak = maxOf(hostRssPeak, rssBytes(hostPid));
  const hostRssEnd = rssBytes(hostPid);
  await cdp.send('HeapProfiler.collectGarbage');
  const heapAfterGc = (await readMetrics(cdp)).heapUsed;
  const perSec = (n: number): number => (n * 1000) / wallMs;
  return {
    target: rate,
    achieved: published.achieved,
    uiRate: uiRates.length > 0 ? uiRates.reduce((a, b) => a + b, 0) / uiRates.length : Number.NaN,
    deliveredPerSec: perSec(stats1.delivered - stats0.delivered),
    receivedPerSec: perSec(stats1.received - stats0.received),
    fps: (frames.frames * 1000) / frames.ms,
    worstMs: frames.worstMs,
    longFrames: frames.longFrames,
    heapPeak,
    heapAfterGc,
    hostRssPeak,
    hostRssEnd,
    dropped: stats2.dropped - stats0.dropped,
    sampled: stats2.sampled - stats0.sampled,
    viewDropped: stats2.viewDropped - stats0.viewDropped,
    drainMs,
    busy: busyOf(metrics0, metrics1, cpu1.at - cpu0.at),
    cpu: cpuShares(cpu0, cpu1),
    lateTicks: published.lateTicks,
    probeMaxMs,
    benchLagMaxMs: lag.max / 1e6,
    uiSamples: uiRates.length,
    ...(batches === undefined ? {} : { batches }),
    ...(renderer === undefined ? {} : { renderer }),
  };
}
