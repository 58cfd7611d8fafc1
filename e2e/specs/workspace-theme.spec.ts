/** The theme toggle: system → light → dark, drawn at once, kept after a reload and a restart. */
import { expect, test } from '../fixtures.js';
import { AppPage } from '../pages/appPage.js';

test('the theme toggle switches the theme, and the choice survives a reload and a restart', async ({
  app,
  relaunch,
}) => {
  const ui = new AppPage(app);
  const ws = ui.workspace;
  const root = app.locator('html');
  await ui.expectReady();
  await expect(ws.themeToggle).toHaveAccessibleName(/^Theme: System theme/);

  await ws.themeToggle.click();
  await expect(root).toHaveAttribute('data-theme', 'light');
  await ws.themeToggle.click();
  await expect(root).toHaveAttribute('data-theme', 'dark');
  await expect(ws.themeToggle).toHaveAccessibleName(/^Theme: Dark theme/);
  // The app's colours follow the attribute.
  const background = (): Promise<string> => app.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  expect(await background()).toBe('rgb(20, 23, 27)');

  await app.reload();
  await ui.expectReady();
  await expect(root).toHaveAttribute('data-theme', 'dark');
  await expect(ws.themeToggle).toHaveAccessibleName(/^Theme: Dark theme/);

  await relaunch();
  await ui.expectReady();
  await expect(root).toHaveAttribute('data-theme', 'dark');

  // Back to following the system (light here): the toggle's third step.
  await ws.themeToggle.click();
  await expect(ws.themeToggle).toHaveAccessibleName(/^Theme: System theme/);
});
