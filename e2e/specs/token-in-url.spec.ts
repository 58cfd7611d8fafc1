/**
 * Issue 14 item 9 (browser host): the per-launch token leaves the address bar once the page
 * has read it (it cannot be copied along with the link or kept in history), and a reload of
 * the same tab still reaches the host.
 */
import { expect, test } from '../fixtures.js';
import { AppPage } from '../pages/appPage.js';

test('the token is dropped from the address once read, and a reload still reaches the host', async ({
  app,
}) => {
  const ui = new AppPage(app);
  await expect(ui.mode).toBeVisible();
  await expect.poll(() => app.url()).not.toContain('token=');
  await app.reload();
  await expect(ui.mode).toBeVisible();
  await expect(ui.fatalError).toHaveCount(0);
  expect(app.url()).not.toContain('token=');
});
