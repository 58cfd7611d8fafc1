/**
 * The order of a server-paged window, as AMPS orders a SOW (`orderby` `/a DESC, /b`): numbers
 * numerically, strings by code point, missing values first. Main keeps a live window in this
 * order when the paginated subscription sends a record that entered it or changed inside it.
 */
import { ExplorerError } from '../../../../common/src/ipc/errors.js';

/** One term of an order_by. */
export interface OrderTerm {
  path: string[];
  descending: boolean;
}

/**
 * Parses `/price DESC, /id` into terms.
 * @throws ExplorerError naming `order_by` and the term that is not `/path [ASC|DESC]`
 */
export function parseOrder(text: string | undefined): OrderTerm[] {
  if (text === undefined || text.trim() === '') return [];
  return text.split(',').map((raw) => {
    const part = raw.trim();
    const m = /^(\/[^\s,]+)(?:\s+(ASC|DESC))?$/i.exec(part);
    if (m === null) {
      throw new ExplorerError({
        name: 'InvalidOrderByError',
        message: `order_by: "${part}" is not a field path with an optional ASC or DESC`,
        code: 'invalid-order-by',
      });
    }
    return {
      path: (m[1] ?? '').split('/').filter((s) => s !== ''),
      descending: (m[2] ?? '').toUpperCase() === 'DESC',
    };
  });
}

/** The value at a field path of a parsed record, or undefined. */
export function valueAt(doc: unknown, path: readonly string[]): unknown {
  let at = doc;
  for (const step of path) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<string, unknown>)[step];
  }
  return at;
}

/** A value's class in `orderby`'s order: missing 0, number 1, string 2, other 3. */
export function valueClass(v: unknown): number {
  if (v === undefined || v === null || v === '') return 0;
  if (typeof v === 'number' || typeof v === 'boolean') return 1;
  if (typeof v === 'string') return v.trim() !== '' && Number.isFinite(Number(v)) ? 1 : 2;
  return 3;
}

/** Two field values in `orderby`'s order: missing first, then numbers, strings, other values. */
export function compareValues(a: unknown, b: unknown): number {
  const ra = valueClass(a);
  const rb = valueClass(b);
  if (ra !== rb) return ra - rb;
  if (ra === 1) return Number(a) - Number(b);
  const sa = ra === 2 ? (a as string) : JSON.stringify(a);
  const sb = rb === 2 ? (b as string) : JSON.stringify(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/** A comparator of parsed records by the terms; no terms = by SowKey (the sandbox's order). */
export function orderOf(
  terms: readonly OrderTerm[],
): (a: { key: string; doc: unknown }, b: { key: string; doc: unknown }) => number {
  return (a, b) => {
    for (const t of terms) {
      const c = compareValues(valueAt(a.doc, t.path), valueAt(b.doc, t.path));
      if (c !== 0) return t.descending ? -c : c;
    }
    if (terms.length > 0) return 0;
    return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
  };
}
