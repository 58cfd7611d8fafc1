/**
 * The AMPS filter editor: completion offers the fields seen in the topic's messages; a bad
 * filter shows its error over the exact range.
 */
import { expect, test } from '../fixtures.js';
import { AppPage } from '../pages/appPage.js';
import { FilterEditorPage } from '../pages/filterEditor.js';

test('completion offers a field seen in the messages, and a bad filter shows its error range', async ({
  app,
  sandbox,
  seed,
}) => {
  const ui = new AppPage(app);
  await ui.expectReady();
  await ui.connection.connectTo(sandbox.tcpUri);
  await ui.connection.expectConnected();

  const sub = await ui.newSubscription();
  await sub.subscribe('orders', '');
  await seed('orders', [JSON.stringify({ id: 1, venue: { mic: 'XNYS' }, qty: 5 })]);
  await expect(sub.rows).toHaveCount(1);

  const filter = new FilterEditorPage(app, sub.form, /^Content filter/);
  // The view samples the fields of its messages about once a second.
  await expect(async () => {
    await filter.type('/ven');
    await expect(filter.suggestion(/\/venue\/mic/)).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 10_000 });
  await app.keyboard.press('Escape');

  await filter.type("/qty > 1 AND NOSUCHFN(/venue/mic) = 'x'");
  await expect(filter.problem).toContainText('unknown function NOSUCHFN');
  await expect(filter.problemMark).toHaveText('NOSUCHFN');
  await expect(filter.textbox).toHaveAttribute('aria-invalid', 'true');
  await expect(sub.subscribeButton).toBeDisabled();
});
