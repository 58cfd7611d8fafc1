/**
 * The grid bench's live phase (bench/grid.ts), once per grid engine of the SOW view (its
 * "Grid engine" select: ag-grid, perspective): a live view of the live topic loaded whole,
 * sorted by /price, then keyed updates published at paced rates; frames per second at each
 * rate beside the idle fps of the same page, the rate reached and what main conflated.
 */
import type { CDPSession, Page } from 'playwright-core';
import { startCpuProfile } from './gridProfile.js';
import { readFrames, resetFrames } from './ui/page.js';

/** The SOW view's grid engines, as its "Grid engine" select names them. */
export type GridEngine = 'ag-grid' | 'perspective';

/** Offered rates; the 50 k phase flows a little under 50 k (its last tick), so 60 k and 75 k tell whether 50 k is held. */
export const RATES = [10_000, 25_000, 50_000, 60_000, 75_000, 100_000];
export const PHASE_MS = 4_000;

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The page's frames with no traffic: 1.5 s to settle, then 2 s counted; fps and the worst frame. */
export async function idleBaseline(page: Page): Promise<{ fps: number; worstMs: number }> {
  await sleep(1500);
  await resetFrames(page);
  await sleep(2000);
  const idle = await readFrames(page);
  return { fps: (idle.frames * 1000) / idle.ms, worstMs: idle.worstMs };
}

/** Runs the view's query in `mode`; resolves when the status and row count say it is all in. */
async function runQuery(
  page: Page,
  topic: string,
  mode: 'Query' | 'Live',
  rows: number,
  timeoutMs: number,
): Promise<number> {
  const panel = page.getByRole('tabpanel');
  await panel.getByRole('radio', { name: mode, exact: true }).check();
  await panel.getByLabel('Topic', { exact: true }).fill(topic);
  const want = `${rows.toLocaleString('en-US')} rows`;
  const wantStatus = mode === 'Query' ? 'Complete' : 'Live';
  const t0 = performance.now();
  await panel.getByRole('button', { name: 'Run query', exact: true }).click();
  const until = Date.now() + timeoutMs;
  for (;;) {
    const status = (await panel.getByLabel('Query status', { exact: true }).textContent())?.trim();
    const shown = (await panel.getByLabel('Rows', { exact: true }).textContent())?.trim();
    if (status === wantStatus && shown === want) return performance.now() - t0;
    if (page.isClosed()) throw new Error(`the page closed while loading ${want}`);
    if (Date.now() > until)
      throw new Error(`the view did not show ${want} within ${timeoutMs} ms (${status ?? '?'})`);
    await sleep(100);
  }
}

/** Publishes keyed updates at `rate` per second for `ms`; resolves with the rate taken. */
export type UpdatePublisher = (rate: number, ms: number) => Promise<number>;

const labelNumber = async (page: Page, label: string): Promise<number> => {
  const text = await page.getByRole('tabpanel').getByLabel(label, { exact: true }).textContent();
  return Number((text ?? '').replace(/[^\d]/g, ''));
};

/** One paced rate of the live phase. */
export interface RatePhase {
  target: number;
  achieved: number;
  fps: number;
  worstMs: number;
  updatesShown: number;
  conflated: number;
}

/** What the live phase measured for one engine. */
export interface LiveResult {
  engine: GridEngine;
  idleFps: number;
  phases: RatePhase[];
  /** The highest rate kept at >= 50 fps, or null. */
  updatesPerSecAt50fps: number | null;
}

/** Waits until the engine's grid shows `rows` rows (perspective fills its table in its worker). */
async function gridFilled(page: Page, engine: GridEngine, rows: number, timeoutMs: number): Promise<void> {
  if (engine === 'ag-grid') return;
  const panel = page.getByRole('tabpanel');
  const want = `perspective engine: ${rows.toLocaleString('en-US')} rows`;
  const until = Date.now() + timeoutMs;
  for (;;) {
    const shown = await panel.getByRole('status').allTextContents();
    if (shown.some((t) => t.includes(want))) return;
    const alerts = await panel.getByRole('alert').allTextContents();
    if (alerts.length > 0 || Date.now() > until)
      throw new Error(`the ${engine} grid did not show ${want}: ${[...shown, ...alerts].join(' | ')}`);
    await sleep(200);
  }
}

/** The live phase with `engine`: loads `records` whole, sorts by /price, then the paced rates. */
export async function measureLive(
  page: Page,
  cdp: CDPSession,
  publish: UpdatePublisher,
  engine: GridEngine,
  records: number,
  timeoutMs: number,
  lines: string[],
): Promise<LiveResult> {
  const profileRate = Number(process.env['GRID_BENCH_CPU_PROFILE'] ?? NaN);
  const panel = page.getByRole('tabpanel');
  await panel.getByLabel('Grid engine', { exact: true }).selectOption(engine);
  const t0 = performance.now();
  const loadedMs = await runQuery(page, 'grid_live', 'Live', records, timeoutMs);
  await gridFilled(page, engine, records, Math.min(timeoutMs, 120_000));
  lines.push(
    `  [${engine}] live view of ${records.toLocaleString('en-US')} records: all in the view ${loadedMs.toFixed(0)} ms, in the grid ${(performance.now() - t0).toFixed(0)} ms`,
  );
  await panel.getByRole('columnheader', { name: '/price', exact: true }).click();
  const idle = await idleBaseline(page);
  const idleFps = idle.fps;
  lines.push(
    `  [${engine}] idle baseline (live, sorted by /price, no traffic): ${idleFps.toFixed(1)} fps, worst frame ${idle.worstMs.toFixed(0)} ms`,
    '  target/s  flowed/s    fps  worst ms  updates shown  conflated in main   (flowed = updates the sandbox took per s of the phase)',
  );
  const phases: RatePhase[] = [];
  for (const target of RATES) {
    const updatesBefore = await labelNumber(page, 'Updates');
    const conflatedBefore = await labelNumber(page, 'Conflated');
    await resetFrames(page);
    const stopProfile = target === profileRate ? await startCpuProfile(cdp) : undefined;
    const achieved = await publish(target, PHASE_MS);
    const frames = await readFrames(page);
    if (stopProfile !== undefined)
      lines.push(`  CPU profile at ${target}/s, self time:`, ...(await stopProfile()));
    await sleep(1000);
    const phase: RatePhase = {
      target,
      achieved,
      fps: (frames.frames * 1000) / frames.ms,
      worstMs: frames.worstMs,
      updatesShown: (await labelNumber(page, 'Updates')) - updatesBefore,
      conflated: (await labelNumber(page, 'Conflated')) - conflatedBefore,
    };
    phases.push(phase);
    lines.push(
      `  ${String(target).padStart(8)}  ${achieved.toFixed(0).padStart(10)}  ${phase.fps.toFixed(1).padStart(5)}  ${phase.worstMs.toFixed(0).padStart(8)}  ${String(phase.updatesShown).padStart(13)}  ${String(phase.conflated).padStart(17)}`,
    );
  }
  const kept = phases.filter((p) => p.fps >= 50);
  const updatesPerSecAt50fps =
    kept.length === 0 ? null : Math.round(Math.max(...kept.map((p) => p.achieved)));
  return { engine, idleFps, phases, updatesPerSecAt50fps };
}

/** The engine whose highest rate at >= 50 fps is higher (then the higher mean fps over the rates). */
export function betterEngine(results: readonly LiveResult[]): LiveResult | undefined {
  const meanFps = (r: LiveResult): number =>
    r.phases.reduce((s, p) => s + p.fps, 0) / Math.max(1, r.phases.length);
  return [...results].sort(
    (a, b) => (b.updatesPerSecAt50fps ?? -1) - (a.updatesPerSecAt50fps ?? -1) || meanFps(b) - meanFps(a),
  )[0];
}

/** fps per rate, rounded, as the JSON summary holds them. */
export const fpsByRate = (r: LiveResult | undefined): Record<number, number> =>
  Object.fromEntries((r?.phases ?? []).map((p) => [p.target, Math.round(p.fps * 10) / 10]));

/** Conflated updates per rate, as the JSON summary holds them. */
export const conflatedByRate = (r: LiveResult | undefined): Record<number, number> =>
  Object.fromEntries((r?.phases ?? []).map((p) => [p.target, p.conflated]));
