/**
 * The regular-expression engines behind LIKE, REGEXP_MATCH / REGEXP_REPLACE and regex topics.
 *
 * No pattern may stall the process that evaluates a filter (the sandbox, or the app on the
 * client side), so a PCRE pattern runs on re2js, a linear-time engine, whenever RE2 can express
 * it: `(a*)*b` then costs time proportional to the subject, not exponential in it. Patterns
 * RE2 cannot run (back-references, lookaround, and the odd construct RE2 refuses such as a
 * repeat count over 1000) run on the budgeted backtracking matcher of `backtrack.ts`, which
 * fails the evaluation with a {@link RegexBudgetError} instead of running on.
 *
 * Every pattern is first checked by JavaScript's own RegExp parser (never run), so an invalid
 * pattern is reported the same way whichever engine will run it.
 */
import { RE2JS } from 're2js';
import type { BacktrackMatch, BacktrackPattern } from './backtrack.js';
import { BudgetExceeded, compileBacktrack, RegexBudgetError } from './backtrack.js';
import { translatePcreFor } from './pcre.js';
import { syntaxError } from './syntaxError.js';

export { RegexBudgetError, STEP_BUDGET, STEPS_PER_CHARACTER, stepBudget } from './backtrack.js';

/** A compiled filter regex. */
export interface FilterRegex {
  /** Which engine runs it: `re2` (linear time) or `backtrack` (step budget). */
  readonly engine: 're2' | 'backtrack';
  /** The PCRE pattern as written. */
  readonly pattern: string;
  /** True when the pattern matches somewhere in `s`. @throws RegexBudgetError */
  test(s: string): boolean;
  /** The text of the first match, or null. @throws RegexBudgetError */
  match(s: string): string | null;
  /**
   * Every match replaced, the replacement read as String.prototype.replace reads it
   * (`$1`, `$<name>`, `$&`, `$$`). @throws RegexBudgetError
   */
  replaceAll(s: string, replacement: string): string;
}

function re2Flags(flags: string): number {
  return (
    (flags.includes('i') ? RE2JS.CASE_INSENSITIVE : 0) |
    (flags.includes('m') ? RE2JS.MULTILINE : 0) |
    (flags.includes('s') ? RE2JS.DOTALL : 0)
  );
}

function re2Regex(pattern: string, re: RE2JS): FilterRegex {
  return {
    engine: 're2',
    pattern,
    test: (s) => re.test(s),
    match: (s) => {
      const found = re.exec(s);
      return found === null ? null : String(found[0]);
    },
    replaceAll: (s, replacement) => re.matcher(s).replaceAll(replacement),
  };
}

/** Expands a replacement by the rules of String.prototype.replace. */
function substitute(replacement: string, s: string, m: BacktrackMatch, p: BacktrackPattern): string {
  const group = (n: number): string => {
    const start = m.caps[2 * n] ?? -1;
    const end = m.caps[2 * n + 1] ?? -1;
    return start < 0 || end < 0 ? '' : s.slice(start, end);
  };
  return replacement.replace(/\$(\$|&|`|'|\d{1,2}|<([^>]*)>)/g, (whole, what: string, name?: string) => {
    if (what === '$') return '$';
    if (what === '&') return s.slice(m.index, m.end);
    if (what === '`') return s.slice(0, m.index);
    if (what === "'") return s.slice(m.end);
    if (name !== undefined) {
      if (p.names.size === 0) return whole;
      const n = p.names.get(name);
      return n === undefined ? '' : group(n);
    }
    const two = Number(what);
    if (what.length === 2 && two >= 1 && two <= p.groupCount) return group(two);
    const one = Number(what[0]);
    if (one >= 1 && one <= p.groupCount) return group(one) + what.slice(1);
    return whole;
  });
}

function backtrackRegex(pattern: string, p: BacktrackPattern): FilterRegex {
  const bounded = <T>(s: string, run: (budget: { steps: number }) => T): T => {
    try {
      return run({ steps: 0 });
    } catch (e) {
      if (e instanceof BudgetExceeded) throw new RegexBudgetError(pattern, s.length, e.why);
      throw e;
    }
  };
  return {
    engine: 'backtrack',
    pattern,
    test: (s) => bounded(s, (budget) => p.exec(s, 0, budget) !== null),
    match: (s) =>
      bounded(s, (budget) => {
        const m = p.exec(s, 0, budget);
        return m === null ? null : s.slice(m.index, m.end);
      }),
    replaceAll: (s, replacement) =>
      bounded(s, (budget) => {
        let out = '';
        let copied = 0;
        for (let from = 0; from <= s.length;) {
          const m = p.exec(s, from, budget);
          if (m === null) break;
          out += s.slice(copied, m.index) + substitute(replacement, s, m, p);
          copied = m.end;
          from = m.end > m.index ? m.end : m.end + 1;
        }
        return out + s.slice(copied);
      }),
  };
}

const cache = new Map<string, FilterRegex>();
const CACHE_LIMIT = 1024;

/**
 * Compiles a PCRE pattern (cached by pattern text): on re2js when RE2 can run it, otherwise on
 * the budgeted backtracking matcher.
 * @param offset position of the pattern in the filter text, for error positions
 * @throws FilterSyntaxError when the pattern is invalid or cannot be translated
 */
export function compilePcre(pattern: string, offset = 0): FilterRegex {
  const hit = cache.get(pattern);
  if (hit !== undefined) return hit;
  const js = translatePcreFor(pattern, 'js', offset);
  try {
    new RegExp(js.source, js.flags);
  } catch (e) {
    const why = e instanceof Error ? e.message.replace(/^Invalid regular expression: /, '') : String(e);
    throw syntaxError(`invalid regular expression (${why})`, offset, Math.max(1, pattern.length));
  }
  let compiled: FilterRegex | undefined;
  const re2 = translatePcreFor(pattern, 're2', offset);
  if (!re2.backtracking) {
    try {
      compiled = re2Regex(pattern, RE2JS.compile(re2.source, re2Flags(re2.flags)));
    } catch {
      // RE2 refuses a few constructs JavaScript accepts (e.g. `a{1001}`): run it bounded.
    }
  }
  if (compiled === undefined) {
    try {
      compiled = backtrackRegex(pattern, compileBacktrack(js.source, js.flags));
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      throw syntaxError(
        `unsupported regular expression construct (${why})`,
        offset,
        Math.max(1, pattern.length),
      );
    }
  }
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(pattern, compiled);
  return compiled;
}
