import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportRecords } from '../main/services/sow/sowExport.js';
import type { SowPageWindow } from '../../common/src/dto/sow.js';
import { waitFor } from './sowHarness.js';
import { ids, publishOrders, startRig, stopRig, type Rig } from './sowPagingRig.js';

const spec = (orderBy: string, mode: 'live' | 'query' = 'live') => ({
  connectionId: 'conn-1',
  topic: 'orders',
  mode,
  orderBy,
});

describe('SowPaging with heldBy app: main holds the records, the page reads windows', () => {
  let rig: Rig;
  beforeEach(async () => {
    rig = await startRig({ maxHeldRecords: 1000 });
  });
  afterEach(async () => {
    await stopRig(rig);
  });

  it('holds every record in the order asked for; moving the window is a read of main, counted in the total', async () => {
    await publishOrders(rig, 0, 500);
    const first = await rig.paging.open({ spec: spec('/qty DESC'), skipN: 0, topN: 20, heldBy: 'app' }, 'w1');
    expect(first).toMatchObject({ total: 500, live: true, heldBy: 'app', updates: 0 });
    expect(ids(first)).toEqual(Array.from({ length: 20 }, (_, i) => 499 - i));
    const middle = await rig.paging.move({ queryId: first.queryId, skipN: 250, topN: 20 }, 'w1');
    expect(ids(middle)).toEqual(Array.from({ length: 20 }, (_, i) => 249 - i));
    expect(middle.seq).toBeGreaterThan(first.seq);
    expect(rig.paging.size).toBe(1);
  });

  it('live: a record that moves into the window is shown in order, an oof removes it, the total and updates follow', async () => {
    await publishOrders(rig, 0, 100);
    const w = await rig.paging.open({ spec: spec('/qty'), skipN: 10, topN: 5, heldBy: 'app' }, 'w1');
    expect(ids(w)).toEqual([10, 11, 12, 13, 14]);
    rig.publisher.publish('orders', JSON.stringify({ id: 1000, qty: -5 }));
    await rig.publisher.publishFlush();
    await waitFor(() => rig.pages.some((p) => p.total === 101));
    expect(ids(rig.pages.at(-1) as SowPageWindow)).toEqual([9, 10, 11, 12, 13]);
    // Record 90 moves into the window (between 11 and 12).
    rig.publisher.publish('orders', JSON.stringify({ id: 90, qty: 115 }));
    await rig.publisher.publishFlush();
    await waitFor(() => rig.pages.some((p) => ids(p).includes(90)));
    expect(ids(rig.pages.at(-1) as SowPageWindow)).toEqual([9, 10, 11, 90, 12]);
    // A change far after the window leaves its rows alone; the count of updates still follows.
    const shown = rig.pages.at(-1) as SowPageWindow;
    rig.publisher.publish('orders', JSON.stringify({ id: 80, qty: 5000 }));
    await rig.publisher.publishFlush();
    await waitFor(() => (rig.pages.at(-1)?.updates ?? 0) > (shown.updates ?? 0));
    expect(rig.pages.at(-1)?.rows).toEqual(shown.rows);
    await rig.publisher.sowDelete('orders', '/id = 1000');
    await waitFor(() => rig.pages.some((p) => p.total === 100));
    const last = rig.pages.at(-1) as SowPageWindow;
    expect(ids(last)).toEqual([10, 11, 90, 12, 13]);
    expect(last.updates).toBe(4);
  });

  it('a query (not live) holds its records, is not live, and a result past the limit is refused by name', async () => {
    await publishOrders(rig, 0, 30);
    const w = await rig.paging.open({ spec: spec('/id', 'query'), skipN: 28, topN: 10, heldBy: 'app' }, 'w1');
    expect(ids(w)).toEqual([28, 29]);
    expect(w).toMatchObject({ live: false, total: 30 });
    await publishOrders(rig, 30, 1200);
    await expect(
      rig.paging.open({ spec: spec('/id'), skipN: 0, topN: 10, heldBy: 'app' }, 'w1'),
    ).rejects.toThrow(/holds at most 1,000 records in one view; page this query by the server/);
    expect(rig.paging.size).toBe(1);
  });

  it('names a bad order_by, refuses a foreign owner, and closes', async () => {
    await publishOrders(rig, 0, 3);
    await expect(
      rig.paging.open({ spec: spec('qty sideways'), skipN: 0, topN: 2, heldBy: 'app' }, 'w1'),
    ).rejects.toThrow(/order_by/);
    const w = await rig.paging.open({ spec: spec('/id'), skipN: 0, topN: 2, heldBy: 'app' }, 'w1');
    await expect(rig.paging.move({ queryId: w.queryId, skipN: 1, topN: 2 }, 'w2')).rejects.toThrow(
      /does not exist/,
    );
    await expect(rig.paging.close({ queryId: w.queryId }, 'w2')).rejects.toThrow(/does not exist/);
    await rig.paging.close({ queryId: w.queryId }, 'w1');
    expect(rig.paging.size).toBe(0);
    // A window of the app holds a bounded number of views in main.
    for (let i = 0; i < 4; i++)
      await rig.paging.open({ spec: spec('/id'), skipN: 0, topN: 2, heldBy: 'app' }, 'w1');
    await expect(
      rig.paging.open({ spec: spec('/id'), skipN: 0, topN: 2, heldBy: 'app' }, 'w1'),
    ).rejects.toThrow(/at most 4 SOW views hold their records in the app/);
  });

  it('a live view that grows past the limit stops with the error and keeps what it holds', async () => {
    await publishOrders(rig, 0, 990);
    const w = await rig.paging.open({ spec: spec('/id'), skipN: 0, topN: 10, heldBy: 'app' }, 'w1');
    expect(w).toMatchObject({ total: 990, live: true, loading: false });
    await publishOrders(rig, 990, 1020);
    await waitFor(() => rig.pages.some((p) => p.error !== undefined));
    const last = rig.pages.at(-1) as SowPageWindow;
    expect(last).toMatchObject({ loading: false, live: false, total: 1000 });
    expect(last.error).toMatch(/holds at most 1,000 records in one view/);
    await rig.paging.close({ queryId: w.queryId }, 'w1');
  });

  it('exports what it holds as it is now, in its order, while it goes on changing', async () => {
    await publishOrders(rig, 0, 50);
    const w = await rig.paging.open({ spec: spec('/qty DESC'), skipN: 0, topN: 5, heldBy: 'app' }, 'w1');
    const source = rig.paging.heldExport(w.queryId, 'w1');
    expect(source.topic).toBe('orders');
    // A change after the copy was taken does not move the export.
    await publishOrders(rig, 50, 60);
    await waitFor(() => rig.pages.some((p) => p.total === 60));
    const dir = await mkdtemp(join(tmpdir(), 'held-export-'));
    try {
      const result = await exportRecords({
        dir,
        name: 'orders',
        format: 'csv',
        records: source.records,
        now: 0,
      });
      expect(result.records).toBe(50);
      const lines = (await readFile(result.path, 'utf8')).trim().split('\r\n');
      expect(lines[0]).toBe('SowKey,/id,/qty');
      expect(lines.slice(1).map((l) => Number(l.split(',')[1]))).toEqual(
        Array.from({ length: 50 }, (_, i) => 49 - i),
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    expect(() => rig.paging.heldExport(w.queryId, 'w2')).toThrow(/does not exist/);
  });
});
