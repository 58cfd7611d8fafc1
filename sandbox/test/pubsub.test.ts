/** publish / delta_publish / subscribe / delta_subscribe / unsubscribe (spec §4.4–§4.7, §4.11, §9, §12.6, §14.8). */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SandboxServer } from '../src/server.js';
import type { RawClient } from './helpers.js';
import { memoryClient, settle, startServer, texts } from './helpers.js';

let server: SandboxServer;
let pub: RawClient;
let sub: RawClient;

beforeEach(async () => {
  server = await startServer({
    topics: [
      { name: 'orders', keys: ['/id'] },
      { name: 'regional', keys: ['/region', '/id'] },
      { name: 'short', keys: ['/id'], expiration: 0.1 },
    ],
    tickMs: 20,
  });
  pub = memoryClient(server);
  sub = memoryClient(server);
  await pub.logon('pub');
  await sub.logon('sub');
});
afterEach(() => server.close());

/** Publishes and waits until the server has processed it. */
async function publish(
  topic: string,
  body: string,
  extra: Record<string, unknown> = {},
  command = 'publish',
): Promise<void> {
  pub.send({ c: command, t: topic, ...extra }, body);
  const cid = `f${Math.random()}`;
  pub.send({ c: 'flush', cid, a: 'processed' });
  await pub.waitFor((m) => m.fields.commandId === cid);
}

async function subscribe(header: Record<string, unknown>): Promise<void> {
  sub.send({ c: 'subscribe', a: 'processed', ...header });
  const ackMsg = await sub.waitFor((m) => m.fields.command === 'ack' && m.fields.commandId === header['cid']);
  expect(ackMsg.fields.status, ackMsg.text).toBe('success');
}

async function syncSub(): Promise<void> {
  const cid = `s${Math.random()}`;
  sub.send({ c: 'flush', cid, a: 'processed' });
  await sub.waitFor((m) => m.fields.commandId === cid);
}

describe('subscribe', () => {
  it('delivers matching messages of a plain topic with sids and l, filtered', async () => {
    await subscribe({ t: 'ticks', cid: 's1', sub_id: 's1', filter: '/px > 10' });
    await publish('ticks', '{"px":5}');
    await publish('ticks', '{"px":15}');
    await syncSub();
    expect(texts(sub, 2).filter((t) => t.startsWith('{"c":"p"'))).toEqual([
      '{"c":"p","t":"ticks","sids":"s1","l":9}{"px":15}',
    ]);
  });

  it('matches regex topics and reports the actual topic', async () => {
    await subscribe({ t: '^md\\.', cid: 'r', sub_id: 'r' });
    await publish('md.AAPL', '{"a":1}');
    await publish('other', '{"a":1}');
    await publish('md.IBM', '{"a":2}');
    await syncSub();
    const got = sub.received.filter((m) => m.fields.command === 'publish').map((m) => m.fields.topic);
    expect(got).toEqual(['md.AAPL', 'md.IBM']);
  });

  it('refuses bad filters, bad regex topics and a reused sub_id', async () => {
    sub.send({ c: 'subscribe', t: 'x', cid: 'b', a: 'processed', filter: '/a = = 3' });
    expect((await sub.waitFor((m) => m.fields.commandId === 'b')).text).toBe(
      '{"c":"ack","cid":"b","a":"processed","status":"failure","reason":"bad filter"}',
    );
    sub.send({ c: 'subscribe', t: 'abc(', cid: 'r', a: 'processed' });
    expect((await sub.waitFor((m) => m.fields.commandId === 'r')).fields.reason).toBe('bad regex topic');
    await subscribe({ t: 'x', cid: 'u', sub_id: 'u' });
    sub.send({ c: 'subscribe', t: 'y', cid: 'u2', sub_id: 'u', a: 'processed' });
    expect((await sub.waitFor((m) => m.fields.commandId === 'u2')).fields.reason).toBe('subid in use');
  });

  it('adds k, ts, x, and honours no_sowkey and replace', async () => {
    await subscribe({ t: 'orders', cid: 'k1', sub_id: 'k1', o: 'timestamp' });
    await publish('orders', '{"id":1}', { x: 'abc' });
    await syncSub();
    const m = sub.received.find((r) => r.fields.command === 'publish');
    expect(m?.text).toMatch(
      /^\{"c":"p","t":"orders","sids":"k1","x":"abc","k":"\d+","ts":"\d{8}T\d{6}\.\d{6}Z","l":8\}\{"id":1\}$/,
    );
    await subscribe({ t: 'orders', cid: 'k2', sub_id: 'k1', o: 'replace,no_sowkey', filter: '/id > 1' });
    const n = sub.received.length;
    await publish('orders', '{"id":1}');
    await publish('orders', '{"id":2}');
    await syncSub();
    expect(texts(sub, n).filter((t) => t.startsWith('{"c":"p"'))).toEqual([
      '{"c":"p","t":"orders","sids":"k1","l":8}{"id":2}',
    ]);
  });

  it('unsubscribes by id list and by all', async () => {
    await subscribe({ t: 'a', cid: '1', sub_id: '1' });
    await subscribe({ t: 'a', cid: '2', sub_id: '2' });
    await subscribe({ t: 'a', cid: '3', sub_id: '3' });
    sub.send({ c: 'unsubscribe', cid: 'u', sub_id: '1,2', a: 'processed' });
    await sub.waitFor((m) => m.fields.commandId === 'u');
    await publish('a', '{}');
    await syncSub();
    expect(sub.received.filter((m) => m.fields.command === 'publish').map((m) => m.fields.subIds)).toEqual([
      '3',
    ]);
    sub.send({ c: 'unsubscribe', sub_id: 'all' });
    const n = sub.received.length;
    await publish('a', '{}');
    await syncSub();
    expect(sub.received.slice(n).filter((m) => m.fields.command === 'publish')).toHaveLength(0);
  });
});

describe('SOW keys, delta and OOF', () => {
  it('merges delta_publish into the record (§9.1) and sends diffs to delta subscribers (§9.2)', async () => {
    await publish('orders', '{"id":7,"qty":10,"px":1.5,"meta":{"a":1,"b":2}}');
    sub.send({ c: 'delta_subscribe', t: 'orders', cid: 'd', sub_id: 'd', a: 'processed', o: 'no_empties' });
    await sub.waitFor((m) => m.fields.commandId === 'd');
    const full = memoryClient(server);
    await full.logon('full');
    full.send({ c: 'subscribe', t: 'orders', cid: 'f', sub_id: 'f', a: 'processed' });
    await full.waitFor((m) => m.fields.commandId === 'f');
    await publish('orders', '{"id":7,"qty":12,"px":null,"meta":{"b":3}}', {}, 'delta_publish');
    await publish('orders', '{"id":7,"qty":12}', {}, 'delta_publish');
    await syncSub();
    const fl = `x${Math.random()}`;
    full.send({ c: 'flush', cid: fl, a: 'processed' });
    await full.waitFor((m) => m.fields.commandId === fl);
    const deltas = sub.received.filter((m) => m.fields.command === 'publish').map((m) => m.payload);
    expect(deltas).toEqual(['{"qty":12,"meta":{"b":3},"id":7}']);
    const merged = full.received.filter((m) => m.fields.command === 'publish').map((m) => m.payload);
    expect(merged).toEqual([
      '{"id":7,"qty":12,"px":1.5,"meta":{"a":1,"b":3}}',
      '{"id":7,"qty":12,"px":1.5,"meta":{"a":1,"b":3}}',
    ]);
  });

  it('sends oof match with the updated record, then p when it comes back', async () => {
    await subscribe({ t: 'orders', cid: 'o', sub_id: 'o', filter: "/status = 'open'", o: 'oof' });
    await publish('orders', '{"id":1,"status":"open"}');
    await publish('orders', '{"id":1,"status":"done"}');
    await publish('orders', '{"id":1,"status":"open"}');
    await syncSub();
    expect(
      sub.received
        .filter((m) => m.fields.command !== 'ack')
        .map((m) => `${m.fields.command}:${m.fields.reason ?? ''}:${m.payload}`),
    ).toEqual([
      'publish::{"id":1,"status":"open"}',
      'oof:match:{"id":1,"status":"done"}',
      'publish::{"id":1,"status":"open"}',
    ]);
  });

  it('sends oof expired when a record expires', async () => {
    await subscribe({ t: 'short', cid: 'e', sub_id: 'e', o: 'oof' });
    await publish('short', '{"id":1}');
    const oof = await sub.waitFor((m) => m.fields.command === 'oof');
    expect(oof.fields.reason).toBe('expired');
    expect(oof.payload).toBe('{"id":1}');
  });

  it('computes keys from several fields and refuses a publish without them', async () => {
    await publish('regional', '{"region":"eu","id":1,"v":1}');
    await publish('regional', '{"region":"us","id":1,"v":1}');
    await publish('regional', '{"region":"eu","id":1,"v":2}');
    expect(server.broker.topics.get('regional').sow?.size).toBe(2);
    pub.send({ c: 'publish', t: 'regional', cid: 'bad', a: 'processed' }, '{"id":1}');
    expect((await pub.waitFor((m) => m.fields.commandId === 'bad')).fields.reason).toBe('bad sow key');
  });

  it('conflates per key within the interval', async () => {
    await subscribe({ t: 'orders', cid: 'c', sub_id: 'c', o: 'conflation=100ms' });
    for (let i = 0; i < 5; i++) await publish('orders', `{"id":1,"v":${i}}`);
    await publish('orders', '{"id":2,"v":0}');
    await sub.waitFor((m) => m.fields.command === 'publish' && m.payload.includes('"id":2'));
    expect(sub.received.filter((m) => m.fields.command === 'publish').map((m) => m.payload)).toEqual([
      '{"id":1,"v":4}',
      '{"id":2,"v":0}',
    ]);
  });
});

describe('sequence numbers (§12.6)', () => {
  it('acks persisted with s (never last), drops duplicates and reports s at the next logon', async () => {
    pub.send({ c: 'publish', t: 'orders', s: 5, a: 'persisted' }, '{"id":1}');
    pub.send({ c: 'publish', t: 'orders', s: '6', a: 'persisted' }, '{"id":2}');
    pub.send({ c: 'publish', t: 'orders', s: 6, a: 'persisted' }, '{"id":99}');
    await pub.waitForCount(3);
    await settle(20);
    // The duplicate is answered at once; the persisted acks of 5 and 6 (processed in one turn)
    // are conflated into one carrying the highest sequence (spec §5.1).
    expect(texts(pub, 1)).toEqual([
      '{"c":"ack","a":"persisted","status":"success","s":6,"reason":"duplicate"}',
      '{"c":"ack","a":"persisted","s":6,"status":"success"}',
    ]);
    expect(server.broker.topics.get('orders').sow?.size).toBe(2);
    pub.close();
    await settle(20);
    const again = memoryClient(server);
    expect((await again.logon('pub')).text).toContain('"s":6,');
  });
});
