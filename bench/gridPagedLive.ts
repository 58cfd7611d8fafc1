/**
 * The grid bench's live phase as the SOW view runs a big live query by default: server paging
 * on (the view pages results past its threshold), the query ordered by /price, so the server
 * keeps a live window (a paginated sow_and_subscribe) and the page holds only that window.
 * The same keyed updates as the loaded phases (bench/gridLive.ts) at the same rates: frames
 * per second beside the idle fps of the same view, the rate the sandbox took, and how often
 * the drawn window changed (a MutationObserver on the grid), so a window that stood still
 * would show.
 */
import type { Page } from 'playwright-core';
import { setServerPaging } from './gridPaging.js';
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
}

/** What the paged live phase measured. */
export interface PagedLiveResult {
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

/** Runs `topic` (of `records` records) live, paged and ordered by /price, then the paced rates. */
export async function measurePagedLive(
  page: Page,
  publish: UpdatePublisher,
  topic: string,
  records: number,
  timeoutMs: number,
  lines: string[],
): Promise<PagedLiveResult> {
  const panel = page.getByRole('tabpanel');
  await setServerPaging(page, true);
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
    `  [paged] live query of ${records.toLocaleString('en-US')} records ordered by /price, server paging on (the default): live window shown in ${(performance.now() - t0).toFixed(0)} ms`,
  );
  const idle = await idleBaseline(page);
  const idleFps = idle.fps;
  lines.push(
    `  [paged] idle baseline (same view, no traffic): ${idleFps.toFixed(1)} fps, worst frame ${idle.worstMs.toFixed(0)} ms`,
    '  target/s  flowed/s    fps  worst ms  window changes drawn',
  );
  const phases: PagedRatePhase[] = [];
  for (const target of RATES) {
    if (!(await page.evaluate(WATCH))) throw new Error('the paged grid is not on the page');
    await resetFrames(page);
    const achieved = await publish(target, PHASE_MS);
    const frames = await readFrames(page);
    const windowChanges = Number(await page.evaluate('globalThis.__gridChanges'));
    const phase = {
      target,
      achieved,
      fps: (frames.frames * 1000) / frames.ms,
      worstMs: frames.worstMs,
      windowChanges,
    };
    phases.push(phase);
    lines.push(
      `  ${String(target).padStart(8)}  ${achieved.toFixed(0).padStart(8)}  ${phase.fps.toFixed(1).padStart(5)}  ${phase.worstMs.toFixed(0).padStart(8)}  ${String(windowChanges).padStart(20)}`,
    );
    await sleep(1000);
  }
  await page.evaluate('globalThis.__gridWatch?.disconnect()');
  const kept = phases.filter((p) => p.fps >= 50);
  const updatesPerSecAt50fps =
    kept.length === 0 ? null : Math.round(Math.max(...kept.map((p) => p.achieved)));
  return { idleFps, phases, updatesPerSecAt50fps };
}
