/** Queues (spec §11): backlog grant, lp on every delivery, acks, cancel, lease expiry, disconnect. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SandboxServer } from '../src/server.js';
import type { RawClient } from './helpers.js';
import { memoryClient, startServer } from './helpers.js';

let server: SandboxServer;
let pub: RawClient;

beforeEach(async () => {
  server = await startServer({
    topics: [{ name: 'jobs', queue: { leasePeriodMs: 150, maxBacklog: 3 } }],
    tickMs: 20,
  });
  pub = memoryClient(server);
  await pub.logon('pub');
  for (let i = 1; i <= 5; i++) pub.send({ c: 'p', t: 'jobs' }, `{"job":${i}}`);
  pub.send({ c: 'flush', cid: 'init', a: 'processed' });
  await pub.waitFor((m) => m.fields.commandId === 'init');
});
afterEach(() => server.close());

async function consumer(name: string, backlog?: number): Promise<RawClient> {
  const c = memoryClient(server);
  await c.logon(name);
  c.send({
    c: 'subscribe',
    t: 'jobs',
    cid: 'q',
    sub_id: 'q',
    a: 'processed',
    ...(backlog ? { o: `max_backlog=${backlog}` } : {}),
  });
  await c.waitFor((m) => m.fields.commandId === 'q');
  return c;
}

const jobs = (c: RawClient): string[] =>
  c.received.filter((m) => m.fields.command === 'publish').map((m) => m.payload);

describe('queues', () => {
  it('grants min(requested, max) in opts and never exceeds the backlog', async () => {
    const c = await consumer('c1', 10);
    expect(c.received[1]?.text).toBe(
      '{"c":"ack","cid":"q","a":"processed","status":"success","sub_id":"q","opts":"max_backlog=3"}',
    );
    await c.waitFor(() => jobs(c).length === 3);
    const m = c.received.find((r) => r.fields.command === 'publish');
    expect(m?.text).toMatch(
      /^\{"c":"p","t":"jobs","sids":"q","bm":"\d+\|\d+\|","lp":"\d{8}T\d{6}\.\d{6}Z","l":9\}\{"job":1\}$/,
    );
    expect(jobs(c)).toEqual(['{"job":1}', '{"job":2}', '{"job":3}']);
  });

  it('acknowledges with sow_delete + bookmarks, then delivers more; cancel returns a message', async () => {
    const c = await consumer('c1', 2);
    await c.waitFor(() => jobs(c).length === 2);
    const bms = c.received
      .filter((m) => m.fields.command === 'publish')
      .map((m) => m.fields.bookmark as string);
    c.send({ c: 'sow_delete', t: 'jobs', cid: 'AMPS-queue-ack', bookmark: bms.join(',') });
    await c.waitFor(() => jobs(c).length === 4);
    expect(jobs(c).slice(2)).toEqual(['{"job":3}', '{"job":4}']);
    const third = c.received.filter((m) => m.fields.command === 'publish')[2]?.fields.bookmark as string;
    c.send({ c: 'sow_delete', t: 'jobs', bookmark: third, o: 'cancel' });
    await c.waitFor(() => jobs(c).length === 5);
    expect(jobs(c)[4]).toBe('{"job":3}');
    expect(server.broker.topics.get('jobs').queue?.entries.size).toBe(3);
  });

  it('treats sow_and_subscribe to a queue as a queue subscription after an empty result', async () => {
    const c = memoryClient(server);
    await c.logon('sas');
    c.send({
      c: 'sow_and_subscribe',
      t: 'jobs',
      cid: 'q',
      sub_id: 'q',
      query_id: 'q',
      a: 'processed,completed',
      o: 'max_backlog=2',
    });
    await c.waitFor(() => jobs(c).length === 2);
    expect(c.received.slice(1, 5).map((m) => m.text)).toEqual([
      '{"c":"ack","cid":"q","a":"processed","status":"success","sub_id":"q","query_id":"q","opts":"max_backlog=2"}',
      '{"c":"group_begin","query_id":"q"}',
      '{"c":"group_end","query_id":"q"}',
      '{"c":"ack","cid":"q","a":"completed","status":"success","sub_id":"q","query_id":"q"}',
    ]);
    expect(c.received[5]?.fields.leasePeriod).toMatch(/Z$/);
  });

  it('redelivers after the lease expires and after a disconnect', async () => {
    const a = await consumer('a', 1);
    await a.waitFor(() => jobs(a).length === 1);
    await a.waitFor(() => jobs(a).length === 2, 2000);
    expect(jobs(a)).toEqual(['{"job":1}', '{"job":1}']);
    const b = await consumer('b', 1);
    a.close();
    await b.waitFor(() => jobs(b).includes('{"job":1}'), 2000);
  });
});

describe('sow on a queue', () => {
  it('returns the messages in the queue with their bookmarks', async () => {
    const c = memoryClient(server);
    await c.logon('browser');
    c.send({ c: 'sow', t: 'jobs', cid: 's', query_id: 's', bs: 10, a: 'completed' });
    await c.waitFor((m) => m.fields.commandId === 's');
    const batch = c.received.find((m) => m.fields.command === 'sow');
    expect(batch?.fields.batchSize).toBe('5');
    expect(batch?.payload).toMatch(/^\{"l":9,"bm":"\d+\|1\|"\}\{"job":1\}/);
  });
});
