/**
 * LIKE patterns: the previous engine (the PCRE translation run by JavaScript's RegExp, a
 * backtracking engine) beside the current one (re2js, linear time; back-references and
 * lookaround on the budgeted matcher), on the patterns of the existing LIKE tests against the
 * values of their messages. Also how many answers agree and one pathological pattern.
 */
import { performance } from 'node:perf_hooks';
import { translatePcre } from '../../client/src/expression/pcre.js';
import { compilePcre } from '../../client/src/expression/regex.js';
import { ratesPerSec } from './measure.js';

/** The LIKE patterns of client/test/expression/table.test.ts (as the regex engine sees them). */
const PATTERNS = [
  'SF',
  '^SF',
  'z',
  '4',
  'MS',
  'ms',
  '(?i)ms',
  '^MSFT$',
  'M.F',
  'M[A-Z]+T',
  '^IB',
  'x',
  '^7$',
  '(.)\\1',
  '\\bWorld',
  '\\d',
  '^\\d+\\.\\d$',
  '^line2',
  '(?m)^line2',
  'line1.line2',
  '(?s)line1.line2',
  '1$',
  '(?m)1$',
  '(?x) World $',
  '(?A)World',
  '(?A)Hello',
  '\\AHello',
  'World\\z',
  '[[:upper:]][[:lower:]]+ W',
  '\\QHello W\\E',
  '(?P<w>l)(?P=w)',
  'H(?#comment)ello',
];
/** Values of the test messages those patterns run against. */
const VALUES = ['MSFT', '101.5', '7', 'zebra', 'Hello World', 'line1\nline2', 'abba', 'Crank It Up', '14'];

/** Rates (tests of every pattern on every value per op), agreement and the pathological case. */
export function regexRates(): Record<string, number | string> {
  const previous = PATTERNS.map((p) => {
    const t = translatePcre(p);
    return new RegExp(t.source, t.flags);
  });
  const current = PATTERNS.map((p) => compilePcre(p));
  let agree = 0;
  for (let i = 0; i < PATTERNS.length; i++)
    for (const v of VALUES) if (previous[i]?.test(v) === current[i]?.test(v)) agree++;
  const rates = ratesPerSec({
    regExp: () => {
      let n = 0;
      for (const re of previous) for (const v of VALUES) if (re.test(v)) n++;
      return n;
    },
    re2js: () => {
      let n = 0;
      for (const re of current) for (const v of VALUES) if (re.test(v)) n++;
      return n;
    },
  });
  const tests = PATTERNS.length * VALUES.length;
  const slowValue = 'a'.repeat(20);
  const slow = translatePcre('(a*)*b');
  const slowRe = new RegExp(slow.source, slow.flags);
  let t = performance.now();
  slowRe.test(slowValue);
  const regExpPathologicalMs = performance.now() - t;
  const linear = compilePcre('(a*)*b');
  t = performance.now();
  linear.test(slowValue);
  const re2jsPathologicalMs = performance.now() - t;
  return {
    patterns: PATTERNS.length,
    onRe2js: current.filter((r) => r.engine === 're2').length,
    agree,
    of: tests,
    regExpTestsPerSec: (rates['regExpPerSec'] ?? 0) * tests,
    re2jsTestsPerSec: (rates['re2jsPerSec'] ?? 0) * tests,
    re2jsOverRegExp: Number(((rates['re2jsPerSec'] ?? 0) / (rates['regExpPerSec'] ?? 1)).toFixed(2)),
    pathological: '(a*)*b on 20 characters',
    regExpPathologicalMs: Number(regExpPathologicalMs.toFixed(1)),
    re2jsPathologicalMs: Number(re2jsPathologicalMs.toFixed(2)),
  };
}
