/**
 * Time to open a 10 MB payload whole in the detail pane: a 10 MB JSON message is published to
 * the topic the page shows; the bench selects its row (previewed cut in the list), presses
 * "Load the whole payload" and times until the pane says the whole payload is shown and the
 * virtualized viewer has drawn its first rows (main decodes and indexes the payload's rows,
 * then sends only the first page; later pages follow as the user scrolls).
 * Baseline in the same run: the same steps for a 100 KB payload (just over the list's cut).
 * Timed in the page (click to the frame after the first rows are drawn), and also as the
 * driver saw it (its own round trips to a page on a busy machine included).
 */
import type { Page } from 'playwright-core';
import { Client } from '../../client/src/client.js';

const STEP_TIMEOUT_MS = 30_000;

/**
 * In-page probe: the time from the click on "Load the whole payload" to the frame after the
 * viewer first holds the marker (what the user waits for), without the driver's own round trips.
 */
const probeScript = (marker: string): string => `(() => {
  const marker = ${JSON.stringify(marker)};
  const probe = { t0: undefined, drawn: undefined };
  globalThis.__uiBenchOpen = probe;
  const onClick = (e) => {
    const button = e.target instanceof Element ? e.target.closest('button') : null;
    if (button && button.textContent.trim().startsWith('Load the whole payload')) {
      probe.t0 = performance.now();
      document.removeEventListener('click', onClick, true);
    }
  };
  document.addEventListener('click', onClick, true);
  const observer = new MutationObserver(() => {
    if (probe.t0 === undefined) return;
    const region = document.querySelector('[role="region"][aria-label="Whole payload"]');
    if (region && region.textContent.includes(marker)) {
      observer.disconnect();
      requestAnimationFrame(() => { probe.drawn = performance.now() - probe.t0; });
    }
  });
  observer.observe(document.body, { childList: true, subtree: true, characterData: true });
})()`;

/** One open: in-page ms (click to the drawn first rows) and the driver's wall ms for the same. */
async function openOnce(
  page: Page,
  publisher: Client,
  topic: string,
  bytes: number,
  marker: string,
): Promise<{ ms: number; wallMs: number }> {
  const head = `{"marker":"${marker}","fill":"`;
  const tail = '"}';
  const data = head + 'x'.repeat(Math.max(0, bytes - head.length - tail.length)) + tail;
  publisher.publish(topic, data);
  await publisher.publishFlush(STEP_TIMEOUT_MS);
  const row = page.locator('[data-testid="message-row"]').filter({ hasText: marker });
  await row.first().waitFor({ timeout: STEP_TIMEOUT_MS });
  await row.first().click();
  const button = page.getByRole('button', { name: /^Load the whole payload/ });
  await button.waitFor({ timeout: STEP_TIMEOUT_MS });
  await page.evaluate(probeScript(marker));
  const started = Date.now();
  await button.click();
  await page
    .getByRole('status')
    .filter({ hasText: `Showing the whole payload: ${data.length.toLocaleString('en-US')} bytes` })
    .waitFor({ timeout: STEP_TIMEOUT_MS });
  await page
    .getByRole('region', { name: 'Whole payload' })
    .filter({ hasText: marker })
    .waitFor({ timeout: STEP_TIMEOUT_MS });
  const wallMs = Date.now() - started;
  await page.waitForFunction('globalThis.__uiBenchOpen.drawn !== undefined', undefined, { timeout: STEP_TIMEOUT_MS });
  const ms = (await page.evaluate('globalThis.__uiBenchOpen.drawn')) as number;
  return { ms: Math.round(ms), wallMs };
}

/** What opening a payload took. */
export interface OpenFigures {
  /** In page: click to the frame after the viewer drew its first rows. */
  open100KBMs: number;
  open10MBMs: number;
  /** The same as the driver saw it (its own round trips to the page included). */
  open100KBWallMs: number;
  open10MBWallMs: number;
}

/** Opens a 100 KB then a 10 MB payload whole; returns both times (ms). */
export async function measureOpenPayload(page: Page, uri: string, topic: string): Promise<OpenFigures> {
  const publisher = new Client(`ui-bench-payload-${process.pid}`);
  await publisher.connect(uri);
  await publisher.logon();
  try {
    const small = await openOnce(page, publisher, topic, 100_000, `small-${process.pid}`);
    const large = await openOnce(page, publisher, topic, 10_000_000, `large-${process.pid}`);
    return {
      open100KBMs: small.ms,
      open10MBMs: large.ms,
      open100KBWallMs: small.wallMs,
      open10MBWallMs: large.wallMs,
    };
  } finally {
    await publisher.close().catch(() => {});
  }
}
