/**
 * The matching nodes of the backtracking matcher (backtrack.ts): what each piece of a pattern
 * does at a position of the subject — one code unit, a back-reference, a capture group,
 * lookaround, a repetition — once the parser there has read it. Every node counts its steps
 * through the shared `step` of its pattern, so the step budget bounds the whole search.
 */
import { lowerCode } from './regexEscapes.js';

/** Continuation: the rest of the pattern from a position. */
export type Next = (pos: number) => boolean;
/** A compiled node: tries to match at `pos`, then calls `next`; true when the whole match succeeds. */
export type Node = (pos: number, next: Next) => boolean;
/** A node that always matches exactly one code unit satisfying `test`. */
export interface CharNode {
  one: (code: number) => boolean;
}

/** The running match of one pattern: subject, steps taken, step limit, capture bounds. */
export interface MatchState {
  s: string;
  steps: number;
  limit: number;
  caps: number[];
}

/** What every node of one pattern shares: the running match, and its step counter. */
export interface NodeContext {
  readonly state: MatchState;
  /** Counts one step; throws once the budget is spent. */
  readonly step: () => void;
}

/** Matches one code unit for which `one` holds. */
export function charNode(ctx: NodeContext, one: (c: number) => boolean): Node & CharNode {
  const { state, step } = ctx;
  const node = ((pos: number, next: Next): boolean => {
    step();
    return pos < state.s.length && one(state.s.charCodeAt(pos)) && next(pos + 1);
  }) as Node & CharNode;
  node.one = one;
  return node;
}

/** Matches what group `group()` captured (anything, when it took no part), case-folded with `caseless`. */
export function backref(ctx: NodeContext, caseless: boolean, group: () => number): Node {
  const { state, step } = ctx;
  return (pos, next) => {
    step();
    const n = group();
    const start = state.caps[2 * n] ?? -1;
    const end = state.caps[2 * n + 1] ?? -1;
    if (start < 0 || end < 0) return next(pos);
    const len = end - start;
    if (pos + len > state.s.length) return false;
    for (let k = 0; k < len; k++) {
      const a = state.s.charCodeAt(start + k);
      const b = state.s.charCodeAt(pos + k);
      if (a !== b && !(caseless && lowerCode(a) === lowerCode(b))) return false;
    }
    return next(pos + len);
  };
}

/** Lookahead or lookbehind around `body`, positive or negative; it consumes nothing. */
export function lookaround(
  ctx: NodeContext,
  body: Node,
  kind: 'ahead' | 'notAhead' | 'behind' | 'notBehind',
): Node {
  const { step } = ctx;
  if (kind === 'ahead' || kind === 'notAhead') {
    const want = kind === 'ahead';
    return (pos, next) => {
      step();
      return body(pos, () => true) === want && next(pos);
    };
  }
  const want = kind === 'behind';
  return (pos, next) => {
    step();
    let found = false;
    for (let from = pos; from >= 0 && !found; from--) found = body(from, (end) => end === pos);
    return found === want && next(pos);
  };
}

/** Capture group `index` around `body`: its bounds are set on success and restored on backtracking. */
export function capture(ctx: NodeContext, body: Node, index: number): Node {
  const { state, step } = ctx;
  return (pos, next) => {
    step();
    const caps = state.caps;
    const oldStart = caps[2 * index] ?? -1;
    const oldEnd = caps[2 * index + 1] ?? -1;
    if (
      body(pos, (end) => {
        const innerStart = caps[2 * index] ?? -1;
        const innerEnd = caps[2 * index + 1] ?? -1;
        caps[2 * index] = pos;
        caps[2 * index + 1] = end;
        if (next(end)) return true;
        caps[2 * index] = innerStart;
        caps[2 * index + 1] = innerEnd;
        return false;
      })
    )
      return true;
    caps[2 * index] = oldStart;
    caps[2 * index + 1] = oldEnd;
    return false;
  };
}

/**
 * `atom` repeated; `groups` are the capture groups inside it, cleared before each iteration
 * (as JavaScript does) and restored when that iteration is backtracked.
 */
export function quantify(
  ctx: NodeContext,
  atom: Node,
  min: number,
  max: number,
  lazy: boolean,
  groups: [number, number],
): Node {
  const { state, step } = ctx;
  const one = (atom as Partial<CharNode>).one;
  if (one !== undefined) {
    // A single code unit repeated: count the run, then try lengths without recursion.
    return (pos, next) => {
      step();
      const s = state.s;
      let n = 0;
      while (n < max && pos + n < s.length && one(s.charCodeAt(pos + n))) n++;
      state.steps += n;
      if (n < min) return false;
      for (let k = lazy ? min : n; lazy ? k <= n : k >= min; k += lazy ? 1 : -1) {
        step();
        if (next(pos + k)) return true;
      }
      return false;
    };
  }
  const [first, last] = groups;
  const iterate = (pos: number, next: Next): boolean => {
    if (first > last) return atom(pos, next);
    const saved = state.caps.slice(2 * first, 2 * last + 2);
    state.caps.fill(-1, 2 * first, 2 * last + 2);
    if (atom(pos, next)) return true;
    for (let k = 0; k < saved.length; k++) state.caps[2 * first + k] = saved[k] ?? -1;
    return false;
  };
  const repeat = (count: number, pos: number, next: Next): boolean => {
    step();
    const more = (): boolean =>
      count < max &&
      iterate(pos, (end) => (end === pos && count >= min ? false : repeat(count + 1, end, next)));
    if (count < min) return more();
    return lazy ? next(pos) || more() : more() || next(pos);
  };
  return (pos, next) => repeat(0, pos, next);
}
