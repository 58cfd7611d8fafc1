/**
 * SOW grid benchmark (`npm run bench -- grid`): the app's SOW view (browser host mode, Debian's
 * Chromium, ag-grid) against an in-process sandbox.
 * - Load: a 1,000,000-record SOW of ~200-byte JSON records queried in the view as a user runs
 *   it, server paging on: past the paging threshold the renderer holds one window, never the
 *   whole result. Time from "Run query" to the first screen of rows and to the view complete
 *   (the server's total shown and the first window drawn), renderer heap and host (main) RSS
 *   after it; beside it, in the same run, the time our client alone takes to receive the
 *   same query (the baseline).
 * - Live keyed updates over 100,000 loaded records, the grid sorted by the changing column,
 *   with each grid engine of the view (ag-grid, perspective; bench/gridLive.ts): frames per
 *   second at paced update rates (beside the idle fps of the same page), the rate reached and
 *   the updates main conflated; the highest rate kept at >= 50 fps, from the better engine.
 *   Then the same records as the view runs them by default (server paging on, ordered by
 *   /price: the page holds a live window; bench/gridPagedLive.ts), and held in the app (main
 *   runs one sow_and_subscribe, holds all 100 k records in order and sends the page the
 *   window as it changes): its highest rate at >= 50 fps, with main applying what the sandbox
 *   took, is `updatesPerSecAt50fps`. The updates go straight into the in-process sandbox's
 *   broker (bench/gridPublisher.ts). Last, perspective alone on the same table in this
 *   process (bench/gridEngineCost.ts): its CPU per update.
 * - Paging: the 1 M record SOW with server paging on (ordered by /id): a jump to its middle
 *   through "Go to row"; pageJumpMs is the time until that window is filled (bench/gridPaging.ts).
 * Needs `npm run build` first. The last line is one JSON object with the figures.
 * GRID_BENCH_PHASES (default `load,live,paging`) runs only some phases, for a quicker look;
 * GRID_BENCH_ENGINES (default `ag-grid,perspective`) the engines of the live phase, and
 * GRID_BENCH_PAGED (default `server,app`) its paged phases.
 */
import { availableParallelism, loadavg } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { Client } from '../client/src/client.js';
import { createSandboxServer, silentLogger, type SandboxServer } from '../sandbox/src/index.js';
import { measurePagedLoad, measurePageJump, setPaging } from './gridPaging.js';
import { betterEngine, conflatedByRate, fpsByRate, measureLive } from './gridLive.js';
import type { GridEngine, LiveResult } from './gridLive.js';
import { measurePagedLive, type PagedLiveResult } from './gridPagedLive.js';
import { GridUpdates } from './gridPublisher.js';
import { measureEngineCost, type EngineCost } from './gridEngineCost.js';
import { gridRecord } from './gridRecord.js';
import { rssBytes, startHostChild, type HostChild } from './ui/host.js';
import { IDS, installFrameProbe, openMetrics, readMetrics, sel } from './ui/page.js';

export { gridRecord } from './gridRecord.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const BIG = Number(process.env['GRID_BENCH_RECORDS'] ?? 1_000_000);
const LIVE = Number(process.env['GRID_BENCH_LIVE_RECORDS'] ?? 100_000);
const LOAD_TIMEOUT_MS = 480_000;
const ENGINES = (process.env['GRID_BENCH_ENGINES'] ?? 'ag-grid,perspective')
  .split(',')
  .map((e) => e.trim())
  .filter((e): e is GridEngine => e === 'ag-grid' || e === 'perspective');
/** The paged live phases: by the server (the view's default), held in the app. */
const PAGED = new Set((process.env['GRID_BENCH_PAGED'] ?? 'server,app').split(',').map((p) => p.trim()));
const PHASES = new Set(
  (process.env['GRID_BENCH_PHASES'] ?? 'load,live,paging').split(',').map((p) => p.trim()),
);

const mib = (n: number | undefined): number | null =>
  n === undefined || !Number.isFinite(n) ? null : Math.round(n / (1024 * 1024));
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function logon(uri: string, name: string): Promise<Client> {
  const c = new Client(name);
  await c.connect(uri);
  await c.logon();
  return c;
}

async function loadTopic(client: Client, topic: string, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    client.publish(topic, gridRecord(i));
    if (i % 20_000 === 19_999) await client.publishFlush(60_000);
  }
  await client.publishFlush(60_000);
}

/** The baseline: our client alone receives the same query (same batch size as the view). */
async function clientOnly(uri: string, topic: string): Promise<{ ms: number; records: number }> {
  const c = await logon(uri, 'grid-bench-baseline');
  try {
    const t0 = performance.now();
    let records = 0;
    const stream = await c.sow(topic, undefined, { batchSize: 100, timeoutMs: LOAD_TIMEOUT_MS });
    await stream.drain((m) => {
      if (m.command === 'sow') records++;
    });
    return { ms: performance.now() - t0, records };
  } finally {
    await c.close();
  }
}

/** The view's paging threshold, as its "Paging past N records" select names it. */
async function pagingThreshold(page: Page): Promise<number> {
  const select = page.getByRole('tabpanel').getByRole('combobox', { name: /^Paging past/ });
  const label = (await select.getAttribute('aria-label')) ?? '';
  const n = Number(/past ([\d,]+)/.exec(label)?.[1]?.replaceAll(',', '') ?? NaN);
  if (!Number.isFinite(n)) throw new Error(`the paging threshold is not in "${label}"`);
  return n;
}

/** Runs the benchmark; returns its lines, the last one the JSON summary. */
export async function runGridBench(): Promise<string[]> {
  const lines: string[] = [];
  let sandbox: SandboxServer | undefined;
  let host: HostChild | undefined;
  let browser: Browser | undefined;
  let publisher: Client | undefined;
  try {
    sandbox = await createSandboxServer({
      port: 0,
      wsPort: null,
      adminPort: null,
      logger: silentLogger,
      // The whole 1 M result is queued at once (~250 MB): above the default slow-client limit.
      maxOutboundBytes: 2 * 1024 * 1024 * 1024,
      topics: [
        { name: 'grid_big', keys: ['/id'] },
        { name: 'grid_live', keys: ['/id'] },
      ],
    });
    const uri = `tcp://127.0.0.1:${sandbox.ports.tcp}/amps/json`;
    publisher = await logon(uri, 'grid-bench-publisher');
    const loadStart = performance.now();
    const needBig = PHASES.has('load') || PHASES.has('paging');
    if (needBig) await loadTopic(publisher, 'grid_big', BIG);
    if (PHASES.has('live')) await loadTopic(publisher, 'grid_live', LIVE);
    lines.push(
      `grid bench: ${BIG.toLocaleString('en-US')} + ${LIVE.toLocaleString('en-US')} records of ${gridRecord(BIG - 1).length} bytes loaded into the sandbox in ${((performance.now() - loadStart) / 1000).toFixed(1)} s; Chromium ${CHROMIUM}; load avg ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')} on ${availableParallelism()} cores`,
    );
    const baseline = needBig ? await clientOnly(uri, 'grid_big') : { ms: NaN, records: 0 };
    lines.push(
      `  baseline: our client alone receives the ${baseline.records.toLocaleString('en-US')}-record query in ${baseline.ms.toFixed(0)} ms`,
    );

    host = await startHostChild(repoRoot, process.env['GRID_BENCH_HOST_PROFILE']);
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('crash', () => lines.push('  the page crashed'));
    page.on('pageerror', (e) => lines.push(`  page error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') lines.push(`  console error: ${m.text().slice(0, 300)}`);
    });
    await page.goto(host.url);
    // The connection string is a one-line editor: typed into as a user does.
    await page.getByRole('textbox', { name: 'Connection string' }).first().focus();
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.press('Backspace');
    await page.keyboard.type(uri);
    await page.keyboard.press('Escape');
    await page.locator(sel(IDS.connect)).click();
    await page.locator(`${sel(IDS.status)}[data-state="loggedOn"]`).waitFor({ timeout: 20_000 });
    await page.getByRole('button', { name: 'New SOW query' }).first().click();
    await page.getByRole('form', { name: 'SOW query' }).waitFor({ timeout: 20_000 });
    await installFrameProbe(page);
    const cdp = await openMetrics(page);

    // 1. The big query, paged as the view pages it past its threshold.
    let big = { firstScreenMs: NaN, fullLoadMs: NaN, rowsInPage: 0 };
    let heapAfterLoad: number | undefined;
    let rssAfterLoad: number | undefined;
    if (PHASES.has('load')) {
      big = await measurePagedLoad(page, 'grid_big', BIG, LOAD_TIMEOUT_MS).catch((error: unknown) => {
        throw new Error(`${String(error)}\n${lines.join('\n')}`);
      });
      await sleep(500);
      heapAfterLoad = (await readMetrics(cdp)).heapUsed;
      rssAfterLoad = rssBytes(host.pid);
      lines.push(
        `  ${BIG.toLocaleString('en-US')}-record query in the view (server paging): first screen ${big.firstScreenMs.toFixed(0)} ms (goal < 1000), complete (total known, first window drawn) ${big.fullLoadMs.toFixed(0)} ms (goal < 10000; ${(big.fullLoadMs / baseline.ms).toFixed(2)}x the client alone receiving all); ${big.rowsInPage} rows in the page; renderer heap ${mib(heapAfterLoad)} MiB, host RSS ${mib(rssAfterLoad)} MiB`,
      );
    }

    // 2. Live keyed updates over LIVE records sorted by the changing column: loaded whole (paging
    //    off) once per grid engine (GRID_BENCH_ENGINES, default both), then as the view runs it
    //    by default (paged by the server, ordered by /price), in this page.
    const live: LiveResult[] = [];
    let paged: PagedLiveResult | undefined;
    let held: PagedLiveResult | undefined;
    if (PHASES.has('live')) {
      const updates = new GridUpdates(sandbox.broker, 'grid_live', LIVE);
      const publish = (rate: number, ms: number): Promise<number> => updates.run(rate, ms);
      await setPaging(page, 'off');
      for (const engine of ENGINES)
        live.push(await measureLive(page, cdp, publish, engine, LIVE, LOAD_TIMEOUT_MS, lines));
      const threshold = await pagingThreshold(page);
      if (LIVE > threshold) {
        if (PAGED.has('server'))
          paged = await measurePagedLive(page, publish, 'grid_live', LIVE, LOAD_TIMEOUT_MS, lines);
        if (PAGED.has('app'))
          held = await measurePagedLive(page, publish, 'grid_live', LIVE, LOAD_TIMEOUT_MS, lines, 'app');
      } else
        lines.push(
          `  [paged], [held] not run: ${LIVE.toLocaleString('en-US')} records are not past the view's paging threshold (${threshold.toLocaleString('en-US')})`,
        );
    }
    const agGrid = live.find((r) => r.engine === 'ag-grid');
    const perspective = live.find((r) => r.engine === 'perspective');
    const best = betterEngine(live);
    // Over the records loaded in the app: held in main, the page drawing its window.
    const updatesPerSecAt50fps = held?.updatesPerSecAt50fps ?? null;
    // 3. Server paging: the big SOW as a window, and a jump to its middle.
    let jump = { firstWindowMs: NaN, pageJumpMs: NaN, rowsInPage: 0 };
    if (PHASES.has('paging')) {
      jump = await measurePageJump(page, 'grid_big', BIG, LOAD_TIMEOUT_MS);
      lines.push(
        `  paged ${BIG.toLocaleString('en-US')}-record view: first window ${jump.firstWindowMs.toFixed(0)} ms; jump to the middle filled in ${jump.pageJumpMs.toFixed(0)} ms (goal < 300); ${jump.rowsInPage} rows in the page`,
      );
    }
    const heapEnd = (await readMetrics(cdp)).heapUsed;
    const rssEnd = rssBytes(host.pid);
    // 4. The engine alone: perspective's own cost per keyed update on the live phase's table.
    let engineCost: EngineCost | undefined;
    if (PHASES.has('live')) {
      engineCost = await measureEngineCost(LIVE, 200_000);
      lines.push(
        `  perspective alone (in this process, no app around it): ${engineCost.cpuMicrosPerUpdate} µs of CPU per keyed update on ${LIVE.toLocaleString('en-US')} rows sorted by /price (${engineCost.updates.toLocaleString('en-US')} updates); 50,000 updates/s would take ${Math.round(engineCost.cpuMicrosPerUpdate * 5)} % of one core; with a core to itself it kept up with ${engineCost.updatesPerSecOneCore.toLocaleString('en-US')}/s`,
      );
    }
    lines.push(
      `  highest update rate at >= 50 fps, ${LIVE.toLocaleString('en-US')} records loaded whole in the page: ${live.map((r) => `${r.engine} ${r.updatesPerSecAt50fps ?? 'none'}`).join(', ')} (goal >= 50000); better engine: ${best?.engine ?? 'none measured'}`,
      `  highest update rate at >= 50 fps, the same records paged by the server (the view's default): ${paged?.updatesPerSecAt50fps ?? 'none'}`,
      `  highest update rate at >= 50 fps with main applying them, the same records held in the app: ${held?.updatesPerSecAt50fps ?? 'none'} (goal >= 50000)`,
    );
    lines.push(
      JSON.stringify({
        bench: 'grid',
        engine: best?.engine ?? null,
        records: BIG,
        firstScreenMs: Math.round(big.firstScreenMs),
        fullLoadMs: Math.round(big.fullLoadMs),
        clientOnlyMs: Math.round(baseline.ms),
        updatesPerSecAt50fps,
        liveView: 'held in the app',
        heldIdleFps: held === undefined ? null : Math.round(held.idleFps * 10) / 10,
        heldFpsByRate: Object.fromEntries(
          (held?.phases ?? []).map((p) => [p.target, Math.round(p.fps * 10) / 10]),
        ),
        heldFlowedByRate: Object.fromEntries(
          (held?.phases ?? []).map((p) => [p.target, Math.round(p.achieved)]),
        ),
        heldAppliedByRate: Object.fromEntries((held?.phases ?? []).map((p) => [p.target, p.appliedInMain])),
        pageLoadedBestEngine: best?.engine ?? null,
        pageLoadedUpdatesPerSecAt50fps: best?.updatesPerSecAt50fps ?? null,
        idleFps: agGrid === undefined ? null : Math.round(agGrid.idleFps * 10) / 10,
        rowsInPageAfterLoad: big.rowsInPage,
        fpsByRate: fpsByRate(agGrid),
        conflatedByRate: conflatedByRate(agGrid),
        agGridUpdatesPerSecAt50fps: agGrid?.updatesPerSecAt50fps ?? null,
        perspectiveUpdatesPerSecAt50fps: perspective?.updatesPerSecAt50fps ?? null,
        perspectiveIdleFps: perspective === undefined ? null : Math.round(perspective.idleFps * 10) / 10,
        perspectiveFpsByRate: fpsByRate(perspective),
        perspectiveConflatedByRate: conflatedByRate(perspective),
        pagedUpdatesPerSecAt50fps: paged?.updatesPerSecAt50fps ?? null,
        perspectiveAloneMicrosPerUpdate: engineCost?.cpuMicrosPerUpdate ?? null,
        perspectiveAloneUpdatesPerSec: engineCost?.updatesPerSecOneCore ?? null,
        pagedIdleFps: paged === undefined ? null : Math.round(paged.idleFps * 10) / 10,
        pagedFpsByRate: Object.fromEntries(
          (paged?.phases ?? []).map((p) => [p.target, Math.round(p.fps * 10) / 10]),
        ),
        pagedFlowedByRate: Object.fromEntries(
          (paged?.phases ?? []).map((p) => [p.target, Math.round(p.achieved)]),
        ),
        pageJumpMs: Math.round(jump.pageJumpMs),
        rendererHeapMiB: mib(heapAfterLoad),
        mainRssMiB: mib(rssAfterLoad),
        rendererHeapEndMiB: mib(heapEnd),
        mainRssEndMiB: mib(rssEnd),
      }),
    );
    return lines;
  } finally {
    await browser?.close().catch(() => undefined);
    await host?.stop();
    await publisher?.close().catch(() => undefined);
    await sandbox?.close();
  }
}
