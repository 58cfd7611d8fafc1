/**
 * Bookmark replay from the subscription form: the history from EPOCH, then the live boundary
 * (the completed ack) and live messages after it; a 2X replay is paced by the logged times.
 */
import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures.js';
import { TESTIDS, byTestId } from '../../renderer/src/lib/testids.js';
import { AppPage } from '../pages/appPage.js';
import type { SubscriptionPanel } from '../pages/subscriptionPanel.js';

async function replay(app: Page, sub: SubscriptionPanel, topic: string, rate = ''): Promise<void> {
  await sub.topic.fill(topic);
  await sub.form.getByLabel('Mode').selectOption({ label: 'bookmark replay' });
  const replayGroup = sub.form.getByRole('group', { name: 'Replay' });
  await expect(replayGroup.getByLabel('Replay from')).toHaveValue('epoch');
  if (rate !== '') await replayGroup.getByLabel(/^Rate/).fill(rate);
  await expect(sub.subscribeButton).toBeEnabled();
  await sub.subscribeButton.click();
  await expect(sub.unsubscribeButton).toBeVisible();
  void app;
}

test('replay from EPOCH shows the history, then the live boundary, then live messages', async ({
  app,
  sandbox,
  seed,
}) => {
  await seed(
    'replay.orders',
    [1, 2, 3].map((id) => JSON.stringify({ id, phase: 'history' })),
  );
  const ui = new AppPage(app);
  await ui.expectReady();
  await ui.connection.connectTo(sandbox.tcpUri);
  await ui.connection.expectConnected();
  const sub = await ui.newSubscription();
  await replay(app, sub, 'replay.orders');

  const boundary = sub.rows.filter({ hasText: 'replay completed' });
  await expect(boundary).toHaveCount(1);
  await expect(sub.rows).toHaveCount(4);
  await expect(sub.root.getByRole('status', { name: 'Replay' })).toContainText('Live');
  await expect(sub.root.getByRole('status', { name: 'Replay' })).toContainText('after 3 messages');

  await seed('replay.orders', [JSON.stringify({ id: 4, phase: 'live' })]);
  await expect(sub.rows).toHaveCount(5);
  // Newest on top: the live message sits above the boundary, the history below it.
  const texts = await sub.rows.allTextContents();
  const at = texts.findIndex((t) => t.includes('replay completed'));
  expect(texts.slice(0, at).join(' ')).toContain('"live"');
  expect(texts.slice(at + 1).every((t) => t.includes('"history"'))).toBe(true);
});

test('a replay at 2X is paced by the logged times', async ({ app, sandbox, seed }) => {
  // Three messages logged about 1 s apart: at 2X the replay spaces them about 0.5 s apart.
  for (const id of [1, 2, 3]) {
    await seed('replay.paced', [JSON.stringify({ id })]);
    if (id < 3) await new Promise((r) => setTimeout(r, 1000));
  }
  const ui = new AppPage(app);
  await ui.expectReady();
  await ui.connection.connectTo(sandbox.tcpUri);
  await ui.connection.expectConnected();
  const sub = await ui.newSubscription();
  // The page notes when the first message and the live boundary are drawn (a test polling for
  // them would see them late, by up to its polling interval, and under load shorten the gap).
  await app.evaluate(`(() => {
    const seen = {};
    globalThis.__replaySeen = seen;
    new MutationObserver(() => {
      const rows = [...document.querySelectorAll(${JSON.stringify(byTestId(TESTIDS.messages.row))})].map((r) => r.textContent ?? '');
      if (seen.first === undefined && rows.some((t) => t.includes('"id"'))) seen.first = performance.now();
      if (seen.boundary === undefined && rows.some((t) => t.includes('replay completed'))) seen.boundary = performance.now();
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  })()`);
  await replay(app, sub, 'replay.paced', '2X');

  await expect(sub.rows.filter({ hasText: 'replay completed' })).toHaveCount(1, { timeout: 10_000 });
  const seen = (await app.evaluate('globalThis.__replaySeen')) as { first: number; boundary: number };
  // Two gaps of ~1 s at 2X: at least ~1 s from the first row to the end (a lower bound only).
  expect(seen.boundary - seen.first).toBeGreaterThanOrEqual(700);
  await expect(sub.rows).toHaveCount(4);
});

test('a paced replay pauses where it is and resumes to the live boundary', async ({ app, sandbox, seed }) => {
  await seed(
    'replay.pausing',
    [1, 2, 3, 4, 5].map((id) => JSON.stringify({ id })),
  );
  const ui = new AppPage(app);
  await ui.expectReady();
  await ui.connection.connectTo(sandbox.tcpUri);
  await ui.connection.expectConnected();
  const sub = await ui.newSubscription();
  // 2 messages a second: the five take about two seconds.
  await replay(app, sub, 'replay.pausing', '2');
  await expect(sub.rows.first()).toBeVisible();

  const status = sub.root.getByRole('status', { name: 'Replay' });
  await sub.root.getByRole('button', { name: 'Pause replay' }).click();
  await expect(status).toContainText('Paused');
  const atPause = await sub.rows.count();
  expect(atPause).toBeLessThan(5);
  // Paused on the server: nothing more arrives meanwhile.
  await app.waitForTimeout(1500);
  await expect(sub.rows).toHaveCount(atPause);

  await sub.root.getByRole('button', { name: 'Resume replay' }).click();
  await expect(sub.rows.filter({ hasText: 'replay completed' })).toHaveCount(1, { timeout: 10_000 });
  await expect(sub.rows).toHaveCount(6);
  await expect(status).toContainText('after 5 messages');
});
