import { describe, expect, it } from 'vitest';
import {
  compileTopicMatcher,
  FilterSyntaxError,
  isRegexTopic,
  matchTopic,
} from '../../src/expression/index.js';
import { translatePcre } from '../../src/expression/pcre.js';

describe('PCRE translation', () => {
  it('turns leading options into flags', () => {
    expect(translatePcre('(?i)abc')).toEqual({ source: 'abc', flags: 'i' });
    expect(translatePcre('(?ims)x').flags).toBe('ims');
    expect(translatePcre('(?i)(?m)x').flags).toBe('im');
  });

  it('keeps PCRE meanings of "." and "$" (only \\n ends a line)', () => {
    const dot = new RegExp(translatePcre('a.b').source);
    expect(dot.test('a\rb')).toBe(true);
    expect(dot.test('a\nb')).toBe(false);
    const end = new RegExp(translatePcre('b$').source);
    expect(end.test('ab\n')).toBe(true);
    expect(end.test('ab\nc')).toBe(false);
  });

  it('implements the U (ungreedy) and A (anchored) options', () => {
    const lazy = new RegExp(translatePcre('(?U)a.+').source);
    expect(lazy.exec('abcd')?.[0]).toBe('ab');
    const greedy = new RegExp(translatePcre('(?U)a.+?').source);
    expect(greedy.exec('abcd')?.[0]).toBe('abcd');
    const anchored = translatePcre('(?Am)b');
    expect(new RegExp(anchored.source, anchored.flags).test('a\nb')).toBe(false);
  });

  it('translates escapes JavaScript lacks', () => {
    const t = (p: string, s: string): boolean => new RegExp(translatePcre(p).source).test(s);
    expect(t('a\\hb', 'a b')).toBe(true);
    expect(t('\\e', '\x1b')).toBe(true);
    expect(t('\\x{41}', 'A')).toBe(true);
    expect(t('a\\Rb', 'a\r\nb')).toBe(true);
    expect(t('\\Qa.b\\E', 'axb')).toBe(false);
    expect(t('\\Qa.b\\E', 'a.b')).toBe(true);
    expect(t('[]a]', ']')).toBe(true);
    expect(t('[^]a]', 'b')).toBe(true);
    expect(t('(?<n>x)\\k{n}', 'xx')).toBe(true);
    expect(t('(x)\\g{1}', 'xx')).toBe(true);
    expect(t('[[:digit:]]+', '123')).toBe(true);
    expect(t('(?x) a b # comment', 'ab')).toBe(true);
  });

  it('refuses what JavaScript cannot express, at the right offset', () => {
    for (const [p, at] of [
      ['ab*+', 2],
      ['(?>a)', 0],
      ['x(?|a)', 1],
      ['\\K', 0],
      ['(*UTF)a', 0],
      ['a(?s:b)', 1],
      ['[[:^alpha:]]', 1],
    ] as const) {
      let error: unknown;
      try {
        translatePcre(p, 100);
      } catch (e) {
        error = e;
      }
      expect(error, p).toBeInstanceOf(FilterSyntaxError);
      expect((error as FilterSyntaxError).position, p).toBe(100 + at);
    }
  });
});

describe('regex topics (§14.8)', () => {
  it('detects metacharacters', () => {
    expect(isRegexTopic('orders')).toBe(false);
    expect(isRegexTopic('orders.q')).toBe(true);
    for (const c of '.*+?^$[](){}|\\') expect(isRegexTopic(`a${c}`)).toBe(true);
    expect(isRegexTopic('a-b_c/d')).toBe(false);
  });

  it('matches unanchored regexes and literal topics', () => {
    expect(matchTopic('orders', 'orders')).toBe(true);
    expect(matchTopic('orders', 'orders2')).toBe(false);
    expect(matchTopic('ord.*', 'my_orders')).toBe(true);
    expect(matchTopic('^ord.*', 'my_orders')).toBe(false);
    expect(matchTopic('^orders$', 'orders')).toBe(true);
    expect(matchTopic('orders.q', 'ordersXq')).toBe(true);
    expect(matchTopic('(?i)^ORDERS$', 'orders')).toBe(true);
    expect(matchTopic('a|b', 'xbx')).toBe(true);
  });

  it('honours non_regex_topic', () => {
    const m = compileTopicMatcher('orders.q', { nonRegex: true });
    expect(m('orders.q')).toBe(true);
    expect(m('ordersXq')).toBe(false);
  });

  it('reports bad regex topics', () => {
    expect(() => matchTopic('orders(', 'x')).toThrow(/^bad regex topic: invalid regular expression/);
    expect(() => matchTopic('a++', 'x')).toThrow(/bad regex topic: .*possessive/);
  });
});
