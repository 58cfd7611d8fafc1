/*
 * Why ours and not @tanstack/svelte-virtual (issue 15, `npm run bench -- codecs`): the
 * message list has fixed-height rows, so its window is two divisions; ours is 312 bytes
 * gzipped against 7.3 KB for createVirtualizer, and computes a window about 500x faster than
 * @tanstack/virtual-core re-ranging on a scroll event (that engine also measures rows of
 * varying height, which we do not need). It has no counterpart of anchoredScrollTop (keeping
 * the rows a reader looks at in place while a ring evicts the oldest), which we would keep
 * anyway, and would move scroll state into a Svelte store beside our runes. Behind our
 * visibleWindow (bench/codecLibs/tanstackWindow.ts) it passes 7 of our 9 tests; the other two
 * differ by the one extra row ours renders for a partly visible last row.
 */
/** The slice of a fixed-row-height list to render, and where to place it. */
export interface VirtualWindow {
  /** First row to render (inclusive). */
  start: number;
  /** Row after the last one to render (exclusive). */
  end: number;
  /** Pixel offset of row `start` from the top of the list. */
  offsetTop: number;
  /** Height of the whole list in pixels. */
  totalHeight: number;
}

/**
 * Rows visible in a viewport of `viewportHeight` scrolled to `scrollTop`, plus `overscan`
 * rows on each side. Out-of-range scroll positions are clamped.
 */
export function visibleWindow(
  scrollTop: number,
  viewportHeight: number,
  rowHeight: number,
  count: number,
  overscan = 8,
): VirtualWindow {
  const totalHeight = Math.max(0, count) * rowHeight;
  if (count <= 0 || rowHeight <= 0) return { start: 0, end: 0, offsetTop: 0, totalHeight };
  const maxTop = Math.max(0, totalHeight - viewportHeight);
  const top = Math.min(Math.max(0, scrollTop), maxTop);
  const first = Math.floor(top / rowHeight);
  const visible = Math.ceil(Math.max(0, viewportHeight) / rowHeight) + 1;
  const start = Math.max(0, first - overscan);
  const end = Math.min(count, first + visible + overscan);
  return { start, end, offsetTop: start * rowHeight, totalHeight };
}

/** What changed in the list between two renders. */
export interface ListChange {
  /** Rows added at the newest end. */
  added: number;
  /** Rows removed at the oldest end (ring eviction). */
  removed: number;
}

/**
 * Where to scroll after rows were added and evicted, so the rows a reader is looking at stay
 * put. A list sitting at its "newest" edge keeps following (returns that edge).
 * @param newestOnTop newest rows are at the top (index 0) when true, at the bottom otherwise
 */
export function anchoredScrollTop(
  scrollTop: number,
  viewportHeight: number,
  rowHeight: number,
  countAfter: number,
  change: ListChange,
  newestOnTop: boolean,
): number {
  const totalHeight = countAfter * rowHeight;
  const maxTop = Math.max(0, totalHeight - viewportHeight);
  if (newestOnTop) {
    // Following the top edge: stay there. Otherwise new rows pushed the content down.
    if (scrollTop <= 0) return 0;
    return Math.min(maxTop, Math.max(0, scrollTop + change.added * rowHeight));
  }
  const countBefore = countAfter - change.added + change.removed;
  const maxBefore = Math.max(0, countBefore * rowHeight - viewportHeight);
  if (scrollTop >= maxBefore - 1) return maxTop;
  // Reading older rows: evictions at the top pulled the content up.
  return Math.min(maxTop, Math.max(0, scrollTop - change.removed * rowHeight));
}
