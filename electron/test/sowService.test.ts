import { readFile, rm } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SowBatch } from '../../common/src/dto/sow.js';
import { publishAll, startSowHarness, viewState, waitFor } from './sowHarness.js';
import type { SowHarness } from './sowHarness.js';

const orders = (n: number, from = 0) =>
  Array.from({ length: n }, (_, i) => ({
    id: from + i,
    qty: (from + i) * 10,
    customer: { name: `c${from + i}` },
  }));

const allRemovals = (batches: readonly SowBatch[]) => batches.flatMap((b) => b.removals);
const allUpserts = (batches: readonly SowBatch[]) => batches.flatMap((b) => b.upserts);

describe('SowService against the sandbox', () => {
  let h: SowHarness;
  beforeEach(async () => {
    h = await startSowHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  it('a one-shot query delivers every matching record keyed by SowKey, the total and then ends completed', async () => {
    await publishAll(h, 'orders', orders(25));
    const { queryId } = await h.service.query(
      { connectionId: 'conn-1', topic: 'orders', filter: '/qty >= 100', mode: 'query', batchSize: 4 },
      'w1',
    );
    await waitFor(() => h.ended.length === 1);
    expect(h.ended[0]).toMatchObject({ queryId, reason: 'completed' });
    expect(h.ended[0]?.progress).toMatchObject({ phase: 'done', received: 15, total: 15, records: 15 });
    const rows = viewState(h.batches);
    expect(rows.size).toBe(15);
    expect([...rows.values()].map((r) => (r as { id: number }).id).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 15 }, (_, i) => i + 10),
    );
    const keys = allUpserts(h.batches).map((u) => u.key);
    expect(new Set(keys).size).toBe(15);
    // The record detail keeps the headers beside the text.
    const detail = h.service.record(queryId, keys[0] ?? '', 'w1');
    expect(detail).toMatchObject({ key: keys[0], topic: 'orders' });
    expect(JSON.parse(detail?.data ?? 'null')).toHaveProperty('customer');
  });

  it('each record received names its topic to onMessage (the topics seen)', async () => {
    await h.close();
    const seen: string[] = [];
    h = await startSowHarness({ onMessage: (connectionId, topic) => seen.push(`${connectionId} ${topic}`) });
    await publishAll(h, 'orders', orders(3));
    await h.service.query({ connectionId: 'conn-1', topic: 'orders', mode: 'query' }, 'w1');
    await waitFor(() => h.ended.length === 1);
    expect(seen).toEqual(['conn-1 orders', 'conn-1 orders', 'conn-1 orders']);
  });

  it('order_by and top_n are sent to the server', async () => {
    await publishAll(h, 'orders', orders(10));
    await h.service.query(
      { connectionId: 'conn-1', topic: 'orders', mode: 'query', orderBy: '/qty DESC', topN: 3 },
      'w1',
    );
    await waitFor(() => h.ended.length === 1);
    expect(allUpserts(h.batches).map((u) => (JSON.parse(u.data) as { id: number }).id)).toEqual([9, 8, 7]);
  });

  it('live: updates replace the record, oof removals carry their reason (match, deleted)', async () => {
    await publishAll(h, 'orders', orders(5));
    const { queryId } = await h.service.query(
      { connectionId: 'conn-1', topic: 'orders', filter: '/qty >= 10', mode: 'live' },
      'w1',
    );
    await waitFor(() => h.batches.some((b) => b.progress.phase === 'live'));
    expect(viewState(h.batches).size).toBe(4);
    await publishAll(h, 'orders', [{ id: 2, qty: 999, customer: { name: 'new' } }]);
    await publishAll(h, 'orders', [{ id: 3, qty: 1 }]);
    await h.publisher.sowDelete('orders', '/id = 4');
    await waitFor(() => allRemovals(h.batches).length === 2);
    const removals = allRemovals(h.batches);
    const reasons = Object.fromEntries(removals.map((r) => [r.key, r.reason]));
    expect(Object.values(reasons).sort()).toEqual(['deleted', 'match']);
    const rows = viewState(h.batches);
    expect([...rows.values()].map((r) => (r as { id: number }).id).sort()).toEqual([1, 2]);
    expect([...rows.values()]).toContainEqual({ id: 2, qty: 999, customer: { name: 'new' } });
    expect(h.ended).toEqual([]);
    await h.service.cancel(queryId, 'w1');
    expect(h.ended[0]).toMatchObject({ queryId, reason: 'cancelled' });
    expect(h.service.size).toBe(0);
  });

  it('live delta: main merges each delta into the record and names the changed fields', async () => {
    await publishAll(h, 'orders', orders(2));
    await h.service.query({ connectionId: 'conn-1', topic: 'orders', mode: 'live_delta' }, 'w1');
    await waitFor(() => h.batches.some((b) => b.progress.phase === 'live'));
    h.publisher.deltaPublish('orders', JSON.stringify({ id: 1, customer: { name: 'renamed' } }));
    await h.publisher.publishFlush();
    await waitFor(() => allUpserts(h.batches).some((u) => u.changed !== undefined));
    const delta = allUpserts(h.batches).find((u) => u.changed !== undefined);
    expect(JSON.parse(delta?.data ?? '{}')).toEqual({ id: 1, qty: 10, customer: { name: 'renamed' } });
    expect(delta?.changed).toContain('/customer/name');
    expect(delta?.changed).not.toContain('/qty');
  });

  it('within a tick the latest state of a key wins and the folded updates are counted', async () => {
    // A long tick so that all updates land in one batch.
    const slow = await startSowHarness({ intervalMs: 50 });
    try {
      await publishAll(slow, 'orders', orders(1));
      await slow.service.query({ connectionId: 'conn-1', topic: 'orders', mode: 'live' }, 'w1');
      await waitFor(() => slow.batches.some((b) => b.progress.phase === 'live'));
      const before = slow.batches.length;
      for (let q = 1; q <= 200; q++) slow.publisher.publish('orders', JSON.stringify({ id: 0, qty: q }));
      await slow.publisher.publishFlush();
      await waitFor(
        () =>
          viewState(slow.batches).get(allUpserts(slow.batches)[0]?.key ?? '') !== undefined &&
          (viewState(slow.batches).values().next().value as { qty: number }).qty === 200,
      );
      const after = slow.batches.slice(before);
      const delivered = allUpserts(after).length;
      const conflated = after.reduce((n, b) => n + b.conflated, 0);
      expect(delivered + conflated).toBe(200);
      expect(conflated).toBeGreaterThan(0);
      expect(slow.batches.at(-1)?.conflatedTotal).toBe(conflated);
    } finally {
      await slow.close();
    }
  });

  it('replace changes the filter atomically: entering records are added, leaving ones get oof match', async () => {
    await publishAll(h, 'orders', orders(6));
    const { queryId } = await h.service.query(
      { connectionId: 'conn-1', topic: 'orders', filter: '/qty < 30', mode: 'live' },
      'w1',
    );
    await waitFor(() => h.batches.some((b) => b.progress.phase === 'live'));
    expect(viewState(h.batches).size).toBe(3);
    await h.service.replaceFilter(queryId, '/qty >= 20', 'w1');
    await waitFor(() => viewState(h.batches).size === 4 && allRemovals(h.batches).length === 2);
    expect(allRemovals(h.batches).map((r) => r.reason)).toEqual(['match', 'match']);
    const ids = [...viewState(h.batches).values()].map((r) => (r as { id: number }).id).sort();
    expect(ids).toEqual([2, 3, 4, 5]);
    // Still live under the new filter.
    await publishAll(h, 'orders', [{ id: 0, qty: 500 }]);
    await waitFor(() => viewState(h.batches).size === 5);
  });

  it('a replace with a bad filter is refused naming the filter, and the view keeps its old filter', async () => {
    await publishAll(h, 'orders', orders(3));
    const { queryId } = await h.service.query(
      { connectionId: 'conn-1', topic: 'orders', filter: '/qty < 20', mode: 'live' },
      'w1',
    );
    await waitFor(() => h.batches.some((b) => b.progress.phase === 'live'));
    await expect(h.service.replaceFilter(queryId, '/qty <', 'w1')).rejects.toThrow(/^filter: /);
    await publishAll(h, 'orders', [
      { id: 9, qty: 1 },
      { id: 10, qty: 100 },
    ]);
    await waitFor(() => viewState(h.batches).size === 3);
    expect(h.ended).toEqual([]);
  });

  it('a SOW query on a topic without a SOW says so, in every mode', async () => {
    for (const mode of ['query', 'live', 'live_delta'] as const) {
      await expect(
        h.service.query({ connectionId: 'conn-1', topic: 'chatter', mode }, 'w1'),
      ).rejects.toMatchObject({
        code: 'not-sow-topic',
        message: expect.stringContaining('"chatter" is not a SOW topic') as unknown,
      });
    }
    expect(h.service.size).toBe(0);
  });

  it('server errors name the part of the query they are about', async () => {
    await expect(
      h.service.query({ connectionId: 'conn-1', topic: 'orders', mode: 'live', filter: '/qty >' }, 'w1'),
    ).rejects.toThrow(/^filter: the server refused the query: .*bad filter/);
    await expect(
      h.service.query(
        { connectionId: 'conn-1', topic: 'orders', mode: 'query', orderBy: '/qty SIDEWAYS' },
        'w1',
      ),
    ).rejects.toThrow(/^order_by: /);
    await expect(
      h.service.query({ connectionId: 'conn-1', topic: 'orders', mode: 'query', select: 'qty' }, 'w1'),
    ).rejects.toThrow(/^select: "qty" is not a field path/);
  });

  it('select returns only the named fields', async () => {
    await publishAll(h, 'orders', orders(2));
    await h.service.query(
      { connectionId: 'conn-1', topic: 'orders', mode: 'query', select: '/id, /customer/name' },
      'w1',
    );
    await waitFor(() => h.ended.length === 1);
    expect([...viewState(h.batches).values()]).toContainEqual({ id: 1, customer: { name: 'c1' } });
  });

  it('views belong to their owner: another window cannot see, cancel or export them', async () => {
    await publishAll(h, 'orders', orders(2));
    const { queryId } = await h.service.query(
      { connectionId: 'conn-1', topic: 'orders', mode: 'live' },
      'w1',
    );
    expect(() => h.service.record(queryId, 'x', 'w2')).toThrow(/does not exist/);
    await expect(h.service.cancel(queryId, 'w2')).rejects.toThrow(/does not exist/);
    await expect(
      h.service.query({ connectionId: 'conn-1', topic: 'orders', mode: 'live' }, 'w2'),
    ).rejects.toThrow(/not open/);
    await h.service.releaseOwner('w1');
    expect(h.service.size).toBe(0);
  });

  it('count previews a delete by filter; delete by filter and by keys report the server count', async () => {
    await publishAll(h, 'orders', orders(10));
    expect(
      await h.service.count({ connectionId: 'conn-1', topic: 'orders', filter: '/qty >= 50' }, 'w1'),
    ).toEqual({
      count: 5,
    });
    expect(
      await h.service.delete({ connectionId: 'conn-1', topic: 'orders', filter: '/qty >= 50' }, 'w1'),
    ).toEqual({
      deleted: 5,
    });
    const { queryId } = await h.service.query(
      { connectionId: 'conn-1', topic: 'orders', mode: 'live' },
      'w1',
    );
    await waitFor(() => viewState(h.batches).size === 5);
    const keys = [...viewState(h.batches).keys()].slice(0, 2);
    expect(await h.service.delete({ connectionId: 'conn-1', topic: 'orders', keys }, 'w1')).toEqual({
      deleted: 2,
    });
    await waitFor(() => allRemovals(h.batches).length === 2);
    expect(allRemovals(h.batches)).toEqual(keys.map((key) => ({ key, reason: 'deleted' })));
    expect(h.service.record(queryId, keys[0] ?? '', 'w1')).toBeNull();
  });

  it('exports the records main holds as CSV with flattened columns, and as NDJSON', async () => {
    await publishAll(h, 'orders', [
      { id: 1, qty: 5, customer: { name: 'a, "b"' } },
      { id: 2, note: '=1+1' },
    ]);
    const { queryId } = await h.service.query(
      { connectionId: 'conn-1', topic: 'orders', mode: 'query' },
      'w1',
    );
    await waitFor(() => h.ended.length === 1);
    const csv = await h.service.export({ queryId, format: 'csv' }, 'w1');
    try {
      const text = await readFile(csv.path, 'utf8');
      const lines = text.trim().split('\r\n');
      expect(lines[0]).toBe('SowKey,/id,/qty,/customer/name,/note');
      expect(lines.slice(1).map((l) => l.split(',').slice(1).join(','))).toEqual([
        '1,5,"a, ""b""",',
        "2,,,'=1+1",
      ]);
      expect(csv.records).toBe(2);
    } finally {
      await rm(csv.path, { force: true });
    }
    const nd = await h.service.export({ queryId, format: 'ndjson' }, 'w1');
    try {
      const rows = (await readFile(nd.path, 'utf8'))
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { record: unknown });
      expect(rows.map((r) => r.record)).toEqual([
        { id: 1, qty: 5, customer: { name: 'a, "b"' } },
        { id: 2, note: '=1+1' },
      ]);
    } finally {
      await rm(nd.path, { force: true });
    }
  });

  it('a view past its record limit ends with reason limit and a clear error', async () => {
    const small = await startSowHarness({ limits: { maxRecords: 5, maxChars: 1_000_000 } });
    try {
      await publishAll(small, 'orders', orders(8));
      await small.service.query({ connectionId: 'conn-1', topic: 'orders', mode: 'live' }, 'w1');
      await waitFor(() => small.ended.length === 1);
      expect(small.ended[0]).toMatchObject({ reason: 'limit' });
      expect(small.ended[0]?.error?.message).toMatch(/limit of 5 records/);
    } finally {
      await small.close();
    }
  });
});
