/**
 * SOW `orderby` (spec §4.8, §7.3): `/a DESC, /b` — comma list of field paths with optional
 * ASC/DESC. Numbers sort numerically, strings by code point; missing values sort first.
 */
import { valueAt } from './delta.js';

/** One sort key. */
export interface OrderTerm {
  path: string;
  descending: boolean;
}

/** Thrown for an unparseable orderby; `reason` is the AMPS reason text. */
export class OrderByError extends Error {
  override readonly name = 'OrderByError';
  readonly reason = 'invalid order by';
}

/**
 * Parses an orderby clause.
 * @throws OrderByError naming the bad term
 */
export function parseOrderBy(text: string): OrderTerm[] {
  const terms: OrderTerm[] = [];
  for (const raw of text.split(',')) {
    const part = raw.trim();
    const m = /^(\/[^\s,]+)(?:\s+(ASC|DESC))?$/i.exec(part);
    if (!m) throw new OrderByError(`invalid order by term "${part}" in "${text}"`);
    terms.push({ path: m[1] as string, descending: (m[2] ?? '').toUpperCase() === 'DESC' });
  }
  return terms;
}

function rank(v: unknown): number {
  if (v === undefined || v === null || v === '') return 0;
  if (typeof v === 'boolean') return 1;
  if (typeof v === 'number') return 1;
  if (typeof v === 'string') return Number.isFinite(Number(v)) && v.trim() !== '' ? 1 : 2;
  return 3;
}

function compareValues(a: unknown, b: unknown): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (ra === 1) return Number(a) - Number(b);
  if (ra === 2) return (a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0;
  if (ra === 3) {
    const sa = JSON.stringify(a);
    const sb = JSON.stringify(b);
    return sa < sb ? -1 : sa > sb ? 1 : 0;
  }
  return 0;
}

/** Builds a comparator over parsed JSON documents. */
export function orderComparator(terms: readonly OrderTerm[]): (a: unknown, b: unknown) => number {
  return (a, b) => {
    for (const t of terms) {
      const c = compareValues(valueAt(a, t.path), valueAt(b, t.path));
      if (c !== 0) return t.descending ? -c : c;
    }
    return 0;
  };
}
