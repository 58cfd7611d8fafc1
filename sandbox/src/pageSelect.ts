/**
 * The records of one page (`skip_n`, `top_n`) of an ordered SOW without sorting all of it:
 * two quickselect passes bring the page's records to their places, then only the page is
 * sorted — about 3 comparisons per record instead of log2(N) (a result already in order
 * takes one pass), so a jump into the middle of a big SOW does not sort all of it. Ties are broken by SOW key, so
 * consecutive pages neither repeat nor skip records with equal order values.
 */

/** A comparator of records, made total by the SOW key. */
export function totalOrder<T extends { key: string }>(cmp: (a: T, b: T) => number): (a: T, b: T) => number {
  return (a, b) => cmp(a, b) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}

function swap<T>(items: T[], i: number, j: number): void {
  const t = items[i] as T;
  items[i] = items[j] as T;
  items[j] = t;
}

/**
 * Rearranges `items[lo..hi]` so that the element of rank `k` is at `k`, smaller ones before
 * it and larger ones after (Hoare partition around a median of three).
 */
function selectRank<T>(items: T[], k: number, lo: number, hi: number, cmp: (a: T, b: T) => number): void {
  while (hi > lo) {
    const mid = (lo + hi) >>> 1;
    if (cmp(items[mid] as T, items[lo] as T) < 0) swap(items, mid, lo);
    if (cmp(items[hi] as T, items[lo] as T) < 0) swap(items, hi, lo);
    if (cmp(items[hi] as T, items[mid] as T) < 0) swap(items, hi, mid);
    const pivot = items[mid] as T;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (cmp(items[i] as T, pivot) < 0) i++;
      while (cmp(items[j] as T, pivot) > 0) j--;
      if (i <= j) {
        swap(items, i, j);
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}

/**
 * The records at ranks `skip` .. `skip + top - 1` of `items` in the order `cmp` (which must be
 * total, see {@link totalOrder}), in order. Reorders `items`.
 */
export function pageOf<T>(items: T[], skip: number, top: number | undefined, cmp: (a: T, b: T) => number): T[] {
  const n = items.length;
  const end = top === undefined ? n : Math.min(n, skip + top);
  if (skip >= n || end <= skip) return [];
  // Records often sit in order already (published in key order): one pass tells.
  let inOrder = true;
  for (let i = 1; i < n && inOrder; i++) inOrder = cmp(items[i - 1] as T, items[i] as T) <= 0;
  if (inOrder) return items.slice(skip, end);
  // A page that is most of the result: sorting it all is as quick.
  if ((end - skip) * 4 >= n) {
    items.sort(cmp);
    return items.slice(skip, end);
  }
  if (skip > 0) selectRank(items, skip, 0, n - 1, cmp);
  if (end < n) selectRank(items, end - 1, skip, n - 1, cmp);
  const page = items.slice(skip, end);
  page.sort(cmp);
  return page;
}
