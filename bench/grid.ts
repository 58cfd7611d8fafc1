/**
 * SOW grid benchmark (`npm run bench -- grid`): the app's SOW view (browser host mode, Debian's
 * Chromium, ag-grid) against an in-process sandbox.
 * - Load: a 1,000,000-record SOW of ~200-byte JSON records queried in the view as a user runs
 *   it, server paging on: past the paging threshold the renderer holds one window, never the
 *   whole result. Time from "Run query" to the first screen of rows and to the view complete
 *   (the server's total shown and the first window drawn), renderer heap and host (main) RSS
 *   after it; beside it, in the same run, the time our client alone takes to receive the
 *   same query (the baseline).
 * - Live keyed updates over 100,000 loaded records, the grid sorted by the changing column:
 *   frames per second at paced update rates (beside the idle fps of the same page), the rate
 *   reached and the updates main conflated; the highest rate kept at >= 50 fps.
 * - Paging: the 1 M record SOW with server paging on (ordered by /id): a jump to its middle
 *   through "Go to row"; pageJumpMs is the time until that window is filled (bench/gridPaging.ts).
 * Needs `npm run build` first. The last line is one JSON object with the figures.
 * GRID_BENCH_PHASES (default `load,live,paging`) runs only some phases, for a quicker look.
 */
import { availableParallelism, loadavg } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { Client } from '../client/src/client.js';
import { createSandboxServer, silentLogger, type SandboxServer } from '../sandbox/src/index.js';
import { measurePagedLoad, measurePageJump, setServerPaging } from './gridPaging.js';
import { startCpuProfile } from './gridProfile.js';
import { rssBytes, startHostChild, type HostChild } from './ui/host.js';
import { IDS, installFrameProbe, openMetrics, readFrames, readMetrics, resetFrames, sel } from './ui/page.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const BIG = Number(process.env['GRID_BENCH_RECORDS'] ?? 1_000_000);
const LIVE = Number(process.env['GRID_BENCH_LIVE_RECORDS'] ?? 100_000);
const RATES = [10_000, 25_000, 50_000, 100_000];
const PHASE_MS = 4_000;
const LOAD_TIMEOUT_MS = 480_000;
const PHASES = new Set(
  (process.env['GRID_BENCH_PHASES'] ?? 'load,live,paging').split(',').map((p) => p.trim()),
);

const mib = (n: number | undefined): number | null =>
  n === undefined || !Number.isFinite(n) ? null : Math.round(n / (1024 * 1024));
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** One record of about 200 bytes. */
export function gridRecord(n: number, price = 100 + (n % 1000) / 7): string {
  const region = ['EMEA', 'APAC', 'AMER', 'LATAM', 'NORDICS'][n % 5] ?? 'EMEA';
  return `{"id":${n},"sym":"SYM${n % 5000}","customer":{"name":"Customer ${n % 20000}","region":"${region}"},"qty":${n % 997},"price":${price.toFixed(4)},"side":"${n % 2 === 0 ? 'buy' : 'sell'}","time":"2026-12-07T03:00:00.000Z","note":"grid bench record"}`;
}

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

/** In-page probe: when the first data cell and the "Complete" / "Live" status appear, relative to the click. */
const LOAD_PROBE = `(() => {
  const probe = { clickedAt: 0, firstAt: 0, doneAt: 0, want: '' };
  globalThis.__gridProbe = probe;
  const tick = () => {
    if (probe.clickedAt > 0) {
      const now = performance.now();
      if (probe.firstAt === 0 && document.querySelector('[role="gridcell"][col-id="/id"]')) probe.firstAt = now;
      if (probe.doneAt === 0) {
        const status = document.querySelector('[aria-label="Query status"]')?.textContent?.trim();
        const rows = document.querySelector('[aria-label="Rows"]')?.textContent?.trim();
        if (status === probe.wantStatus && rows === probe.want) probe.doneAt = now;
      }
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})()`;

async function runQuery(
  page: Page,
  topic: string,
  mode: 'Query' | 'Live',
  rows: number,
): Promise<{ firstMs: number; doneMs: number }> {
  const panel = page.getByRole('tabpanel');
  await panel.getByRole('radio', { name: mode, exact: true }).check();
  await panel.getByLabel('Topic', { exact: true }).fill(topic);
  const want = `${rows.toLocaleString('en-US')} rows`;
  const wantStatus = mode === 'Query' ? 'Complete' : 'Live';
  await page.evaluate(`(() => {
    const p = globalThis.__gridProbe;
    p.firstAt = 0; p.doneAt = 0; p.want = ${JSON.stringify(want)}; p.wantStatus = ${JSON.stringify(wantStatus)};
    const button = [...document.querySelectorAll('button')].find((b) => b.textContent.trim() === 'Run query');
    p.clickedAt = performance.now();
    button.click();
  })()`);
  const until = Date.now() + LOAD_TIMEOUT_MS;
  for (;;) {
    const p = (await page.evaluate('globalThis.__gridProbe')) as {
      clickedAt: number;
      firstAt: number;
      doneAt: number;
    };
    if (p.doneAt > 0) return { firstMs: p.firstAt - p.clickedAt, doneMs: p.doneAt - p.clickedAt };
    if (page.isClosed()) throw new Error(`the page closed while loading ${want}`);
    if (Date.now() > until) {
      const status = await panel.getByRole('group', { name: 'SOW progress' }).textContent();
      throw new Error(`the view did not show ${want} within ${LOAD_TIMEOUT_MS} ms (${status ?? '?'})`);
    }
    await sleep(100);
  }
}

/** Publishes keyed updates (random keys below `keys`, new prices) at `rate` per second for `ms`. */
async function pacedUpdates(
  client: Client,
  topic: string,
  keys: number,
  rate: number,
  ms: number,
): Promise<number> {
  const t0 = performance.now();
  let sent = 0;
  let seed = 12345;
  const rand = (): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  while (performance.now() - t0 < ms) {
    const due = Math.floor(((performance.now() - t0) * rate) / 1000);
    while (sent < due) {
      const id = Math.floor(rand() * keys);
      client.publish(topic, gridRecord(id, 100 + rand() * 900));
      sent++;
    }
    await sleep(10);
  }
  await client.publishFlush(60_000);
  return (sent * 1000) / (performance.now() - t0);
}

const labelNumber = async (page: Page, label: string): Promise<number> => {
  const text = await page.getByRole('tabpanel').getByLabel(label, { exact: true }).textContent();
  return Number((text ?? '').replace(/[^\d]/g, ''));
};

interface RatePhase {
  target: number;
  achieved: number;
  fps: number;
  worstMs: number;
  updatesShown: number;
  conflated: number;
}

/** The live phase: loads LIVE records whole, sorts by /price, then paced update rates; returns the idle fps. */
async function measureLive(
  page: Page,
  cdp: CDPSession,
  publisher: Client,
  phases: RatePhase[],
  lines: string[],
): Promise<number> {
  const profileRate = Number(process.env['GRID_BENCH_CPU_PROFILE'] ?? NaN);
  const live = await runQuery(page, 'grid_live', 'Live', LIVE);
  lines.push(
    `  live view of ${LIVE.toLocaleString('en-US')} records: first screen ${live.firstMs.toFixed(0)} ms, all loaded ${live.doneMs.toFixed(0)} ms`,
  );
  await page.getByRole('tabpanel').getByRole('columnheader', { name: '/price', exact: true }).click();
  await sleep(1500);
  await resetFrames(page);
  await sleep(2000);
  const idle = await readFrames(page);
  const idleFps = (idle.frames * 1000) / idle.ms;
  lines.push(
    `  idle baseline (live, sorted by /price, no traffic): ${idleFps.toFixed(1)} fps, worst frame ${idle.worstMs.toFixed(0)} ms`,
  );
  lines.push(
    '  target/s  flowed/s    fps  worst ms  updates shown  conflated in main   (flowed = published and flushed per s of the phase)',
  );
  for (const target of RATES) {
    const updatesBefore = await labelNumber(page, 'Updates');
    const conflatedBefore = await labelNumber(page, 'Conflated');
    await resetFrames(page);
    const stopProfile = target === profileRate ? await startCpuProfile(cdp) : undefined;
    const achieved = await pacedUpdates(publisher, 'grid_live', LIVE, target, PHASE_MS);
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
  return idleFps;
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
    await page.evaluate(LOAD_PROBE);
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

    // 2. Live keyed updates over LIVE records (loaded whole: paging off), sorted by the changing column.
    const phases: RatePhase[] = [];
    let idleFps = NaN;
    if (PHASES.has('live')) {
      await setServerPaging(page, false);
      idleFps = await measureLive(page, cdp, publisher, phases, lines);
    }
    const kept = phases.filter((p) => p.fps >= 50);
    const updatesPerSecAt50fps =
      kept.length === 0 ? null : Math.round(Math.max(...kept.map((p) => p.achieved)));
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
    lines.push(
      `  highest update rate at >= 50 fps: ${updatesPerSecAt50fps === null ? 'none' : updatesPerSecAt50fps} (goal >= 50000)`,
    );
    lines.push(
      JSON.stringify({
        bench: 'grid',
        engine: 'ag-grid-community',
        records: BIG,
        firstScreenMs: Math.round(big.firstScreenMs),
        fullLoadMs: Math.round(big.fullLoadMs),
        clientOnlyMs: Math.round(baseline.ms),
        updatesPerSecAt50fps,
        idleFps: Math.round(idleFps * 10) / 10,
        rowsInPageAfterLoad: big.rowsInPage,
        fpsByRate: Object.fromEntries(phases.map((p) => [p.target, Math.round(p.fps * 10) / 10])),
        conflatedByRate: Object.fromEntries(phases.map((p) => [p.target, p.conflated])),
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
