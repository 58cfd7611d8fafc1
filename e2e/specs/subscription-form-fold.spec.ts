/**
 * Folding the subscription form: the running subscription in one line (mode, topic, filter),
 * the message list taking the height, Unsubscribe still at hand, kept with the tab across a
 * reload, and the form back with its values.
 */
import { expect, test } from '../fixtures.js';
import { AppPage } from '../pages/appPage.js';
import { SubscriptionPanel } from '../pages/subscriptionPanel.js';

test('hiding the subscription form leaves a one-line summary and gives the list the room', async ({
  app,
  sandbox,
  seed,
}) => {
  test.setTimeout(60_000);
  await app.setViewportSize({ width: 1100, height: 700 });
  const ui = new AppPage(app);
  await ui.expectReady();
  await ui.connection.connectTo(sandbox.tcpUri);
  await ui.connection.expectConnected();
  const sub = await ui.newSubscription();
  await sub.subscribe('orders', '/qty > 1');
  await seed('orders', [1, 2, 3].map((qty) => JSON.stringify({ id: qty, qty })));
  await expect(sub.rows).toHaveCount(2);
  const before = (await sub.list.boundingBox())?.height ?? 0;

  await sub.root.getByRole('button', { name: 'Hide the subscription form' }).click();
  await expect(sub.form).toHaveCount(0);
  const summary = sub.root.getByRole('group', { name: 'Subscription (form hidden)' });
  await expect(summary).toContainText('subscribe');
  await expect(summary).toContainText('orders');
  await expect(summary).toContainText('/qty > 1');
  await expect(summary).toContainText('running');
  await expect.poll(async () => (await sub.list.boundingBox())?.height ?? 0).toBeGreaterThan(before + 80);

  // The folded form is kept with the tab: after a reload the summary is back, the subscription attached.
  await app.reload();
  await ui.expectReady();
  const again = new SubscriptionPanel(ui.workspace.activePanel);
  const summaryAgain = again.root.getByRole('group', { name: 'Subscription (form hidden)' });
  await expect(summaryAgain).toContainText('running', { timeout: 20_000 });
  await seed('orders', [JSON.stringify({ id: 9, qty: 9 })]);
  await expect(again.rows.filter({ hasText: '"id":9' })).toHaveCount(1);

  await summaryAgain.getByRole('button', { name: 'Unsubscribe' }).click();
  await expect(summaryAgain).toContainText('not subscribed');
  await summaryAgain.getByRole('button', { name: 'Edit the subscription' }).click();
  await expect(again.topic).toHaveValue('orders');
  await expect(again.subscribeButton).toHaveText('Subscribe');
});
