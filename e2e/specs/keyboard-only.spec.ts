/** From launch to a running subscription with the keyboard only. */
import { expect, test } from '../fixtures.js';
import { AppPage } from '../pages/appPage.js';

test('a keyboard-only path from launch to a running subscription', async ({ app, sandbox, seed }) => {
  const ui = new AppPage(app);
  const ws = ui.workspace;
  await ui.expectReady();

  // Connect: the shortcut puts the focus in the connection string (an editor that completes:
  // Escape closes its suggestions); Enter connects.
  await app.keyboard.press('ControlOrMeta+Alt+C');
  await expect(ui.connection.input).toBeFocused();
  await app.keyboard.type(sandbox.tcpUri);
  await ui.connection.closeSuggestions();
  await app.keyboard.press('Enter');
  await ui.connection.expectConnected();

  // New subscription: the new tab's topic field has the focus.
  await app.keyboard.press('ControlOrMeta+Alt+S');
  await expect(ws.tab('Subscription')).toHaveAttribute('aria-selected', 'true');
  const sub = ws.subscription();
  await expect(sub.topic).toBeFocused();
  await app.keyboard.type('orders');
  // Focus the filter by its shortcut, type one, and submit the form with Enter.
  await app.keyboard.press('ControlOrMeta+Alt+F');
  await expect(sub.filter).toBeFocused();
  await app.keyboard.type('/qty > 1');
  await app.keyboard.press('Enter');
  await expect(sub.unsubscribeButton).toBeVisible();
  await expect(ws.tab('Subscription: orders')).toBeVisible();

  await seed('orders', ['{"id":1,"qty":5}', '{"id":2,"qty":0}']);
  await expect(sub.rows).toHaveCount(1);
  await expect(sub.rows.first()).toContainText('"qty":5');

  // The tab is reachable and closable from the keyboard too.
  await ws.tab('Subscription: orders').focus();
  await app.keyboard.press('Delete');
  await expect(ws.tabs).toHaveCount(0);
  // Closing the view ended its subscription in the server.
  await expect.poll(() => sandbox.server.broker.subs.size).toBe(0);
});
