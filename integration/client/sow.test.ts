/** SOW queries (spec §4.8, §7): batching, group markers, top_n, orderby, filter, errors. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Client, SowOptions } from '../../client/src/client.js';
import { BadFilterError, InvalidTopicError } from '../../client/src/errors.js';
import { Command } from '../../client/src/protocol/command.js';
import type { Message } from '../../client/src/protocol/message.js';
import { startSandbox, type SandboxFixture } from '../sandboxFixture.js';
import { ClientPool, payloads, publishAll, readAll, TRANSPORTS } from './helpers.js';

interface Item {
  id: number;
  px: number;
  sym: string;
  sector: string;
}

const SECTORS = ['energy', 'tech', 'health'];
/** 25 records; px and sym are scrambled so no order is accidental. */
const ITEMS: Item[] = Array.from({ length: 25 }, (_, i) => {
  const id = i + 1;
  return {
    id,
    px: (id * 37) % 101,
    sym: `S${String.fromCharCode(97 + ((id * 7) % 26))}${id}`,
    sector: SECTORS[id % 3] as string,
  };
});

let sandbox: SandboxFixture;
beforeAll(async () => {
  sandbox = await startSandbox({
    topics: [
      { name: 'items', keys: ['/id'] },
      { name: 'emptyitems', keys: ['/id'] },
      { name: 'region_eu', keys: ['/id'] },
      { name: 'region_us', keys: ['/id'] },
    ],
  });
});
afterAll(() => sandbox.close());

/** The sizes of the `sow` frames the records came in (each record carries its frame's `bs`). */
function frameSizes(records: readonly Message[]): number[] {
  const sizes: number[] = [];
  let i = 0;
  while (i < records.length) {
    const size = records[i]?.batchSize ?? 0;
    if (size < 1) throw new Error(`record ${i} has no batch size`);
    for (let j = i; j < i + size; j++) expect(records[j]?.batchSize).toBe(size);
    sizes.push(size);
    i += size;
  }
  return sizes;
}

/** Runs a query and returns its records, checking the group markers around them. */
async function query(
  client: Client,
  topic: string,
  filter: string | undefined,
  options: SowOptions & { handler?: undefined } = {},
): Promise<Message[]> {
  const all = await readAll(await client.sow(topic, filter, options));
  const commands = all.map((m) => m.command);
  expect(commands[0]).toBe('group_begin');
  expect(commands.at(-1)).toBe('group_end');
  const inner = all.slice(1, -1);
  expect(inner.every((m) => m.command === 'sow')).toBe(true);
  for (const m of all) expect(m.queryId).toBe(all[0]?.queryId);
  return inner;
}

const byId = (a: Item, b: Item): number => a.id - b.id;

describe.each(TRANSPORTS)('sow over $transport', ({ uriOf }) => {
  const pool = new ClientPool();
  let client: Client;

  beforeAll(async () => {
    const publisher = await pool.open(uriOf(sandbox), 'seed');
    await publishAll(publisher, 'items', ITEMS);
    await publishAll(publisher, 'region_eu', [
      { id: 1, city: 'Paris' },
      { id: 2, city: 'Rome' },
    ]);
    await publishAll(publisher, 'region_us', [{ id: 1, city: 'Austin' }]);
    client = await pool.open(uriOf(sandbox), 'query');
  });
  afterAll(() => pool.closeAll());
  afterEach(async () => {
    // Every test leaves the connection usable.
    await client.publishFlush();
  });

  it.each([
    [1, Array<number>(25).fill(1)],
    [3, [...Array<number>(8).fill(3), 1]],
    [10, [10, 10, 5]],
  ])('batch size %i returns every record once, in frames of at most that size', async (bs, sizes) => {
    const records = await query(client, 'items', undefined, { batchSize: bs });
    expect(payloads<Item>(records).sort(byId)).toEqual(ITEMS);
    expect(new Set(records.map((m) => m.sowKey)).size).toBe(25);
    expect(frameSizes(records)).toEqual(sizes);
    for (const m of records) expect(m.topic).toBe('items');
  });

  it('an empty SOW answers with group_begin and group_end only', async () => {
    expect(await query(client, 'emptyitems', undefined)).toEqual([]);
  });

  it('filters records', async () => {
    const records = await query(client, 'items', "/px > 50 AND /sector = 'tech'");
    const expected = ITEMS.filter((r) => r.px > 50 && r.sector === 'tech');
    expect(expected.length).toBeGreaterThan(1);
    expect(payloads<Item>(records).sort(byId)).toEqual(expected);
  });

  it('orders by a numeric field, ascending and descending', async () => {
    const asc = payloads<Item>(await query(client, 'items', undefined, { orderBy: '/px' }));
    expect(asc.map((r) => r.px)).toEqual(ITEMS.map((r) => r.px).sort((a, b) => a - b));
    const desc = payloads<Item>(await query(client, 'items', undefined, { orderBy: '/px DESC' }));
    expect(desc.map((r) => r.px)).toEqual(ITEMS.map((r) => r.px).sort((a, b) => b - a));
  });

  it('orders by a string field, ascending and descending', async () => {
    const sorted = ITEMS.map((r) => r.sym).sort();
    const asc = payloads<Item>(await query(client, 'items', undefined, { orderBy: '/sym ASC' }));
    expect(asc.map((r) => r.sym)).toEqual(sorted);
    const desc = payloads<Item>(await query(client, 'items', undefined, { orderBy: '/sym DESC' }));
    expect(desc.map((r) => r.sym)).toEqual([...sorted].reverse());
  });

  it('orders by two keys', async () => {
    const got = payloads<Item>(
      await query(client, 'items', undefined, { orderBy: '/sector ASC, /px DESC', batchSize: 4 }),
    );
    const expected = [...ITEMS].sort((a, b) =>
      a.sector === b.sector ? b.px - a.px : a.sector < b.sector ? -1 : 1,
    );
    expect(got.map((r) => [r.sector, r.px])).toEqual(expected.map((r) => [r.sector, r.px]));
  });

  it('top_n limits the result, after ordering and filtering', async () => {
    const top = payloads<Item>(await query(client, 'items', undefined, { topN: 5, orderBy: '/px DESC' }));
    expect(top).toEqual([...ITEMS].sort((a, b) => b.px - a.px).slice(0, 5));
    const filtered = payloads<Item>(
      await query(client, 'items', "/sector = 'energy'", { topN: 3, orderBy: '/id', batchSize: 2 }),
    );
    expect(filtered).toEqual(ITEMS.filter((r) => r.sector === 'energy').slice(0, 3));
    const unordered = await query(client, 'items', undefined, { topN: 7, batchSize: 3 });
    expect(unordered).toHaveLength(7);
    expect(frameSizes(unordered)).toEqual([3, 3, 1]);
  });

  it('a sow on a topic without a SOW fails with InvalidTopicError', async () => {
    const error = await client.sow('no-sow-here', undefined).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidTopicError);
    expect((error as InvalidTopicError).code).toBe('invalid topic');
    expect((error as Error).message).toContain('no-sow-here');
  });

  it('a bad filter fails with BadFilterError', async () => {
    const error = await client.sow('items', '/px >> 3 AND').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadFilterError);
    expect((error as BadFilterError).code).toBe('bad filter');
    expect((error as Error).message).toContain('items');
  });
  it('stats and completed acks follow group_end and count the matches (spec §4.8)', async () => {
    const cmd = new Command('sow')
      .setTopic('items')
      .setFilter('/px < 50')
      .setTopN(4)
      .setBatchSize(10)
      .setAckType('completed,stats');
    const all = await readAll(await client.execute(cmd));
    const matching = ITEMS.filter((r) => r.px < 50).length;
    expect(all.map((m) => m.command)).toEqual([
      'group_begin',
      'sow',
      'sow',
      'sow',
      'sow',
      'group_end',
      'ack',
      'ack',
    ]);
    const stats = all.find((m) => m.ackType === 'stats');
    expect(stats?.status).toBe('success');
    expect(stats?.recordsReturned).toBe(4);
    expect(stats?.matches).toBe(matching);
    expect(stats?.topicMatches).toBe(25);
    expect(all.at(-1)?.ackType).toBe('completed');
  });

  it('top_n 0 with a stats ack returns counts only (spec §4.8)', async () => {
    const cmd = new Command('sow').setTopic('items').setTopN(0).setAckType('stats');
    const all = await readAll(await client.execute(cmd));
    expect(all.filter((m) => m.command === 'sow')).toEqual([]);
    const stats = all.find((m) => m.ackType === 'stats');
    expect(stats?.recordsReturned).toBe(0);
    expect(stats?.topicMatches).toBe(25);
  });

  it('sow_keys selects records by SOW key', async () => {
    const records = await query(client, 'items', '/id <= 3', { orderBy: '/id' });
    const keys = records.map((m) => m.sowKey ?? '');
    const cmd = new Command('sow')
      .setTopic('items')
      .setSowKeys([keys[0] ?? '', keys[2] ?? ''])
      .setOrderBy('/id');
    const picked = (await readAll(await client.execute(cmd))).filter((m) => m.command === 'sow');
    expect(payloads<Item>(picked).map((r) => r.id)).toEqual([1, 3]);
  });

  it('skip_n with top_n and orderby pages through the result (spec §7.3)', async () => {
    const page = payloads<Item>(
      await query(client, 'items', undefined, { topN: 5, orderBy: '/id', options: 'skip_n=10' }),
    );
    expect(page.map((r) => r.id)).toEqual([11, 12, 13, 14, 15]);
  });

  it('a regex topic queries every matching SOW topic, each record with its own topic', async () => {
    const records = await query(client, '^region_', undefined);
    const got = records.map((m) => [m.topic, m.json<{ city: string }>().city]).sort();
    expect(got).toEqual([
      ['region_eu', 'Paris'],
      ['region_eu', 'Rome'],
      ['region_us', 'Austin'],
    ]);
  });
  it('concurrent queries on one connection each get exactly their own results', async () => {
    const filters = ["/sector = 'energy'", "/sector = 'tech'", "/sector = 'health'", '/px > 90', '/id = 7'];
    const streams = await Promise.all(filters.map((f) => client.sow('items', f, { batchSize: 2 })));
    const results = await Promise.all(streams.map((s) => readAll(s)));
    const expected = [
      ITEMS.filter((r) => r.sector === 'energy'),
      ITEMS.filter((r) => r.sector === 'tech'),
      ITEMS.filter((r) => r.sector === 'health'),
      ITEMS.filter((r) => r.px > 90),
      ITEMS.filter((r) => r.id === 7),
    ];
    results.forEach((all, i) => {
      expect(all[0]?.command).toBe('group_begin');
      expect(all.at(-1)?.command).toBe('group_end');
      expect(payloads<Item>(all.slice(1, -1)).sort(byId)).toEqual(expected[i]);
    });
  });
});
