import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SowPageWindow } from '../../common/src/dto/sow.js';
import { waitFor } from './sowHarness.js';
import { ids, publishOrders, startRig, stopRig, type Rig } from './sowPagingRig.js';

describe('SowPaging: server-paged windows over the sandbox', () => {
  let rig: Rig;
  beforeEach(async () => {
    rig = await startRig();
  });
  afterEach(async () => {
    await stopRig(rig);
  });

  it('a window holds top_n records from skip_n in the order asked for, with the total the server counted', async () => {
    await publishOrders(rig, 0, 500);
    const spec = { connectionId: 'conn-1', topic: 'orders', mode: 'live' as const, orderBy: '/qty DESC' };
    const first = await rig.paging.open({ spec, skipN: 0, topN: 20 }, 'w1');
    expect(first.total).toBe(500);
    expect(ids(first)).toEqual(Array.from({ length: 20 }, (_, i) => 499 - i));
    expect(first.live).toBe(true);
    const middle = await rig.paging.move({ queryId: first.queryId, skipN: 250, topN: 20 }, 'w1');
    expect(middle).toMatchObject({ skipN: 250, topN: 20, total: 500 });
    expect(ids(middle)).toEqual(Array.from({ length: 20 }, (_, i) => 249 - i));
    expect(middle.seq).toBeGreaterThan(first.seq);
  });

  it('the live window follows the SOW: a record that enters the window is placed in order, the one pushed out leaves', async () => {
    await publishOrders(rig, 0, 100);
    const spec = { connectionId: 'conn-1', topic: 'orders', mode: 'live' as const, orderBy: '/qty' };
    const w = await rig.paging.open({ spec, skipN: 10, topN: 5 }, 'w1');
    expect(ids(w)).toEqual([10, 11, 12, 13, 14]);
    // A new record sorting before the window pushes every record one place down.
    rig.publisher.publish('orders', JSON.stringify({ id: 1000, qty: -5 }));
    await rig.publisher.publishFlush();
    await waitFor(() => rig.pages.some((p) => ids(p)[0] === 9));
    expect(ids(rig.pages.at(-1) as SowPageWindow)).toEqual([9, 10, 11, 12, 13]);
    // A change inside the window shows the new data in place.
    rig.publisher.publish('orders', JSON.stringify({ id: 11, qty: 110, note: 'changed' }));
    await rig.publisher.publishFlush();
    await waitFor(() => rig.pages.some((p) => p.rows.some((r) => r.data.includes('changed'))));
  });

  it('query mode pages with a one-shot sow and is not live', async () => {
    await publishOrders(rig, 0, 30);
    const w = await rig.paging.open(
      { spec: { connectionId: 'conn-1', topic: 'orders', mode: 'query', orderBy: '/id' }, skipN: 28, topN: 10 },
      'w1',
    );
    expect(ids(w)).toEqual([28, 29]);
    expect(w).toMatchObject({ live: false, total: 30 });
  });

  it('refuses a window over the bound, a foreign owner, and names a refused order_by', async () => {
    await publishOrders(rig, 0, 3);
    const spec = { connectionId: 'conn-1', topic: 'orders', mode: 'live' as const, orderBy: '/id' };
    await expect(rig.paging.open({ spec, skipN: 0, topN: 5000 }, 'w1')).rejects.toThrow(/topN: a window holds 1 to 1000/);
    const w = await rig.paging.open({ spec, skipN: 0, topN: 2 }, 'w1');
    await expect(rig.paging.move({ queryId: w.queryId, skipN: 1, topN: 2 }, 'w2')).rejects.toThrow(/does not exist/);
    await expect(
      rig.paging.open({ spec: { ...spec, orderBy: 'qty sideways' }, skipN: 0, topN: 2 }, 'w1'),
    ).rejects.toThrow(/order_by/);
    await rig.paging.close({ queryId: w.queryId }, 'w1');
    expect(rig.paging.size).toBe(0);
  });
});
