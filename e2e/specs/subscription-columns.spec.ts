/**
 * Field columns of the message list: a field seen in the topic's messages, picked from the
 * column chooser, shows its value in every row and can be resized; the command and topic
 * columns never overlap.
 */
import { expect, test } from '../fixtures.js';
import { AppPage } from '../pages/appPage.js';

test('picking a field column shows its values in the message list', async ({ app, sandbox, seed }) => {
  const ui = new AppPage(app);
  await ui.expectReady();
  await ui.connection.connectTo(sandbox.tcpUri);
  await ui.connection.expectConnected();

  const sub = await ui.newSubscription();
  await sub.subscribe('orders', '');
  await seed('orders', [
    JSON.stringify({ id: 1, sym: 'IBM', px: { bid: 101.5 } }),
    JSON.stringify({ id: 2, sym: 'MSFT', px: { bid: 22.25 } }),
  ]);
  await expect(sub.rows).toHaveCount(2);

  // The fields seen are sampled about once a second.
  const chooser = sub.list.getByRole('button', { name: 'Field columns' });
  const page = sub.root.page();
  const bid = page.getByRole('menuitemcheckbox', { name: '/px/bid', exact: true });
  await expect(async () => {
    await chooser.click();
    await expect(bid).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 15_000 });
  await bid.click();
  await expect(bid).toBeChecked();
  await page.keyboard.press('Escape');
  await expect(chooser).toHaveText('Columns (1)');

  const cells = sub.rows.locator('.c-field');
  await expect(cells).toHaveCount(2);
  const values = (await cells.allTextContents()).sort();
  expect(values).toEqual(['101.5', '22.25']);
  await expect(sub.rows.filter({ hasText: 'MSFT' }).locator('.c-field')).toHaveText('22.25');

  // Command and topic sit side by side, never drawn over each other.
  const row = sub.rows.first();
  const command = await row.locator('.c-cmd').boundingBox();
  const topic = await row.locator('.c-topic').boundingBox();
  expect(command !== null && topic !== null && command.x + command.width <= topic.x).toBe(true);

  // The column is resized by its header's handle (here with the keyboard), its cells with it.
  const grip = sub.list.getByRole('slider', { name: 'Width of column /px/bid' });
  const before = Number(await grip.getAttribute('aria-valuenow'));
  await grip.focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expect(grip).toHaveAttribute('aria-valuenow', String(before + 20));
  await expect
    .poll(async () => Math.round((await sub.rows.first().locator('.c-field').boundingBox())?.width ?? 0))
    .toBe(before + 20);

  // Hiding the column again.
  await chooser.click();
  await bid.click();
  await page.keyboard.press('Escape');
  await expect(sub.rows.locator('.c-field')).toHaveCount(0);
});
