/**
 * Payloads of every message type decoded for display: a MessagePack message shows in the list
 * as the JSON of its value and in the detail pane as a highlighted tree (a corrupt one with the
 * codec's reason, then hex); an XML one as a tree with its attributes labelled; a BFlat one as a
 * table of typed fields. (Composite parts: electron/test/payloadDisplay.test.ts, the sandbox has
 * no composite type.) The sandbox takes each topic's message type from the connection
 * that first uses it (`/amps/msgpack`, `/amps/xml`, `/amps/bflat`); messages are published with our client.
 */
import { Client } from '../../client/src/client.js';
import { encodePayload } from '../../client/src/types/registry.js';
import { expect, test } from '../fixtures.js';
import type { SandboxHandle } from '../fixtures.js';
import { AppPage } from '../pages/appPage.js';

const uriOf = (sandbox: SandboxHandle, type: string): string => sandbox.tcpUri.replace(/\/amps\/json$/, `/amps/${type}`);

async function publish(uri: string, topic: string, payloads: Uint8Array[]): Promise<void> {
  const client = new Client(`e2e-types-${process.pid}-${Math.random().toString(36).slice(2, 8)}`);
  try {
    await client.connect(uri);
    await client.logon();
    for (const p of payloads) client.publish(topic, p);
    await client.publishFlush(10_000);
  } finally {
    await client.close();
  }
}

test('a MessagePack message shows decoded in the list and as a tree in the detail pane', async ({ app, sandbox }) => {
  const uri = uriOf(sandbox, 'msgpack');
  const ui = new AppPage(app);
  await ui.expectReady();
  await ui.connection.connectTo(uri);
  await ui.connection.expectConnected();
  const sub = await ui.newSubscription();
  await sub.subscribe('mp.orders', '');

  await publish(uri, 'mp.orders', [encodePayload('msgpack', { id: 7, sym: 'IBM', qty: 300, ok: true, tags: ['a'] })]);
  await expect(sub.rows).toHaveCount(1);
  // The list previews the decoded value, not the bytes.
  expect(await sub.rowPayloads()).toEqual(['{"id":7,"sym":"IBM","qty":300,"ok":true,"tags":["a"]}']);

  await sub.rows.first().click();
  await expect(sub.detail.getByLabel('Message type')).toHaveText('msgpack');
  const tree = sub.detail.getByLabel('Payload (msgpack)');
  await expect(tree).toHaveText(JSON.stringify({ id: 7, sym: 'IBM', qty: 300, ok: true, tags: ['a'] }, null, 2), {
    useInnerText: true,
  });
  await expect(tree.locator('.tok-key').first()).toHaveText('"id"');
  // What each copy button gives, read where the page writes it to the clipboard.
  // (In the page: the e2e project has no DOM types, so the page's globals are typed here.)
  type PageGlobals = { copies: string[]; navigator: { clipboard: { writeText(text: string): Promise<void> } } };
  await app.evaluate(() => {
    const page = globalThis as unknown as PageGlobals;
    const copies: string[] = [];
    page.copies = copies;
    page.navigator.clipboard.writeText = (text: string): Promise<void> => {
      copies.push(text);
      return Promise.resolve();
    };
  });
  await sub.detail.getByRole('button', { name: 'Copy payload (msgpack as JSON)' }).click();
  await sub.detail.getByRole('button', { name: 'Copy as JSON' }).click();
  await expect(sub.detail.getByRole('status').filter({ hasText: 'Payload as JSON copied.' })).toBeVisible();
  const copies = await app.evaluate(() => (globalThis as unknown as PageGlobals).copies);
  expect(copies[0]).toBe('{"id":7,"sym":"IBM","qty":300,"ok":true,"tags":["a"]}');
  expect(JSON.parse(copies[1] ?? '')).toEqual({ id: 7, sym: 'IBM', qty: 300, ok: true, tags: ['a'] });

  // A payload the codec refuses: the list keeps its bytes as text, the pane says why, then the hex.
  await publish(uri, 'mp.orders', [new Uint8Array([0x82, 0xa2, 0x69, 0x64])]);
  await expect(sub.rows).toHaveCount(2);
  await sub.rows.first().click();
  await expect(sub.detail.getByRole('alert')).toContainText('The msgpack codec refused this payload:');
  await expect(sub.detail.getByLabel('Payload hex dump')).toContainText('82 a2 69 64');
});

test('an XML message shows as a tree with its attributes labelled', async ({ app, sandbox }) => {
  const uri = uriOf(sandbox, 'xml');
  const ui = new AppPage(app);
  await ui.expectReady();
  await ui.connection.connectTo(uri);
  await ui.connection.expectConnected();
  const sub = await ui.newSubscription();
  await sub.subscribe('xml.orders', '');
  const xml = '<order id="5"><sym>IBM</sym></order>';
  await publish(uri, 'xml.orders', [new TextEncoder().encode(xml)]);
  await expect(sub.rows).toHaveCount(1);
  expect(await sub.rowPayloads()).toEqual([xml]);
  await sub.rows.first().click();
  await expect(sub.detail.getByLabel('Message type')).toHaveText('xml');
  const tree = sub.detail.getByLabel('Payload (xml)');
  await expect(tree.locator('.tok-key')).toHaveText(['"@id"', '"sym"']);
  await expect(tree.locator('.tok-label')).toHaveText(['xml attribute']);
  await expect(sub.detail.getByRole('button', { name: 'Copy payload as received' })).toBeVisible();
});

test('a BFlat message shows its fields as JSON in the list and as a typed table in the detail pane', async ({ app, sandbox }) => {
  const bflat = uriOf(sandbox, 'bflat');
  const ui = new AppPage(app);
  await ui.expectReady();
  await ui.connection.connectTo(bflat);
  await ui.connection.expectConnected();
  const sub = await ui.newSubscription();
  await sub.subscribe('bf.orders', '');

  await publish(bflat, 'bf.orders', [encodePayload('bflat', { id: 3, sym: 'MSFT', px: 1.5 })]);
  await expect(sub.rows).toHaveCount(1);
  expect(JSON.parse((await sub.rowPayloads())[0] ?? '')).toEqual({ id: 3, sym: 'MSFT', px: 1.5 });
  await sub.rows.first().click();
  await expect(sub.detail.getByLabel('Message type')).toHaveText('bflat');
  const fields = sub.detail.getByRole('table', { name: 'Payload fields (bflat)' });
  await expect(fields.getByRole('columnheader')).toHaveText(['Name', 'Value', 'Type']);
  const sym = fields.getByRole('row', { name: /sym/ });
  await expect(sym.getByRole('cell')).toHaveText(['MSFT', 'string']);
  await expect(fields.getByRole('row', { name: /^px/ }).getByRole('cell').first()).toHaveText('1.5');
});
