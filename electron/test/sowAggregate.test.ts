import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { aggregateOptions } from '../main/services/sow/sowCommand.js';
import { publishAll, startSowHarness, viewState, waitFor } from './sowHarness.js';
import type { SowHarness } from './sowHarness.js';

describe('aggregated SOW views', () => {
  let h: SowHarness;
  beforeEach(async () => {
    h = await startSowHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  it('sends grouping and projection: one record per group with the server-side sums', async () => {
    await publishAll(
      h,
      'orders',
      Array.from({ length: 9 }, (_, i) => ({ id: i, sym: ['IBM', 'MSFT', 'AAPL'][i % 3], qty: 10 * (i + 1) })),
    );
    await h.service.query(
      {
        connectionId: 'conn-1',
        topic: 'orders',
        mode: 'query',
        grouping: '/sym',
        projection: '/sym AS /sym, SUM(/qty) AS /total, COUNT(/id) AS /n',
      },
      'w1',
    );
    await waitFor(() => h.ended.length === 1);
    const groups = [...viewState(h.batches).values()] as { sym: string; total: number; n: number }[];
    const bySym = Object.fromEntries(groups.map((g) => [g.sym, [g.total, g.n]]));
    expect(bySym).toEqual({ IBM: [120, 3], MSFT: [150, 3], AAPL: [180, 3] });
  });

  it('live: a publish updates its group', async () => {
    await publishAll(h, 'orders', [
      { id: 1, sym: 'IBM', qty: 5 },
      { id: 2, sym: 'IBM', qty: 7 },
    ]);
    await h.service.query(
      { connectionId: 'conn-1', topic: 'orders', mode: 'live', grouping: '/sym', projection: '/sym AS /sym,SUM(/qty) AS /total' },
      'w1',
    );
    await waitFor(() => [...viewState(h.batches).values()].some((g) => (g as { total: number }).total === 12));
    await publishAll(h, 'orders', [{ id: 3, sym: 'IBM', qty: 100 }]);
    await waitFor(() => [...viewState(h.batches).values()].some((g) => (g as { total: number }).total === 112));
  });

  it('names the part that is missing or refused', async () => {
    expect(() => aggregateOptions({ grouping: '/sym' })).toThrow(/^projection: an aggregated query needs both/);
    expect(aggregateOptions({ grouping: ' /a ', projection: '/a,MAX(/b) AS /m' })).toEqual([
      'grouping=[/a]',
      'projection=[/a,MAX(/b) AS /m]',
    ]);
    await expect(
      h.service.query(
        { connectionId: 'conn-1', topic: 'orders', mode: 'query', grouping: '/sym', projection: 'NOPE(/qty) AS' },
        'w1',
      ),
    ).rejects.toThrow(/options/);
  });
});
