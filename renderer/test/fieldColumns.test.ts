import { describe, expect, it } from 'vitest';
import {
  CELL_CHARS,
  CUT_CELL,
  DEFAULT_COLUMN_WIDTH,
  MAX_COLUMN_WIDTH,
  MIN_COLUMN_WIDTH,
  FieldCells,
  MAX_FIELD_COLUMNS,
  cellText,
  restoreColumns,
  restoreWidths,
  toggleColumn,
  valuesAtPath,
} from '../src/subscriptions/fieldColumns.js';

const order = { id: 7, customer: { name: 'Ann', tags: ['a', 'b'] }, lines: [{ sku: 'x', qty: 1 }, { sku: 'y' }], ok: false, none: null };

describe('field columns', () => {
  it('reads a value by its field path, nested and through repeated fields', () => {
    expect(valuesAtPath(order, '/id')).toEqual([7]);
    expect(valuesAtPath(order, '/customer/name')).toEqual(['Ann']);
    expect(valuesAtPath(order, '/customer/tags')).toEqual([['a', 'b']]);
    expect(valuesAtPath(order, '/lines/sku')).toEqual(['x', 'y']);
    expect(valuesAtPath(order, '/lines/qty')).toEqual([1]);
    expect(valuesAtPath(order, '/ok')).toEqual([false]);
    expect(valuesAtPath(order, '/none')).toEqual([null]);
    expect(valuesAtPath(order, '/missing')).toEqual([]);
    expect(valuesAtPath(order, '/id/deeper')).toEqual([]);
    expect(valuesAtPath('text', '/id')).toEqual([]);
  });

  it('shows text as is, other values as JSON, repeated values joined, long ones cut', () => {
    expect(cellText(['Ann'])).toBe('Ann');
    expect(cellText([7])).toBe('7');
    expect(cellText([null])).toBe('null');
    expect(cellText([{ a: 1 }])).toBe('{"a":1}');
    expect(cellText(['x', 'y'])).toBe('x, y');
    expect(cellText([])).toBe('');
    const long = cellText(['z'.repeat(500)]);
    expect(long).toHaveLength(CELL_CHARS);
    expect(long.endsWith('…')).toBe(true);
  });

  it('reads a message once per set of columns and keeps its cells', () => {
    const cells = new FieldCells(['/customer/name', '/id', '/lines/sku']);
    const message = { data: JSON.stringify(order), truncated: false };
    const first = cells.cells(message);
    expect(first).toEqual(['Ann', '7', 'x, y']);
    expect(cells.cells(message)).toBe(first);
    // Another message with the same text is its own entry.
    expect(cells.cells({ ...message })).not.toBe(first);
  });

  it('shows nothing for a payload that is not JSON, and marks a cut JSON payload', () => {
    const cells = new FieldCells(['/id']);
    expect(cells.cells({ data: '8=FIX.4.2\u00019=5', truncated: false })).toEqual(['']);
    expect(cells.cells({ data: '{"id": 1, "note": "abc', truncated: true })).toEqual([CUT_CELL]);
    expect(cells.cells({ data: '{"id": ', truncated: false })).toEqual(['']);
    expect(new FieldCells([]).cells({ data: '{"id":1}', truncated: false })).toEqual([]);
  });

  it('restores saved columns, dropping what is not a field path, duplicates and the excess', () => {
    expect(restoreColumns(['/id', 'id', '/id', 5, '/a b', '/customer/name'])).toEqual(['/id', '/customer/name']);
    expect(restoreColumns('nope')).toEqual([]);
    const many = Array.from({ length: 20 }, (_, i) => `/f${i}`);
    expect(restoreColumns(many)).toHaveLength(MAX_FIELD_COLUMNS);
  });

  it('toggles a column on (appended) and off, within the bound', () => {
    expect(toggleColumn(['/a'], '/b')).toEqual(['/a', '/b']);
    expect(toggleColumn(['/a', '/b'], '/a')).toEqual(['/b']);
    expect(toggleColumn([], 'not a path')).toEqual([]);
    const full = Array.from({ length: MAX_FIELD_COLUMNS }, (_, i) => `/f${i}`);
    expect(toggleColumn(full, '/more')).toEqual(full);
  });

  it('resizes a column within the bounds and keeps the cells already read', () => {
    const cells = new FieldCells(['/id', '/sym']);
    const message = { data: '{"id":1,"sym":"IBM"}', truncated: false };
    const read = cells.cells(message);
    expect(cells.widthOf('/id')).toBe(DEFAULT_COLUMN_WIDTH);
    const wider = cells.resized('/id', 180.4);
    expect(wider.widthOf('/id')).toBe(180);
    expect(wider.widthOf('/sym')).toBe(DEFAULT_COLUMN_WIDTH);
    expect(wider.cells(message)).toBe(read);
    expect(wider.resized('/id', 5).widthOf('/id')).toBe(MIN_COLUMN_WIDTH);
    expect(wider.resized('/id', 1e9).widthOf('/id')).toBe(MAX_COLUMN_WIDTH);
  });

  it('restores saved widths of the shown columns only', () => {
    expect(restoreWidths({ '/id': 90, '/gone': 200, '/sym': 'wide' }, ['/id', '/sym'])).toEqual({ '/id': 90 });
    expect(restoreWidths({ '/id': 1 }, ['/id'])).toEqual({ '/id': MIN_COLUMN_WIDTH });
    expect(restoreWidths(['/id'], ['/id'])).toEqual({});
  });
});
