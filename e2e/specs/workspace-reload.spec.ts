/**
 * A page reload keeps the tabs and re-attaches each view to its subscription still running in
 * the app; nothing runs unseen. After a restart the tabs come back with their settings.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '../fixtures.js';
import { AppPage } from '../pages/appPage.js';

test('a reload keeps the tabs and re-attaches the running subscription; a restart restores the settings', async ({
  app,
  sandbox,
  seed,
  relaunch,
  userData,
}) => {
  // Two page loads and a host restart.
  test.setTimeout(60_000);
  const ui = new AppPage(app);
  const ws = ui.workspace;
  await ui.expectReady();
  await ui.connection.connectTo(sandbox.tcpUri);
  await ui.connection.expectConnected();

  const sub = await ui.newSubscription();
  await sub.subscribe('orders', '/qty > 1');
  await seed('orders', ['{"id":1,"qty":5}', '{"id":2,"qty":7}']);
  await expect(sub.rows).toHaveCount(2);
  await ui.newSubscription();
  await expect(ws.tabs).toHaveCount(2);
  await ws.tab('Subscription: orders').click();
  await expect.poll(() => sandbox.server.broker.subs.size).toBe(1);

  await app.reload();
  await ui.expectReady();
  await expect(ws.tabs).toHaveCount(2);
  await expect(ws.tab('Subscription: orders')).toHaveAttribute('aria-selected', 'true');
  const again = ws.subscription();
  await expect(again.topic).toHaveValue('orders');
  await expect(again.filterText).toHaveText('/qty > 1');
  await expect(again.unsubscribeButton).toBeVisible();
  await expect(again.ended).toHaveCount(0);

  // A message published after the reload arrives in the same tab, through the same subscription.
  await seed('orders', ['{"id":3,"qty":9,"after":"reload"}']);
  await expect(again.rows.filter({ hasText: '"after":"reload"' })).toHaveCount(1);
  // The server holds exactly the one subscription this view shows: nothing runs unseen.
  expect(sandbox.server.broker.subs.size).toBe(1);

  // A restart: the tabs and their settings come back; the subscription did not survive the
  // host, and the view says so and offers to start it again. (The app saves its workspace
  // debounced; the restart comes after that save.)
  await expect
    .poll(() => readFileSync(join(userData, 'workspace.json'), 'utf8'))
    .toMatch(/"subscriptionId":"[^"]+"/);
  await relaunch();
  await ui.expectReady();
  await expect(ws.tabs).toHaveCount(2);
  const restored = ws.subscription();
  await expect(restored.topic).toHaveValue('orders');
  await expect(restored.filterText).toHaveText('/qty > 1');
  await expect(restored.ended).toContainText('no longer running');
  await expect.poll(() => sandbox.server.broker.subs.size).toBe(0);
});
