/**
 * Journey 3: an invalid filter is reported with its position before anything is sent.
 *
 * The second half of the journey (a filter the client parser accepts but the server refuses)
 * has no case here: the sandbox compiles filters with the very parser the renderer validates
 * with (client/src/expression), so every filter it refuses is refused in the page first.
 */
import { expect, test } from '../fixtures.js';
import { AppPage } from '../pages/appPage.js';

test('an incomplete filter is marked at its position and cannot be sent', async ({ app, sandbox }) => {
  const ui = new AppPage(app);
  await ui.expectReady();
  await ui.connection.connectTo(sandbox.tcpUri);
  await ui.connection.expectConnected();

  const sub = await ui.newSubscription();
  await sub.fill('orders', '/qty > ');

  await expect(sub.filterProblem).toBeVisible();
  await expect(sub.filterProblem).toContainText('position 7');
  await expect(sub.filterProblem).toContainText('expected a value after ">"');
  // The mark sits at the end of the text, where the missing value belongs.
  await expect(sub.filterProblemMark).toHaveClass(/missing/);
  // The problem text is the filter with the caret mark appended after its last character.
  const shown = await sub.filterProblem.locator('code').textContent();
  const mark = await sub.filterProblemMark.textContent();
  expect(mark).toBe(' ');
  expect(shown).toBe(`/qty > ${mark}`);
  await expect(sub.filter).toHaveAttribute('aria-invalid', 'true');
  await expect(sub.subscribeButton).toBeDisabled();
  await expect(sub.unsubscribeButton).toHaveCount(0);

  // Fixing the filter clears the mark and allows subscribing.
  await sub.filter.pressSequentially('5');
  await expect(sub.filterProblem).toHaveCount(0);
  await expect(sub.subscribeButton).toBeEnabled();
});

test('an unknown function is marked over its name', async ({ app, sandbox }) => {
  const ui = new AppPage(app);
  await ui.expectReady();
  await ui.connection.connectTo(sandbox.tcpUri);
  await ui.connection.expectConnected();

  const sub = await ui.newSubscription();
  await sub.fill('orders', '/qty > 5 AND NOSUCHFN(/sym) = 1');

  await expect(sub.filterProblem).toContainText('unknown function NOSUCHFN');
  await expect(sub.filterProblemMark).toHaveText('NOSUCHFN');
  await expect(sub.subscribeButton).toBeDisabled();
});
