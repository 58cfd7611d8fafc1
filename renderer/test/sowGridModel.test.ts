import { describe, expect, it } from 'vitest';
import { flatten, parseRecord, typeOfValue } from '../src/sow/sowColumns.js';
import { SowGridModel } from '../src/sow/sowGridModel.js';
import { compareCells, matchesQuickFilter } from '../src/sow/sowSort.js';

const rec = (key: string, data: object, changed?: string[]) => ({
  key,
  data: JSON.stringify(data),
  ...(changed === undefined ? {} : { changed }),
});

describe('SOW grid columns', () => {
  it('flattens nested JSON to paths, keeps arrays whole, and text that is not JSON under /', () => {
    expect(flatten({ id: 1, customer: { name: 'a', addr: { city: 'x' } }, tags: [1, 2] })).toEqual({
      '/id': 1,
      '/customer/name': 'a',
      '/customer/addr/city': 'x',
      '/tags': [1, 2],
    });
    expect(parseRecord('8=FIX.4.2\u00019=12')).toEqual({ '/': '8=FIX.4.2\u00019=12' });
  });

  it('detects number, string, boolean and time values', () => {
    expect([1.5, 'x', true, '2026-12-07T02:59:00Z', '20261207T025900.123Z', null].map(typeOfValue)).toEqual([
      'number',
      'string',
      'boolean',
      'time',
      'time',
      undefined,
    ]);
  });

  it('adds a column when a field first appears, in order of appearance, typed per column', () => {
    const m = new SowGridModel();
    const first = m.apply([rec('k1', { id: 1, px: 2.5, at: '2026-01-01T00:00:00Z' })], []);
    expect(first?.columnsChanged).toBe(true);
    expect(m.columns).toEqual([
      { path: '/id', type: 'number' },
      { path: '/px', type: 'number' },
      { path: '/at', type: 'time' },
    ]);
    expect(m.apply([rec('k2', { id: 2, px: 3 })], [])?.columnsChanged).toBe(false);
    expect(m.apply([rec('k3', { id: 3, customer: { vip: true } })], [])?.columnsChanged).toBe(true);
    expect(m.columns.map((c) => `${c.path}:${c.type}`)).toEqual([
      '/id:number',
      '/px:number',
      '/at:time',
      '/customer/vip:boolean',
    ]);
    // A value of another type makes the column a string column.
    m.apply([rec('k4', { id: 'four' })], []);
    expect(m.typeOf('/id')).toBe('string');
  });

  it('a column first seen with null takes the type of its first real value', () => {
    const m = new SowGridModel();
    m.apply([rec('a', { q: null })], []);
    m.apply([rec('b', { q: 5 })], []);
    expect(m.typeOf('/q')).toBe('number');
  });
});

describe('SOW grid rows', () => {
  it('keys rows by SowKey: a second state of a key updates it, with the changed fields', () => {
    const m = new SowGridModel();
    m.apply([rec('k1', { id: 1, qty: 5, c: { name: 'a' } })], []);
    const change = m.apply([rec('k1', { id: 1, qty: 6, c: { name: 'a' } })], []);
    expect(change?.add).toEqual([]);
    expect(change?.update.map((r) => r.cells)).toEqual([{ '/id': 1, '/qty': 6, '/c/name': 'a' }]);
    expect(change?.changed.get('k1')).toEqual(['/qty']);
    expect(m.size).toBe(1);
    expect(m.counters).toEqual({ inserts: 1, updates: 1, removals: {} });
  });

  it('a delta update flashes exactly the fields the delta carried', () => {
    const m = new SowGridModel();
    m.apply([rec('k1', { id: 1, qty: 5 })], []);
    const change = m.apply([rec('k1', { id: 1, qty: 5 }, ['/qty'])], []);
    expect(change?.changed.get('k1')).toEqual(['/qty']);
  });

  it('an oof keeps the row with its reason for a moment, then it leaves; removals are counted by reason', () => {
    let now = 1000;
    const m = new SowGridModel({ removalHoldMs: 500, now: () => now });
    m.apply([rec('a', { id: 1 }), rec('b', { id: 2 }), rec('c', { id: 3 })], []);
    const change = m.apply(
      [],
      [
        { key: 'a', reason: 'match' },
        { key: 'b', reason: 'deleted' },
        { key: 'zz', reason: 'expired' },
      ],
    );
    expect(change?.update.map((r) => [r.key, r.removed?.reason])).toEqual([
      ['a', 'match'],
      ['b', 'deleted'],
    ]);
    expect(m.size).toBe(3);
    expect(m.liveCount).toBe(1);
    now = 1400;
    expect(m.sweep()).toEqual([]);
    now = 1500;
    expect(m.sweep().map((r) => r.key)).toEqual(['a', 'b']);
    expect(m.size).toBe(1);
    expect(m.counters.removals).toEqual({ match: 1, deleted: 1 });
  });

  it('a record that comes back while leaving stays', () => {
    let now = 0;
    const m = new SowGridModel({ removalHoldMs: 100, now: () => now });
    m.apply([rec('a', { id: 1 })], []);
    m.apply([], [{ key: 'a', reason: 'match' }]);
    m.apply([rec('a', { id: 1, back: true })], []);
    now = 1000;
    expect(m.sweep()).toEqual([]);
    expect(m.row('a')?.removed).toBeUndefined();
  });

  it('pause buffers updates (latest state per key), counts what waits, and resume applies them as one change', () => {
    const m = new SowGridModel();
    m.apply([rec('a', { q: 1 }), rec('b', { q: 1 })], []);
    m.pause();
    expect(m.apply([rec('a', { q: 2 }, ['/q'])], [])).toBeNull();
    m.apply([rec('a', { q: 3 }, ['/q'])], []);
    m.apply([rec('c', { q: 1 })], [{ key: 'b', reason: 'deleted' }]);
    expect(m.waiting).toBe(4);
    expect(m.row('a')?.cells).toEqual({ '/q': 1 });
    const change = m.resume();
    expect(m.waiting).toBe(0);
    expect(m.row('a')?.cells).toEqual({ '/q': 3 });
    expect(change.add.map((r) => r.key)).toEqual(['c']);
    expect(change.update.map((r) => [r.key, r.removed?.reason])).toEqual([
      ['a', undefined],
      ['b', 'deleted'],
    ]);
    expect(change.changed.get('a')).toEqual(['/q']);
  });

  it('sorts client side by several columns by type, empty cells last, and filters by quick text', () => {
    const m = new SowGridModel();
    m.apply(
      [
        rec('1', { side: 'buy', px: 10, who: 'Ann' }),
        rec('2', { side: 'sell', px: 9, who: 'Bob' }),
        rec('3', { side: 'buy', px: 100, who: 'Cy' }),
        rec('4', { side: 'buy', who: 'Di' }),
      ],
      [],
    );
    const order = m.view([
      { path: '/side', descending: false },
      { path: '/px', descending: true },
    ]);
    expect(order.map((r) => r.key)).toEqual(['3', '1', '4', '2']);
    expect(m.view([{ path: '/px', descending: false }]).map((r) => r.key)).toEqual(['2', '1', '3', '4']);
    expect(m.view([], 'BUY ann').map((r) => r.key)).toEqual(['1']);
    expect(matchesQuickFilter({ key: 'k9', cells: {} }, 'k9')).toBe(true);
    expect(compareCells('20260101T000000Z', '2025-12-31T23:59:59Z', 'time')).toBeGreaterThan(0);
  });
});
