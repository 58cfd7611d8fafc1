/**
 * The theme toggle: system → light → dark, drawn at once; the theme and the pane sizes are kept
 * after a reload and a restart.
 */
import { expect, test } from '../fixtures.js';
import { AppPage } from '../pages/appPage.js';

test('the theme toggle switches the theme; the theme and pane sizes survive a reload and a restart', async ({
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
  await expect(root).toHaveCSS('background-color', 'rgb(20, 23, 27)');

  // The side bar, widened from the keyboard on its resize handle.
  const side = app.getByRole('complementary', { name: 'Side bar' });
  const width = async (): Promise<number> => Math.round((await side.boundingBox())?.width ?? 0);
  const before = await width();
  await app.getByRole('separator', { name: 'Resize the side bar' }).focus();
  await app.keyboard.press('ArrowRight');
  await app.keyboard.press('ArrowRight');
  await expect.poll(width).toBeGreaterThan(before + 20);
  const widened = await width();

  await app.reload();
  await ui.expectReady();
  await expect(root).toHaveAttribute('data-theme', 'dark');
  await expect.poll(width).toBe(widened);
  await expect(ws.themeToggle).toHaveAccessibleName(/^Theme: Dark theme/);

  await relaunch();
  await ui.expectReady();
  await expect(root).toHaveAttribute('data-theme', 'dark');
  await expect.poll(width).toBe(widened);

  // Back to following the system (light here): the toggle's third step.
  await ws.themeToggle.click();
  await expect(ws.themeToggle).toHaveAccessibleName(/^Theme: System theme/);
});
