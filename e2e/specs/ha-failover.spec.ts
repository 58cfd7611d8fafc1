/**
 * HA journeys: a profile with two servers; the current server dies and the subscription fails
 * over to the second and keeps receiving, with the failover in the HA view's timeline; then the
 * first server comes back (the second gone) and the connection recovers by itself, the
 * subscription resuming there.
 */
import type { Locator, Page } from '@playwright/test';
import { expect, test } from '../haFixtures.js';
import { HaViewPage } from '../pages/haView.js';
import { ProfileEditorPage } from '../pages/profileEditor.js';

const order = (id: number): string => JSON.stringify({ id, sym: 'IBM', qty: id * 10 });

async function createProfile(page: Page, name: string, servers: readonly string[]): Promise<void> {
  await page.getByRole('button', { name: 'New profile' }).click();
  const editor = new ProfileEditorPage(page);
  await editor.expectOpen();
  await editor.name.fill(name);
  for (const [i, uri] of servers.entries()) {
    if (i > 0) await editor.addServer.click();
    await editor.typeServer(i + 1, uri);
  }
  await editor.dialog.getByRole('radio', { name: 'Fixed delay' }).check();
  await editor.dialog.getByLabel('Reconnect delay (ms)').fill('200');
  await editor.save.click();
  await expect(editor.dialog).toBeHidden();
}

function messages(page: Page): Locator {
  return page.getByRole('tabpanel', { name: /^Subscription/ }).getByTestId('message-row');
}

test('the current server dies: the subscription fails over and keeps receiving; the first comes back: it recovers by itself', async ({
  app,
  haPair,
}) => {
  test.setTimeout(60_000);
  await createProfile(app, 'HA pair', haPair.uris);
  await app.getByRole('button', { name: 'Connect HA pair' }).click();
  const connection = app.getByRole('list', { name: 'Open connections' }).getByRole('listitem').filter({ hasText: 'HA pair' });
  await expect(connection).toContainText('logged on to server 1');

  await app.getByRole('button', { name: 'New subscription' }).first().click();
  const form = app.getByRole('form', { name: 'Subscription' });
  await form.getByLabel(/Topic/).fill('orders');
  await form.getByRole('button', { name: 'Subscribe' }).click();
  await expect(form.getByRole('button', { name: 'Unsubscribe' })).toBeVisible();
  await haPair.seed(0, 'orders', [order(1), order(2)]);
  await expect(messages(app)).toHaveCount(2);

  await app.getByRole('button', { name: 'Open the HA view' }).first().click();
  const ha = new HaViewPage(app);
  await expect(ha.server(1)).toContainText('current');
  await expect(ha.server(2)).not.toContainText('current');

  // Server 1 dies: the connection fails over to server 2 and the subscription is placed there.
  await haPair.stop(0);
  await expect(ha.server(2)).toContainText('current', { timeout: 15_000 });
  await expect(ha.timeline).toContainText('failed over to server 2');
  await expect(connection).toContainText('server 2');
  await haPair.seed(1, 'orders', [order(3)]);
  await app.getByRole('tab', { name: /^Subscription/ }).click();
  await expect(messages(app)).toHaveCount(3);
  await expect(messages(app).filter({ hasText: '"id":3' })).toHaveCount(1);

  // Server 1 comes back and server 2 goes away: the connection recovers by itself on server 1.
  await haPair.start(0);
  await haPair.stop(1);
  await expect(connection).toContainText(/(logged on to|failed over to) server 1/, { timeout: 15_000 });
  await haPair.seed(0, 'orders', [order(4)]);
  await expect(messages(app)).toHaveCount(4);
  await expect(messages(app).filter({ hasText: '"id":4' })).toHaveCount(1);

  await app.getByRole('tab', { name: /^HA/ }).click();
  await expect(ha.server(1)).toContainText('current');
  await expect(ha.server(2)).toContainText(/[1-9]/);
});

test('"Simulate failover" in the HA view drops the current server and the connection moves to the next', async ({
  app,
  haPair,
}) => {
  await createProfile(app, 'HA drill', haPair.uris);
  await app.getByRole('button', { name: 'Connect HA drill' }).click();
  const connection = app.getByRole('list', { name: 'Open connections' }).getByRole('listitem').filter({ hasText: 'HA drill' });
  await expect(connection).toContainText('logged on to server 1');
  await app.getByRole('button', { name: 'Open the HA view' }).first().click();
  const ha = new HaViewPage(app);
  await expect(ha.server(1)).toContainText('current');
  await ha.simulateFailover.click();
  await expect(ha.timeline).toContainText('simulated failover');
  await expect(ha.server(2)).toContainText('current');
  await expect(ha.timeline).toContainText('failed over to server 2');
  await expect(ha.root.getByText(/fixed 200 ms/)).toBeVisible();
});
