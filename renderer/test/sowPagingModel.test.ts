import { describe, expect, it } from 'vitest';
import type { SowPageWindow } from '../../common/src/dto/sow.js';
import { shouldPage, SowPagingModel } from '../src/sow/sowPagingModel.js';

const windowOf = (skipN: number, topN: number, total: number, seq: number, queryId = 'sow-page-1'): SowPageWindow => ({
  queryId,
  skipN,
  topN,
  total,
  live: true,
  seq,
  rows: Array.from({ length: Math.max(0, Math.min(topN, total - skipN)) }, (_, i) => ({
    key: `k${skipN + i}`,
    data: JSON.stringify({ id: skipN + i, customer: { name: `c${skipN + i}` } }),
  })),
});

describe('SowPagingModel', () => {
  it('pages past the threshold only', () => {
    expect(shouldPage(10_000)).toBe(false);
    expect(shouldPage(10_001)).toBe(true);
    expect(shouldPage(50, 20)).toBe(true);
  });

  it('holds a window by position with flattened fields and columns, and the total', () => {
    const m = new SowPagingModel(100);
    expect(m.accept(windowOf(500, 100, 20_000, 1))).toBe(true);
    expect(m.total).toBe(20_000);
    expect(m.rows).toHaveLength(100);
    expect(m.rowAt(499)).toBeUndefined();
    expect(m.rowAt(500)).toMatchObject({ index: 500, key: 'k500', fields: { '/id': 500, '/customer/name': 'c500' } });
    expect(m.rowAt(599)?.key).toBe('k599');
    expect(m.rowAt(600)).toBeUndefined();
    expect(m.columns.map((c) => c.path)).toEqual(['/id', '/customer/name']);
  });

  it('a live window sent again keeps the fields of its unchanged rows and reads the changed ones anew', () => {
    const m = new SowPagingModel(100);
    m.accept(windowOf(0, 3, 10, 1));
    const unchanged = m.rowAt(0)?.fields;
    const next = windowOf(0, 3, 10, 2);
    next.rows[1] = { key: 'k1', data: JSON.stringify({ id: 1, price: 9.5 }) };
    expect(m.accept(next)).toBe(true);
    expect(m.rowAt(0)?.fields).toBe(unchanged);
    expect(m.rowAt(1)?.fields).toEqual({ '/id': 1, '/price': 9.5 });
    expect(m.columns.map((c) => c.path)).toContain('/price');
  });

  it('ignores older states and other views', () => {
    const m = new SowPagingModel(100);
    m.accept(windowOf(0, 100, 1000, 5));
    expect(m.accept(windowOf(300, 100, 1000, 4))).toBe(false);
    expect(m.accept(windowOf(300, 100, 1000, 6, 'sow-page-2'))).toBe(false);
    expect(m.skipN).toBe(0);
  });

  it('asks for a window centred on the visible rows only when they leave the one held', () => {
    const m = new SowPagingModel(200);
    m.accept(windowOf(0, 200, 1_000_000, 1));
    expect(m.wanted(0, 30)).toBeUndefined();
    expect(m.wanted(150, 180)).toBeUndefined();
    // Jump to the middle: a window around rows 500 000..500 030.
    expect(m.wanted(500_000, 500_030)).toEqual({ skipN: 499_915, topN: 200 });
    // Asked already and not answered: scrolling inside it asks nothing more.
    expect(m.wanted(500_001, 500_031)).toBeUndefined();
    m.accept(windowOf(499_915, 200, 1_000_000, 2));
    expect(m.rowAt(500_000)?.key).toBe('k500000');
    // The end: the window is clamped to the last records.
    expect(m.wanted(999_990, 1_000_020)).toEqual({ skipN: 999_800, topN: 200 });
  });

  it('a dropped move is asked again after forget, and clear starts over', () => {
    const m = new SowPagingModel(50);
    m.accept(windowOf(0, 50, 500, 1));
    expect(m.wanted(300, 310)).toEqual({ skipN: 280, topN: 50 });
    expect(m.wanted(300, 310)).toBeUndefined();
    m.forget();
    expect(m.wanted(300, 310)).toEqual({ skipN: 280, topN: 50 });
    m.clear();
    expect(m.rows).toEqual([]);
    expect(m.accept(windowOf(0, 50, 500, 1, 'sow-page-9'))).toBe(true);
  });

  it('refuses a window size past the bound', () => {
    expect(() => new SowPagingModel(5000)).toThrow(/pageRows/);
  });
});
