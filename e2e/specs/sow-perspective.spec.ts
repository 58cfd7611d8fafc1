/**
 * The SOW view's perspective grid engine (opt-in): perspective loads in the browser under the
 * app's CSP (its WASM, its bundled worker), a live query shows the records as rows, a column
 * header sorts them, an update changes its cell and a record leaving the filter goes with its
 * reason.
 */
import { expect, test } from '../fixtures.js';
import { AppPage } from '../pages/appPage.js';
import { SowViewPage } from '../pages/sowView.js';

const ORDERS = [
  { id: 1, sym: 'IBM', qty: 30 },
  { id: 2, sym: 'MSFT', qty: 10 },
  { id: 3, sym: 'AAPL', qty: 50 },
  { id: 4, sym: 'ORCL', qty: 20 },
];

test('the perspective engine shows a live SOW, sorts it by a column and follows updates and removals', async ({
  app,
  sandbox,
  seed,
}) => {
  const errors: string[] = [];
  app.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await seed(
    'orders',
    ORDERS.map((o) => JSON.stringify(o)),
  );
  const page = new AppPage(app);
  await page.expectReady();
  await page.connection.connectTo(sandbox.tcpUri);
  await page.connection.expectConnected();
  await app.getByRole('button', { name: 'New SOW query' }).first().click();
  const panel = page.workspace.activePanel;
  const sow = new SowViewPage(app, panel);
  await panel.getByRole('combobox', { name: 'Grid engine' }).selectOption('perspective');
  await sow.mode('Live');
  await sow.run('orders', '/qty >= 20');
  await sow.expectStatus('Live');

  const grid = panel.getByRole('grid', { name: 'SOW records' });
  const rows = grid.getByRole('row');
  await expect(panel.getByRole('status').filter({ hasText: 'perspective engine: 3 rows' })).toBeVisible();
  await expect(rows).toHaveCount(4);
  for (const path of ['/id', '/sym', '/qty'])
    await expect(grid.getByRole('columnheader', { name: path })).toBeVisible();

  const qty = grid.getByRole('columnheader', { name: '/qty' });
  await qty.getByRole('button').click();
  await expect(qty).toHaveAttribute('aria-sort', 'ascending');
  await expect(rows.nth(1)).toContainText('ORCL');
  await expect(rows.nth(3)).toContainText('AAPL');
  await qty.getByRole('button').click();
  await expect(qty).toHaveAttribute('aria-sort', 'descending');
  await expect(rows.nth(1)).toContainText('AAPL');

  await seed('orders', [JSON.stringify({ id: 4, sym: 'ORCL', qty: 60 })]);
  await expect(rows.nth(1)).toContainText('ORCL');
  await expect(rows.nth(1).getByRole('gridcell', { name: '60', exact: true })).toBeVisible();

  await seed('orders', [JSON.stringify({ id: 1, sym: 'IBM', qty: 1 })]);
  await expect(
    rows.filter({ hasText: 'IBM' }).getByRole('gridcell', { name: 'match', exact: true }),
  ).toBeVisible();
  await expect(rows.filter({ hasText: 'IBM' })).toHaveCount(0);
  await expect(rows).toHaveCount(3);
  expect(errors.filter((e) => /Content Security Policy|perspective/i.test(e))).toEqual([]);
});
