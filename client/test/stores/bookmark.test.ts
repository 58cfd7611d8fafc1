import { describe, expect, it } from 'vitest';
import {
  Bookmarks,
  BookmarkFormatError,
  classifyBookmark,
  formatBookmark,
  isBookmarkTimestamp,
  parseBookmark,
  splitBookmarkList,
} from '../../src/stores/bookmark/bookmark.js';
import { InvalidBookmarkError } from '../../src/errors.js';

describe('bookmark values (spec §8.1-§8.4)', () => {
  it('parses publisher|sequence| with 64-bit numbers beyond 2^53', () => {
    expect(parseBookmark('11290131331453466431|1700000000000000005|')).toEqual({
      publisherId: 11290131331453466431n,
      sequence: 1700000000000000005n,
    });
    expect(formatBookmark(18446744073709551615n, 1n)).toBe('18446744073709551615|1|');
    expect(parseBookmark('18446744073709551615|0|').publisherId).toBe(18446744073709551615n);
  });

  it('rejects malformed bookmarks naming the position', () => {
    const cases: Array<[string, number]> = [
      ['12|', 3],
      ['12|x|', 3],
      ['|5|', 0],
      ['12|5', 4],
      ['12|5|extra', 5],
      ['18446744073709551616|1|', 0],
      ['123456789012345678901|1|', 0],
    ];
    for (const [text, position] of cases) {
      let caught: unknown;
      try {
        parseBookmark(text);
      } catch (error) {
        caught = error;
      }
      expect(caught, text).toBeInstanceOf(BookmarkFormatError);
      expect((caught as BookmarkFormatError).position, text).toBe(position);
      expect(caught).toBeInstanceOf(InvalidBookmarkError);
    }
  });

  it('classifies special values, timestamps, lists and ranges', () => {
    expect(classifyBookmark(Bookmarks.EPOCH)).toBe('epoch');
    expect(classifyBookmark(Bookmarks.NOW)).toBe('now');
    expect(classifyBookmark('1|0|')).toBe('now');
    expect(classifyBookmark(Bookmarks.MOST_RECENT)).toBe('most-recent');
    expect(classifyBookmark('5|6|')).toBe('bookmark');
    expect(classifyBookmark('20240115T093000Z')).toBe('timestamp');
    expect(classifyBookmark('20240115T093000')).toBe('timestamp');
    expect(classifyBookmark('20240115T093000.123456Z')).toBe('timestamp');
    expect(classifyBookmark('5|6|,7|8|,20240115T093000Z')).toBe('list');
    expect(classifyBookmark('[20200604T000000:20200605T000000)')).toBe('range');
    expect(classifyBookmark('(1|2|,3|4|:5|6|]')).toBe('range');
  });

  it('rejects malformed lists, ranges and timestamps with positions', () => {
    const expectError = (value: string, position: number): void => {
      try {
        classifyBookmark(value);
        expect.unreachable(`${value} should not parse`);
      } catch (error) {
        expect(error).toBeInstanceOf(BookmarkFormatError);
        expect((error as BookmarkFormatError).position, value).toBe(position);
        expect((error as BookmarkFormatError).value).toBe(value);
      }
    };
    expectError('', 0);
    expectError('5|6|,,7|8|', 5);
    expectError('5|6|,7|x|', 7);
    expectError('[1|2|:3|4|', 9);
    expectError('[1|2|3|4|]', 1);
    expectError('20240115T0930Z', 0);
  });

  it('recognises timestamps and splits lists', () => {
    expect(isBookmarkTimestamp('20240115T093000Z')).toBe(true);
    expect(isBookmarkTimestamp('2024-01-15T09:30:00Z')).toBe(false);
    expect(splitBookmarkList('1|2|,3|4|')).toEqual(['1|2|', '3|4|']);
    expect(splitBookmarkList('1|2|')).toEqual(['1|2|']);
  });
});
