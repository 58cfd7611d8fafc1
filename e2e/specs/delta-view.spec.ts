/**
 * The merged view of a delta subscription: one row per SowKey holding the merged record, the
 * fields the last delta changed highlighted, and the raw delta on demand.
 */
import { Client } from '../../client/src/client.js';
import { expect, test } from '../fixtures.js';
import { AppPage } from '../pages/appPage.js';

test('the delta view highlights changed fields', async ({ app, sandbox, seed }) => {
  const ui = new AppPage(app);
  await ui.expectReady();
  await ui.connection.connectTo(sandbox.tcpUri);
  await ui.connection.expectConnected();
  const sub = await ui.newSubscription();
  await sub.form.getByLabel('Mode').selectOption('delta_subscribe');
  await sub.subscribe('orders', '');

  await seed('orders', [
    JSON.stringify({ id: 1, sym: 'IBM', qty: 30, customer: { name: 'Ann', city: 'Oslo' } }),
    JSON.stringify({ id: 2, sym: 'MSFT', qty: 10 }),
  ]);
  await expect(sub.rows).toHaveCount(2);
  // A delta publish of record 1: the subscriber gets the changed fields (and the key).
  const client = new Client(`e2e-delta-${process.pid}`);
  try {
    await client.connect(sandbox.tcpUri);
    await client.logon();
    client.deltaPublish('orders', JSON.stringify({ id: 1, qty: 31, customer: { city: 'Rome' } }));
    await client.publishFlush(5_000);
  } finally {
    await client.close();
  }
  await expect(sub.rows).toHaveCount(3);

  const toggle = sub.root.getByRole('button', { name: 'Merged by key' });
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  const merged = sub.root.getByRole('region', { name: 'Merged records by SowKey' });
  await expect(merged.getByRole('status', { name: 'Merged view counts' })).toContainText('2 keys · 3 merged');

  // One row per key: record 1 merged from the full record and the delta, its changed fields marked.
  const ibm = merged.getByRole('button', { name: /sym="IBM"/ });
  await expect(ibm).toContainText('/id=1 /sym="IBM" /qty=31 /customer/name="Ann" /customer/city="Rome"');
  await expect(ibm.locator('mark')).toHaveText(['/qty=31', '/customer/city="Rome"']);
  await expect(merged.getByRole('button', { name: /sym="MSFT"/ }).locator('mark')).toHaveCount(0);

  await ibm.click();
  const record = merged.getByRole('region', { name: 'Merged record' });
  const fields = record.getByRole('table', { name: 'Fields of the merged record' });
  await expect(fields.getByRole('row', { name: /\/qty/ })).toContainText('31changed');
  await expect(fields.getByRole('row', { name: /\/sym/ })).not.toContainText('changed');
  const changes = record.getByRole('table', { name: /^Changes of the last message of SowKey/ });
  await expect(changes.getByRole('row', { name: /\/qty/ })).toContainText('changed3031');
  await expect(changes.getByRole('row', { name: /\/customer\/city/ })).toContainText('"Oslo""Rome"');

  // The raw delta, on demand: what the server sent, not the merged record.
  await expect(record.getByLabel('Raw delta')).toHaveCount(0);
  await record.getByRole('button', { name: 'Show raw delta' }).click();
  const raw = record.getByLabel('Raw delta');
  await expect(raw).toContainText('"qty":31');
  await expect(raw).not.toContainText('IBM');
  await expect(record.getByRole('button', { name: 'Hide raw delta' })).toHaveAttribute('aria-expanded', 'true');
  // The message detail shows the same delta message.
  await expect(sub.detailPayload).toContainText('"qty": 31');

  // Back to the message list.
  await toggle.click();
  await expect(sub.rows).toHaveCount(3);
});
