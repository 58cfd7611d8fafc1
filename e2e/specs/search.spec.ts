/** Search within the received messages: free text and an expression, next match selected. */
import { expect, test } from '../fixtures.js';
import { AppPage } from '../pages/appPage.js';

test('search finds messages by text and by expression and goes to each match', async ({ app, sandbox, seed }) => {
  const ui = new AppPage(app);
  await ui.expectReady();
  await ui.connection.connectTo(sandbox.tcpUri);
  await ui.connection.expectConnected();

  const sub = await ui.newSubscription();
  await sub.subscribe('orders', '');
  const orders = [
    { id: 1, sym: 'IBM', qty: 3 },
    { id: 2, sym: 'MSFT', qty: 10 },
    { id: 3, sym: 'AAPL', qty: 50 },
  ];
  await seed('orders', orders.map((o) => JSON.stringify(o)));
  await expect(sub.rows).toHaveCount(3);

  const search = sub.root.getByRole('searchbox', { name: 'Search messages' });
  const status = sub.root.getByRole('search', { name: 'Search messages' }).getByRole('status');
  await search.fill('msft');
  await expect(status).toContainText('1 match in 3 messages (text)');
  await expect(sub.rows.locator('mark')).toHaveText(['MSFT']);
  await search.press('Enter');
  await expect(status).toContainText('1 of 1');
  await expect(sub.detailPayload).toContainText('"MSFT"');

  await search.fill('/qty >= 10');
  await expect(status).toContainText('2 matches in 3 messages (expression)');
  await sub.root.getByRole('button', { name: 'Next match' }).click();
  await expect(status).toContainText('1 of 2');
  await sub.root.getByRole('button', { name: 'Next match' }).click();
  await expect(status).toContainText('2 of 2');
  const shown = await sub.detailPayload.textContent();
  expect(shown).toMatch(/"(MSFT|AAPL)"/);
});
