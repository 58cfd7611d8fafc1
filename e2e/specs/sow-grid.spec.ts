/**
 * SOW grid journeys: a query shows the records as rows with their columns and count; live
 * updates flash their cell; records that leave go with their reason; sort by a column; delete
 * by filter with the count; export CSV and read the file back.
 */
import { readFile } from 'node:fs/promises';
import { Client } from '../../client/src/client.js';
import { expect, test } from '../fixtures.js';
import { AppPage } from '../pages/appPage.js';

const ORDERS = [
  { id: 1, sym: 'IBM', qty: 30, customer: { name: 'Ann' } },
  { id: 2, sym: 'MSFT', qty: 10, customer: { name: 'Bob' } },
  { id: 3, sym: 'AAPL', qty: 50, customer: { name: 'Cy' } },
  { id: 4, sym: 'ORCL', qty: 20, customer: { name: 'Di' } },
];

test('a SOW query shows the records as rows with their columns and count, sorted by a column', async ({
  app,
  sandbox,
  seed,
}) => {
  await seed(
    'orders',
    ORDERS.map((o) => JSON.stringify(o)),
  );
  const sow = await new AppPage(app).openSowOn(sandbox.tcpUri);
  await sow.mode('Query');
  await sow.run('orders', '/qty >= 20');
  await sow.expectStatus('Complete');
  await expect(sow.rows).toHaveCount(3);
  await expect(sow.rowCount).toHaveText('3 rows');
  for (const path of ['/id', '/sym', '/qty', '/customer/name']) await expect(sow.header(path)).toBeVisible();
  await expect(sow.row('MSFT')).toHaveCount(0);
  // Numbers are right-aligned.
  await expect(sow.cell('IBM', '/qty')).toHaveClass(/ag-right-aligned-cell/);

  await sow.header('/qty').click();
  await expect.poll(() => sow.columnValues('/qty')).toEqual(['20', '30', '50']);
  await sow.header('/qty').click();
  await expect.poll(() => sow.columnValues('/qty')).toEqual(['50', '30', '20']);

  // A topic only queried (never subscribed to) is among the topics seen on this connection.
  const topics = app.getByRole('region', { name: 'Topics' });
  await topics.getByRole('button', { name: 'Refresh the topics' }).click();
  await expect(topics.getByRole('button', { name: 'SOW query on orders' })).toBeVisible();
});

test('live: an update flashes its cell, a record leaving the filter goes with reason match, a deleted one with reason deleted', async ({
  app,
  sandbox,
  seed,
}) => {
  await seed(
    'orders',
    ORDERS.map((o) => JSON.stringify(o)),
  );
  const sow = await new AppPage(app).openSowOn(sandbox.tcpUri);
  await sow.mode('Live');
  await sow.run('orders', '/qty >= 20');
  await sow.expectStatus('Live');
  await expect(sow.rows).toHaveCount(3);

  await seed('orders', [JSON.stringify({ id: 1, sym: 'IBM', qty: 31, customer: { name: 'Ann' } })]);
  await expect(sow.cell('IBM', '/qty')).toHaveText('31');
  await expect(sow.cell('IBM', '/qty')).toHaveClass(/ag-cell-data-changed/);
  await expect(sow.cell('IBM', '/sym')).not.toHaveClass(/ag-cell-data-changed/);

  await seed('orders', [JSON.stringify({ id: 3, sym: 'AAPL', qty: 1, customer: { name: 'Cy' } })]);
  await expect(sow.cell('AAPL', '__state')).toHaveText('match');
  await expect(sow.row('AAPL')).toHaveCount(0);
  await expect(sow.root.getByLabel('Removed (match)')).toHaveText('removed (match) 1');

  // Another client deletes ORCL from the SOW.
  const client = new Client(`e2e-sow-delete-${process.pid}`);
  await client.connect(sandbox.tcpUri);
  await client.logon();
  try {
    await client.sowDelete('orders', '/id = 4');
  } finally {
    await client.close();
  }
  await expect(sow.cell('ORCL', '__state')).toHaveText('deleted');
  await expect(sow.row('ORCL')).toHaveCount(0);
  await expect(sow.rowCount).toHaveText('1 rows');
});

test('delete by filter shows the count first, then the server count; export all as CSV and export shown read back', async ({
  app,
  sandbox,
  seed,
  userData,
}) => {
  await seed(
    'orders',
    ORDERS.map((o) => JSON.stringify(o)),
  );
  const sow = await new AppPage(app).openSowOn(sandbox.tcpUri);
  await sow.mode('Live');
  await sow.run('orders', '/qty >= 20');
  await sow.expectStatus('Live');
  await expect(sow.rows).toHaveCount(3);

  await sow.root.getByRole('button', { name: 'Export all' }).click();
  await expect(sow.notice).toContainText('Exported 3 records as CSV to');
  const path = ((await sow.notice.textContent()) ?? '').replace(/^.* to /, '').trim();
  expect(path.startsWith(userData)).toBe(true);
  const lines = (await readFile(path, 'utf8')).trim().split('\r\n');
  expect(lines[0]).toBe('SowKey,/id,/sym,/qty,/customer/name');
  expect(
    lines
      .slice(1)
      .map((l) => l.split(',').slice(1).join(','))
      .sort(),
  ).toEqual(['1,IBM,30,Ann', '3,AAPL,50,Cy', '4,ORCL,20,Di']);

  // Export shown: the rows the quick filter leaves, as NDJSON.
  await sow.quickFilter.fill('ORCL');
  await expect(sow.rows).toHaveCount(1);
  await sow.root.getByLabel('Export format').selectOption('ndjson');
  await sow.root.getByRole('button', { name: 'Export shown' }).click();
  await expect(sow.notice).toContainText('Exported 1 record as NDJSON to');
  const shownPath = ((await sow.notice.textContent()) ?? '').replace(/^.* to /, '').trim();
  const shown = (await readFile(shownPath, 'utf8')).trim().split('\n');
  expect(shown.map((l) => (JSON.parse(l) as { record: { sym: string } }).record.sym)).toEqual(['ORCL']);
  await sow.quickFilter.fill('');
  await expect(sow.rows).toHaveCount(3);

  await sow.root.getByRole('button', { name: 'Delete matching…' }).click();
  await expect(sow.confirm).toContainText('Delete 3 records matching');
  await sow.confirm.getByRole('button', { name: 'Delete 3 records' }).click();
  await expect(sow.notice).toHaveText('Deleted 3 records from orders.');
  await expect(sow.rows).toHaveCount(0);
  await expect(sow.root.getByLabel('Removed (deleted)')).toHaveText('removed (deleted) 3');
});

test('changing the filter of a live view: records that enter are added, those that leave go with reason match', async ({
  app,
  sandbox,
  seed,
}) => {
  await seed(
    'orders',
    ORDERS.map((o) => JSON.stringify(o)),
  );
  const sow = await new AppPage(app).openSowOn(sandbox.tcpUri);
  await sow.mode('Live');
  await sow.run('orders', '/qty < 25');
  await sow.expectStatus('Live');
  await expect(sow.rows).toHaveCount(2);
  await expect(sow.row('MSFT')).toHaveCount(1);

  await sow.setFilter('/qty > 25');
  await sow.applyFilterButton.click();
  await expect(sow.row('IBM')).toHaveCount(1);
  await expect(sow.row('AAPL')).toHaveCount(1);
  await expect(sow.root.getByLabel('Removed (match)')).toHaveText('removed (match) 2');
  await expect(sow.rows).toHaveCount(2);
  await expect(sow.row('MSFT')).toHaveCount(0);

  // Still live under the new filter; the row detail shows the record with its headers.
  await seed('orders', [JSON.stringify({ id: 5, sym: 'NFLX', qty: 99, customer: { name: 'Ed' } })]);
  await expect(sow.row('NFLX')).toHaveCount(1);
  await sow.row('NFLX').getByRole('gridcell', { name: 'NFLX' }).click();
  const detail = sow.root.getByRole('region', { name: 'Record detail' });
  await expect(detail).toContainText('"sym": "NFLX"');
  await expect(detail).toContainText('orders');
});
