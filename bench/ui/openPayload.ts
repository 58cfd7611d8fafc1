/**
 * Time to open a 10 MB payload whole in the detail pane: a 10 MB JSON message is published to
 * the topic the page shows; the bench selects its row (previewed cut in the list), presses
 * "Load the whole payload" and times until the pane says the whole payload is shown and the
 * virtualized viewer has drawn its first rows (main decodes and indexes the payload's rows,
 * then sends only the first page; later pages follow as the user scrolls).
 * Baseline in the same run: the same steps for a 100 KB payload (just over the list's cut).
 */
import type { Page } from 'playwright-core';
import { Client } from '../../client/src/client.js';

const STEP_TIMEOUT_MS = 30_000;

async function openOnce(page: Page, publisher: Client, topic: string, bytes: number, marker: string): Promise<number> {
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
  return Date.now() - started;
}

/** Opens a 100 KB then a 10 MB payload whole; returns both times (ms). */
export async function measureOpenPayload(
  page: Page,
  uri: string,
  topic: string,
): Promise<{ open100KBMs: number; open10MBMs: number }> {
  const publisher = new Client(`ui-bench-payload-${process.pid}`);
  await publisher.connect(uri);
  await publisher.logon();
  try {
    const open100KBMs = await openOnce(page, publisher, topic, 100_000, `small-${process.pid}`);
    const open10MBMs = await openOnce(page, publisher, topic, 10_000_000, `large-${process.pid}`);
    return { open100KBMs, open10MBMs };
  } finally {
    await publisher.close().catch(() => {});
  }
}
