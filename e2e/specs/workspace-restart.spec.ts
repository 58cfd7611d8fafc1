/**
 * After a restart the views come back with their settings; a view on a saved profile offers to
 * connect it again, which rebinds the view, and its subscription starts again on a click.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '../fixtures.js';
import { AppPage } from '../pages/appPage.js';

test.use({ localSandbox: true });

/** The running subscription the app saved in its workspace file, if any. */
function savedSubscription(userData: string): string | undefined {
  try {
    return /"subscriptionId":"([^"]+)"/.exec(readFileSync(join(userData, 'workspace.json'), 'utf8'))?.[1];
  } catch {
    return undefined;
  }
}

test('after a restart a view on a profile reconnects it with one click and subscribes again', async ({
  app,
  relaunch,
  userData,
}) => {
  test.setTimeout(60_000);
  const ui = new AppPage(app);
  const ws = ui.workspace;
  await ui.expectReady();
  await ws.profiles.getByRole('button', { name: 'Connect Local sandbox' }).click({ timeout: 20_000 });
  const sub = await ui.newSubscription();
  await sub.subscribe('market_data', '');
  await expect(sub.rows.first()).toContainText('market_data');
  // The app saved the workspace (debounced) before it is stopped.
  await expect.poll(() => savedSubscription(userData)).toBeDefined();

  await relaunch();
  await ui.expectReady();
  await expect(ws.tab('Subscription: market_data')).toHaveAttribute('aria-selected', 'true');
  const view = ws.subscription();
  await expect(view.topic).toHaveValue('market_data');
  await expect(view.ended).toContainText('no longer running');
  // Connections are reopened on the user's word, never silently.
  await expect(ws.openConnections.getByRole('listitem')).toHaveCount(0);
  const connect = ws.activePanel.getByRole('button', { name: 'Connect Local sandbox' });
  await connect.click({ timeout: 20_000 });
  await expect(ws.activePanel.getByRole('combobox', { name: 'Connection of this view' })).toHaveText(/Local sandbox/);
  await expect(connect).toHaveCount(0);
  await view.subscribeButton.click();
  await expect(view.unsubscribeButton).toBeVisible();
  await expect(view.rows.first()).toContainText('market_data');
});
