/**
 * The SOW grid's Columns menu: a column hidden and one pinned to the left; the query form folded
 * into one line; all kept in the tab after a page reload.
 */
import { expect, test } from '../fixtures.js';
import { AppPage } from '../pages/appPage.js';
import { SowViewPage } from '../pages/sowView.js';

test('columns can be hidden and pinned, the query form folded, and they stay so after a reload', async ({
  app,
  sandbox,
  seed,
}) => {
  await seed('orders', ['{"id":1,"sym":"IBM","qty":30}', '{"id":2,"sym":"MSFT","qty":10}']);
  const ui = new AppPage(app);
  await ui.expectReady();
  await ui.connection.connectTo(sandbox.tcpUri);
  await ui.connection.expectConnected();
  await app.getByRole('button', { name: 'New SOW query' }).first().click();
  const sow = new SowViewPage(app, ui.workspace.activePanel);
  await sow.mode('Query');
  await sow.run('orders');
  await sow.expectStatus('Complete');
  await expect(sow.header('/qty')).toBeVisible();

  const columns = sow.root.getByRole('button', { name: /^Grid columns/ });
  await columns.click();
  const menu = app.getByRole('dialog', { name: 'Grid columns' });
  await menu.getByRole('checkbox', { name: 'Show /qty' }).uncheck();
  await menu.getByRole('combobox', { name: 'Pin /sym' }).selectOption('left');
  await app.keyboard.press('Escape');
  await expect(menu).toBeHidden();

  // A column pinned to the left comes before every other, the row selection included.
  const firstHeader = sow.grid.getByRole('columnheader').first();
  await expect(sow.header('/qty')).toHaveCount(0);
  await expect(firstHeader).toHaveAccessibleName('/sym');
  await expect(columns).toHaveText('Grid columns (1 hidden)');
  await expect(sow.rows).toHaveCount(2);

  // The query form folds into one line, for more rows.
  await sow.root.getByRole('button', { name: 'Hide the query form' }).click();
  await expect(sow.root.getByRole('form', { name: 'SOW query' })).toHaveCount(0);
  const summary = sow.root.getByRole('group', { name: 'SOW query (form hidden)' });
  await expect(summary).toContainText('Query');
  await expect(summary).toContainText('orders');

  await app.reload();
  await ui.expectReady();
  const again = new SowViewPage(app, ui.workspace.activePanel);
  // Still folded after the reload; "Edit the query" brings the form back.
  await again.root
    .getByRole('group', { name: 'SOW query (form hidden)' })
    .getByRole('button', { name: 'Edit the query' })
    .click();
  await expect(again.root.getByRole('form', { name: 'SOW query' })).toBeVisible();
  await again.mode('Query');
  await again.run('orders');
  await again.expectStatus('Complete');
  await expect(again.rows).toHaveCount(2);
  await expect(again.header('/id')).toBeVisible();
  await expect(again.header('/qty')).toHaveCount(0);
  await expect(again.grid.getByRole('columnheader').first()).toHaveAccessibleName('/sym');

  // Back to every column, none pinned.
  await again.root.getByRole('button', { name: /^Grid columns/ }).click();
  await app.getByRole('button', { name: 'Show every column, none pinned' }).click();
  await expect(again.header('/qty')).toBeVisible();
  await expect(again.grid.getByRole('columnheader').first()).not.toHaveAccessibleName('/sym');
});
