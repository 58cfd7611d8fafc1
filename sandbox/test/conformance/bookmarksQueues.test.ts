/**
 * Bookmark and queue rules not covered elsewhere (spec §4.2, §8.2, §8.3, §8.5, §9.1, §11.2):
 * the `bookmark` option on a plain subscription, `live`, the JS 5.2 NOW spelling, timestamps
 * with a fraction, the exact periodic persisted ack, queue `expire`, delta merge of arrays.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SandboxServer } from '../../src/server.js';
import type { RawClient, Received } from '../helpers.js';
import { ackOf, RawClientPool, settle, startServer } from '../helpers.js';
import { formatTimestamp } from '../../src/timestamp.js';

let server: SandboxServer;
const clients = new RawClientPool();

beforeEach(async () => {
  server = await startServer({
    topics: [
      { name: 'orders', keys: ['/id'], txlog: true },
      { name: 'jobs', queue: { leasePeriodMs: 30_000, maxBacklog: 5 } },
      { name: 'quotes', keys: ['/id'] },
    ],
    tickMs: 50,
  });
});
afterEach(async () => {
  clients.closeAll();
  await server.close();
});

const client = (name: string): Promise<RawClient> => clients.connect(server.ports.tcp as number, name);

const deliveries = (c: RawClient, sid: string): Received[] =>
  c.received.filter((m) => m.fields.command === 'publish' && m.fields.subIds === sid);

async function publish(pub: RawClient, topic: string, ...bodies: string[]): Promise<void> {
  for (const b of bodies) pub.send({ c: 'p', t: topic }, b);
  const cid = `f${pub.received.length}`;
  pub.send({ c: 'flush', cid, a: 'processed' });
  await pub.waitFor(ackOf(cid));
}

describe('bookmarks on the wire (§4.2, §8.2, §8.3, §8.5)', () => {
  it('the bookmark option puts bm on every delivery of a plain subscription', async () => {
    const c = await client('c');
    c.send('{"c":"subscribe","t":"orders","cid":"b","sub_id":"b","a":"processed","o":"bookmark"}');
    c.send('{"c":"subscribe","t":"orders","cid":"n","sub_id":"n","a":"processed"}');
    await c.waitFor(ackOf('n'));
    const pub = await client('pub');
    await publish(pub, 'orders', '{"id":1}', '{"id":2}');
    await c.waitFor(() => deliveries(c, 'n').length === 2);
    await c.waitFor(() => deliveries(c, 'b').length === 2);
    for (const m of deliveries(c, 'b')) expect(m.fields.bookmark).toMatch(/^\d+\|\d+\|$/);
    for (const m of deliveries(c, 'n')) expect(m.fields.bookmark).toBeUndefined();
  });

  it('accepts live, the JS 5.2 NOW spelling 1|0|, recent, and a timestamp with a fraction', async () => {
    const pub = await client('pub');
    await publish(pub, 'orders', '{"id":1}');
    const mid = formatTimestamp(Date.now() * 1000 + 1000);
    await settle(5);
    await publish(pub, 'orders', '{"id":2}');
    const c = await client('c');
    const cases: [string, string, string, number][] = [
      ['now52', '1|0|', 'live', 0],
      ['epoch', '0', 'live', 2],
      ['recent', 'recent', 'fully_durable', 2],
      ['frac', mid, '', 1],
    ];
    for (const [sid, bm, o, replayed] of cases) {
      c.send({
        c: 'subscribe',
        t: 'orders',
        cid: sid,
        sub_id: sid,
        a: 'processed,completed',
        bookmark: bm,
        o,
      });
      const done = await c.waitFor(ackOf(sid, 'completed'));
      expect(done.fields.status, sid).toBe('success');
      expect(deliveries(c, sid).length, sid).toBe(replayed);
      expect(done.fields.bookmark).toMatch(/^\d+\|\d+\|$/);
    }
  });

  it('writes the periodic persisted ack as in §8.5: no cid, sub_id and bm', async () => {
    const c = await client('c');
    c.send(
      '{"c":"subscribe","t":"orders","cid":"3","sub_id":"3","a":"processed,completed,persisted","bookmark":"0"}',
    );
    await c.waitFor(ackOf('3', 'completed'));
    const pub = await client('pub');
    await publish(pub, 'orders', '{"id":3}');
    const live = await c.waitFor(() => deliveries(c, '3').length === 1).then(() => deliveries(c, '3')[0]);
    const persisted = await c.waitFor((m) => m.fields.ackType === 'persisted');
    expect(persisted.text).toBe(
      `{"c":"ack","a":"persisted","status":"success","sub_id":"3","bm":"${live?.fields.bookmark ?? ''}"}`,
    );
  });
});

describe('conflation on a bookmark subscription (§8.5)', () => {
  it('a conflated delivery carries the bm of the first message of its interval', async () => {
    const c = await client('c');
    c.send('{"c":"subscribe","t":"orders","cid":"all","sub_id":"all","a":"processed","bookmark":"0|1|"}');
    c.send(
      '{"c":"subscribe","t":"orders","cid":"cf","sub_id":"cf","a":"processed","bookmark":"0|1|","o":"conflation=150ms"}',
    );
    await c.waitFor(ackOf('cf'));
    const pub = await client('pub');
    await publish(pub, 'orders', '{"id":1,"v":1}', '{"id":1,"v":2}', '{"id":1,"v":3}');
    await c.waitFor(() => deliveries(c, 'cf').length === 1);
    const every = deliveries(c, 'all');
    expect(every.map((m) => m.payload)).toEqual(['{"id":1,"v":1}', '{"id":1,"v":2}', '{"id":1,"v":3}']);
    const conflated = deliveries(c, 'cf')[0];
    expect(conflated?.payload).toBe('{"id":1,"v":3}');
    expect(conflated?.fields.bookmark).toBe(every[0]?.fields.bookmark);
  });
});

describe('historical queries on a topic without history (§4.9, §7.5)', () => {
  it('answers NOW with the current state and refuses any other bookmark', async () => {
    const pub = await client('pub');
    await publish(pub, 'quotes', '{"id":1,"px":1}', '{"id":2,"px":2}');
    const c = await client('c');
    c.send(
      '{"c":"sow_and_subscribe","t":"quotes","cid":"h","sub_id":"h","query_id":"h","a":"processed,completed","bookmark":"0|1|","batch_size":10}',
    );
    await c.waitFor(ackOf('h', 'completed'));
    const batch = c.received.find((m) => m.fields.command === 'sow');
    expect(batch?.fields.batchSize).toBe('2');
    await publish(pub, 'quotes', '{"id":3,"px":3}');
    await c.waitFor(() => deliveries(c, 'h').length === 1);
    expect(deliveries(c, 'h')[0]?.payload).toBe('{"id":3,"px":3}');
    c.send(
      '{"c":"sow","t":"quotes","cid":"old","query_id":"old","a":"processed","bookmark":"20200101T000000Z"}',
    );
    const refused = await c.waitFor(ackOf('old'));
    expect(refused.fields.status).toBe('failure');
    expect(refused.fields.reason).toBe('invalid topic');
  });
});

describe('queue acknowledgement options (§11.2)', () => {
  it('expire removes the message for good; cancel gives it back', async () => {
    const pub = await client('pub');
    await publish(pub, 'jobs', '{"job":1}', '{"job":2}', '{"job":3}');
    const a = await client('a');
    a.send('{"c":"subscribe","t":"jobs","cid":"qa","sub_id":"qa","a":"processed"}');
    await a.waitFor(() => deliveries(a, 'qa').length === 1);
    const first = deliveries(a, 'qa')[0] as Received;
    expect(first.payload).toBe('{"job":1}');
    a.send({
      c: 'sow_delete',
      t: 'jobs',
      cid: 'AMPS-queue-ack',
      bookmark: first.fields.bookmark,
      o: 'expire',
    });
    await a.waitFor(() => deliveries(a, 'qa').length === 2);
    const second = deliveries(a, 'qa')[1] as Received;
    expect(second.payload).toBe('{"job":2}');
    a.send({
      c: 'sow_delete',
      t: 'jobs',
      cid: 'AMPS-queue-ack',
      bookmark: second.fields.bookmark,
      o: 'cancel',
    });
    await a.waitFor(() => deliveries(a, 'qa').length === 3);
    a.send('{"c":"unsubscribe","cid":"u","sub_id":"qa","a":"processed"}');
    await a.waitFor(ackOf('u'));
    const b = await client('b');
    b.send('{"c":"subscribe","t":"jobs","cid":"qb","sub_id":"qb","a":"processed","o":"max_backlog=5"}');
    await b.waitFor(() => deliveries(b, 'qb').length === 2);
    await settle(30);
    expect(
      deliveries(b, 'qb')
        .map((m) => m.payload)
        .sort(),
    ).toEqual(['{"job":2}', '{"job":3}']);
  });
});

describe('per-message expiration on a SOW topic (§4.4 e, §9.3)', () => {
  it('expires the record after e seconds (quoted as official clients send it) with oof expired', async () => {
    const c = await client('c');
    c.send('{"c":"subscribe","t":"quotes","cid":"o","sub_id":"o","a":"processed","o":"oof"}');
    await c.waitFor(ackOf('o'));
    const pub = await client('pub');
    pub.send('{"c":"p","t":"quotes","e":"1"}', '{"id":9,"px":1}');
    const oof = await c.waitFor((m) => m.fields.command === 'oof', 4000);
    expect(oof.fields.reason).toBe('expired');
    expect(oof.payload).toBe('{"id":9,"px":1}');
    c.send('{"c":"sow","t":"quotes","cid":"q","query_id":"q","a":"completed,stats"}');
    const stats = await c.waitFor(ackOf('q', 'stats'));
    expect(stats.fields.recordsReturned).toBe('0');
  });
});

describe('delta_publish merge (§9.1)', () => {
  it('replaces arrays wholesale, merges nested objects, ignores NULL, keeps the old x', async () => {
    const pub = await client('pub');
    pub.send(
      '{"c":"p","t":"orders","x":"b2xk"}',
      '{"id":42,"contents":{"packages":[{"box":"chocolates"},{"bowl":"noodles"}],"n":1},"px":5}',
    );
    pub.send(
      '{"c":"delta_publish","t":"orders"}',
      '{"id":42,"contents":{"packages":[{"basket":"eggs"}]},"px":null}',
    );
    await publish(pub, 'orders');
    const c = await client('c');
    c.send('{"c":"sow","t":"orders","cid":"q","query_id":"q","a":"completed"}');
    await c.waitFor(ackOf('q', 'completed'));
    const batch = c.received.find((m) => m.fields.command === 'sow');
    expect(batch?.payload).toMatch(
      /^\{"k":"\d+","l":\d+,"x":"b2xk"\}\{"id":42,"contents":\{"packages":\[\{"basket":"eggs"\}\],"n":1\},"px":5\}$/,
    );
  });

  it('a delta republishing the same values still reaches delta subscribers as key fields only (§9.1 rule 5)', async () => {
    const pub = await client('pub');
    await publish(pub, 'orders', '{"id":5,"qty":1}');
    const c = await client('c');
    c.send('{"c":"delta_subscribe","t":"orders","cid":"d","sub_id":"d","a":"processed"}');
    c.send('{"c":"delta_subscribe","t":"orders","cid":"e","sub_id":"e","a":"processed","o":"no_empties"}');
    await c.waitFor(ackOf('e'));
    pub.send('{"c":"delta_publish","t":"orders"}', '{"id":5,"qty":1}');
    await publish(pub, 'orders', '{"id":5,"qty":2}');
    await c.waitFor(() => deliveries(c, 'd').length === 2 && deliveries(c, 'e').length === 1);
    expect(deliveries(c, 'd').map((m) => m.payload)).toEqual(['{"id":5}', '{"qty":2,"id":5}']);
    expect(deliveries(c, 'e').map((m) => m.payload)).toEqual(['{"qty":2,"id":5}']);
  });
});
