/**
 * What the UI benchmark reads from the page: a requestAnimationFrame counter it injects, the
 * stats bar's figures as the user sees them, and the renderer's heap and main-thread time
 * from the DevTools protocol. In-page code is passed as strings: the bench compiles without
 * the DOM library.
 */
import type { CDPSession, Page } from 'playwright-core';

/**
 * The renderer's test ids the bench uses (the same strings as `renderer/src/lib/testids.ts`,
 * which this project cannot import: it is outside the bench's TypeScript project).
 */
export const IDS = {
  connectionInput: 'connection-string-input',
  connect: 'connection-connect',
  status: 'connection-status',
  connectionError: 'connection-error',
  topic: 'subscription-topic',
  subscribe: 'subscription-subscribe',
  unsubscribe: 'subscription-unsubscribe',
  subscriptionError: 'subscription-error',
  rate: 'stats-rate',
  received: 'stats-received',
  delivered: 'stats-delivered',
  dropped: 'stats-dropped',
  sampled: 'stats-sampled',
  viewDropped: 'stats-view-dropped',
  shown: 'stats-shown',
} as const;

/** A CSS selector for one test id. */
export const sel = (id: string): string => `[data-testid="${id}"]`;

/** Frames counted since the last reset. */
export interface FrameWindow {
  frames: number;
  ms: number;
  /** Longest gap between two frames, ms. */
  worstMs: number;
  /** Frames that took longer than 50 ms (a visible stall). */
  longFrames: number;
}

const FRAME_PROBE = `(() => {
  if (globalThis.__uiBenchFrames) return;
  const probe = { frames: 0, start: performance.now(), last: performance.now(), worst: 0, long: 0 };
  globalThis.__uiBenchFrames = probe;
  const tick = (t) => {
    const gap = t - probe.last;
    probe.last = t;
    probe.frames++;
    if (gap > probe.worst) probe.worst = gap;
    if (gap > 50) probe.long++;
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})()`;

/** Installs the frame counter (once per page). */
export async function installFrameProbe(page: Page): Promise<void> {
  await page.evaluate(FRAME_PROBE);
}

/** Restarts the frame window. */
export async function resetFrames(page: Page): Promise<void> {
  await page.evaluate(`(() => {
    const p = globalThis.__uiBenchFrames;
    p.frames = 0; p.worst = 0; p.long = 0; p.start = performance.now(); p.last = p.start;
  })()`);
}

/** Reads the frame window. */
export async function readFrames(page: Page): Promise<FrameWindow> {
  return page.evaluate(`(() => {
    const p = globalThis.__uiBenchFrames;
    return { frames: p.frames, ms: performance.now() - p.start, worstMs: p.worst, longFrames: p.long };
  })()`);
}

/** The stats bar as numbers (thousands separators removed); NaN where an element is missing. */
export interface StatsBar {
  rate: number;
  received: number;
  delivered: number;
  dropped: number;
  /** Of `dropped`: left out by main's display budget (0 while the bar shows none). */
  sampled: number;
  viewDropped: number;
  shown: number;
}

const STATS_KEYS = ['rate', 'received', 'delivered', 'dropped', 'sampled', 'viewDropped', 'shown'] as const;

/** Reads the stats bar's text the way the user sees it. */
export async function readStats(page: Page): Promise<StatsBar> {
  const ids = Object.fromEntries(STATS_KEYS.map((k) => [k, IDS[k]]));
  const text = await page.evaluate(`(() => {
    const ids = ${JSON.stringify(ids)};
    const out = {};
    for (const [k, id] of Object.entries(ids)) {
      const el = document.querySelector('[data-testid="' + id + '"]');
      out[k] = el ? el.textContent : '';
    }
    return out;
  })()`);
  const raw = text as Record<string, string>;
  const num = (s: string | undefined): number => (s ? Number(s.replace(/,/g, '').trim()) : Number.NaN);
  return {
    rate: num(raw['rate']),
    received: num(raw['received']),
    delivered: num(raw['delivered']),
    dropped: num(raw['dropped']),
    sampled: raw['sampled'] ? num(raw['sampled']) : 0,
    viewDropped: num(raw['viewDropped']),
    shown: num(raw['shown']),
  };
}

/** Renderer figures from `Performance.getMetrics`. */
export interface PageMetrics {
  heapUsed: number;
  /** Cumulative main-thread time, seconds: all tasks, script, layout, style recalculation. */
  task: number;
  script: number;
  layout: number;
  style: number;
}

/** Opens a DevTools session with the Performance domain enabled. */
export async function openMetrics(page: Page): Promise<CDPSession> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  return cdp;
}

/** Reads the renderer's heap and cumulative main-thread durations. */
export async function readMetrics(cdp: CDPSession): Promise<PageMetrics> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  const get = (name: string): number => metrics.find((m) => m.name === name)?.value ?? Number.NaN;
  return {
    heapUsed: get('JSHeapUsedSize'),
    task: get('TaskDuration'),
    script: get('ScriptDuration'),
    layout: get('LayoutDuration'),
    style: get('RecalcStyleDuration'),
  };
}

/** Subscription batches seen on the page's WebSocket during a window. */
export interface BatchTrace {
  /** Event frames that carried a subscription batch. */
  batches: number;
  messages: number;
  bytes: number;
  /** Largest batch (messages) and longest gap between two batches (ms). */
  maxBatch: number;
  maxGapMs: number;
  ms: number;
}

/** A recorder of the host's subscription batches as the page receives them (DevTools Network domain). */
export interface BatchRecorder {
  reset(): void;
  read(): BatchTrace;
}

/**
 * Records every WebSocket frame the page receives that carries a subscription batch. Costly
 * (every frame's text crosses the DevTools connection): used only when asked for.
 */
export async function recordBatches(cdp: CDPSession): Promise<BatchRecorder> {
  let trace: BatchTrace = { batches: 0, messages: 0, bytes: 0, maxBatch: 0, maxGapMs: 0, ms: 0 };
  let started = performance.now();
  let lastAt: number | undefined;
  let lastDelivered: number | undefined;
  cdp.on('Network.webSocketFrameReceived', (event) => {
    const text = event.response.payloadData;
    const at = event.timestamp * 1000;
    const mark = text.lastIndexOf('"delivered":');
    if (mark < 0 || !text.includes('"messages":')) return;
    const delivered = Number.parseInt(text.slice(mark + 12), 10);
    const n = lastDelivered === undefined ? 0 : delivered - lastDelivered;
    lastDelivered = delivered;
    trace.batches++;
    trace.messages += n;
    trace.bytes += text.length;
    trace.maxBatch = Math.max(trace.maxBatch, n);
    if (lastAt !== undefined) trace.maxGapMs = Math.max(trace.maxGapMs, at - lastAt);
    lastAt = at;
  });
  await cdp.send('Network.enable');
  return {
    reset() {
      trace = { batches: 0, messages: 0, bytes: 0, maxBatch: 0, maxGapMs: 0, ms: 0 };
      started = performance.now();
      lastAt = undefined;
    },
    read() {
      return { ...trace, ms: performance.now() - started };
    },
  };
}
