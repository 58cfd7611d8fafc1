/** Tabs: opened from the Topics panel, reordered by keyboard and by drag, closed from the menu and by key. */
import { expect, test } from '../fixtures.js';
import { AppPage } from '../pages/appPage.js';

test('a topic opens a view on it; tabs reorder by keyboard and drag and close from their menu', async ({
  app,
  sandbox,
  seed,
}) => {
  const ui = new AppPage(app);
  const ws = ui.workspace;
  await ui.expectReady();
  await ui.connection.connectTo(sandbox.tcpUri);
  await ui.connection.expectConnected();

  // Messages seen on a topic put it in the Topics panel (this server has no admin interface).
  const first = await ui.newSubscription();
  await first.subscribe('orders', '');
  await seed('orders', ['{"id":1}']);
  await expect(first.rows).toHaveCount(1);
  const topics = app.getByRole('region', { name: 'Topics' });
  await topics.getByRole('button', { name: 'Refresh the topics' }).click();
  // A topic only seen by the app may be a SOW topic: a SOW query is offered on it too.
  await expect(topics.getByRole('button', { name: 'SOW query on orders' })).toBeVisible();
  await topics.getByRole('button', { name: 'Subscription on orders' }).click();
  await expect(ws.tabs).toHaveCount(2);
  await expect(ws.subscription().topic).toHaveValue('orders');

  await ui.newSubscription();
  await expect(ws.tabs).toHaveCount(3);
  const names = async (): Promise<string[]> =>
    (await ws.tabs.evaluateAll((tabs) => tabs.map((t) => t.getAttribute('aria-label') ?? ''))) as string[];
  expect(await names()).toEqual(['Subscription: orders', 'Subscription: orders', 'Subscription']);

  // Keyboard: the focused tab moves left with Ctrl+Shift+←.
  await ws.tab('Subscription', { exact: true }).focus();
  await app.keyboard.press('ControlOrMeta+Shift+ArrowLeft');
  expect(await names()).toEqual(['Subscription: orders', 'Subscription', 'Subscription: orders']);
  await expect(ws.tab('Subscription', { exact: true })).toBeFocused();

  // Drag: the last tab onto the first.
  await ws.tabs.nth(2).dragTo(ws.tabs.nth(0));
  expect(await names()).toEqual(['Subscription: orders', 'Subscription: orders', 'Subscription']);

  // The tab's context menu closes the others (their subscriptions end with them).
  await ws.tabs.nth(0).click({ button: 'right' });
  await app.getByRole('menuitem', { name: 'Close the other tabs' }).click();
  await expect(ws.tabs).toHaveCount(1);
  await expect.poll(() => sandbox.server.broker.subs.size).toBe(0);

  // Ctrl+Alt+W closes the active tab (Ctrl+W belongs to the browser here).
  await app.keyboard.press('ControlOrMeta+Alt+W');
  await expect(ws.tabs).toHaveCount(0);
  await expect(app.getByTestId('workspace-welcome')).toBeVisible();
});
