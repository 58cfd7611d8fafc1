import { describe, expect, it } from 'vitest';
import { anchoredScrollTop, visibleWindow } from '../src/lib/virtualWindow.js';

describe('visibleWindow', () => {
  it('renders only the visible rows plus overscan', () => {
    const w = visibleWindow(2200, 440, 22, 10_000, 5);
    // first visible row 100, 20 rows fit (+1 partial)
    expect(w).toEqual({ start: 95, end: 126, offsetTop: 95 * 22, totalHeight: 220_000 });
  });

  it('clamps at both ends', () => {
    expect(visibleWindow(-50, 100, 20, 100, 2)).toMatchObject({ start: 0, end: 8 });
    const bottom = visibleWindow(1e9, 100, 20, 100, 2);
    expect(bottom.end).toBe(100);
    // max scroll 1900 → first visible row 95, minus 2 rows of overscan
    expect(bottom.start).toBe(93);
  });

  it('handles an empty list and a list shorter than the viewport', () => {
    expect(visibleWindow(0, 400, 22, 0)).toEqual({ start: 0, end: 0, offsetTop: 0, totalHeight: 0 });
    expect(visibleWindow(0, 400, 22, 3)).toEqual({ start: 0, end: 3, offsetTop: 0, totalHeight: 66 });
  });

  it('never renders more than a viewport and the overscan, whatever the size', () => {
    for (const count of [10, 1000, 100_000]) {
      for (const top of [0, 333, 123_456]) {
        const w = visibleWindow(top, 500, 20, count, 8);
        expect(w.end - w.start).toBeLessThanOrEqual(Math.ceil(500 / 20) + 1 + 16);
        expect(w.start).toBeGreaterThanOrEqual(0);
        expect(w.end).toBeLessThanOrEqual(count);
      }
    }
  });
});

describe('anchoredScrollTop', () => {
  it('follows the top edge when newest rows are on top', () => {
    expect(anchoredScrollTop(0, 400, 20, 500, { added: 50, removed: 0 }, true)).toBe(0);
  });

  it('keeps a reader in place when rows are added above', () => {
    expect(anchoredScrollTop(1000, 400, 20, 500, { added: 10, removed: 0 }, true)).toBe(1200);
  });

  it('follows the bottom edge when newest rows are at the bottom', () => {
    // 100 rows before (max 1600), at the bottom; 10 added → new max 1800
    expect(anchoredScrollTop(1600, 400, 20, 110, { added: 10, removed: 0 }, false)).toBe(1800);
  });

  it('compensates evictions at the top for a reader scrolled up (newest at bottom)', () => {
    // 100 rows, full ring: 10 added and 10 evicted; the reader at 600 moves up by 10 rows
    expect(anchoredScrollTop(600, 400, 20, 100, { added: 10, removed: 10 }, false)).toBe(400);
  });

  it('clamps to the list', () => {
    expect(anchoredScrollTop(50, 400, 20, 10, { added: 5, removed: 0 }, true)).toBe(0);
    expect(anchoredScrollTop(100, 400, 20, 100, { added: 0, removed: 20 }, false)).toBe(0);
  });
});
