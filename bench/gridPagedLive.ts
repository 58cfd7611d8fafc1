/**
 * The grid bench's paged live phases, the query ordered by /price so the page holds only a
 * window: as the SOW view runs a big live query by default (paged by the server: a paginated
 * sow_and_subscribe keeps the window), and held in the app (main runs one sow_and_subscribe,
 * keeps every record in order and sends the window as it changes). The same keyed updates as
 * the loaded phases (bench/gridLive.ts) at the same rates: frames per second beside the idle
 * fps of the same view, the rate the sandbox took, how often the drawn window changed (a
 * MutationObserver on the grid, so a window that stood still would show) and, held in the
 * app, how many updates per second main applied (the status bar's count).
 */
import type { Page } from 'playwright-core';
import { setPaging } from './gridPaging.js';
import { idleBaseline, PHASE_MS, RATES, sleep, type UpdatePublisher } from './gridLive.js';
import { readFrames, resetFrames } from './ui/page.js';

/** One paced rate of the paged live phase. */
export interface PagedRatePhase {
  target: number;
  achieved: number;
  fps: number;
  worstMs: number;
  /** DOM changes of the drawn window during the phase. */
  windowChanges: number;
  /** Held in the app: the updates main applied to the records it holds during the phase. */
  appliedInMain: number | null;
}

/** What the paged live phase measured. */
export interface PagedLiveResult {
  heldBy: 'server' | 'app';
  idleFps: number;
  phases: PagedRatePhase[];
  /** The highest rate kept at >= 50 fps, or null. */
  updatesPerSecAt50fps: number | null;
}

const WATCH = `(() => {
  const grid = document.querySelector('[role="tabpanel"] [role="grid"]');
  globalThis.__gridChanges = 0;
  globalThis.__gridWatch?.disconnect();
  globalThis.__gridWatch = new MutationObserver((list) => { globalThis.__gridChanges += list.length; });
  if (grid) globalThis.__gridWatch.observe(grid, { subtree: true, childList: true, characterData: true });
  return grid !== null;
})()`;

const updatesShown = async (page: Page): Promise<number> => {
  const text = await page.getByRole('tabpanel').getByLabel('Updates', { exact: true }).textContent();
  return Number((text ?? '').replace(/[^\d]/g, ''));
};

/** Runs `topic` (of `records` records) live, paged and ordered by /price, then the paced rates. */
export async function measurePagedLive(
  page: Page,
  publish: UpdatePublisher,
  topic: string,
  records: number,
  timeoutMs: number,
  lines: string[],
  heldBy: 'server' | 'app' = 'server',
): Promise<PagedLiveResult> {
  const panel = page.getByRole('tabpanel');
  const tag = heldBy === 'app' ? '[held]' : '[paged]';
  const how =
    heldBy === 'app' ? 'held in the app (main keeps the order)' : 'paged by the server (the default)';
  await setPaging(page, heldBy);
  await panel.getByRole('radio', { name: 'Live', exact: true }).check();
  await panel.getByLabel('Topic', { exact: true }).fill(topic);
  await panel.getByLabel('Order by').fill('/price');
  const t0 = performance.now();
  await panel.getByRole('button', { name: 'Run query', exact: true }).click();
  await panel
    .getByRole('status')
    .filter({ hasText: `of ${records.toLocaleString('en-US')} records (live window)` })
    .waitFor({ timeout: timeoutMs });
  lines.push(
    `  ${tag} live query of ${records.toLocaleString('en-US')} records ordered by /price, ${how}: live window shown in ${(performance.now() - t0).toFixed(0)} ms`,
  );
  const idle = await idleBaseline(page);
  const idleFps = idle.fps;
  lines.push(
    `  ${tag} idle baseline (same view, no traffic): ${idleFps.toFixed(1)} fps, worst frame ${idle.worstMs.toFixed(0)} ms`,
    `  target/s  flowed/s    fps  worst ms  window changes drawn${heldBy === 'app' ? '  applied in main/s' : ''}`,
  );
  const phases: PagedRatePhase[] = [];
  for (const target of RATES) {
    if (!(await page.evaluate(WATCH))) throw new Error('the paged grid is not on the page');
    const appliedBefore = heldBy === 'app' ? await updatesShown(page) : 0;
    await resetFrames(page);
    const started = performance.now();
    const achieved = await publish(target, PHASE_MS);
    const frames = await readFrames(page);
    const windowChanges = Number(await page.evaluate('globalThis.__gridChanges'));
    // Main's count reaches the page a few times a second: read it once the phase's updates are in.
    await sleep(1000);
    const appliedInMain =
      heldBy === 'app'
        ? Math.round(
            ((await updatesShown(page)) - appliedBefore) / ((performance.now() - started - 1000) / 1000),
          )
        : null;
    const phase = {
      target,
      achieved,
      fps: (frames.frames * 1000) / frames.ms,
      worstMs: frames.worstMs,
      windowChanges,
      appliedInMain,
    };
    phases.push(phase);
    lines.push(
      `  ${String(target).padStart(8)}  ${achieved.toFixed(0).padStart(8)}  ${phase.fps.toFixed(1).padStart(5)}  ${phase.worstMs.toFixed(0).padStart(8)}  ${String(windowChanges).padStart(20)}${appliedInMain === null ? '' : String(appliedInMain).padStart(19)}`,
    );
  }
  await page.evaluate('globalThis.__gridWatch?.disconnect()');
  // Held in the app, a rate counts only when main applied (nearly) all the sandbox took too.
  const kept = phases.filter(
    (p) => p.fps >= 50 && (p.appliedInMain === null || p.appliedInMain >= 0.95 * p.achieved),
  );
  const updatesPerSecAt50fps =
    kept.length === 0 ? null : Math.round(Math.max(...kept.map((p) => p.achieved)));
  return { heldBy, idleFps, phases, updatesPerSecAt50fps };
}
