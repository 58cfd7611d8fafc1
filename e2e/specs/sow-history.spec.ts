/**
 * Row history: on a SOW topic in the transaction log, the row detail lists the record's past
 * versions (bookmark replay filtered on its key fields), each with its time and what changed.
 */
import { expect, test } from '../fixtures.js';
import { AppPage } from '../pages/appPage.js';
import { SowViewPage } from '../pages/sowView.js';

test.use({ extraTopics: [{ name: 'positions', keys: ['/id'], txlog: true }] });

test('row history shows the versions of a record with what each changed', async ({ app, sandbox, seed }) => {
  await seed('positions', [
    JSON.stringify({ id: 7, sym: 'IBM', qty: 100 }),
    JSON.stringify({ id: 8, sym: 'MSFT', qty: 5 }),
    JSON.stringify({ id: 7, sym: 'IBM', qty: 150 }),
    JSON.stringify({ id: 7, sym: 'IBM', qty: 90, note: 'trimmed' }),
  ]);
  const appPage = new AppPage(app);
  await appPage.expectReady();
  await appPage.connection.connectTo(sandbox.tcpUri);
  await appPage.connection.expectConnected();
  const ws = appPage.workspace;
  const before = await ws.tabs.count();
  await app.getByRole('button', { name: 'New SOW query' }).first().click();
  await expect(ws.tabs).toHaveCount(before + 1);
  const sow = new SowViewPage(app, ws.activePanel);
  await sow.mode('Query');
  await sow.run('positions');
  await sow.expectStatus('Complete');
  await expect(sow.rows).toHaveCount(2);

  await sow.cell('IBM', '/qty').click();
  await expect(sow.root.getByRole('region', { name: 'Record detail' })).toBeVisible();
  const history = sow.history;
  await history.getByLabel('Key fields').fill('/id');
  await history.getByRole('button', { name: 'Show history' }).click();
  await expect(history.getByRole('status')).toHaveText('3 versions');
  const versions = history.getByRole('list', { name: /^Versions of record/ });
  await expect(versions.getByRole('listitem')).toHaveCount(3);
  const third = versions.getByRole('listitem', { name: 'Version 3' });
  await expect(third).toContainText('/qty');
  await expect(third).toContainText('150');
  await expect(third).toContainText('90');
  await expect(third).toContainText('/note');
  await expect(third.locator('time')).toHaveAttribute('datetime', /^\d{4}-\d{2}-\d{2}T/);
  const second = versions.getByRole('listitem', { name: 'Version 2' });
  await expect(second.getByRole('rowheader')).toHaveText(['/qty']);
  // The first version lists every field it had.
  await expect(versions.getByRole('listitem', { name: 'Version 1' }).getByRole('rowheader')).toHaveText([
    '/id',
    '/sym',
    '/qty',
  ]);
});
