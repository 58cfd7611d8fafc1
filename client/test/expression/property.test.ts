import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkFilter,
  compileFilter,
  FilterSyntaxError,
  parseFilter,
  tokenize,
} from '../../src/expression/index.js';

/** Fragments that make random input look like filters, so the parser gets deep. */
const FRAGMENTS = [
  '/a',
  '/b[1]',
  '[/x y]',
  "'s'",
  '"t"',
  "r'u'",
  '12',
  '3.5',
  'NULL',
  'NAN',
  'TRUE',
  '=',
  '!=',
  '<>',
  '<',
  '>=',
  '+',
  '-',
  '*',
  '/',
  '%',
  'MOD',
  'AND',
  'OR',
  'NOT',
  'BETWEEN',
  'IN',
  'LIKE',
  'IS',
  'BEGINS',
  'ENDS',
  'WITH',
  '(',
  ')',
  ',',
  '[',
  ']',
  'IF(',
  'CONCAT(',
  'SUBSTR(',
  'SUM(',
  "'(?i)a'",
  "'a++'",
  "'(x'",
  ' ',
  '#',
  '\\',
];

const filterLike = fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 14 }).map((parts) => parts.join(' '));
const anyText = fc.oneof(
  fc.string({ maxLength: 40 }),
  filterLike,
  fc.string({ unit: 'binary', maxLength: 30 }),
);

describe('parser robustness (property)', () => {
  it('throws nothing but FilterSyntaxError, with positions inside the text', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        try {
          parseFilter(text);
        } catch (e) {
          expect(e).toBeInstanceOf(FilterSyntaxError);
          const err = e as FilterSyntaxError;
          expect(err.position).toBeGreaterThanOrEqual(0);
          expect(err.position + err.length).toBeLessThanOrEqual(text.length);
        }
        const checked = checkFilter(text);
        if (checked !== undefined) {
          expect(checked.position + checked.length).toBeLessThanOrEqual(text.length);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('tokens cover the text in order, within bounds', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        let last = 0;
        for (const t of tokenize(text)) {
          expect(t.start).toBeGreaterThanOrEqual(last);
          expect(t.end).toBeGreaterThan(t.start);
          expect(t.end).toBeLessThanOrEqual(text.length);
          expect(text.slice(t.start, t.end)).toBe(t.text);
          last = t.end;
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('compiled filters never throw on arbitrary JSON messages', () => {
    const filters = [
      "/a = 1 OR /b LIKE '(?i)x' OR /c IN (1, 'y') OR /d BETWEEN 1 AND 5",
      '/a + /b * 2 > /c / 3 AND NOT /d IS NULL',
      "CONCAT(/a, /b) BEGINS WITH ('x') OR SUBSTR(/a, /b) = 'q' OR ARRAY_SUM(/a) > 0",
      "IF(/a, STRFTIME('%Y', /b), COALESCE(/c, /d)) = '2020' OR CRC32(/a) % 10 = 3",
    ].map(compileFilter);
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 3 }), fc.jsonValue({ maxDepth: 2 }), (a, b) => {
        const message = { a, b, c: a, d: b };
        for (const f of filters) {
          expect(typeof f(message)).toBe('boolean');
          expect(typeof f(a)).toBe('boolean');
        }
      }),
      { numRuns: 1000 },
    );
  });
});
