/** Two connections at once (the local sandbox profile and the test's sandbox), each with a receiving tab. */
import { expect, test } from '../fixtures.js';
import { AppPage } from '../pages/appPage.js';

test.use({ localSandbox: true });

const countOf = (text: string | null): number => Number((text ?? '').replace(/[^0-9]/g, ''));

test('two connections are open at once, each with a subscription tab receiving', async ({ app, sandbox, seed }) => {
  const ui = new AppPage(app);
  const ws = ui.workspace;
  await ui.expectReady();

  // The test's sandbox, by connection string.
  await ui.connection.connectTo(sandbox.tcpUri);
  await ui.connection.expectConnected();
  const orders = await ui.newSubscription();
  await orders.subscribe('orders', '');
  await seed('orders', ['{"id":1,"sym":"IBM"}']);
  await expect(orders.rows).toHaveCount(1);

  // The local sandbox, by its saved profile: a second connection beside the first.
  await ws.profiles.getByRole('button', { name: 'Connect Local sandbox' }).click({ timeout: 20_000 });
  await expect(ws.openConnections.getByRole('listitem')).toHaveCount(2);
  await expect(ws.connection('Local sandbox').getByTestId('connections-state')).toHaveAttribute('data-state', 'loggedOn');
  await expect(ws.connection(sandbox.tcpUri).getByTestId('connections-state')).toHaveAttribute('data-state', 'loggedOn');

  const market = await ui.newSubscription();
  await expect(ws.activePanel.getByRole('combobox', { name: 'Connection of this view' })).toHaveText(/Local sandbox/);
  await market.subscribe('market_data', '');
  await expect(market.rows.first()).toContainText('market_data');
  const first = countOf(await market.received.textContent());
  await expect.poll(async () => countOf(await market.received.textContent())).toBeGreaterThan(first);

  // Back to the first tab: it still receives from its own connection.
  await ws.tab('Subscription: orders').click();
  await seed('orders', ['{"id":2,"sym":"MSFT"}']);
  await expect(orders.rows).toHaveCount(2);
  await expect(orders.list).not.toContainText('market_data');
});
