/**
 * Delta publish journey: a live SOW tab shows the record, the publish tab previews the merge of
 * a delta_publish beside the current record, and after the send the SOW grid's cells show the
 * record the server merged (changed field new, untouched fields kept), found by role.
 */
import { expect, test } from '../fixtures.js';
import { AppPage } from '../pages/appPage.js';
import { PublishViewPage } from '../pages/publishView.js';
import { SowViewPage } from '../pages/sowView.js';

test('delta publish with its preview, and the merged record in a live SOW grid', async ({ app, sandbox, seed }) => {
  await seed('orders', [
    JSON.stringify({ id: 1, sym: 'IBM', qty: 30, customer: { name: 'Ann' } }),
    JSON.stringify({ id: 2, sym: 'MSFT', qty: 10, customer: { name: 'Bob' } }),
  ]);
  const ui = new AppPage(app);
  const ws = ui.workspace;
  await ui.expectReady();
  await ui.connection.connectTo(sandbox.tcpUri);
  await ui.connection.expectConnected();

  // A live SOW tab on the topic.
  await app.getByRole('button', { name: 'New SOW query' }).first().click();
  const sowTab = ws.tabList.getByRole('tab', { selected: true });
  await expect(sowTab).toHaveAccessibleName(/^SOW/);
  const sow = new SowViewPage(app, ws.activePanel);
  await sow.mode('Live');
  await sow.run('orders');
  await sow.expectStatus('Live');
  await expect(sow.rows).toHaveCount(2);
  const ibm = sow.grid.getByRole('row').filter({ has: app.getByRole('gridcell', { name: 'IBM', exact: true }) });
  await expect(ibm).toHaveCount(1);
  await expect(ibm.getByRole('gridcell', { name: '30', exact: true })).toBeVisible();

  // The publish tab: a delta_publish of one field, previewed against the current record.
  await app.getByRole('button', { name: 'New publish' }).first().click();
  await expect(ws.tabList.getByRole('tab', { selected: true })).toHaveAccessibleName(/^Publish/);
  const pub = new PublishViewPage(app, ws.activePanel);
  await pub.topic.fill('orders');
  await pub.command.selectOption('delta_publish');
  await pub.setPayload('{"id": 1, "qty": 31}');
  await pub.delta.getByLabel('Key fields').fill('/id');
  await pub.delta.getByRole('button', { name: 'Preview merge' }).click();
  await expect(pub.delta.getByLabel('Current record')).toContainText('"qty": 30');
  await expect(pub.delta.getByLabel('Merged record')).toContainText('"qty": 31');
  await expect(pub.delta.getByLabel('Merged record')).toContainText('"name": "Ann"');
  await pub.sendButton.click();
  await expect(pub.results.getByRole('status')).toContainText('delta_publish to orders accepted by the server');

  // Back in the SOW tab: the grid holds the merged record, cell by cell; the other record is untouched.
  await ws.tab(/^SOW/).click();
  await expect(sow.grid).toBeVisible();
  await expect(sow.rows).toHaveCount(2);
  await expect(ibm.getByRole('gridcell', { name: '31', exact: true })).toBeVisible();
  await expect(ibm.getByRole('gridcell', { name: '30', exact: true })).toHaveCount(0);
  await expect(ibm.getByRole('gridcell', { name: 'Ann', exact: true })).toBeVisible();
  await expect(sow.cell('IBM', '/qty')).toHaveText('31');
  await expect(sow.cell('IBM', '/customer/name')).toHaveText('Ann');
  await expect(sow.cell('MSFT', '/qty')).toHaveText('10');
});
