/**
 * The regex engines behind LIKE and the REGEXP functions: linear-time re2js for what RE2 can
 * run, a step-budgeted backtracker for back-references and lookaround; pathological patterns
 * never stall the caller.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BadFilterError } from '../../src/errors.js';
import { compileBacktrack } from '../../src/expression/backtrack.js';
import { compileExpression, compileFilter } from '../../src/expression/index.js';
import { translatePcre } from '../../src/expression/pcre.js';
import { compilePcre, RegexBudgetError } from '../../src/expression/regex.js';

describe('engine choice', () => {
  it('runs what RE2 can express on re2js, and back-references and lookaround bounded', () => {
    for (const p of [
      '(a*)*b',
      '^MSFT$',
      '(?i)ms',
      '\\AHello',
      'World\\z',
      '[[:upper:]]x',
      '(?P<w>l)x',
      'a$|b$',
    ])
      expect(compilePcre(p).engine, p).toBe('re2');
    for (const p of ['(.)\\1', '(?P<w>l)(?P=w)', 'a(?=b)', '(?<!x)y', 'a${1}', '(a$)b', 'a{1001}'])
      expect(compilePcre(p).engine, p).toBe('backtrack');
  });

  it('keeps PCRE semantics on both engines (answers the old RegExp translation gave)', () => {
    const cases: [string, string, boolean][] = [
      ['b$', 'ab\n', true],
      ['b$', 'ab\nc', false],
      ['(?m)^line2', 'line1\nline2', true],
      ['line1.line2', 'line1\nline2', false],
      ['(?s)line1.line2', 'line1\nline2', true],
      ['(.)\\1', 'abba', true],
      ['(.)\\1', 'MSFT', false],
      ['(?i)(a)\\1', 'aA', true],
      ['(?<=a)b', 'ab', true],
      ['a(?!b)', 'ab', false],
    ];
    for (const [p, s, want] of cases)
      expect(compilePcre(p).test(s), `${p} on ${JSON.stringify(s)}`).toBe(want);
  });
});

describe('pathological patterns', () => {
  it('answers (a*)*b on a 29-character value (the audit case) and on 100 000 characters', () => {
    const re = compilePcre('(a*)*b');
    expect(re.test('a'.repeat(29))).toBe(false);
    expect(re.test(`${'a'.repeat(100_000)}c`)).toBe(false);
    expect(compileFilter("/v LIKE '(a*)*b'")({ v: 'a'.repeat(29) })).toBe(false);
    expect(compileFilter("/v LIKE '(a*)*b'")({ v: `${'a'.repeat(29)}b` })).toBe(true);
  });

  it('stops a blowing-up back-reference pattern at its step budget with a clear bad-filter error', () => {
    const re = compilePcre('(a*)*\\1b');
    expect(re.engine).toBe('backtrack');
    let error: unknown;
    try {
      re.test('a'.repeat(29));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RegexBudgetError);
    expect(error).toBeInstanceOf(BadFilterError);
    expect((error as Error).message).toMatch(
      /^regular expression '\(a\*\)\*\\1b' needed more than 102900 steps on a 29-character value/,
    );
    expect(() => compileFilter("/v LIKE '(a*)*\\1b'")({ v: 'a'.repeat(29) })).toThrow(RegexBudgetError);
    expect(() => compileExpression("REGEXP_MATCH(/v, '(a*)*\\1b')")({ v: 'a'.repeat(29) })).toThrow(
      RegexBudgetError,
    );
    // The same pattern on a value it can settle quickly still answers.
    expect(re.test('aab')).toBe(true);
  });

  it('finishes every nested-quantifier and alternation blow-up on long inputs (re2 or budget)', () => {
    const atom = fc.constantFrom('a', 'a?', '[ab]', '.', '\\w', 'a|a', 'a|aa', '(?:a|b)');
    const nest = fc
      .tuple(
        atom,
        fc.constantFrom('*', '+', '{1,5}'),
        fc.constantFrom('*', '+', '{2,}'),
        fc.constantFrom('', '(a)'),
      )
      .map(([a, inner, outer, group]) => `${group}((?:${a})${inner})${outer}`);
    const tail = fc.constantFrom('b', '$', 'c\\z', '\\1b', '(?=c)c', '(?<!a)c', '[^a]');
    const subject = fc
      .tuple(fc.integer({ min: 20, max: 20_000 }), fc.constantFrom('', 'x', '!', '\n'))
      .map(([n, end]) => `${'a'.repeat(n)}${end}`);
    const started = Date.now();
    let runs = 0;
    fc.assert(
      fc.property(nest, tail, subject, (head, end, s) => {
        const pattern = head + end;
        let re;
        try {
          re = compilePcre(pattern);
        } catch {
          return; // a pattern JavaScript itself refuses (e.g. \1 before any group)
        }
        runs++;
        try {
          expect(typeof re.test(s)).toBe('boolean');
        } catch (e) {
          // Only the bounded engine may give up, and only with its budget error.
          expect(re.engine).toBe('backtrack');
          expect(e).toBeInstanceOf(RegexBudgetError);
        }
      }),
      { numRuns: 150 },
    );
    expect(runs).toBeGreaterThan(50);
    // One generous bound for the whole property: 150 blow-up cases that each took exponential
    // time before would take years; bounded they take well under this.
    expect(Date.now() - started).toBeLessThan(60_000);
  });
});

describe('agreement with the previous engine (JavaScript RegExp of the translation)', () => {
  const piece = fc.constantFrom(
    'a',
    'b',
    '.',
    '[ab]',
    '[^a]',
    '\\d',
    '\\w',
    '\\s',
    '^',
    '$',
    '\\b',
    '(a)',
    '(b|a)',
    '(?:ab)',
    '\n',
    '(?=a)',
    '(?!b)',
    '(?<=a)',
    '(?<!a)',
    '\\1',
  );
  const quantifier = fc.constantFrom('', '', '*', '+', '?', '{1,2}', '*?', '+?');
  const pattern = fc
    .tuple(
      fc.constantFrom('', '(?i)', '(?m)', '(?s)'),
      fc.array(fc.tuple(piece, quantifier), { minLength: 1, maxLength: 5 }),
    )
    .map(([flags, parts]) => flags + parts.map(([p, q]) => p + q).join(''));
  const text = fc.string({ unit: fc.constantFrom('a', 'b', 'x', 'A', '1', ' ', '\n'), maxLength: 8 });

  it('test() gives the old answer on both engines; the backtracker also finds the same match', () => {
    fc.assert(
      fc.property(pattern, fc.array(text, { minLength: 1, maxLength: 5 }), (p, subjects) => {
        const t = translatePcre(p);
        let oracle: RegExp;
        try {
          oracle = new RegExp(t.source, t.flags);
          compilePcre(p);
        } catch {
          return;
        }
        const ours = compilePcre(p);
        const bounded = compileBacktrack(t.source, t.flags);
        for (const s of subjects) {
          const want = oracle.exec(s);
          expect(ours.test(s), `${p} on ${JSON.stringify(s)} (${ours.engine})`).toBe(want !== null);
          const got = bounded.exec(s, 0, { steps: 0 });
          expect(got === null ? null : [got.index, s.slice(got.index, got.end)]).toEqual(
            want === null ? null : [want.index, want[0]],
          );
        }
      }),
      { numRuns: 1500 },
    );
  });

  it('replaces like String.prototype.replace on both engines', () => {
    for (const [p, s, r, want] of [
      ['(\\w+) (\\w+)', 'Hello World', '$2 $1', 'World Hello'],
      ['(\\w)\\1', 'aabbc', '<$1>', '<a><b>c'],
      ['(?<=a)b', 'abab', '[$&]', 'a[b]a[b]'],
      ['x*', 'ab', '-', '-a-b-'],
      ['(?=b)', 'abb', '|', 'a|b|b'],
      ['o', 'foo', '$$', 'f$$'],
    ] as const) {
      expect(compilePcre(p).replaceAll(s, r), p).toBe(want);
    }
  });
});
