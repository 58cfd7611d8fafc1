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

/** Turns server paging on or off in the view's toolbar. */
export async function setServerPaging(page: Page, on: boolean): Promise<void> {
  const box = page.getByRole('tabpanel').getByRole('checkbox', { name: /^Server paging past/ });
  if (on) await box.check();
  else await box.uncheck();
}

/** Runs `topic` (of `records` records) paged by /id and jumps to its middle. */
export async function measurePageJump(page: Page, topic: string, records: number, timeoutMs: number): Promise<PageJump> {
  const panel = page.getByRole('tabpanel');
  await setServerPaging(page, true);
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
