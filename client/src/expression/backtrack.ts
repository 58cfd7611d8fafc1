/**
 * A backtracking matcher with a step budget, for the few patterns the linear-time engine (RE2)
 * cannot run: back-references and lookaround. It reads the JavaScript-dialect source that
 * `pcre.ts` writes (flags `i`, `m`, `s`; strings as UTF-16 code units, as RegExp without `u`).
 * This file reads the pattern; the nodes it builds, which do the matching, are in
 * `backtrackNodes.ts`.
 *
 * Why a budget rather than refusing these patterns: AMPS accepts `'(.)\1'` in a LIKE, and the
 * existing filters rely on it. A backtracking search can take time exponential in the subject
 * (`(a*)*\1b`), so every evaluation counts its steps (one per node tried) and stops with a
 * {@link RegexBudgetError} past {@link STEP_BUDGET}: the filter fails with that error instead
 * of stalling the process. Recursion that grows too deep ends the same way. The budget grows
 * with the subject ({@link stepBudget}), so ordinary back-reference patterns on long values
 * still run while a blow-up on a short one stops within tens of milliseconds.
 */
import {
  backref,
  capture,
  charNode,
  lookaround,
  quantify,
  type MatchState,
  type Node,
  type NodeContext,
} from './backtrackNodes.js';
import { BudgetExceeded, stepBudget } from './regexBudget.js';
import type { CodeTest } from './regexEscapes.js';
import { isWord, lowerCode, readEscape, upperCode } from './regexEscapes.js';

export {
  BudgetExceeded,
  RegexBudgetError,
  STEP_BUDGET,
  STEPS_PER_CHARACTER,
  stepBudget,
} from './regexBudget.js';

/** One match: where it starts and ends, and the capture bounds (-1 when a group did not take part). */
export interface BacktrackMatch {
  index: number;
  end: number;
  caps: readonly number[];
}

/** A compiled backtracking pattern. */
export interface BacktrackPattern {
  readonly groupCount: number;
  readonly names: ReadonlyMap<string, number>;
  /** The first match at or after `from`, or null; steps are added to `budget.steps`. */
  exec(s: string, from: number, budget: { steps: number }): BacktrackMatch | null;
}

/** Compiles JavaScript-dialect source; throws an Error naming what it cannot read. */
export function compileBacktrack(source: string, flags: string): BacktrackPattern {
  const caseless = flags.includes('i');
  const multiline = flags.includes('m');
  const dotall = flags.includes('s');
  let i = 0;
  let groupCount = 0;
  const names = new Map<string, number>();
  /** Checks run once the whole pattern is read (a reference may come before its group). */
  const laterChecks: (() => void)[] = [];
  const state: MatchState = { s: '', steps: 0, limit: 0, caps: [] };
  const fail = (what: string): never => {
    throw new Error(`${what} at offset ${i} of the translated pattern`);
  };
  const step = (): void => {
    if (++state.steps > state.limit) throw new BudgetExceeded(`needed more than ${state.limit} steps`);
  };
  const ctx: NodeContext = { state, step };
  const foldable = (test: (c: number) => boolean): ((c: number) => boolean) =>
    caseless ? (c) => test(c) || test(lowerCode(c)) || test(upperCode(c)) : test;

  /** Reads one escape (after the backslash) as a code-unit test or a code unit. */
  const classEscape = (inClass: boolean): CodeTest | number => {
    try {
      const read = readEscape(source, i, inClass);
      i = read.end;
      return read.value;
    } catch (e) {
      return fail((e as Error).message);
    }
  };

  const codeTest = (code: number): ((c: number) => boolean) =>
    caseless
      ? (
          (l, u) => (c: number) =>
            c === l || c === u
        )(lowerCode(code), upperCode(code))
      : (c) => c === code;

  const parseClass = (): Node => {
    const negated = source[i] === '^';
    if (negated) i++;
    const parts: ((c: number) => boolean)[] = [];
    const single = (): ((c: number) => boolean) | number => {
      const ch = source[i++];
      if (ch === undefined) return fail('unterminated character class');
      return ch === '\\' ? classEscape(true) : ch.charCodeAt(0);
    };
    while (source[i] !== ']') {
      const low = single();
      if (
        source[i] === '-' &&
        source[i + 1] !== ']' &&
        source[i + 1] !== undefined &&
        typeof low === 'number'
      ) {
        i++;
        const high = single();
        if (typeof high !== 'number') {
          parts.push((c) => c === low || c === 45, high);
          continue;
        }
        if (high < low) fail('range out of order in character class');
        parts.push((c) => c >= low && c <= high);
      } else parts.push(typeof low === 'number' ? (c) => c === low : low);
    }
    i++;
    const any = foldable((c) => parts.some((p) => p(c)));
    return charNode(ctx, negated ? (c) => !any(c) : any);
  };

  const atEdge = (pos: number, before: boolean): boolean => {
    const c = state.s.charCodeAt(before ? pos - 1 : pos);
    return (
      (before ? pos === 0 : pos === state.s.length) ||
      (multiline && (c === 10 || c === 13 || c === 0x2028 || c === 0x2029))
    );
  };
  const assertion =
    (test: (pos: number) => boolean): Node =>
    (pos, next) => {
      step();
      return test(pos) && next(pos);
    };
  const wordAt = (pos: number): boolean =>
    pos >= 0 && pos < state.s.length && isWord(state.s.charCodeAt(pos));

  const parseAtom = (): Node | undefined => {
    const ch = source[i];
    if (ch === undefined || ch === '|' || ch === ')') return undefined;
    i++;
    switch (ch) {
      case '(':
        return parseGroup();
      case '[':
        return parseClass();
      case '.':
        return charNode(
          ctx,
          dotall ? () => true : (c) => c !== 10 && c !== 13 && c !== 0x2028 && c !== 0x2029,
        );
      case '^':
        return assertion((pos) => atEdge(pos, true));
      case '$':
        return assertion((pos) => atEdge(pos, false));
      case '\\': {
        const e = source[i];
        if (e === 'b' || e === 'B') {
          i++;
          const want = e === 'b';
          return assertion((pos) => (wordAt(pos - 1) !== wordAt(pos)) === want);
        }
        if (e === 'k' && source[i + 1] === '<') {
          const name = /^k<(\w+)>/.exec(source.slice(i));
          if (name === null) return fail('\\k reference');
          i += name[0].length;
          const id = name[1] as string;
          laterChecks.push(() => void (names.has(id) || fail(`reference to unknown group "${id}"`)));
          return backref(ctx, caseless, () => names.get(id) ?? 0);
        }
        const num = /^[1-9]\d*/.exec(source.slice(i));
        if (num !== null) {
          i += num[0].length;
          const n = Number(num[0]);
          laterChecks.push(
            () => void (n <= groupCount || fail(`reference to group ${n}, which does not exist`)),
          );
          return backref(ctx, caseless, () => n);
        }
        const t = classEscape(false);
        return charNode(ctx, typeof t === 'number' ? codeTest(t) : t);
      }
      case '*':
      case '+':
      case '?':
        return fail('nothing to repeat');
      default:
        return charNode(ctx, codeTest(ch.charCodeAt(0)));
    }
  };

  const parseGroup = (): Node => {
    type Kind = 'capture' | 'plain' | 'ahead' | 'notAhead' | 'behind' | 'notBehind';
    const KINDS: Readonly<Record<string, Kind>> = {
      '?:': 'plain',
      '?=': 'ahead',
      '?!': 'notAhead',
      '?<=': 'behind',
      '?<!': 'notBehind',
    };
    let kind: Kind = 'capture';
    let index = 0;
    const rest = source.slice(i);
    const m = /^\?(?::|=|!|<=|<!|<(\w+)>)/.exec(rest);
    if (m !== null) {
      i += m[0].length;
      const named = m[1];
      if (named !== undefined) {
        index = ++groupCount;
        names.set(named, index);
      } else kind = KINDS[m[0]] ?? 'plain';
    } else if (rest.startsWith('?')) return fail('group kind');
    else index = ++groupCount;
    const body = parseAlternation();
    if (source[i] !== ')') return fail('missing )');
    i++;
    if (kind === 'plain') return body;
    return kind === 'capture' ? capture(ctx, body, index) : lookaround(ctx, body, kind);
  };

  const parseSequence = (): Node => {
    const items: Node[] = [];
    for (
      let before = groupCount, atom = parseAtom();
      atom !== undefined;
      before = groupCount, atom = parseAtom()
    ) {
      const q = /^(?:([*+?])|\{(\d+)(,(\d*))?\})(\??)/.exec(source.slice(i));
      if (q === null) {
        items.push(atom);
        continue;
      }
      i += q[0].length;
      const min = q[1] === '+' ? 1 : q[1] !== undefined ? 0 : Number(q[2]);
      const max =
        q[1] === '?'
          ? 1
          : q[1] !== undefined
            ? Infinity
            : q[3] === undefined
              ? min
              : q[4] === ''
                ? Infinity
                : Number(q[4]);
      if (max < min) fail('numbers out of order in {} quantifier');
      items.push(quantify(ctx, atom, min, max, q[5] === '?', [before + 1, groupCount]));
    }
    if (items.length === 1) return items[0] as Node;
    return items.reduceRight<Node>(
      (rest, item) => (pos, next) => item(pos, (p) => rest(p, next)),
      (pos, next) => next(pos),
    );
  };

  const parseAlternation = (): Node => {
    const branches = [parseSequence()];
    while (source[i] === '|') {
      i++;
      branches.push(parseSequence());
    }
    if (branches.length === 1) return branches[0] as Node;
    return (pos, next) => {
      for (const b of branches) if (b(pos, next)) return true;
      return false;
    };
  };

  const root = parseAlternation();
  if (i < source.length) fail(source[i] === ')' ? 'unmatched )' : 'unexpected text');
  for (const check of laterChecks) check();

  return {
    groupCount,
    names,
    exec(s, from, budget) {
      state.s = s;
      state.steps = budget.steps;
      state.limit = stepBudget(s.length);
      try {
        for (let start = from; start <= s.length; start++) {
          state.caps = new Array<number>(2 * (groupCount + 1)).fill(-1);
          let end = -1;
          if (root(start, (p) => ((end = p), true))) {
            state.caps[0] = start;
            state.caps[1] = end;
            return { index: start, end, caps: state.caps };
          }
        }
        return null;
      } catch (e) {
        if (e instanceof RangeError) throw new BudgetExceeded('nested too deeply');
        throw e;
      } finally {
        budget.steps = state.steps;
        state.s = '';
      }
    },
  };
}
