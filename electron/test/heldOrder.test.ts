import { describe, expect, it } from 'vitest';
import { HeldOrder } from '../main/services/sow/heldOrder.js';
import { touchesWindow } from '../main/services/sow/heldPaging.js';
import { orderOf, parseOrder } from '../main/services/sow/pagingOrder.js';

/** xorshift32, so a failing case repeats. */
function randomOf(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x1_0000_0000;
  };
}

describe('HeldOrder: the records of an app-held view in order', () => {
  it('after random inserts, changes and removals it reads as a sort of the same records, with the ranks it reported', () => {
    const orderBy = '/price DESC, /name';
    const order = new HeldOrder(parseOrder(orderBy));
    const compare = orderOf(parseOrder(orderBy));
    const truth = new Map<string, unknown>();
    const sorted = (): string[] =>
      [...truth]
        .map(([key, doc]) => ({ key, doc }))
        .sort((a, b) => compare(a, b) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
        .map((e) => e.key);
    const random = randomOf(7);
    for (let step = 0; step < 3000; step++) {
      const key = `k${Math.floor(random() * 1500)}`;
      if (random() < 0.15) {
        const was = sorted().indexOf(key);
        expect(order.remove(key)).toBe(was);
        truth.delete(key);
        continue;
      }
      // Prices repeat (ties fall to /name, then the key); some records lack /price or /name.
      const doc: Record<string, unknown> = { name: `n${Math.floor(random() * 50)}` };
      if (random() < 0.9) doc['price'] = Math.floor(random() * 200) / 2;
      const data = JSON.stringify(doc);
      const was = sorted().indexOf(key);
      truth.set(key, doc);
      const change = order.upsert(key, data);
      expect(change).toEqual({ before: was, after: sorted().indexOf(key) });
    }
    expect(order.size).toBe(truth.size);
    const all = sorted();
    expect(order.slice(0, all.length).map((e) => e.key)).toEqual(all);
    expect(order.slice(700, 25).map((e) => e.key)).toEqual(all.slice(700, 725));
    expect(order.slice(all.length - 3, 10).map((e) => e.key)).toEqual(all.slice(-3));
  });

  it('with no order_by holds the records by SowKey, and non-JSON records sort as missing values', () => {
    const byKey = new HeldOrder([]);
    for (const key of ['30', '10', '20']) byKey.upsert(key, `<xml id="${key}"/>`);
    expect(byKey.slice(0, 10).map((e) => e.key)).toEqual(['10', '20', '30']);
    const byPrice = new HeldOrder(parseOrder('/price'));
    byPrice.upsert('a', JSON.stringify({ price: 5 }));
    byPrice.upsert('b', 'not json');
    expect(byPrice.slice(0, 10).map((e) => e.key)).toEqual(['b', 'a']);
    expect(byPrice.remove('zz')).toBe(-1);
  });
});

describe('touchesWindow: which changes a window of ranks [skip, skip+top) shows', () => {
  it("an insertion or removal before the window's end shifts it; a move beside it does not", () => {
    expect(touchesWindow({ before: -1, after: 5 }, 10, 5)).toBe(true);
    expect(touchesWindow({ before: -1, after: 15 }, 10, 5)).toBe(false);
    expect(touchesWindow({ before: 3, after: -1 }, 10, 5)).toBe(true);
    expect(touchesWindow({ before: 3, after: 7 }, 10, 5)).toBe(false);
    expect(touchesWindow({ before: 20, after: 40 }, 10, 5)).toBe(false);
    expect(touchesWindow({ before: 3, after: 40 }, 10, 5)).toBe(true);
    expect(touchesWindow({ before: 12, after: 12 }, 10, 5)).toBe(true);
  });
});
