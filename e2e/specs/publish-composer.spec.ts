/**
 * Publish composer journeys: a JSON message arrives in a subscription view of the same app;
 * a publish the server refuses shows its reason; a {{seq}} template repeated 1,000 times at
 * 500/s arrives complete and in order; a 10,000-line NDJSON file fills the SOW; sow_delete by
 * filter shows the count first and the server's count after. (Delta publish with its preview
 * and the merged record in a live SOW grid: publish-delta-sow.spec.ts.)
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '../../client/src/client.js';
import { expect, test } from '../fixtures.js';
import { AppPage } from '../pages/appPage.js';
import { PublishViewPage } from '../pages/publishView.js';

async function openPublish(app: AppPage, uri: string): Promise<PublishViewPage> {
  await app.expectReady();
  await app.connection.connectTo(uri);
  await app.connection.expectConnected();
  const ws = app.workspace;
  const before = await ws.tabs.count();
  await app.page.getByRole('button', { name: 'New publish' }).first().click();
  await expect(ws.tabs).toHaveCount(before + 1);
  const view = new PublishViewPage(app.page, ws.activePanel);
  await expect(view.target).toContainText(uri.replace(/\/amps\/json$/, ''));
  return view;
}

async function ownClient(uri: string): Promise<Client> {
  const client = new Client(`e2e-publish-${process.pid}-${Math.random().toString(36).slice(2, 8)}`);
  await client.connect(uri);
  await client.logon();
  return client;
}

test('a JSON message published from the app arrives in a subscription view of the same app', async ({
  app,
  sandbox,
}) => {
  const ui = new AppPage(app);
  await ui.expectReady();
  await ui.connection.connectTo(sandbox.tcpUri);
  await ui.connection.expectConnected();
  const sub = await ui.newSubscription();
  await sub.subscribe('news', '');

  await app.getByRole('button', { name: 'New publish' }).first().click();
  const pub = new PublishViewPage(app, ui.workspace.activePanel);
  await pub.publish('news', '{"id": 7, "headline": "hello from the composer"}');
  await expect(pub.results.getByRole('status')).toContainText('publish to news accepted by the server');
  await expect(pub.library.getByRole('list', { name: 'Send history' })).toContainText('publish news');

  await ui.workspace.tab(/^Subscription/).click();
  await expect(sub.rows).toHaveCount(1);
  await expect(sub.rows.first()).toContainText('hello from the composer');
});

test('a publish the server refuses shows the server reason', async ({ app, sandbox }) => {
  const pub = await openPublish(new AppPage(app), sandbox.tcpUri);
  // orders is a SOW topic keyed on /id: a message without /id is refused.
  await pub.publish('orders', '{"qty": 5}');
  await expect(pub.results.getByRole('alert')).toContainText(
    /publish to orders\s+refused by the server: .*key/i,
  );
});

test('a {{seq}} template repeated 1,000 times at 500/s arrives complete and in order', async ({
  app,
  sandbox,
}) => {
  const client = await ownClient(sandbox.tcpUri);
  try {
    const stream = await client.subscribe('ticks');
    const seqs: number[] = [];
    const reading = (async () => {
      for await (const m of stream) {
        seqs.push((JSON.parse(m.text) as { seq: number }).seq);
        if (seqs.length >= 1000) break;
      }
    })();
    const pub = await openPublish(new AppPage(app), sandbox.tcpUri);
    await pub.topic.fill('ticks');
    await pub.ack.selectOption('none');
    await pub.template.check();
    await pub.setPayload('{"seq": {{seq}}, "sym": "{{pick "IBM" "MSFT"}}"}');
    await expect(pub.nextMessage).toContainText('"seq": 1');
    await pub.repeat(1000, 500);
    await expect(pub.progress).toContainText('Done: 1000 sent, 0 failed of 1000', { timeout: 15_000 });
    await reading;
    expect(seqs).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
  } finally {
    await client.close();
  }
});

test('a 10,000-line NDJSON file publishes into the SOW', async ({ app, sandbox }) => {
  const dir = await mkdtemp(join(tmpdir(), 'amps-e2e-bulk-'));
  try {
    const file = join(dir, 'orders.ndjson');
    const lines = Array.from({ length: 10_000 }, (_, i) =>
      JSON.stringify({ id: i + 1, sym: 'IBM', qty: i % 100 }),
    );
    await writeFile(file, `${lines.join('\n')}\n`);
    const pub = await openPublish(new AppPage(app), sandbox.tcpUri);
    await pub.topic.fill('orders');
    await pub.ack.selectOption('none');
    await pub.bulk(file);
    await expect(pub.progress).toContainText('Done: 10000 sent, 0 failed', { timeout: 30_000 });
    const client = await ownClient(sandbox.tcpUri);
    try {
      await expect
        .poll(async () => {
          let n = 0;
          for await (const m of await client.sow('orders', undefined, { timeoutMs: 10_000 }))
            if (m.command === 'sow') n += 1;
          return n;
        })
        .toBe(10_000);
    } finally {
      await client.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('sow_delete by filter shows how many match, then the server count', async ({ app, sandbox, seed }) => {
  await seed(
    'orders',
    [10, 20, 30, 40].map((qty, i) => JSON.stringify({ id: i + 1, qty })),
  );
  const pub = await openPublish(new AppPage(app), sandbox.tcpUri);
  await pub.topic.fill('orders');
  await pub.sowDelete.getByLabel('Delete filter').fill('/qty >= 20');
  await pub.sowDelete.getByRole('button', { name: 'Count matching' }).click();
  await expect(pub.sowDelete.getByRole('status')).toHaveText('3 record(s) match now');
  await pub.sowDelete.getByRole('button', { name: 'Delete records' }).click();
  await expect(pub.sowDelete.getByRole('status')).toHaveText('The server deleted 3 record(s)');
});
