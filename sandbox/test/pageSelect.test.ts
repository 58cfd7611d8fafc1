import { describe, expect, it } from 'vitest';
import { pageOf, totalOrder } from '../src/pageSelect.js';

interface R {
  key: string;
  v: number;
}

const byV = totalOrder<R>((a, b) => a.v - b.v);

function shuffled(n: number, values: (i: number) => number, seed = 7): R[] {
  const out = Array.from({ length: n }, (_, i) => ({ key: `k${String(i).padStart(6, '0')}`, v: values(i) }));
  let s = seed;
  for (let i = n - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j] as R, out[i] as R];
  }
  return out;
}

describe('pageOf', () => {
  it('returns exactly the records a full sort would put on the page, in order', () => {
    const items = shuffled(5000, (i) => i % 37);
    const sorted = [...items].sort(byV);
    for (const [skip, top] of [
      [0, 10],
      [2500, 200],
      [4990, 50],
      [1, 1],
      [100, 3000],
    ] as const) {
      expect(pageOf([...items], skip, top, byV).map((r) => r.key)).toEqual(
        sorted.slice(skip, skip + top).map((r) => r.key),
      );
    }
  });

  it('consecutive pages over equal values neither repeat nor skip a record', () => {
    const items = shuffled(1000, () => 5);
    const seen: string[] = [];
    for (let skip = 0; skip < 1000; skip += 100) seen.push(...pageOf([...items], skip, 100, byV).map((r) => r.key));
    expect(new Set(seen).size).toBe(1000);
  });

  it('empty past the end, everything without top', () => {
    const items = shuffled(10, (i) => i);
    expect(pageOf([...items], 10, 5, byV)).toEqual([]);
    expect(pageOf([...items], 8, undefined, byV).map((r) => r.v)).toEqual([8, 9]);
  });
});
