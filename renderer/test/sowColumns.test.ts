import { describe, expect, it } from 'vitest';
import { ColumnSet, flatten, parseRecord } from '../src/sow/sowColumns.js';

describe('SOW grid columns', () => {
  it('flattens nested records to paths, keeping empty objects and arrays whole', () => {
    expect(flatten({ a: 1, b: { c: 'x', d: { e: true } }, f: {}, g: [1, 2] })).toEqual({
      '/a': 1,
      '/b/c': 'x',
      '/b/d/e': true,
      '/f': {},
      '/g': [1, 2],
    });
    expect(parseRecord('not json')).toEqual({ '/': 'not json' });
    expect(parseRecord('7')).toEqual({ '/': 7 });
    expect(parseRecord('{}')).toEqual({});
  });

  it('detects types per column, a disagreeing value makes it string, and a string column stays string', () => {
    const set = new ColumnSet();
    expect(set.observe({ '/n': 1, '/t': '2026-12-07T03:00:00.000Z', '/s': 'a', '/z': null })).toBe(true);
    expect(set.list.map((c) => [c.path, c.type])).toEqual([
      ['/n', 'number'],
      ['/t', 'time'],
      ['/s', 'string'],
      ['/z', 'string'],
    ]);
    // The first real value of a column first seen as null sets its type.
    expect(set.observe({ '/z': 5 })).toBe(true);
    expect(set.get('/z')?.type).toBe('number');
    expect(set.observe({ '/n': 2, '/s': 3, '/t': '2026-12-08T00:00:00Z' })).toBe(false);
    expect(set.get('/s')?.type).toBe('string');
    expect(set.observe({ '/t': 'later' })).toBe(true);
    expect(set.get('/t')?.type).toBe('string');
    expect(set.observe({ '/t': '2026-12-08T00:00:00Z', '/n': 'x' })).toBe(true);
    expect(set.get('/t')?.type).toBe('string');
    expect(set.get('/n')?.type).toBe('string');
  });
});
