/**
 * Spot checks of the filter language through the server (spec §14.5, §14.7): the worked
 * examples of §14.7 as `sow` filters on one record, the documented (asymmetric) NULL tables
 * for AND / OR, and regex topics (§14.8).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SandboxServer } from '../../src/server.js';
import type { RawClient } from '../helpers.js';
import { startServer, tcpClient } from '../helpers.js';

let server: SandboxServer;
let c: RawClient;
let n = 0;

beforeAll(async () => {
  server = await startServer({
    topics: [
      { name: 'w', keys: ['/id'] },
      { name: 'orders.eu', keys: ['/id'] },
      { name: 'orders.us', keys: ['/id'] },
      { name: 'ordersXus', keys: ['/id'] },
    ],
  });
  c = await tcpClient(server.ports.tcp as number);
  await c.logon('filters');
  c.send('{"c":"p","t":"w"}', '{"id":7,"sym":"MSFT","px":"101.5","tags":["a","b"],"opt":""}');
  for (const t of ['orders.eu', 'orders.us', 'ordersXus']) c.send(`{"c":"p","t":"${t}"}`, '{"id":1}');
  c.send('{"c":"flush","cid":"f","a":"processed"}');
  await c.waitFor((m) => m.fields.commandId === 'f');
});
afterAll(async () => {
  c.close();
  await server.close();
});

/** Runs a sow and returns records_returned from the stats ack, or the failure reason. */
async function count(topic: string, filter?: string, options?: string): Promise<string> {
  const cid = `q${++n}`;
  const header: Record<string, unknown> = { c: 'sow', t: topic, cid, query_id: cid, a: 'processed,stats' };
  if (filter !== undefined) header['filter'] = filter;
  if (options !== undefined) header['o'] = options;
  c.send(header);
  const got = await c.waitFor(
    (m) =>
      m.fields.commandId === cid &&
      (m.fields.ackType === 'stats' || (m.fields.ackType === 'processed' && m.fields.status === 'failure')),
  );
  return got.fields.status === 'failure'
    ? `failure: ${got.fields.reason ?? ''}`
    : (got.fields.recordsReturned ?? '');
}

describe('§14.7 worked examples', () => {
  const table: [string, boolean][] = [
    ['/id = 7', true],
    ['/px > 100', true],
    ['/sym > 100', true],
    ["/tags = 'b'", true],
    ["/tags[0] = 'b'", false],
    ['/opt IS NULL', true],
    ["/opt = ''", false],
    ['/missing != 1', false],
    ["/sym LIKE 'SF'", true],
    ["/sym LIKE '^SF'", false],
    ["/sym BEGINS WITH ('MS','IB')", true],
    ['/id BETWEEN 1 AND 7', true],
    ["/id % 2 = 1 AND /sym IN ('MSFT','IBM')", true],
    ['/id / 2 = 3', true],
  ];
  it.each(table)('%s → %s', async (filter, matches) => {
    expect(await count('w', filter)).toBe(matches ? '1' : '0');
  });
});

describe('§14.5 NULL semantics', () => {
  const table: [string, boolean][] = [
    ['/id = 7 OR /missing = 1', true], // TRUE OR NULL = TRUE
    ['/missing = 1 OR /id = 7', false], // NULL OR TRUE = NULL (documented table)
    ['/id = 8 AND /missing = 1', false], // FALSE AND NULL = FALSE
    ['NOT (/missing = 1)', false], // NOT NULL = NULL
    ['/missing = NULL', false],
    ['/missing != NULL', false],
    ['/missing IS NULL', true],
    ['/id IS NOT NULL', true],
    ["'2.000' <> '2.0'", true],
    ["10 < '2'", false],
    ["10 < 'Crank It Up'", true],
    ['/missing NOT IN (1)', false], // NOT (NULL) = NULL
    ['/id NOT IN (1, 2)', true],
    ["/tags IN ('b', 'z')", true], // array-aware
    ["/sym LIKE '(?i)msft'", true],
    ["/sym ENDS WITH ('FT')", true],
    ["/sym NOT BEGINS WITH ('MS')", false],
    ['/id BETWEEN 8 AND 9', false],
    ['/px * 2 > 200', true], // the string converts for arithmetic
    ['/id / 5 = 1', true], // integer division
    ['/id * 1.0 / 5 = 1.4', true],
    ['/id % 3 = 1', true],
  ];
  it.each(table)('%s → %s', async (filter, matches) => {
    expect(await count('w', filter)).toBe(matches ? '1' : '0');
  });
});

describe('§14.8 regex topics', () => {
  it('treats "." as a metacharacter unless non_regex_topic, and reports a bad pattern', async () => {
    expect(await count('orders.us')).toBe('2');
    expect(await count('orders.us', undefined, 'non_regex_topic')).toBe('1');
    expect(await count('^orders\\.')).toBe('2');
    expect(await count('orders[')).toBe('failure: bad regex topic');
    c.send('{"c":"sow_and_subscribe","t":"(orders","cid":"ss","sub_id":"ss","a":"processed"}');
    c.send('{"c":"sow_delete","t":"orders[","cid":"sd","a":"processed","filter":"/id = 1"}');
    for (const cid of ['ss', 'sd']) {
      const got = await c.waitFor((m) => m.fields.commandId === cid);
      expect(got.text).toContain('"status":"failure"');
      expect(got.fields.reason).toBe('bad regex topic');
    }
    expect(c.received.some((m) => m.fields.command === 'group_begin' && m.fields.queryId === 'ss')).toBe(
      false,
    );
  });
});
