/** Conflated subscriptions: last-wins for plain subscriptions, merged deltas for delta ones (spec §4.2). */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SandboxServer } from '../src/server.js';
import type { RawClient } from './helpers.js';
import { memoryClient, settle, startServer } from './helpers.js';

let server: SandboxServer;
let pub: RawClient;
let c: RawClient;

beforeEach(async () => {
  server = await startServer({ topics: [{ name: 'orders', keys: ['/id'] }] });
  pub = memoryClient(server);
  c = memoryClient(server);
  await pub.logon('pub');
  await c.logon('c');
  pub.send({ c: 'p', t: 'orders' }, '{"id":99,"status":"open","notes":"none","xref":82}');
});
afterEach(() => server.close());

const UPDATES = [
  '{"id":99,"status":"questioned","notes":"none","xref":82}',
  '{"id":99,"status":"questioned","notes":"jcarlo hold","xref":82}',
  '{"id":99,"status":"cleared","notes":"none","xref":82}',
  '{"id":99,"status":"open","notes":"none","xref":82}',
];

describe('conflation', () => {
  it('merges the deltas of one interval for a delta subscription and keeps the last message for a plain one', async () => {
    c.send({
      c: 'delta_subscribe',
      t: 'orders',
      cid: 'd',
      sub_id: 'd',
      a: 'processed',
      o: 'conflation=100ms',
    });
    c.send({ c: 'subscribe', t: 'orders', cid: 's', sub_id: 's', a: 'processed', o: 'conflation=100ms' });
    await c.waitFor((m) => m.fields.commandId === 's');
    const from = c.received.length;
    for (const u of UPDATES) pub.send({ c: 'p', t: 'orders' }, u);
    await c.waitForCount(from + 2);
    await settle(150);
    const key = server.broker.topics.get('orders').sow?.records.keys().next().value as string;
    const got = c.received.slice(from).map((m) => m.text);
    expect(got).toHaveLength(2);
    expect(got).toContain(
      `{"c":"p","t":"orders","sids":"d","k":"${key}","l":40}{"status":"open","id":99,"notes":"none"}`,
    );
    expect(got).toContain(
      `{"c":"p","t":"orders","sids":"s","k":"${key}","l":50}{"id":99,"status":"open","notes":"none","xref":82}`,
    );
  });
});
