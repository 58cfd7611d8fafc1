/** A payload over the list's display limit is previewed cut and opens whole in the detail pane on demand. */
import { expect, test } from '../fixtures.js';
import { AppPage } from '../pages/appPage.js';

test('a 5 MB payload is previewed in the list and opens whole in the detail pane', async ({ app, sandbox, seed }) => {
  const ui = new AppPage(app);
  await ui.expectReady();
  await ui.connection.connectTo(sandbox.tcpUri);
  await ui.connection.expectConnected();
  const sub = await ui.newSubscription();
  await sub.subscribe('orders', '');

  const filler = 'x'.repeat(5_000_000 - 40);
  const big = JSON.stringify({ id: 7, note: filler, end: 'THE-END' });
  await seed('orders', [big]);
  await expect(sub.rows).toHaveCount(1);
  await sub.rows.first().click();
  await expect(sub.detailHeaders).toContainText('(truncated for display)');

  await sub.detail.getByRole('button', { name: /^Load the whole payload/ }).click();
  const status = sub.detail.getByRole('status').filter({ hasText: 'Showing the whole payload' });
  // Main holds every byte and the viewer every character (ASCII: one per byte).
  const n = big.length.toLocaleString('en-US');
  await expect(status).toContainText(`${n} bytes (${n} characters), 1 line in`);
  // The viewer is virtualized: the first screen shows at once, the rest is reached by scrolling.
  const viewer = sub.detail.getByRole('region', { name: 'Whole payload' });
  await expect(viewer).toContainText('{"id":7,"note":"xxx');
  await sub.detail.getByRole('button', { name: 'Go to the end' }).click();
  await expect(viewer).toContainText('xxx","end":"THE-END"}');
});
