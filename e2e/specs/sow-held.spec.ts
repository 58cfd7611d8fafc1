/**
 * A big SOW held in the app: main runs one sow_and_subscribe and keeps every record in the
 * view's order; the page draws a window of it, moves it without a new query, and follows the
 * live changes. The choice is kept with the tab, so a reload holds the records again.
 */
import { readFile } from 'node:fs/promises';
import { expect, test } from '../fixtures.js';
import { AppPage } from '../pages/appPage.js';
import { numberedOrders } from '../support/orders.js';
import { SowViewPage } from '../pages/sowView.js';

test('a live SOW held in the app: its order, a jump, live moves and a new record, one server subscription, and a reload', async ({
  app,
  sandbox,
  seed,
}) => {
  test.setTimeout(90_000);
  await seed('orders', numberedOrders(12_000));
  const ui = new AppPage(app);
  const ws = ui.workspace;
  const sow = await ui.openSowOn(sandbox.tcpUri);
  await expect(sow.paging).toHaveValue('server');
  await sow.paging.selectOption({ label: 'held in the app' });
  await sow.mode('Live');
  await sow.orderBy.fill('/qty DESC');
  await sow.run('orders');

  await expect(sow.pagedStatus).toHaveText(/^Held in the app: rows 1–\d+ of 12,000 records \(live window\)$/);
  await expect(sow.rowCount).toHaveText('12,000 records, held in the app');
  await expect(sow.numberedRow(1).getByRole('gridcell').first()).toHaveText('11999');
  // One plain subscription on the server, whatever the window does.
  await expect.poll(() => sandbox.server.broker.subs.size).toBe(1);
  await sow.goToRow(6_001);
  await expect(sow.numberedRow(6_001).getByRole('gridcell').first()).toHaveText('5999');
  expect(await sow.grid.getByRole('row').count()).toBeLessThan(200);
  // The page draws the window itself: the loaded views' grid engines are not offered.
  await expect(sow.root.getByRole('combobox', { name: 'Grid engine' })).toHaveCount(0);

  // A record that moves to the top, and a new one, are placed in main's order.
  await sow.goToRow(1);
  await seed('orders', [JSON.stringify({ id: 5, sym: 'MOVED', qty: 1_000_000 })]);
  await expect(sow.numberedRow(1)).toContainText('MOVED');
  await expect(sow.numberedRow(2).getByRole('gridcell').first()).toHaveText('11999');
  await seed('orders', [JSON.stringify({ id: 50_000, sym: 'NEW', qty: 2_000_000 })]);
  await expect(sow.numberedRow(1)).toContainText('NEW');
  await expect(sow.rowCount).toHaveText('12,001 records, held in the app');
  await expect(sow.root.getByLabel('Updates', { exact: true })).toHaveText('updates 2');
  expect(sandbox.server.broker.subs.size).toBe(1);

  // The choice is the tab's: after a reload the records are held in the app again.
  await app.reload();
  await ui.expectReady();
  const again = new SowViewPage(app, ws.activePanel);
  await expect(again.paging).toHaveValue('app');
  await expect(again.rowCount).toHaveText('12,001 records, held in the app');
  await expect(again.numberedRow(1)).toContainText('NEW');
  await expect.poll(() => sandbox.server.broker.subs.size).toBe(1);
});

test('a one-shot query held in the app: complete, not live, its window moved without the server, exported whole in order', async ({
  app,
  sandbox,
  seed,
}) => {
  test.setTimeout(60_000);
  await seed('orders', numberedOrders(12_000));
  const sow = await new AppPage(app).openSowOn(sandbox.tcpUri);
  await sow.paging.selectOption('app');
  await sow.mode('Query');
  await sow.orderBy.fill('/id');
  await sow.run('orders');
  await expect(sow.rowCount).toHaveText('12,000 records, held in the app');
  await expect(sow.status).toHaveText('Complete');
  await expect(sow.pagedStatus).toHaveText(/of 12,000 records$/);
  // The query's records are in main: the server holds no subscription for the view.
  expect(sandbox.server.broker.subs.size).toBe(0);
  await sow.goToRow(11_990);
  await expect(sow.numberedRow(11_990).getByRole('gridcell').first()).toHaveText('11989');
  // A column header orders the view by it; a second click turns the direction.
  const qtyHeader = sow.grid.getByRole('columnheader', { name: /^\/qty/ });
  await qtyHeader.getByRole('button').click();
  await expect(qtyHeader).toHaveAttribute('aria-sort', 'ascending');
  await expect(sow.orderBy).toHaveValue('/qty');
  await qtyHeader.getByRole('button').click();
  await expect(qtyHeader).toHaveAttribute('aria-sort', 'descending');
  // The view ran again and its grid was drawn anew: the header keeps the focus for the keyboard.
  await expect(qtyHeader.getByRole('button')).toBeFocused();
  await expect(sow.numberedRow(1).getByRole('gridcell').first()).toHaveText('11999');
  await sow.grid.getByRole('columnheader', { name: /^\/id/ }).getByRole('button').click();
  await expect(sow.numberedRow(1).getByRole('gridcell').first()).toHaveText('0');

  // Main holds every record, so the whole result is exported, in the view's order.
  await sow.root.getByLabel('Export format').selectOption('ndjson');
  await sow.root.getByRole('button', { name: 'Export all' }).click();
  await expect(sow.notice).toContainText('Exported 12000 records as NDJSON to');
  const path = ((await sow.notice.textContent()) ?? '').replace(/^.* to /, '').trim();
  const ids = (await readFile(path, 'utf8'))
    .trim()
    .split('\n')
    .map((l) => (JSON.parse(l) as { record: { id: number } }).record.id);
  expect(ids).toHaveLength(12_000);
  expect(ids.slice(0, 3)).toEqual([0, 1, 2]);
  expect(ids.at(-1)).toBe(11_999);
  expect(ids.every((id, i) => id === i)).toBe(true);
});
