/** Aggregated queries and subscriptions: `grouping` + `projection` options (spec §7.5, §14.6.9). */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { aggregateValues, compileAggregate, groupKeyOf, groupSowKey } from '../src/aggregate.js';
import type { SandboxServer } from '../src/server.js';
import type { RawClient, Received } from './helpers.js';
import { memoryClient, settle, startServer } from './helpers.js';

let server: SandboxServer;
let pub: RawClient;
let c: RawClient;

const ORDERS = [
  { id: 1, sym: 'IBM', qty: 100, px: 150.5 },
  { id: 2, sym: 'MSFT', qty: 150, px: 62.25 },
  { id: 3, sym: 'IBM', qty: 16, px: 149.5 },
  { id: 4, sym: 'MSFT', qty: 50, px: 62.5 },
  { id: 5, sym: 'ORCL', qty: 10 },
];

async function flush(client: RawClient, cid: string): Promise<void> {
  client.send({ c: 'flush', cid, a: 'processed' });
  await client.waitFor((m) => m.fields.commandId === cid);
}

beforeEach(async () => {
  server = await startServer({ topics: [{ name: 'orders', keys: ['/id'] }] });
  pub = memoryClient(server);
  c = memoryClient(server);
  await pub.logon('pub');
  await c.logon('c');
  for (const o of ORDERS) pub.send({ c: 'p', t: 'orders' }, JSON.stringify(o));
  await flush(pub, 'init');
});
afterEach(() => server.close());

const PROJECTION =
  'projection=[/sym AS /sym,SUM(/qty) AS /total,COUNT(/px) AS /priced,MAX(/px) AS /high,AVG(/qty) AS /avg],grouping=[/sym]';

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

const key = (sym: string): string => groupSowKey(JSON.stringify([sym]));
/** A sow record sub-header plus its payload. */
const rec = (sym: string, body: string): string =>
  `{"k":"${key(sym)}","l":${Buffer.byteLength(body)}}${body}`;
/** A delivery frame of subscription `sid`. */
const live = (cmd: string, sid: string, sym: string, body: string, reason?: string): string =>
  `{"c":"${cmd}","t":"orders","sids":"${sid}","k":"${key(sym)}"${reason ? `,"reason":"${reason}"` : ''},"l":${Buffer.byteLength(body)}}${body}`;

describe('aggregated sow query', () => {
  it('sends one synthetic record per group with a stable key per group', async () => {
    const msgs = await query({ c: 'sow', t: 'orders', cid: 'q', query_id: 'q', bs: 10, o: PROJECTION });
    expect(msgs.map((m) => m.text)).toEqual([
      '{"c":"ack","cid":"q","a":"processed","status":"success","query_id":"q"}',
      '{"c":"group_begin","query_id":"q"}',
      `{"c":"sow","t":"orders","query_id":"q","bs":3}` +
        rec('IBM', '{"sym":"IBM","total":116,"priced":2,"high":150.5,"avg":58}') +
        rec('MSFT', '{"sym":"MSFT","total":200,"priced":2,"high":62.5,"avg":100}') +
        rec('ORCL', '{"sym":"ORCL","total":10,"priced":0,"avg":10}'),
      '{"c":"group_end","query_id":"q"}',
      '{"c":"ack","cid":"q","a":"stats","status":"success","query_id":"q","matches":5,"topic_matches":5,"records_returned":3}',
      '{"c":"ack","cid":"q","a":"completed","status":"success","query_id":"q"}',
    ]);
  });

  it('filters source records, orders and limits the groups, projects expressions over aggregates', async () => {
    const msgs = await query({
      c: 'sow',
      t: 'orders',
      cid: 'f',
      bs: 10,
      filter: '/qty >= 16',
      orderby: '/n DESC',
      top_n: 1,
      o: 'grouping=[/sym],projection=[/sym AS /sym,SUM(/qty) / COUNT(/qty) AS /mean,COUNT(/id) AS /n,MIN(/sym) AS /first]',
    });
    const sow = msgs.find((m) => m.fields.command === 'sow');
    expect(sow?.payload).toBe(rec('IBM', '{"sym":"IBM","mean":58,"n":2,"first":"IBM"}'));
    expect(msgs.find((m) => m.fields.ackType === 'stats')?.fields.matches).toBe('4');
  });

  it('refuses incomplete or malformed aggregation options with invalid options', async () => {
    for (const [cid, o] of [
      ['g', 'grouping=[/sym]'],
      ['p', 'projection=[SUM(/qty) AS /t]'],
      ['as', 'grouping=[/sym],projection=[SUM(/qty)]'],
      ['syn', 'grouping=[/sym],projection=[SUM(/qty AS /t]'],
      ['nest', 'grouping=[/sym],projection=[SUM(MAX(/qty)) AS /t]'],
    ] as const) {
      const msgs = await query({ c: 'sow', t: 'orders', cid, o });
      expect(msgs.map((m) => m.text)).toEqual([
        `{"c":"ack","cid":"${cid}","a":"processed","status":"failure","reason":"invalid options"}`,
      ]);
    }
    const sub = await query({ c: 'subscribe', t: 'orders', cid: 's', sub_id: 's', o: PROJECTION });
    expect(sub[0]?.fields.reason).toBe('invalid options');
  });
});

describe('aggregated sow_and_subscribe', () => {
  it('updates the aggregate on publish, moves records between groups and sends oof when a group empties', async () => {
    await query({
      c: 'sow_and_subscribe',
      t: 'orders',
      cid: 's',
      sub_id: 's',
      bs: 10,
      o: `oof,grouping=[/sym],projection=[/sym AS /sym,SUM(/qty) AS /total]`,
    });
    const from = c.received.length;
    pub.send({ c: 'p', t: 'orders' }, JSON.stringify({ id: 3, sym: 'IBM', qty: 20 }));
    // id 5 moves from ORCL (which empties) to IBM
    pub.send({ c: 'p', t: 'orders' }, JSON.stringify({ id: 5, sym: 'IBM', qty: 1 }));
    // a publish that changes nothing the projection shows sends nothing; the delete removes
    // the MSFT records one by one: the group shrinks, then disappears
    pub.send({ c: 'p', t: 'orders' }, JSON.stringify({ id: 2, sym: 'MSFT', qty: 150, px: 1 }));
    pub.send({ c: 'sow_delete', t: 'orders', cid: 'd', a: 'processed', filter: '/sym = "MSFT"' });
    await pub.waitFor((m) => m.fields.commandId === 'd');
    await c.waitForCount(from + 4);
    await settle(20);
    expect(c.received.slice(from).map((m) => m.text)).toEqual([
      live('p', 's', 'IBM', '{"sym":"IBM","total":120}'),
      live('oof', 's', 'ORCL', '{"sym":"ORCL","total":10}', 'match'),
      live('p', 's', 'IBM', '{"sym":"IBM","total":121}'),
      live('p', 's', 'MSFT', '{"sym":"MSFT","total":50}'),
      live('oof', 's', 'MSFT', '{"sym":"MSFT","total":50}', 'deleted'),
    ]);
  });

  it('delta subscriptions receive only the changed fields of the group record', async () => {
    await query({
      c: 'sow_and_delta_subscribe',
      t: 'orders',
      cid: 'ds',
      sub_id: 'ds',
      o: 'grouping=[/sym],projection=[/sym AS /sym,SUM(/qty) AS /total,MAX(/qty) AS /max]',
    });
    const from = c.received.length;
    pub.send({ c: 'p', t: 'orders' }, JSON.stringify({ id: 6, sym: 'IBM', qty: 4 }));
    await c.waitForCount(from + 1);
    expect(c.received[from]?.text).toBe(live('p', 'ds', 'IBM', '{"total":120}'));
  });

  it('a filtered aggregated subscription counts only matching records; a new group appears', async () => {
    await query({
      c: 'sow_and_subscribe',
      t: 'orders',
      cid: 'n',
      sub_id: 'n',
      filter: '/qty > 20',
      o: 'grouping=[/sym],projection=[/sym AS /sym,COUNT(/id) AS /n]',
    });
    const from = c.received.length;
    pub.send({ c: 'p', t: 'orders' }, JSON.stringify({ id: 7, sym: 'AAPL', qty: 5 }));
    pub.send({ c: 'p', t: 'orders' }, JSON.stringify({ id: 8, sym: 'AAPL', qty: 500 }));
    await c.waitForCount(from + 1);
    await settle(20);
    expect(c.received.slice(from).map((m) => m.text)).toEqual([
      live('p', 'n', 'AAPL', '{"sym":"AAPL","n":1}'),
    ]);
  });
});

describe('aggregate functions', () => {
  it('exclude NULLs and compute over the group', () => {
    expect(aggregateValues('SUM', [1, 2.5, '3'])).toBe(6.5);
    expect(aggregateValues('SUM', [])).toBeNull();
    expect(aggregateValues('AVG', [1, 2])).toBe(1.5);
    expect(aggregateValues('COUNT', [1, 'a'])).toBe(2);
    expect(aggregateValues('COUNT_DISTINCT', [1, '1', 2, 'x', 'x'])).toBe(3);
    expect(aggregateValues('MIN', [3, 1, 2])).toBe(1);
    expect(aggregateValues('MAX', ['b', 'c', 'a'])).toBe('c');
  });

  it('groups by the values of the grouping expressions', () => {
    const spec = compileAggregate('[/a, /b]', '[COUNT(/a) AS /n]');
    expect(spec).toBeDefined();
    if (!spec) return;
    expect(groupKeyOf(spec, { a: 1, b: 'x' })).toBe('[1,"x"]');
    expect(groupKeyOf(spec, { a: 1 })).toBe('[1,null]');
    expect(compileAggregate(undefined, undefined)).toBeUndefined();
  });
});
