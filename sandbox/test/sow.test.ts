/** sow / sow_and_subscribe / sow_delete (spec §4.8–§4.10, §7). */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SandboxServer } from '../src/server.js';
import type { Received, RawClient } from './helpers.js';
import { memoryClient, startServer, texts } from './helpers.js';

let server: SandboxServer;
let pub: RawClient;
let c: RawClient;

beforeEach(async () => {
  server = await startServer({
    topics: [
      { name: 'orders', keys: ['/id'], txlog: true },
      { name: 'explicit', sow: true },
    ],
  });
  pub = memoryClient(server);
  c = memoryClient(server);
  await pub.logon('pub');
  await c.logon('c');
  for (let id = 1; id <= 5; id++) {
    pub.send(
      { c: 'p', t: 'orders' },
      JSON.stringify({ id, px: [30, 4, 100, 4.5, 7][id - 1], sym: ['b', 'a', 'c', 'a', 'b'][id - 1] }),
    );
  }
  pub.send({ c: 'flush', cid: 'init', a: 'processed' });
  await pub.waitFor((m) => m.fields.commandId === 'init');
});
afterEach(() => server.close());

async function query(header: Record<string, unknown>): Promise<Received[]> {
  const from = c.received.length;
  c.send({ a: 'processed,completed,stats', ...header });
  await c.waitFor(
    (m) =>
      m.fields.command === 'ack' &&
      m.fields.commandId === header['cid'] &&
      (m.fields.ackType === 'completed' || m.fields.status === 'failure'),
    3000,
    from,
  );
  return c.received.slice(from);
}

const records = (msgs: Received[]): unknown[] =>
  msgs
    .filter((m) => m.fields.command === 'sow')
    .flatMap((m) => {
      const out: unknown[] = [];
      const body = m.raw.subarray(m.raw.indexOf('}') + 1).toString();
      for (const part of body.split(/\{"k":"\d+","l":\d+\}/).filter((s) => s !== ''))
        out.push(JSON.parse(part));
      return out;
    });

describe('sow', () => {
  it('brackets batches of at most bs records, each bs exact, then stats and completed', async () => {
    const msgs = await query({ c: 'sow', t: 'orders', cid: 'q', query_id: 'q', bs: 2 });
    expect(
      msgs.map(
        (m) =>
          m.fields.command +
          (m.fields.batchSize ? `:${m.fields.batchSize}` : '') +
          (m.fields.ackType ? `:${m.fields.ackType}` : ''),
      ),
    ).toEqual([
      'ack:processed',
      'group_begin',
      'sow:2',
      'sow:2',
      'sow:1',
      'group_end',
      'ack:stats',
      'ack:completed',
    ]);
    expect(msgs[6]?.text).toBe(
      '{"c":"ack","cid":"q","a":"stats","status":"success","query_id":"q","matches":5,"topic_matches":5,"records_returned":5}',
    );
    expect(records(msgs)).toHaveLength(5);
  });

  it('filters, orders numerically (DESC and ASC), skips and limits', async () => {
    const msgs = await query({
      c: 'sow',
      t: 'orders',
      cid: 'o',
      bs: 10,
      orderby: '/sym DESC, /px',
      top_n: 3,
      filter: '/px < 50',
    });
    expect(records(msgs)).toEqual([
      { id: 5, px: 7, sym: 'b' },
      { id: 1, px: 30, sym: 'b' },
      { id: 2, px: 4, sym: 'a' },
    ]);
    const stats = msgs.find((m) => m.fields.ackType === 'stats');
    expect(stats?.fields.matches).toBe('4');
    expect(stats?.fields.recordsReturned).toBe('3');
    const paged = await query({
      c: 'sow',
      t: 'orders',
      cid: 'pg',
      bs: 10,
      orderby: '/px',
      top_n: 2,
      o: 'skip_n=1',
    });
    expect(records(paged).map((r) => (r as { id: number }).id)).toEqual([4, 5]);
  });

  it('selects by sow_keys', async () => {
    const keys = [...(server.broker.topics.get('orders').sow?.records.values() ?? [])]
      .slice(0, 2)
      .map((r) => r.key);
    const msgs = await query({ c: 'sow', t: 'orders', cid: 'k', bs: 10, sow_keys: keys.join(',') });
    expect(records(msgs).map((r) => (r as { id: number }).id)).toEqual([1, 2]);
  });

  it('sends group_begin/group_end for an empty result; refuses non-SOW topics and bad orderby', async () => {
    const empty = await query({ c: 'sow', t: 'orders', cid: 'e', filter: '/px > 1000' });
    expect(empty.map((m) => m.text)).toEqual([
      '{"c":"ack","cid":"e","a":"processed","status":"success"}',
      '{"c":"group_begin","query_id":"e"}',
      '{"c":"group_end","query_id":"e"}',
      '{"c":"ack","cid":"e","a":"stats","status":"success","matches":0,"topic_matches":5,"records_returned":0}',
      '{"c":"ack","cid":"e","a":"completed","status":"success"}',
    ]);
    const bad = await query({ c: 'sow', t: 'nosow', cid: 'n' });
    expect(bad.map((m) => m.text)).toEqual([
      '{"c":"ack","cid":"n","a":"processed","status":"failure","reason":"invalid topic"}',
    ]);
    const ob = await query({ c: 'sow', t: 'orders', cid: 'ob', orderby: 'px DESC' });
    expect(ob[0]?.fields.reason).toBe('invalid order by');
  });

  it('answers a historical query as of a bookmark', async () => {
    const bm = server.broker.txlog.entries[1]?.bookmark as string;
    pub.send({ c: 'p', t: 'orders' }, '{"id":1,"px":999}');
    const msgs = await query({ c: 'sow', t: 'orders', cid: 'h', bs: 10, bm });
    const body = msgs.filter((m) => m.fields.command === 'sow').map((m) => m.payload);
    expect(body.join('')).toContain('{"id":1,"px":30,"sym":"b"}');
    expect(body.join('')).toContain(`"bm":"${bm}"`);
    expect(body.join('')).not.toContain('999');
  });
});

describe('sow_and_subscribe', () => {
  it('sends no live message inside the result and nothing twice', async () => {
    c.send({
      c: 'sow_and_subscribe',
      t: 'orders',
      cid: 's',
      sub_id: 's',
      query_id: 's',
      a: 'processed,completed',
      bs: 10,
    });
    pub.send({ c: 'p', t: 'orders' }, '{"id":6,"px":1}');
    await c.waitFor((m) => m.fields.command === 'publish');
    const kinds = texts(c, 1).map((t) => JSON.parse(t.slice(0, t.indexOf('}') + 1)).c as string);
    expect(kinds).toEqual(['ack', 'group_begin', 'sow', 'group_end', 'ack', 'p']);
  });

  it('degrades to subscribe on a topic without SOW, still bracketed', async () => {
    const msgs = await query({ c: 'sow_and_subscribe', t: 'plain', cid: 'x', sub_id: 'x' });
    expect(msgs.map((m) => m.fields.command)).toEqual(['ack', 'group_begin', 'group_end', 'ack', 'ack']);
    pub.send({ c: 'p', t: 'plain' }, '{"a":1}');
    expect((await c.waitFor((m) => m.fields.command === 'publish')).text).toBe(
      '{"c":"p","t":"plain","sids":"x","l":7}{"a":1}',
    );
  });

  it('replace re-runs the query: oof for records that left, records that entered', async () => {
    await query({
      c: 'sow_and_subscribe',
      t: 'orders',
      cid: 'r',
      sub_id: 'r',
      filter: "/sym = 'a'",
      o: 'oof',
      bs: 10,
    });
    const msgs = await query({
      c: 'sow_and_subscribe',
      t: 'orders',
      cid: 'r2',
      sub_id: 'r',
      filter: "/sym = 'b'",
      o: 'oof,replace',
      bs: 10,
    });
    expect(msgs.filter((m) => m.fields.command === 'oof').map((m) => m.payload)).toEqual([
      '{"id":2,"px":4,"sym":"a"}',
      '{"id":4,"px":4.5,"sym":"a"}',
    ]);
    expect(records(msgs).map((r) => (r as { id: number }).id)).toEqual([1, 5]);
  });
});

describe('sow_delete', () => {
  it('deletes by filter with stats and sends oof deleted', async () => {
    const watcher = memoryClient(server);
    await watcher.logon('w');
    watcher.send({
      c: 'subscribe',
      t: 'orders',
      cid: 'w',
      sub_id: 'w',
      a: 'processed',
      o: 'oof',
      filter: '/px < 10',
    });
    await watcher.waitFor((m) => m.fields.commandId === 'w');
    const msgs = await query({ c: 'sow_delete', t: 'orders', cid: 'd', query_id: 'd', filter: "/sym = 'a'" });
    expect(msgs.map((m) => m.text)).toEqual([
      '{"c":"ack","cid":"d","a":"processed","status":"success","query_id":"d"}',
      '{"c":"ack","cid":"d","a":"completed","status":"success","query_id":"d"}',
      '{"c":"ack","cid":"d","a":"stats","status":"success","query_id":"d","matches":2,"topic_matches":5,"records_deleted":2}',
    ]);
    const oofs = await watcher.waitFor((m) => m.fields.command === 'oof' && m.payload.includes('"id":4'));
    expect(oofs.fields.reason).toBe('deleted');
    expect(server.broker.topics.get('orders').sow?.size).toBe(3);
  });

  it('deletes by data and by sow_keys; refuses no form and two forms', async () => {
    const none = await query({ c: 'sow_delete', t: 'orders', cid: 'dd' });
    expect(none[0]?.fields.reason).toBe('no filter or bookmark');
    c.send({ c: 'sow_delete', t: 'orders', cid: 'd1', a: 'stats' }, '{"id":3}');
    expect((await c.waitFor((m) => m.fields.commandId === 'd1')).fields.recordsDeleted).toBe('1');
    const key = [...(server.broker.topics.get('orders').sow?.records.values() ?? [])][0]?.key as string;
    c.send({ c: 'sow_delete', t: 'orders', cid: 'd2', a: 'stats', sow_keys: key });
    expect((await c.waitFor((m) => m.fields.commandId === 'd2')).fields.recordsDeleted).toBe('1');
    c.send({ c: 'sow_delete', t: 'orders', cid: 'd3', a: 'processed', sow_keys: key, filter: '/id = 1' });
    expect((await c.waitFor((m) => m.fields.commandId === 'd3')).fields.reason).toBe(
      'sow_delete command only supports one of: filter, sow_keys, bookmark, or data',
    );
  });
});

describe('paginated sow_and_subscribe (§7.3)', () => {
  it('keeps the top_n window live: oof match for records pushed out, p for records that enter', async () => {
    const msgs = await query({
      c: 'sow_and_subscribe',
      t: 'orders',
      cid: 'pg',
      sub_id: 'pg',
      bs: 10,
      orderby: '/px DESC',
      top_n: 2,
      o: 'oof',
    });
    expect(records(msgs).map((r) => (r as { id: number }).id)).toEqual([3, 1]);
    const from = c.received.length;
    pub.send({ c: 'p', t: 'orders' }, '{"id":9,"px":50,"sym":"z"}');
    await c.waitFor((m) => m.fields.command === 'oof', 3000, from);
    expect(
      c.received.slice(from).map((m) => `${m.fields.command}:${m.fields.reason ?? ''}:${m.payload}`),
    ).toEqual(['oof:match:{"id":1,"px":30,"sym":"b"}', 'publish::{"id":9,"px":50,"sym":"z"}']);
    const next = c.received.length;
    c.send({ c: 'sow_delete', t: 'orders', filter: '/id = 3' });
    await c.waitFor((m) => m.fields.command === 'publish', 3000, next);
    expect(
      c.received.slice(next).map((m) => `${m.fields.command}:${m.fields.reason ?? ''}:${m.payload}`),
    ).toEqual(['oof:deleted:{"id":3,"px":100,"sym":"c"}', 'publish::{"id":1,"px":30,"sym":"b"}']);
    const last = c.received.length;
    pub.send({ c: 'p', t: 'orders' }, '{"id":2,"px":5,"sym":"a"}');
    pub.send({ c: 'p', t: 'orders' }, '{"id":9,"px":51,"sym":"z"}');
    await c.waitFor((m) => m.payload.includes('"px":51'), 3000, last);
    expect(c.received.slice(last).map((m) => m.payload)).toEqual(['{"id":9,"px":51,"sym":"z"}']);
  });
});

describe('historical sow_and_subscribe', () => {
  it('returns the SOW as of the bookmark, replays what followed, then goes live', async () => {
    const bm = server.broker.txlog.entries[1]?.bookmark as string;
    const msgs = await query({
      c: 'sow_and_subscribe',
      t: 'orders',
      cid: 'hs',
      sub_id: 'hs',
      bs: 10,
      bm,
      filter: '/id >= 2',
    });
    expect(
      records(msgs.map((m) => ({ ...m, raw: Buffer.from(m.raw.toString().replace(/,"bm":"[^"]*"/g, '')) }))),
    ).toEqual([{ id: 2, px: 4, sym: 'a' }]);
    expect(msgs.filter((m) => m.fields.command === 'publish').map((m) => m.payload)).toEqual([
      '{"id":3,"px":100,"sym":"c"}',
      '{"id":4,"px":4.5,"sym":"a"}',
      '{"id":5,"px":7,"sym":"b"}',
    ]);
    pub.send({ c: 'p', t: 'orders' }, '{"id":6,"px":1,"sym":"q"}');
    expect((await c.waitFor((m) => m.payload.includes('"id":6'))).fields.bookmark).toMatch(/\|\d+\|$/);
  });
});
