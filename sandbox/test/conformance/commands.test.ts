/**
 * Server answers per command that the other suites leave open (spec §4, §5, §7, §9, §10, §11):
 * acks only when requested, the JS heartbeat `received` ack, counts-only queries, stats before
 * completed, the §4.10 sow_delete exchange, the §5.3 failure ack, legacy timers, delta
 * subscriptions around OOF, queue leases returned on unsubscribe.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SandboxServer } from '../../src/server.js';
import type { RawClient } from '../helpers.js';
import { ackOf, closedWithin, RawClientPool, startServer } from '../helpers.js';

let server: SandboxServer;
const clients = new RawClientPool();

beforeEach(async () => {
  server = await startServer({
    topics: [
      { name: 'orders', keys: ['/id'], txlog: true },
      { name: 'jobs', queue: { leasePeriodMs: 30_000, maxBacklog: 5 } },
    ],
  });
});
afterEach(async () => {
  clients.closeAll();
  await server.close();
});

const client = (name: string): Promise<RawClient> => clients.connect(server.ports.tcp as number, name);

/** Sends a flush and returns what arrived between `from` and its ack (exclusive). */
async function through(c: RawClient, from: number): Promise<string[]> {
  const cid = `sync${c.received.length}`;
  c.send({ c: 'flush', cid, a: 'processed' });
  await c.waitFor(ackOf(cid), 3000, from);
  return c.received
    .slice(from)
    .filter((m) => m.fields.commandId !== cid)
    .map((m) => m.text);
}

async function seed(pub: RawClient, records: Record<string, unknown>[], topic = 'orders'): Promise<void> {
  for (const r of records) pub.send({ c: 'p', t: topic }, JSON.stringify(r));
  await through(pub, pub.received.length);
}

describe('acks only when requested (§4.1, §5.1)', () => {
  it('answers nothing to commands without a, to a=none, and to the official heartbeat start', async () => {
    const c = await client('quiet');
    const from = c.received.length;
    c.send('{"c":"subscribe","t":"orders","cid":"1","sub_id":"1"}');
    c.send('{"c":"p","t":"orders","cid":"2"}', '{"id":1}');
    c.send('{"c":"sow_delete","t":"orders","cid":"3","sow_keys":"1"}');
    c.send('{"c":"unsubscribe","cid":"4","sub_id":"1"}');
    c.send('{"c":"heartbeat","o":"start,30"}');
    c.send('{"c":"subscribe","t":"orders","cid":"5","sub_id":"5","a":"none"}');
    // The subscription 1 saw the publish; nothing else may arrive.
    const got = await through(c, from);
    expect(got).toHaveLength(1);
    expect(got[0]).toMatch(/^\{"c":"p","t":"orders","sids":"1",/);
  });

  it('acks the JS client heartbeat start with received / success (§10.1)', async () => {
    const c = await client('js');
    const from = c.received.length;
    c.send('{"c":"heartbeat","cid":"auto3","a":"received","o":"start,5"}');
    const got = await c.waitFor(ackOf('auto3', 'received'), 3000, from);
    expect(got.text).toBe('{"c":"ack","cid":"auto3","a":"received","status":"success"}');
  });

  it('a logon without a is executed silently and the session is usable', async () => {
    const c = await clients.connect(server.ports.tcp as number);
    c.send('{"c":"logon","client_name":"silent","version":"5.3.5.1.0:c"}');
    c.send('{"c":"sow","t":"orders","cid":"q","query_id":"q","a":"processed"}');
    const got = await c.waitFor(ackOf('q'));
    expect(got.fields.status).toBe('success');
    expect(c.received[0]?.fields.command).toBe('ack');
    expect(c.received[0]?.fields.commandId).toBe('q');
  });

  it('closes on an unknown command even when no ack was requested, sending nothing (§4.15)', async () => {
    const c = await client('unk');
    const from = c.received.length;
    c.send('{"c":"frobnicate","t":"orders"}');
    await closedWithin(c, 3000);
    expect(c.received.length).toBe(from);
  });
});

describe('SOW query answers (§4.8, §7)', () => {
  it('top_n=0 with stats returns the counts only, stats before completed', async () => {
    const pub = await client('pub');
    await seed(
      pub,
      [1, 2, 3, 4, 5].map((id) => ({ id, qty: id })),
    );
    const c = await client('c');
    const from = c.received.length;
    c.send(
      '{"c":"sow","t":"orders","cid":"n","query_id":"n","a":"completed,stats","top_n":0,"filter":"/qty > 2"}',
    );
    await c.waitFor(ackOf('n', 'completed'), 3000, from);
    expect(c.received.slice(from).map((m) => m.text)).toEqual([
      '{"c":"group_begin","query_id":"n"}',
      '{"c":"group_end","query_id":"n"}',
      '{"c":"ack","cid":"n","a":"stats","status":"success","query_id":"n","matches":3,"topic_matches":5,"records_returned":0}',
      '{"c":"ack","cid":"n","a":"completed","status":"success","query_id":"n"}',
    ]);
  });

  it('group markers carry the cid as query_id when the query had none (§7.1)', async () => {
    const c = await client('c');
    const from = c.received.length;
    c.send('{"c":"sow","t":"orders","cid":"only-cid","a":"completed"}');
    await c.waitFor(ackOf('only-cid', 'completed'), 3000, from);
    expect(c.received.slice(from).map((m) => m.text)).toEqual([
      '{"c":"group_begin","query_id":"only-cid"}',
      '{"c":"group_end","query_id":"only-cid"}',
      '{"c":"ack","cid":"only-cid","a":"completed","status":"success"}',
    ]);
  });
});

describe('sow_delete as in §4.10', () => {
  it('deletes by filter: processed with query_id, then stats with records_deleted, matches, topic_matches', async () => {
    const pub = await client('pub');
    await seed(
      pub,
      [1, 2, 3, 4, 5].map((id) => ({ id, status: id <= 3 ? 'closed' : 'open' })),
    );
    const from = pub.received.length;
    pub.send(
      `{"c":"sow_delete","t":"orders","cid":"9","filter":"/status = 'closed'","a":"processed,stats","sub_id":"9","query_id":"9"}`,
    );
    await pub.waitFor(ackOf('9', 'stats'), 3000, from);
    const [processed, stats] = pub.received.slice(from).map((m) => m.fields);
    expect(processed).toMatchObject({
      command: 'ack',
      commandId: '9',
      ackType: 'processed',
      status: 'success',
      queryId: '9',
    });
    expect(stats).toMatchObject({
      ackType: 'stats',
      status: 'success',
      queryId: '9',
      recordsDeleted: '3',
      matches: '3',
      topicMatches: '5',
    });
  });
});

describe('failure acks (§5.3, §5.6)', () => {
  it('writes the §5.3 bad filter example exactly', async () => {
    const c = await client('c');
    c.send('{"c":"subscribe","t":"orders","cid":"5","sub_id":"5","a":"processed","filter":"/a = = 1"}');
    const got = await c.waitFor(ackOf('5'));
    expect(got.text).toBe(
      '{"c":"ack","cid":"5","a":"processed","status":"failure","sub_id":"5","reason":"bad filter"}',
    );
  });
});

describe('legacy timers (§4.14)', () => {
  it('acknowledges start_timer and stop_timer with success', async () => {
    const c = await client('t');
    c.send('{"c":"start_timer","cid":"t1","a":"processed"}');
    c.send('{"c":"stop_timer","cid":"t2","a":"processed"}');
    expect((await c.waitFor(ackOf('t1'))).fields.status).toBe('success');
    expect((await c.waitFor(ackOf('t2'))).fields.status).toBe('success');
    expect(c.isClosed()).toBe(false);
  });
});

describe('delta subscriptions and focus (§9.2, §9.3)', () => {
  it('sends the full record when a record first enters or comes back into focus, diffs otherwise', async () => {
    const pub = await client('pub');
    await seed(pub, [{ id: 1, qty: 10, px: 1 }]);
    const c = await client('d');
    c.send({
      c: 'delta_subscribe',
      t: 'orders',
      cid: 'd',
      sub_id: 'd',
      a: 'processed',
      o: 'oof',
      filter: '/qty > 5',
    });
    await c.waitFor(ackOf('d'));
    const from = c.received.length;
    await seed(pub, [
      { id: 1, qty: 11, px: 1 }, // diff
      { id: 2, qty: 20, px: 2 }, // new record: full
      { id: 1, qty: 1, px: 1 }, // leaves: oof with the updated record
      { id: 1, qty: 12, px: 3 }, // comes back: full record
    ]);
    const got = await through(c, from);
    expect(got.map((t) => t.replace(/"k":"\d+",/, ''))).toEqual([
      '{"c":"p","t":"orders","sids":"d","l":17}{"qty":11,"id":1}',
      '{"c":"p","t":"orders","sids":"d","l":24}{"id":2,"qty":20,"px":2}',
      '{"c":"oof","t":"orders","sids":"d","reason":"match","l":23}{"id":1,"qty":1,"px":1}',
      '{"c":"p","t":"orders","sids":"d","l":24}{"id":1,"qty":12,"px":3}',
    ]);
  });
});

describe('delta subscriptions with select and no_empties (§9.2)', () => {
  it('only changes to selected fields trigger a message', async () => {
    const pub = await client('pub');
    await seed(pub, [{ id: 1, qty: 1, px: 1 }]);
    const c = await client('d');
    c.send({
      c: 'delta_subscribe',
      t: 'orders',
      cid: 'd',
      sub_id: 'd',
      a: 'processed',
      o: 'no_empties,select=[-/,+/id,+/qty]',
    });
    await c.waitFor(ackOf('d'));
    const from = c.received.length;
    await seed(pub, [
      { id: 1, qty: 1, px: 2 }, // only px changed: nothing
      { id: 1, qty: 5, px: 2 }, // qty changed
    ]);
    const got = await through(c, from);
    expect(got.map((t) => t.replace(/"k":"\d+",/, ''))).toEqual([
      '{"c":"p","t":"orders","sids":"d","l":16}{"qty":5,"id":1}',
    ]);
  });
});

describe('queues on unsubscribe (§4.11, §11.1)', () => {
  it('returns leased, unacknowledged messages to the queue for the next subscriber', async () => {
    const pub = await client('pub');
    await seed(pub, [{ job: 1 }, { job: 2 }], 'jobs');
    const a = await client('a');
    a.send('{"c":"subscribe","t":"jobs","cid":"qa","sub_id":"qa","a":"processed","o":"max_backlog=5"}');
    await a.waitFor(() => a.received.filter((m) => m.fields.topic === 'jobs').length === 2);
    const b = await client('b');
    b.send('{"c":"subscribe","t":"jobs","cid":"qb","sub_id":"qb","a":"processed","o":"max_backlog=5"}');
    await b.waitFor(ackOf('qb'));
    a.send('{"c":"unsubscribe","cid":"u","sub_id":"qa","a":"processed"}');
    await b.waitFor(() => b.received.filter((m) => m.fields.topic === 'jobs').length === 2);
    const jobs = b.received.filter((m) => m.fields.topic === 'jobs');
    expect(jobs.map((m) => m.payload)).toEqual(['{"job":1}', '{"job":2}']);
    for (const m of jobs) expect(m.fields.leasePeriod).toMatch(/^\d{8}T\d{6}\.\d{6}Z$/);
  });
});
