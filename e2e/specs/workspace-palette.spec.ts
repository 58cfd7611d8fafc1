/** The command palette lists every action with its shortcut and runs the one picked. */
import { expect, test } from '../fixtures.js';
import { AppPage } from '../pages/appPage.js';

test('the command palette (Ctrl+Shift+P) opens a new subscription tab', async ({ app, sandbox }) => {
  const ui = new AppPage(app);
  const ws = ui.workspace;
  await ui.expectReady();
  await ui.connection.connectTo(sandbox.tcpUri);
  await ui.connection.expectConnected();
  await expect(ws.tabs).toHaveCount(0);

  await ws.openPalette();
  const input = ws.palette.getByRole('combobox', { name: 'Command' });
  await expect(input).toBeFocused();
  // Every action is listed with its shortcut.
  await expect(ws.palette.getByRole('option', { name: /New subscription\s*Ctrl\+Alt\+S/ })).toBeVisible();
  await expect(ws.palette.getByRole('option', { name: /Close the tab\s*Ctrl\+W or Ctrl\+Alt\+W/ })).toBeVisible();
  await expect(ws.palette.getByRole('option', { name: /Next tab\s*Ctrl\+PageDown/ })).toBeVisible();
  await expect(ws.palette.getByRole('option', { name: /Focus the filter\s*Ctrl\+Alt\+F/ })).toBeVisible();

  await input.pressSequentially('new subscr');
  await expect(ws.palette.getByRole('option')).toHaveCount(1);
  await app.keyboard.press('Enter');

  await expect(ws.palette).toBeHidden();
  await expect(ws.tabs).toHaveCount(1);
  await expect(ws.tab('Subscription')).toHaveAttribute('aria-selected', 'true');
  // The new view is bound to the open connection and ready to subscribe.
  const sub = ws.subscription();
  await expect(ws.activePanel.getByRole('combobox', { name: 'Connection of this view' })).toHaveValue(/.+/);
  await sub.subscribe('orders', '');
});
