import { describe, expect, it } from 'vitest';
import { BadFilterError } from '../../src/errors.js';
import { checkFilter, compileFilter, FilterSyntaxError, parseFilter } from '../../src/expression/index.js';

/** [filter, position, length, message fragment] — one row per kind of syntax error. */
const ERRORS: readonly (readonly [string, number, number, string])[] = [
  ['', 0, 0, 'empty filter'],
  ['   ', 0, 0, 'empty filter'],
  ['/a = 1 # 2', 7, 1, 'unexpected character "#"'],
  ["/a = 'x' !", 9, 1, 'unexpected character "!"'],
  ["/a = 'abc", 5, 4, 'unterminated string'],
  ['/a = "x', 5, 2, 'unterminated string'],
  ['12abc = 1', 0, 5, 'malformed number'],
  ['/a = 1.2.3', 5, 5, 'malformed number'],
  ['/ = 1', 0, 1, 'expected a field name after "/"'],
  ['[/a b = 1', 0, 9, 'unterminated [/field] identifier'],
  ['[/a//b] = 1', 0, 7, 'empty field name'],
  ['foo = 1', 0, 3, 'unknown word "foo"'],
  ['/id = ', 6, 0, 'expected a value after "="'],
  ['/id = AND 1', 6, 3, 'expected a value after "=", found "AND"'],
  ['/a = ) ', 5, 1, 'expected a value after "="'],
  ['/a + * 2', 5, 1, 'expected a value after "+"'],
  ['-', 1, 0, 'expected a value after "-"'],
  ['NOT', 3, 0, 'expected a value after "NOT"'],
  ['/a = 1 AND', 10, 0, 'expected a value after "AND"'],
  ['/a = 1 OR', 9, 0, 'expected a value after "OR"'],
  ['/a = 1 2', 7, 1, 'unexpected "2"'],
  ['/a AS b', 3, 2, 'unexpected "AS"'],
  ['/a NOT 1', 3, 3, 'unexpected "NOT"'],
  ['/a[x] = 1', 2, 1, 'unexpected "["'],
  ['(/a = 1', 7, 0, 'expected ")" after "1" (to close the "(" at position 0)'],
  ['/a < 1 < 2', 7, 1, 'comparisons cannot be chained'],
  ['/a = 1 = 2', 7, 1, 'comparisons cannot be chained'],
  ['/a IS 5', 6, 1, 'expected NULL or NAN after "IS"'],
  ['/a IS NOT', 9, 0, 'expected NULL or NAN after "NOT"'],
  ['/a BETWEEN 1 OR 2', 13, 2, 'expected AND after "1"'],
  ['/a IN 1', 6, 1, 'expected "(" after "IN"'],
  ['/a IN (1 2)', 9, 1, 'expected "," or ")" after "1", found "2" (to close the "(" at position 6)'],
  ['/a IN ()', 7, 1, 'expected a value after "("'],
  ['/a LIKE /b', 8, 2, 'expected a quoted pattern after "LIKE"'],
  ["/a BEGINS ('x')", 10, 1, 'expected WITH after "BEGINS"'],
  ["/a ENDS WITH 'x'", 13, 3, 'expected "(" after "WITH"'],
  ['FOO(1)', 0, 3, 'unknown function FOO'],
  ['/a = bar(1)', 5, 3, 'unknown function bar'],
  ["SUBSTR('a')", 0, 11, 'SUBSTR takes 2 to 3 arguments, got 1'],
  ['IF(1,2)', 0, 7, 'IF takes 3 arguments, got 2'],
  ['TOPIC_NAME(1)', 0, 13, 'TOPIC_NAME takes 0 arguments, got 1'],
  ['CONCAT()', 0, 8, 'CONCAT takes at least 1 argument'],
  ['CONCAT(1,)', 9, 1, 'expected a value after ","'],
  ['CONCAT(1', 8, 0, 'expected "," or ")" after "1"'],
  ["VALUE_LOOKUP('x', 1)", 0, 12, 'VALUE_LOOKUP needs the experimental module'],
  ['LAST_READ()', 0, 9, 'LAST_READ is not supported'],
];

/** Errors found when compiling (regular expressions, aggregates). */
const COMPILE_ERRORS: readonly (readonly [string, number, number, string])[] = [
  ['SUM(/a) > 1', 0, 3, 'aggregate function SUM is not allowed in a filter'],
  ['/a = 1 AND count(/b) = 1', 11, 5, 'aggregate function COUNT is not allowed'],
  ["/a LIKE '(a'", 9, 2, 'invalid regular expression'],
  ["/a LIKE 'x(?>y)'", 10, 3, 'unsupported regular expression construct: group "(?>"'],
  ["/a LIKE 'a++'", 10, 2, 'possessive quantifier'],
  ["/a LIKE 'a(?i)b'", 10, 4, 'options inside the pattern'],
  ["/a LIKE '\\p{L}'", 9, 2, '\\p'],
  ["/a LIKE '[a'", 11, 1, 'unterminated character class'],
  ["/a LIKE '(?Z)x'", 9, 4, 'option "Z"'],
  ["/a LIKE 'x\\G'", 10, 2, '\\G'],
  ["/a LIKE '(?R)'", 9, 4, 'option "R"'],
  ["/a LIKE 'x(?R)'", 10, 3, 'group "(?R"'],
  ["REGEXP_MATCH(/a, 'b(')", 18, 2, 'invalid regular expression'],
];

describe('syntax errors', () => {
  it.each(ERRORS)('%j → position %i, length %i: %s', (filter, position, length, fragment) => {
    let error: unknown;
    try {
      parseFilter(filter);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FilterSyntaxError);
    const e = error as FilterSyntaxError;
    expect(e.message).toContain(fragment);
    expect(e.message.endsWith(` at position ${position}`)).toBe(true);
    expect([e.position, e.length]).toEqual([position, length]);
    expect(checkFilter(filter)?.position).toBe(position);
  });

  it.each(COMPILE_ERRORS)(
    '%j → position %i, length %i: %s (at compile time)',
    (filter, position, length, fragment) => {
      expect(() => parseFilter(filter)).not.toThrow();
      const e = checkFilter(filter);
      expect(e).toBeInstanceOf(FilterSyntaxError);
      expect(e?.message).toContain(fragment);
      expect([e?.position, e?.length]).toEqual([position, length]);
      expect(() => compileFilter(filter)).toThrow(FilterSyntaxError);
    },
  );

  it('reports the expected alternatives', () => {
    expect(checkFilter('/id = ')?.expected).toEqual(['a value']);
    expect(checkFilter('/a = 1 2')?.expected).toEqual(['AND', 'OR', 'end of filter']);
    expect(checkFilter('/a IS 5')?.expected).toEqual(['NULL', 'NAN']);
  });

  it('is a BadFilterError with the AMPS reason code', () => {
    const e = checkFilter('/a =');
    expect(e).toBeInstanceOf(BadFilterError);
    expect(e?.code).toBe('bad filter');
    expect(e?.name).toBe('FilterSyntaxError');
  });

  it('refuses nesting that would exhaust the stack, with a position inside the text', () => {
    for (const text of [
      '('.repeat(5000) + '1' + ')'.repeat(5000),
      'NOT '.repeat(5000) + '1',
      '- '.repeat(5000) + '1',
    ]) {
      const e = checkFilter(text);
      expect(e?.message).toMatch(/nested too deeply \(more than 200 levels\)/);
      expect(e?.position).toBeLessThan(text.length);
    }
    const chain = Array.from({ length: 3000 }, () => '1').join(' + ') + ' > 0';
    expect(checkFilter(chain)?.message).toMatch(/expression too deep/);
  });

  it('evaluates very long AND / OR chains in a loop', () => {
    const or = compileFilter(Array.from({ length: 20000 }, (_, i) => `/a = ${i}`).join(' OR '));
    expect(or({ a: 19999 })).toBe(true);
    expect(or({ a: -1 })).toBe(false);
    const and = compileFilter(Array.from({ length: 20000 }, () => '/a > 0').join(' AND '));
    expect(and({ a: 1 })).toBe(true);
    expect(and({})).toBe(false);
  });

  it('accepts valid filters', () => {
    expect(checkFilter("/a = 1 AND /b LIKE '^x' OR NOT /c IS NULL")).toBeUndefined();
  });
});
