/**
 * Fan-out over loopback TCP: deliveries written in parts into the connection's output slab
 * carry the same header bytes the header codec writes; payloads that are not JSON reach
 * subscriptions without a filter (nothing parses them) and never pass a content filter.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { SandboxServer } from '../src/server.js';
import type { RawClient } from './helpers.js';
import { startServer, tcpClient, texts } from './helpers.js';

let server: SandboxServer | undefined;
const clients: RawClient[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await server?.close();
  server = undefined;
});

async function client(name: string): Promise<RawClient> {
  const c = await tcpClient((server as SandboxServer).ports.tcp as number);
  clients.push(c);
  await c.logon(name);
  return c;
}

async function subscribe(c: RawClient, header: Record<string, unknown>): Promise<void> {
  const cid = `sub-${String(header.sub_id)}`;
  c.send({ c: 'subscribe', cid, a: 'processed', ...header });
  await c.waitFor((m) => m.fields.commandId === cid);
}

describe('fan-out over TCP', () => {
  it('delivers to plain and filtered subscribers with exact headers, keys and lengths', async () => {
    server = await startServer({ topics: [{ name: 'book', keys: ['/id'] }] });
    const pub = await client('pub');
    const plain = await client('plain');
    const filtered = await client('filtered');
    await subscribe(plain, { t: 'ticks', sub_id: 'all' });
    await subscribe(plain, { t: 'book', sub_id: 'keyed' });
    await subscribe(filtered, { t: 'ticks', sub_id: 'big', filter: '/px > 10' });
    const fromPlain = plain.received.length;
    const fromFiltered = filtered.received.length;
    const notJson = 'px=50|not json at all';
    const long = `{"px":11,"pad":"${'x'.repeat(70_000)}"}`;
    pub.send({ c: 'p', t: 'ticks' }, notJson);
    pub.send({ c: 'p', t: 'ticks' }, '{"px":5}');
    pub.send({ c: 'p', t: 'ticks' }, '{"px":15}');
    pub.send({ c: 'p', t: 'ticks' }, long);
    pub.send({ c: 'p', t: 'book' }, '{"id":7,"q":"é"}');
    await plain.waitForCount(fromPlain + 5, 5000);
    await filtered.waitForCount(fromFiltered + 2, 5000);
    const book = plain.received.slice(fromPlain).find((m) => m.fields.subIds === 'keyed');
    expect(book?.fields.sowKey).toMatch(/.+/);
    expect(texts(plain, fromPlain)).toEqual([
      `{"c":"p","t":"ticks","sids":"all","l":${notJson.length}}${notJson}`,
      '{"c":"p","t":"ticks","sids":"all","l":8}{"px":5}',
      '{"c":"p","t":"ticks","sids":"all","l":9}{"px":15}',
      `{"c":"p","t":"ticks","sids":"all","l":${long.length}}${long}`,
      `{"c":"p","t":"book","sids":"keyed","k":${JSON.stringify(book?.fields.sowKey)},"l":17}{"id":7,"q":"é"}`,
    ]);
    expect(texts(filtered, fromFiltered)).toEqual([
      '{"c":"p","t":"ticks","sids":"big","l":9}{"px":15}',
      `{"c":"p","t":"ticks","sids":"big","l":${long.length}}${long}`,
    ]);
  });
});
