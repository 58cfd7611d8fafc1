/**
 * renderer/src/lib/virtualWindow.ts's `visibleWindow` computed by @tanstack/virtual-core (the
 * engine of @tanstack/svelte-virtual) over a stand-in scroll element, to run our tests against
 * the library. `anchoredScrollTop` has no counterpart there and is ours, re-exported.
 */
import { Virtualizer } from '@tanstack/virtual-core';

/** Rows added and evicted between two renders (as in virtualWindow.ts). */
interface ListChange {
  added: number;
  removed: number;
}

// The renderer is not part of the bench's TypeScript project (it is checked by svelte-check).
const ours = (await import(new URL('../../renderer/src/lib/virtualWindow.ts', import.meta.url).href)) as {
  anchoredScrollTop: (
    scrollTop: number,
    viewportHeight: number,
    rowHeight: number,
    countAfter: number,
    change: ListChange,
    newestOnTop: boolean,
  ) => number;
};

/** Ours: the library has no counterpart. */
export const anchoredScrollTop = ours.anchoredScrollTop;

/** The rows the library renders for this scroll position, in our window shape. */
export function visibleWindow(
  scrollTop: number,
  viewportHeight: number,
  rowHeight: number,
  count: number,
  overscan = 8,
): { start: number; end: number; offsetTop: number; totalHeight: number } {
  const virtualizer = new Virtualizer({
    count: Math.max(0, count),
    overscan,
    getScrollElement: () => ({}) as never,
    estimateSize: () => rowHeight,
    initialRect: { width: 800, height: viewportHeight },
    initialOffset: Math.max(0, Math.min(scrollTop, Math.max(0, count * rowHeight - viewportHeight))),
    observeElementRect: (_instance, cb) => {
      cb({ width: 800, height: viewportHeight });
      return undefined;
    },
    observeElementOffset: () => undefined,
    scrollToFn: () => undefined,
  });
  virtualizer._willUpdate();
  const items = virtualizer.getVirtualItems();
  const first = items[0];
  const last = items[items.length - 1];
  return {
    start: first?.index ?? 0,
    end: last === undefined ? 0 : last.index + 1,
    offsetTop: first?.start ?? 0,
    totalHeight: virtualizer.getTotalSize(),
  };
}
