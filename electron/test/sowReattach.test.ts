/**
 * SOW views across a page reload, against the sandbox: a detached live view delivers nothing
 * but keeps taking the server's changes; attaching it sends its current records (a snapshot of
 * main's map, in chunks) and then its live changes; views no page attaches are cancelled; a
 * finished query is attached with its records and its end.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SowBatch } from '../../common/src/dto/sow.js';
import { SowReattach } from '../main/services/sow/sowReattach.js';
import { publishAll, startSowHarness, viewState, waitFor } from './sowHarness.js';
import type { SowHarness } from './sowHarness.js';

const orders = (ids: readonly number[], qty = 10) => ids.map((id) => ({ id, qty }));
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('SOW views across a reload', () => {
  let h: SowHarness;
  let reattach: SowReattach;
  let snapshots: SowBatch[];
  beforeEach(async () => {
    h = await startSowHarness();
    snapshots = [];
    reattach = new SowReattach({
      sow: h.service,
      maxBatch: 2,
      deliverBatch: (_owner, batch) => {
        snapshots.push(batch);
        h.batches.push(batch);
      },
    });
  });
  afterEach(async () => {
    await h.close();
  });

  it('a detached live view holds its deliveries, then attaching sends its current records and live changes follow', async () => {
    await publishAll(h, 'orders', orders([1, 2, 3]));
    const { queryId } = await h.service.query(
      { connectionId: 'conn-1', topic: 'orders', filter: '/qty > 0', mode: 'live' },
      'w1',
    );
    await waitFor(() => h.batches.some((b) => b.progress.phase === 'live'));
    expect(viewState(h.batches).size).toBe(3);

    reattach.detachOwner('w1');
    const delivered = h.batches.length;
    await publishAll(h, 'orders', [
      { id: 2, qty: 99 },
      { id: 4, qty: 40 },
    ]);
    await h.publisher.sowDelete('orders', '/id = 1');
    // Main takes the changes (its map follows the server) but the page receives nothing.
    await waitFor(() => h.service.stats('w1')[0]?.received === 6);
    await sleep(60);
    expect(h.batches.length).toBe(delivered);
    expect(reattach.list('w1')).toMatchObject([
      {
        queryId,
        attached: false,
        spec: { topic: 'orders', mode: 'live' },
        progress: { phase: 'live', records: 3 },
      },
    ]);

    const info = reattach.attach(queryId, 'w1');
    expect(info).toMatchObject({ queryId, attached: true });
    expect(info.ended).toBeUndefined();
    // The snapshot: every record main holds now, in chunks of two, the last with the progress.
    expect(snapshots.map((b) => b.upserts.length)).toEqual([2, 1]);
    expect(snapshots.every((b) => b.removals.length === 0)).toBe(true);
    expect(snapshots.at(-1)?.progress).toMatchObject({ phase: 'live', records: 3 });
    const rows = [...viewState(snapshots).values()] as { id: number; qty: number }[];
    expect(rows.sort((a, b) => a.id - b.id)).toEqual([
      { id: 2, qty: 99 },
      { id: 3, qty: 10 },
      { id: 4, qty: 40 },
    ]);

    // Live again: a new publish reaches the page through the service's own batches.
    const before = h.batches.length;
    await publishAll(h, 'orders', [{ id: 5, qty: 50 }]);
    await waitFor(() =>
      h.batches.slice(before).some((b) => b.upserts.some((u) => JSON.parse(u.data).id === 5)),
    );
    expect(h.ended).toEqual([]);
  });

  it('cancels the views no page attached again, and keeps the attached ones', async () => {
    await publishAll(h, 'orders', orders([1, 2]));
    const kept = await h.service.query({ connectionId: 'conn-1', topic: 'orders', mode: 'live' }, 'w1');
    const dropped = await h.service.query({ connectionId: 'conn-1', topic: 'orders', mode: 'live' }, 'w1');
    await waitFor(() => h.batches.filter((b) => b.progress.phase === 'live').length >= 2);
    reattach.detachOwner('w1');
    reattach.attach(kept.queryId, 'w1');
    await expect(reattach.endDetached('w1')).resolves.toBe(1);
    expect(h.ended).toMatchObject([{ queryId: dropped.queryId, reason: 'cancelled' }]);
    expect(reattach.list('w1').map((v) => v.queryId)).toEqual([kept.queryId]);
    expect(() => reattach.attach(dropped.queryId, 'w1')).toThrow(/no longer held/);
    // Another owner sees none of them.
    expect(reattach.list('w2')).toEqual([]);
    expect(() => reattach.attach(kept.queryId, 'w2')).toThrow(/no longer held/);
  });

  it('a query that finished while the page was away is attached with its records and its end', async () => {
    await publishAll(h, 'orders', orders([1, 2, 3]));
    reattach.detachOwner('w1');
    const { queryId } = await h.service.query(
      { connectionId: 'conn-1', topic: 'orders', mode: 'query' },
      'w1',
    );
    // Placed by the page just before it went away: detached from the start.
    reattach.detachOwner('w1');
    await waitFor(() => h.ended.length === 1);
    const info = reattach.attach(queryId, 'w1');
    expect(info).toMatchObject({ queryId, ended: 'completed', progress: { phase: 'done', records: 3 } });
    expect(viewState(snapshots).size).toBe(3);
  });
});
