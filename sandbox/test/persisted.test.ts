/** Conflated persisted acks (spec §5.1, §5.5) and the logon ack's `bm` (spec §6.3). */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fnv1a64 } from '../src/hash.js';
import type { SandboxServer } from '../src/server.js';
import { memoryClient, settle, startServer, texts } from './helpers.js';

let server: SandboxServer;

beforeEach(async () => {
  server = await startServer({ topics: [{ name: 'orders', keys: ['/id'], txlog: true }] });
});
afterEach(() => server.close());

describe('persisted acks', () => {
  it('merges the persisted acks of one ack_conflation interval into one carrying the highest s', async () => {
    const pub = memoryClient(server);
    await pub.logon('pub', { o: 'ack_conflation=100ms' });
    for (let s = 1; s <= 3; s++) pub.send({ c: 'p', t: 'orders', s, a: 'persisted' }, `{"id":${s}}`);
    await pub.waitForCount(2);
    await settle(150);
    expect(texts(pub, 1)).toEqual(['{"c":"ack","a":"persisted","s":3,"status":"success"}']);
    const from = pub.received.length;
    pub.send({ c: 'p', t: 'orders', s: 4, a: 'persisted' }, '{"id":4}');
    await pub.waitForCount(from + 1);
    expect(texts(pub, from)).toEqual(['{"c":"ack","a":"persisted","s":4,"status":"success"}']);
  });

  it('refuses a logon whose ack_conflation is not an interval', async () => {
    const c = memoryClient(server);
    const ack = await c.logon('bad', { o: 'ack_conflation=soon' });
    expect(ack.text).toBe(
      '{"c":"ack","cid":"logon-1","a":"processed","status":"failure","reason":"invalid options"}',
    );
  });
});

describe('logon ack', () => {
  it('carries bm, the last bookmark from this client name, once it has published', async () => {
    const first = memoryClient(server);
    const fresh = await first.logon('pub');
    expect(fresh.fields.bookmark).toBeUndefined();
    first.send({ c: 'p', t: 'orders', s: 7 }, '{"id":1}');
    first.send({ c: 'flush', cid: 'f', a: 'processed' });
    await first.waitFor((m) => m.fields.commandId === 'f');
    first.close();
    await settle(20);
    const again = memoryClient(server);
    const ack = await again.logon('pub');
    expect(ack.text).toBe(
      `{"c":"ack","cid":"logon-1","a":"processed","status":"success","s":7,"client_name":"pub","version":"5.3.5.1","bm":"${fnv1a64('pub')}|7|"}`,
    );
  });
});
