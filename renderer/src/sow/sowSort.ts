/** Client-side multi-column sort and the quick text filter of a SOW grid, over loaded rows. */
import type { ColumnType, FlatRecord } from './sowColumns.js';

/** One sort key: a column path and a direction. */
export interface SortTerm {
  path: string;
  descending: boolean;
}

const timeValue = (v: unknown): number =>
  typeof v === 'string'
    ? Date.parse(v.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})/, '$1-$2-$3T$4:$5:$6'))
    : NaN;

/** Compares two cell values of a column of `type`; empty cells sort last whatever the direction. */
export function compareCells(a: unknown, b: unknown, type: ColumnType): number {
  const aEmpty = a === null || a === undefined;
  const bEmpty = b === null || b === undefined;
  if (aEmpty || bEmpty) return aEmpty === bEmpty ? 0 : aEmpty ? 1 : -1;
  if (type === 'number' && typeof a === 'number' && typeof b === 'number') return a - b;
  if (type === 'boolean' && typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  if (type === 'time') {
    const ta = timeValue(a);
    const tb = timeValue(b);
    if (!Number.isNaN(ta) && !Number.isNaN(tb)) return ta - tb;
  }
  const sa = typeof a === 'object' ? JSON.stringify(a) : String(a);
  const sb = typeof b === 'object' ? JSON.stringify(b) : String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/** A comparator of records by several terms in turn (ties keep their order: Array sort is stable). */
export function rowComparator(
  terms: readonly SortTerm[],
  typeOf: (path: string) => ColumnType,
): (a: { cells: FlatRecord }, b: { cells: FlatRecord }) => number {
  const compiled = terms.map((t) => ({ path: t.path, sign: t.descending ? -1 : 1, type: typeOf(t.path) }));
  return (a, b) => {
    for (const t of compiled) {
      const av = a.cells[t.path];
      const bv = b.cells[t.path];
      const empty = (av === null || av === undefined) !== (bv === null || bv === undefined);
      const c = compareCells(av, bv, t.type);
      // Empty cells stay last in both directions.
      if (c !== 0) return empty ? c : c * t.sign;
    }
    return 0;
  };
}

/**
 * True when a row matches the quick filter: every whitespace-separated word of `text` occurs
 * (case-insensitively) in some cell or in the SowKey.
 */
export function matchesQuickFilter(row: { key: string; cells: FlatRecord }, text: string): boolean {
  const words = text
    .toLowerCase()
    .split(/\s+/)
    .filter((w) => w !== '');
  if (words.length === 0) return true;
  const haystack = [
    row.key,
    ...Object.values(row.cells).map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))),
  ]
    .join('\u0000')
    .toLowerCase();
  return words.every((w) => haystack.includes(w));
}
