/**
 * As of: the difference between the SOW of a topic in the transaction log at T1 and at T2
 * (two historical sow queries by date and time): records added, removed and changed, with
 * the fields that changed.
 */
import { Client } from '../../client/src/client.js';
import { expect, test } from '../fixtures.js';
import { AppPage } from '../pages/appPage.js';
import { SowViewPage } from '../pages/sowView.js';

test.use({ extraTopics: [{ name: 'positions', keys: ['/id'], txlog: true }] });

/** The next whole second after now, as a `datetime-local` value in UTC; waits until it has passed. */
async function markTime(): Promise<string> {
  const t = Math.floor(Date.now() / 1000) * 1000 + 1000;
  await new Promise((resolve) => setTimeout(resolve, t - Date.now() + 100));
  return new Date(t).toISOString().slice(0, 19);
}

test('the as-of diff between two times lists added, removed and changed records with the fields', async ({
  app,
  sandbox,
  seed,
}) => {
  await seed('positions', [
    JSON.stringify({ id: 1, sym: 'IBM', qty: 100 }),
    JSON.stringify({ id: 2, sym: 'MSFT', qty: 5 }),
    JSON.stringify({ id: 3, sym: 'AAPL', qty: 7 }),
  ]);
  const t1 = await markTime();
  await seed('positions', [JSON.stringify({ id: 1, sym: 'IBM', qty: 150 }), JSON.stringify({ id: 4, sym: 'ORCL', qty: 1 })]);
  const deleter = new Client(`e2e-asof-delete-${process.pid}`);
  try {
    await deleter.connect(sandbox.tcpUri);
    await deleter.logon();
    await deleter.sowDelete('positions', '/id = 2');
  } finally {
    await deleter.close();
  }
  const t2 = await markTime();
  // After T2: not part of the compare.
  await seed('positions', [JSON.stringify({ id: 3, sym: 'AAPL', qty: 999 })]);

  const appPage = new AppPage(app);
  await appPage.expectReady();
  await appPage.connection.connectTo(sandbox.tcpUri);
  await appPage.connection.expectConnected();
  const ws = appPage.workspace;
  const before = await ws.tabs.count();
  await app.getByRole('button', { name: 'New SOW query' }).first().click();
  await expect(ws.tabs).toHaveCount(before + 1);
  const sow = new SowViewPage(app, ws.activePanel);
  await sow.topic.fill('positions');

  const compare = sow.root.getByRole('region', { name: 'Compare as of' });
  await compare.getByRole('button', { name: 'Compare as of T1 and T2…' }).click();
  await compare.getByLabel('T1 date and time').fill(t1);
  await compare.getByLabel('T1 time zone').selectOption('UTC');
  await compare.getByLabel('T2 as of').selectOption('A date and time');
  await compare.getByLabel('T2 date and time').fill(t2);
  await compare.getByLabel('T2 time zone').selectOption('UTC');
  await compare.getByRole('button', { name: 'Compare', exact: true }).click();

  await expect(compare.getByRole('status', { name: 'Compare summary' })).toHaveText(
    '1 added, 1 removed, 1 changed, 1 unchanged (3 records at T1, 3 records at T2)',
  );
  const records = compare.getByRole('list', { name: 'Records that differ' });
  await expect(records.getByRole('listitem')).toHaveCount(3);
  const added = records.getByRole('listitem', { name: /^Added record/ });
  await expect(added).toContainText('ORCL');
  const removed = records.getByRole('listitem', { name: /^Removed record/ });
  await expect(removed).toContainText('MSFT');
  const changed = records.getByRole('listitem', { name: /^Changed record/ });
  // Only the field that changed, with its value at T1 and at T2.
  await expect(changed.getByRole('rowheader')).toHaveText(['/qty']);
  await expect(changed.getByRole('row', { name: /\/qty/ })).toContainText('100');
  await expect(changed.getByRole('row', { name: /\/qty/ })).toContainText('150');
  await expect(records).not.toContainText('999');
});
