import { describe, expect, it } from 'vitest';
import { orderComparator, parseOrderBy } from '../src/orderBy.js';
import { pageOf, totalOrder } from '../src/pageSelect.js';
import { orderedRecords, pageFromOrdered, REBUILD_MIN_MS } from '../src/sowOrderIndex.js';
import { SowStore } from '../src/sowStore.js';
import type { SowRecord } from '../src/sowStore.js';

function record(key: string, json: unknown, expiresAt?: number): SowRecord {
  const data = Buffer.from(JSON.stringify(json));
  return {
    topic: 'orders',
    key,
    data,
    json,
    timestampMicros: 0,
    ...(expiresAt === undefined ? {} : { expiresAt }),
  };
}

/** A store of `n` records in a scrambled key order: numbers with ties, strings, missing values. */
function store(n: number): SowStore {
  const s = new SowStore('orders', ['/id']);
  let seed = 11;
  for (let i = 0; i < n; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    const price = seed % 5 === 0 ? undefined : (seed % 97) / 4;
    const name = seed % 7 === 0 ? `n${seed % 13}` : seed % 11 === 0 ? '42' : undefined;
    s.put(record(String(seed), { id: i, price, name, nested: { q: seed % 3 } }));
  }
  return s;
}

/** The page as the selection without an index gives it. */
function expected(
  s: SowStore,
  orderBy: string | undefined,
  skip: number,
  top: number,
  filter?: (j: unknown) => boolean,
): string[] {
  const cmp = orderBy === undefined ? () => 0 : orderComparator(parseOrderBy(orderBy));
  const matched = [...s.records.values()].filter((r) => filter === undefined || filter(r.json));
  return pageOf(
    matched,
    skip,
    top,
    totalOrder<SowRecord>((a, b) => cmp(a.json, b.json)),
  ).map((r) => r.key);
}

describe('the sorted index of a SOW store', () => {
  it('gives the same pages as ordering the store for each page, for every order and direction', () => {
    const s = store(3000);
    for (const orderBy of [
      undefined,
      '/price',
      '/price DESC',
      '/name, /price DESC',
      '/nested/q DESC, /id',
      '/id DESC',
    ]) {
      const ordered = orderedRecords(s, orderBy === undefined ? [] : parseOrderBy(orderBy), 0);
      expect(ordered).toBeDefined();
      for (const [skip, top] of [
        [0, 10],
        [1500, 200],
        [2990, 50],
        [2999, 5],
        [4000, 5],
      ] as const) {
        const page = pageFromOrdered(ordered ?? [], { skipN: skip, topN: top, now: 0 });
        expect(
          page.records.map((r) => r.key),
          `${orderBy ?? 'key order'} ${skip}+${top}`,
        ).toEqual(expected(s, orderBy, skip, top));
        expect(page.matches).toBe(3000);
        expect(page.topicMatches).toBe(3000);
      }
    }
  });

  it('applies the filter, the SOW keys and expiry while walking, counting what matched', () => {
    const s = store(1000);
    s.put(record('expired', { id: -1, price: 1 }, 5));
    const filter = (j: unknown): boolean => (j as { nested: { q: number } }).nested.q === 1;
    const ordered = orderedRecords(s, parseOrderBy('/price'), 10) ?? [];
    const page = pageFromOrdered(ordered, { filter, skipN: 20, topN: 30, now: 10 });
    expect(page.records.map((r) => r.key)).toEqual(
      expected(s, '/price', 20, 30, (j) => j !== undefined && (j as { id: number }).id >= 0 && filter(j)),
    );
    expect(page.topicMatches).toBe(1000);
    expect(page.matches).toBe(
      [...s.records.values()].filter((r) => (r.json as { id: number }).id >= 0 && filter(r.json)).length,
    );
    const keys = new Set([...s.records.keys()].slice(0, 10));
    expect(
      pageFromOrdered(ordered, { sowKeys: keys, now: 10 })
        .records.map((r) => r.key)
        .sort(),
    ).toEqual([...keys].sort());
  });

  it('is reused while the store stands, rebuilt after a change, and not rebuilt again too soon', () => {
    const s = store(100);
    const first = orderedRecords(s, parseOrderBy('/id'), 1000);
    expect(orderedRecords(s, parseOrderBy('/id'), 1001)).toBe(first);
    s.put(record('new', { id: -5 }));
    // Changed within the rebuild interval: the caller selects the page itself.
    expect(orderedRecords(s, parseOrderBy('/id'), 1002)).toBeUndefined();
    const rebuilt = orderedRecords(s, parseOrderBy('/id'), 1000 + REBUILD_MIN_MS + 1);
    expect(rebuilt?.[0]?.key).toBe('new');
    expect(rebuilt).toHaveLength(101);
    s.delete('new');
    expect(orderedRecords(s, parseOrderBy('/id'), 1000 + 2 * REBUILD_MIN_MS + 2)?.[0]?.key).not.toBe('new');
  });
});
