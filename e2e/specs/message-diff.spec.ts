/**
 * Compare two messages of the subscription view: pick one, then another, and read the
 * structural diff by field path; or compare a message with the previous one of its SowKey.
 */
import { expect, test } from '../fixtures.js';
import { AppPage } from '../pages/appPage.js';

test('a diff of two messages', async ({ app, sandbox, seed }) => {
  const ui = new AppPage(app);
  await ui.expectReady();
  await ui.connection.connectTo(sandbox.tcpUri);
  await ui.connection.expectConnected();
  const sub = await ui.newSubscription();
  await sub.subscribe('orders', '');
  await seed('orders', [
    JSON.stringify({ id: 1, sym: 'IBM', qty: 30, tags: ['a'], customer: { name: 'Ann' } }),
    JSON.stringify({ id: 2, sym: 'MSFT', qty: 10 }),
    JSON.stringify({ id: 1, sym: 'IBM', qty: 31, tags: ['a', 'b'], customer: { name: 'Bo' }, venue: 'X' }),
  ]);
  await expect(sub.rows).toHaveCount(3);

  const compare = sub.root.getByRole('region', { name: 'Message comparison' });
  const pickFirst = compare.getByRole('button', { name: 'Compare with…' });
  await expect(pickFirst).toBeDisabled();

  // Pick the first message, then the third.
  await sub.rows.filter({ hasText: '"qty":30' }).click();
  await pickFirst.click();
  await expect(compare.getByRole('status')).toHaveText('Select the message to compare with message 1.');
  await sub.rows.filter({ hasText: '"qty":31' }).click();
  const table = compare.getByRole('table', { name: 'Differences from message 1 to message 3' });
  await expect(table.getByRole('row')).toHaveCount(5);
  await expect(table.getByRole('row', { name: /^\/qty/ })).toContainText('changed3031');
  await expect(table.getByRole('row', { name: /^\/tags\/1/ })).toContainText('added"b"');
  await expect(table.getByRole('row', { name: /^\/customer\/name/ })).toContainText('changed"Ann""Bo"');
  await expect(table.getByRole('row', { name: /^\/venue/ })).toContainText('added"X"');
  await compare.getByRole('button', { name: 'Close comparison' }).click();
  await expect(table).toHaveCount(0);

  // With the keyboard: Compare with… on message 3, then the arrow key selects message 2 below it.
  await pickFirst.focus();
  await app.keyboard.press('Enter');
  await expect(compare.getByRole('status')).toHaveText('Select the message to compare with message 3.');
  await sub.rows.filter({ hasText: '"qty":31' }).focus();
  await app.keyboard.press('ArrowDown');
  await expect(compare.getByRole('table', { name: 'Differences from message 2 to message 3' })).toBeVisible();

  // The previous message of the same SowKey.
  await sub.rows.filter({ hasText: '"qty":31' }).click();
  await compare.getByRole('button', { name: 'Compare with previous of its SowKey' }).click();
  await expect(compare.getByRole('table', { name: 'Differences from message 1 to message 3' })).toBeVisible();

  // MSFT's record has no earlier message: the reason is said.
  await sub.rows.filter({ hasText: 'MSFT' }).click();
  await compare.getByRole('button', { name: 'Compare with previous of its SowKey' }).click();
  await expect(compare.getByRole('status')).toContainText('No earlier message of SowKey');
});
