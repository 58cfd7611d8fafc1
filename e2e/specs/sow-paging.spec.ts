/**
 * Paging through a large SOW: past the threshold the view holds only a window from the
 * server (a paginated query) that follows the scroll position, with the total shown; delete
 * matching works on it as on a loaded view.
 */
import { expect, test } from '../fixtures.js';
import { AppPage } from '../pages/appPage.js';
import { numberedOrders } from '../support/orders.js';

const RECORDS = 20_000;

test('paging through a large SOW: the total, a jump to the middle shows the right rows, and the window stays live', async ({
  app,
  sandbox,
  seed,
}) => {
  test.setTimeout(90_000);
  await seed('orders', numberedOrders(RECORDS));
  const sow = await new AppPage(app).openSowOn(sandbox.tcpUri);
  await sow.mode('Live');
  await sow.orderBy.fill('/id');
  await sow.run('orders');
  await expect(sow.pagedStatus).toContainText('of 20,000 records (live window)');
  // The status bar gives the server's count, not the counters of a loaded view.
  await expect(sow.rowCount).toHaveText('20,000 records, paged by the server');
  // What works on loaded rows is not offered on a window; export says how to get the records.
  await expect(sow.quickFilter).toHaveCount(0);
  await expect(sow.root.getByRole('button', { name: 'Pause' })).toHaveCount(0);
  await expect(sow.root.getByText('A view paged by the server is not exported')).toBeVisible();
  await expect(sow.numberedRow(1)).toContainText('S0');
  // The renderer holds a window, not the SOW: far fewer rows than records are in the page.
  expect(await sow.grid.getByRole('row').count()).toBeLessThan(200);

  await sow.goToRow(10_001);
  const middle = sow.numberedRow(10_001);
  await expect(middle.getByRole('gridcell').first()).toHaveText('10000');
  await expect(middle).toContainText(`S${10_000 % 97}`);
  await expect(sow.pagedStatus).toContainText('rows 10,001–');
  await expect(sow.numberedRow(1)).toHaveCount(0);

  // A change to a record inside the window shows up in place.
  await seed('orders', [JSON.stringify({ id: 10_000, sym: 'CHANGED', qty: 1 })]);
  await expect(middle).toContainText('CHANGED');

  // Scrolling back to the top brings the first records back.
  await sow.goToRow(1);
  await expect(sow.numberedRow(1).getByRole('gridcell').first()).toHaveText('0');
});

test('delete matching on a paged view: the server count first, then the records leave its live window', async ({
  app,
  sandbox,
  seed,
}) => {
  test.setTimeout(90_000);
  await seed('orders', numberedOrders(12_000));
  const sow = await new AppPage(app).openSowOn(sandbox.tcpUri);
  await sow.mode('Live');
  await sow.orderBy.fill('/id DESC');
  await sow.run('orders', '/id >= 1000');
  await expect(sow.pagedStatus).toContainText('of 11,000 records (live window)');
  await expect(sow.numberedRow(1).getByRole('gridcell').first()).toHaveText('11999');

  await sow.root.getByRole('button', { name: 'Delete matching…' }).click();
  await expect(sow.confirm).toContainText('Delete 11000 records matching');
  await sow.confirm.getByRole('button', { name: 'Delete 11000 records' }).click();
  await expect(sow.notice).toHaveText('Deleted 11000 records from orders.');
  // The deleted records leave the live window (the server sends their oof).
  await expect(sow.numberedRow(1).getByRole('gridcell').first()).not.toHaveText('11999');
  await expect(sow.grid.getByRole('gridcell', { name: '11999', exact: true })).toHaveCount(0);
});
