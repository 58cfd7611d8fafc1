/**
 * The paging part of the grid bench: a big SOW in the view with server paging on, then a jump
 * to the middle through "Go to row"; pageJumpMs is the time from the jump until the window
 * around that row is filled (its row shows its cells), measured in the page.
 */
import type { Page } from 'playwright-core';

const PAGE_PROBE = `(() => {
  const probe = { clickedAt: 0, filledAt: 0, want: '' };
  globalThis.__pageProbe = probe;
  const tick = () => {
    if (probe.clickedAt > 0 && probe.filledAt === 0) {
      for (const header of document.querySelectorAll('[role="rowheader"]')) {
        if (header.textContent.trim() !== probe.want) continue;
        const cell = header.parentElement?.querySelector('[role="gridcell"]');
        if (cell && !cell.classList.contains('loading')) probe.filledAt = performance.now();
      }
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})()`;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** What the paging phase measured. */
export interface PageJump {
  /** Query to the first window shown (count, then the paginated query). */
  firstWindowMs: number;
  /** Jump to the middle until its window is filled. */
  pageJumpMs: number;
  /** Rows (`role=row`) in the page after the jump: the renderer's bound. */
  rowsInPage: number;
}

/** The view's paging choice, as its "Paging past N records" select offers it. */
export type PagingChoice = 'server' | 'app' | 'off';

/** Sets the view's paging: by the server, held in the app, or off (load whole). */
export async function setPaging(page: Page, choice: PagingChoice): Promise<void> {
  await page
    .getByRole('tabpanel')
    .getByRole('combobox', { name: /^Paging past/ })
    .selectOption(choice);
}

/** Runs `topic` (of `records` records) paged by /id and jumps to its middle. */
export async function measurePageJump(
  page: Page,
  topic: string,
  records: number,
  timeoutMs: number,
): Promise<PageJump> {
  const panel = page.getByRole('tabpanel');
  await setPaging(page, 'server');
  await panel.getByRole('radio', { name: 'Live', exact: true }).check();
  await panel.getByLabel('Topic', { exact: true }).fill(topic);
  await panel.getByLabel('Order by').fill('/id');
  const total = `of ${records.toLocaleString('en-US')} records`;
  const t0 = performance.now();
  await panel.getByRole('button', { name: 'Run query' }).click();
  await panel.getByRole('status').filter({ hasText: total }).waitFor({ timeout: timeoutMs });
  const firstWindowMs = performance.now() - t0;
  await sleep(500);
  const middle = Math.floor(records / 2) + 1;
  await page.evaluate(PAGE_PROBE);
  await panel.getByLabel('Go to row').fill(String(middle));
  await page.evaluate(`(() => {
    const p = globalThis.__pageProbe;
    p.want = ${JSON.stringify(middle.toLocaleString('en-US'))};
    const go = [...document.querySelectorAll('button')].find((b) => b.textContent.trim() === 'Go');
    p.clickedAt = performance.now();
    go.click();
  })()`);
  const until = Date.now() + timeoutMs;
  for (;;) {
    const p = (await page.evaluate('globalThis.__pageProbe')) as { clickedAt: number; filledAt: number };
    if (p.filledAt > 0) {
      const rowsInPage = await page.getByRole('row').count();
      return { firstWindowMs, pageJumpMs: p.filledAt - p.clickedAt, rowsInPage };
    }
    if (Date.now() > until) throw new Error(`row ${middle} was not filled within ${timeoutMs} ms`);
    await sleep(20);
  }
}

/** What the paged load of a big SOW measured. */
export interface PagedLoad {
  /** Query to the first rows of the first window drawn with their cells. */
  firstScreenMs: number;
  /** Query to the view complete: the server's total shown and the first window drawn. */
  fullLoadMs: number;
  /** Rows (`role=row`) in the page at the end: the renderer's bound. */
  rowsInPage: number;
}

const LOAD_PROBE = `(() => {
  const probe = { clickedAt: 0, firstAt: 0, totalAt: 0, want: '' };
  globalThis.__pagedLoadProbe = probe;
  const tick = () => {
    if (probe.clickedAt > 0) {
      const now = performance.now();
      if (probe.firstAt === 0) {
        const cell = document.querySelector('[role="row"] [role="gridcell"]:not(.loading)');
        if (cell && cell.textContent.trim() !== '') probe.firstAt = now;
      }
      if (probe.totalAt === 0) {
        for (const s of document.querySelectorAll('[role="status"]')) if (s.textContent.includes(probe.want)) probe.totalAt = now;
      }
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})()`;

/**
 * Runs `topic` (of `records` records) as a one-shot query with server paging on, as a user
 * would: past the paging threshold the renderer holds one window, never the whole result.
 */
export async function measurePagedLoad(
  page: Page,
  topic: string,
  records: number,
  timeoutMs: number,
): Promise<PagedLoad> {
  const panel = page.getByRole('tabpanel');
  await setPaging(page, 'server');
  await panel.getByRole('radio', { name: 'Query', exact: true }).check();
  await panel.getByLabel('Topic', { exact: true }).fill(topic);
  await panel.getByLabel('Order by').fill('');
  await page.evaluate(LOAD_PROBE);
  await page.evaluate(`(() => {
    const p = globalThis.__pagedLoadProbe;
    p.want = ${JSON.stringify(`of ${records.toLocaleString('en-US')} records`)};
    const button = [...document.querySelectorAll('button')].find((b) => b.textContent.trim() === 'Run query');
    p.clickedAt = performance.now();
    button.click();
  })()`);
  const until = Date.now() + timeoutMs;
  for (;;) {
    const p = (await page.evaluate('globalThis.__pagedLoadProbe')) as {
      clickedAt: number;
      firstAt: number;
      totalAt: number;
    };
    if (p.firstAt > 0 && p.totalAt > 0) {
      const rowsInPage = await page.getByRole('row').count();
      return {
        firstScreenMs: p.firstAt - p.clickedAt,
        fullLoadMs: Math.max(p.firstAt, p.totalAt) - p.clickedAt,
        rowsInPage,
      };
    }
    if (page.isClosed()) throw new Error(`the page closed while paging ${topic}`);
    if (Date.now() > until)
      throw new Error(`the paged view of ${topic} was not filled within ${timeoutMs} ms`);
    await sleep(20);
  }
}
