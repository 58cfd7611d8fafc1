/**
 * Sorting a paged view by a column header: the order is the query's `order_by` (kept by the
 * server, or by main when the app holds the records), so a click sets it and the view runs
 * again. A first click orders by the column, ascending; a click on the column it is ordered by
 * turns the direction.
 */

/** The first term of an order_by: its path and direction, or undefined when there is none. */
function firstTerm(orderBy: string): { path: string; descending: boolean } | undefined {
  const m = /^\s*(\/[^\s,]+)(?:\s+(ASC|DESC))?\s*(?:,|$)/i.exec(orderBy);
  if (m === null) return undefined;
  return { path: m[1] ?? '', descending: (m[2] ?? '').toUpperCase() === 'DESC' };
}

/** The order_by after a click on the header of `path`. */
export function orderByAfterClick(orderBy: string, path: string): string {
  const first = firstTerm(orderBy);
  if (first?.path !== path) return path;
  return first.descending ? path : `${path} DESC`;
}

/** How a column is sorted, as `aria-sort` says it. */
export function ariaSortOf(orderBy: string, path: string): 'ascending' | 'descending' | 'none' {
  const first = firstTerm(orderBy);
  if (first?.path !== path) return 'none';
  return first.descending ? 'descending' : 'ascending';
}
