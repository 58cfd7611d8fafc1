/** Journey 6: the Local sandbox profile connects with one click and shows live market data. */
import { expect, test } from '../fixtures.js';
import { AppPage } from '../pages/appPage.js';

test.use({ localSandbox: true });

const countOf = (text: string | null): number => Number((text ?? '').replace(/[^0-9]/g, ''));

test('one click on Local sandbox connects and market_data ticks arrive live', async ({ app }) => {
  const ui = new AppPage(app);
  await ui.expectReady();
  await expect(ui.connection.sandboxState).toContainText('running', { timeout: 20_000 });

  await ui.connection.sandboxButton.click();
  await ui.connection.expectConnected();

  const sub = await ui.newSubscription();
  await sub.subscribe('market_data', '');
  await expect(sub.rows.first()).toBeVisible();
  await expect(sub.rows.first()).toContainText('market_data');

  const first = countOf(await sub.received.textContent());
  expect(first).toBeGreaterThan(0);
  await expect.poll(async () => countOf(await sub.received.textContent())).toBeGreaterThan(first);
});
