/**
 * Where the renderer's main thread spends its time, from a Chromium trace (devtools.timeline
 * categories): self CPU time (the events' thread time, so time the thread spent descheduled on
 * a busy machine is not counted) per trace event name on the page's main thread
 * (CrRendererMain), as a share of the traced wall time. Used by the UI benchmark when UI_BENCH_TRACE_RENDERER=1.
 */
import type { Browser, Page } from 'playwright-core';

/** One line of the breakdown. */
export interface TraceShare {
  name: string;
  /** Self thread time / traced wall time. */
  share: number;
}

/** Starts and stops a trace of one page. */
export interface RendererTracer {
  start(): Promise<void>;
  /** Stops tracing and returns the `top` event names by self time. */
  stop(top?: number): Promise<TraceShare[]>;
}

interface TraceEvent {
  name?: string;
  ph?: string;
  pid?: number;
  tid?: number;
  ts?: number;
  dur?: number;
  /** Thread (CPU) time of the event, where the trace has it. */
  tdur?: number;
  args?: { name?: string };
}

const CATEGORIES = [
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'v8.execute',
  'blink.user_timing',
];

/** Self thread time per event name over complete ('X') events of one thread (nesting by wall time). */
export function selfTimes(events: readonly TraceEvent[]): { byName: Map<string, number>; spanUs: number } {
  const sorted = events
    .filter((e) => e.ph === 'X' && e.ts !== undefined && e.dur !== undefined)
    .sort((a, b) => (a.ts ?? 0) - (b.ts ?? 0) || (b.dur ?? 0) - (a.dur ?? 0));
  const byName = new Map<string, number>();
  const stack: { end: number; name: string }[] = [];
  let first = Number.POSITIVE_INFINITY;
  let last = 0;
  for (const e of sorted) {
    const ts = e.ts ?? 0;
    const dur = e.dur ?? 0;
    const cpu = e.tdur ?? dur;
    first = Math.min(first, ts);
    last = Math.max(last, ts + dur);
    while (stack.length > 0 && (stack[stack.length - 1]?.end ?? 0) <= ts) stack.pop();
    const parent = stack[stack.length - 1];
    // A child's time is the parent's time too: take it out of the parent's self time.
    if (parent !== undefined) byName.set(parent.name, (byName.get(parent.name) ?? 0) - cpu);
    const name = e.name ?? '?';
    byName.set(name, (byName.get(name) ?? 0) + cpu);
    stack.push({ end: ts + dur, name });
  }
  return { byName, spanUs: last > first ? last - first : 0 };
}

/** A tracer for `page` (Chromium only). */
export function rendererTracer(browser: Browser, page: Page): RendererTracer {
  let startedAt = 0;
  return {
    async start() {
      startedAt = performance.now();
      await browser.startTracing(page, { categories: CATEGORIES });
    },
    async stop(top = 8) {
      const wallUs = (performance.now() - startedAt) * 1000;
      const data = JSON.parse((await browser.stopTracing()).toString('utf8')) as
        { traceEvents?: TraceEvent[] } | TraceEvent[];
      const events = Array.isArray(data) ? data : (data.traceEvents ?? []);
      // The page's main thread: the CrRendererMain thread with the most events.
      const mains = new Set(
        events
          .filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
          .map((e) => `${e.pid}:${e.tid}`),
      );
      const perThread = new Map<string, TraceEvent[]>();
      for (const e of events) {
        const key = `${e.pid}:${e.tid}`;
        if (!mains.has(key)) continue;
        const list = perThread.get(key) ?? [];
        list.push(e);
        perThread.set(key, list);
      }
      const main = [...perThread.values()].sort((a, b) => b.length - a.length)[0] ?? [];
      const { byName } = selfTimes(main);
      return [...byName]
        .filter(([, us]) => us > 0)
        .sort((a, b) => b[1] - a[1])
        .slice(0, top)
        .map(([name, us]) => ({ name, share: us / wallUs }));
    },
  };
}
