import { describe, expect, it } from 'vitest';
import {
  HeldRows,
  KEY_COLUMN,
  needsRebuild,
  perspectiveSchema,
  splitTake,
  STATE_COLUMN,
} from '../src/sow/perspectiveRows.js';
import type { SowColumn } from '../src/sow/sowColumns.js';
import type { SowRow } from '../src/sow/sowGridModel.js';

const columns: SowColumn[] = [
  { path: '/id', type: 'number' },
  { path: '/customer/name', type: 'string' },
  { path: '/ok', type: 'boolean' },
  { path: '/time', type: 'time' },
];

describe('perspective rows', () => {
  it('builds the schema from the columns, key and state first, times as strings', () => {
    expect(perspectiveSchema(columns)).toEqual({
      [KEY_COLUMN]: 'string',
      [STATE_COLUMN]: 'string',
      '/id': 'float',
      '/customer/name': 'string',
      '/ok': 'boolean',
      '/time': 'string',
    });
  });

  it('asks for a rebuild when a column appears or changes type, not when one is missing', () => {
    const schema = perspectiveSchema(columns);
    expect(needsRebuild(undefined, columns)).toBe(true);
    expect(needsRebuild(schema, columns)).toBe(false);
    expect(needsRebuild(schema, columns.slice(0, 2))).toBe(false);
    expect(needsRebuild(schema, [...columns, { path: '/new', type: 'number' }])).toBe(true);
    expect(needsRebuild(schema, [{ path: '/id', type: 'string' }])).toBe(true);
  });

  it('splits a refresh into rows to update (coerced to the schema) and keys to remove', () => {
    const schema = perspectiveSchema(columns);
    const upserts: SowRow[] = [
      {
        key: 'k1',
        cells: { '/id': 1, '/customer/name': 'Ann', '/ok': true, '/time': '2026-12-07T03:00:00Z' },
      },
      { key: 'k2', cells: { '/id': 'two', '/customer/name': { a: 1 } }, removed: { reason: 'match', at: 5 } },
    ];
    const removes: SowRow[] = [{ key: 'k3', cells: { '/id': 3 } }];
    expect(splitTake({ upserts, removes }, schema)).toEqual({
      update: [
        {
          __key: 'k1',
          __state: '',
          '/id': 1,
          '/customer/name': 'Ann',
          '/ok': true,
          '/time': '2026-12-07T03:00:00Z',
        },
        {
          __key: 'k2',
          __state: 'match',
          '/id': null,
          '/customer/name': '{"a":1}',
          '/ok': null,
          '/time': null,
        },
      ],
      remove: ['k3'],
    });
  });

  it('holds the latest row of each key for a rebuild, without the removed ones', () => {
    const held = new HeldRows();
    held.set({ key: 'a', cells: { '/v': 1 } });
    held.set({ key: 'b', cells: { '/v': 2 } });
    held.set({ key: 'a', cells: { '/v': 3 } });
    held.delete('b');
    expect(held.size).toBe(1);
    expect([...held.values()]).toEqual([{ key: 'a', cells: { '/v': 3 } }]);
    held.clear();
    expect(held.size).toBe(0);
  });
});
