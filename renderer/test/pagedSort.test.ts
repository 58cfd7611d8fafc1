import { describe, expect, it } from 'vitest';
import { ariaSortOf, orderByAfterClick } from '../src/sow/pagedSort.js';

describe('sorting a paged view by its column headers', () => {
  it('a click orders by the column ascending, a second turns it descending, a third ascending again', () => {
    expect(orderByAfterClick('', '/qty')).toBe('/qty');
    expect(orderByAfterClick('/qty', '/qty')).toBe('/qty DESC');
    expect(orderByAfterClick('/qty DESC', '/qty')).toBe('/qty');
    expect(orderByAfterClick('/qty desc, /id', '/qty')).toBe('/qty');
    expect(orderByAfterClick('/qty DESC, /id', '/id')).toBe('/id');
  });

  it('tells aria-sort from the first term only', () => {
    expect(ariaSortOf('/qty DESC, /id', '/qty')).toBe('descending');
    expect(ariaSortOf('/qty, /id', '/qty')).toBe('ascending');
    expect(ariaSortOf('/qty, /id', '/id')).toBe('none');
    expect(ariaSortOf('', '/id')).toBe('none');
    expect(ariaSortOf('not a path', '/id')).toBe('none');
  });
});
