import { describe, expect, it } from 'vitest';
import {
  columnLayoutOf,
  DEFAULT_LAYOUT,
  isDefaultLayout,
  MAX_LAYOUT_COLUMNS,
  restoreLayout,
  setPinned,
  setShown,
} from '../src/sow/sowColumnLayout.js';

describe('SOW grid column layout', () => {
  it('hides, shows and pins columns without changing the layout it was given', () => {
    const hidden = setShown(DEFAULT_LAYOUT, '/qty', false);
    expect(columnLayoutOf(hidden, '/qty')).toEqual({ hide: true, pinned: null });
    expect(columnLayoutOf(hidden, '/sym')).toEqual({ hide: false, pinned: null });
    expect(DEFAULT_LAYOUT.hidden).toEqual([]);

    const pinned = setPinned(hidden, '/sym', 'left');
    expect(columnLayoutOf(pinned, '/sym')).toEqual({ hide: false, pinned: 'left' });
    expect(columnLayoutOf(setPinned(pinned, '/sym', 'right'), '/sym').pinned).toBe('right');
    expect(columnLayoutOf(setPinned(pinned, '/sym', undefined), '/sym').pinned).toBeNull();

    const shownAgain = setShown(pinned, '/qty', true);
    expect(shownAgain.hidden).toEqual([]);
    expect(isDefaultLayout(shownAgain)).toBe(false);
    expect(isDefaultLayout(setPinned(shownAgain, '/sym', undefined))).toBe(true);
  });

  it('hiding a column twice keeps it once', () => {
    const twice = setShown(setShown(DEFAULT_LAYOUT, '/a', false), '/a', false);
    expect(twice.hidden).toEqual(['/a']);
  });

  it('reads saved settings back, dropping what is malformed', () => {
    expect(restoreLayout(undefined)).toEqual(DEFAULT_LAYOUT);
    expect(restoreLayout('nonsense')).toEqual(DEFAULT_LAYOUT);
    expect(
      restoreLayout({ hidden: ['/a', 7, '/a', null, '/b'], pinned: { '/c': 'left', '/d': 'top', '/e': 'right' } }),
    ).toEqual({ hidden: ['/a', '/b'], pinned: { '/c': 'left', '/e': 'right' } });
    expect(restoreLayout({ hidden: 'x', pinned: ['left'] })).toEqual(DEFAULT_LAYOUT);
  });

  it('remembers a bounded number of columns', () => {
    let layout = DEFAULT_LAYOUT;
    for (let i = 0; i < MAX_LAYOUT_COLUMNS + 10; i++) layout = setShown(layout, `/f${i}`, false);
    expect(layout.hidden).toHaveLength(MAX_LAYOUT_COLUMNS);
    expect(layout.hidden.at(-1)).toBe(`/f${MAX_LAYOUT_COLUMNS + 9}`);
    const many = Array.from({ length: MAX_LAYOUT_COLUMNS + 10 }, (_, i) => `/g${i}`);
    expect(restoreLayout({ hidden: many }).hidden).toHaveLength(MAX_LAYOUT_COLUMNS);
  });
});
