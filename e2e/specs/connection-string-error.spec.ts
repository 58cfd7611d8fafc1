/** Journey 4: a bad connection string names the wrong part and its position; no connecting. */
import { expect, test } from '../fixtures.js';
import { AppPage } from '../pages/appPage.js';

test('a bad port is marked in the connection string and Connect stays disabled', async ({ app }) => {
  const ui = new AppPage(app);
  await ui.expectReady();
  const text = 'tcp://127.0.0.1:99x9/amps/json';

  await ui.connection.typeConnectionString(text);

  const problem = ui.connection.problem;
  await expect(problem).toBeVisible();
  await expect(problem).toContainText(/port/i);
  const portStart = text.indexOf('99x9');
  await expect(problem).toContainText(`position ${portStart}`);
  // The mark covers (part of) the port and nothing outside it.
  const marked = (await ui.connection.problemMark.textContent()) ?? '';
  expect(marked.length).toBeGreaterThan(0);
  expect('99x9'.includes(marked)).toBe(true);
  await expect(ui.connection.input).toHaveAttribute('aria-invalid', 'true');

  await expect(ui.connection.connectButton).toBeDisabled();
  await ui.connection.input.press('Enter');
  await expect(ui.connection.status).toHaveText('not used');
  await expect(ui.connection.disconnectButton).toHaveCount(0);
});
