/**
 * Compiles a syntax tree into closures once, so evaluating a filter per message costs no
 * parsing, no regex compilation and (for scalar fields) no allocation. Semantics follow
 * spec §14.5; see the TSDoc of {@link compileNode} for the choices made where it is UNCONFIRMED.
 */
import type { ArithmeticNode, ExpressionNode, LiteralNode } from './ast.js';
import type { Evaluator } from './evaluator.js';
import { buildCall } from './functions.js';
import type { FilterRegex } from './regex.js';
import { compilePcre } from './regex.js';
import { compileResolver } from './resolve.js';
import { syntaxError } from './syntaxError.js';
import type { AmpsScalar, AmpsValue } from './values.js';
import { anyScalar, compareValues, first, isIntegerString, toNumber, truth } from './values.js';

/** Options of {@link compileNode}. */
export interface CompileOptions {
  /** Allow aggregate functions (field expressions of views / aggregated queries). */
  allowAggregates?: boolean;
}

/**
 * Set by every arithmetic closure just before it returns: whether its result is an AMPS
 * double. Read by the parent arithmetic node immediately after evaluating the child, so that
 * `(1.0 * 2) / 5` is 0.4 while `7 / 2` is 3 without boxing numbers.
 */
let lastFloat = false;

/** Float-ness of a value that did not come from arithmetic. */
function valueIsFloat(v: AmpsValue): boolean {
  const s = first(v);
  if (typeof s === 'number') return !Number.isInteger(s);
  if (typeof s === 'string') return !isIntegerString(s);
  return false;
}

type FloatProbe = (v: AmpsValue) => boolean;

function floatProbe(node: ExpressionNode): FloatProbe {
  if (node.type === 'arithmetic' || node.type === 'negate') return () => lastFloat;
  if (node.type === 'literal') {
    const isFloat = node.float === true || valueIsFloat(node.value);
    return () => isFloat;
  }
  return valueIsFloat;
}

function arithmetic(node: ArithmeticNode, options: CompileOptions): Evaluator {
  const left = compileNode(node.left, options);
  const right = compileNode(node.right, options);
  const leftFloat = floatProbe(node.left);
  const rightFloat = floatProbe(node.right);
  const op = node.operator;
  return (m, c) => {
    const lv = left(m, c);
    const lf = leftFloat(lv);
    const rv = right(m, c);
    const rf = rightFloat(rv);
    const a = toNumber(lv);
    const b = toNumber(rv);
    const isFloat = lf || rf;
    lastFloat = isFloat;
    if (a === null || b === null) return null;
    switch (op) {
      case '+':
        return a + b;
      case '-':
        return a - b;
      case '*':
        return a * b;
      case '/':
        if (b === 0) return NaN;
        return isFloat ? a / b : Math.trunc(a / b);
      case '%':
        if (b === 0) return NaN;
        return a % b;
    }
  };
}

function literal(node: LiteralNode): Evaluator {
  const value: AmpsScalar = node.value === '' ? null : node.value;
  return () => value;
}

function likePattern(node: LiteralNode): Pick<FilterRegex, 'test'> {
  const offset = node.start + (node.raw === true ? 2 : 1);
  if (node.raw === true) {
    const literal = node.body ?? '';
    return { test: (s) => s.includes(literal) };
  }
  return compilePcre(node.body ?? '', offset);
}

/** The texts of a list made only of non-empty string or number literals, else undefined. */
function constantStrings(list: readonly ExpressionNode[]): string[] | undefined {
  const out: string[] = [];
  for (const n of list) {
    if (n.type !== 'literal' || n.value === null || n.value === '' || typeof n.value === 'boolean')
      return undefined;
    out.push(String(n.value));
  }
  return out;
}

function negate(result: boolean | null, negated: boolean): boolean | null {
  return negated && result !== null ? !result : result;
}

function listEvaluator(list: readonly Evaluator[]): (m: unknown, c: Parameters<Evaluator>[1]) => AmpsValue[] {
  const values: AmpsValue[] = new Array<AmpsValue>(list.length);
  return (m, c) => {
    for (let i = 0; i < list.length; i++) values[i] = (list[i] as Evaluator)(m, c);
    return values;
  };
}

/**
 * Compiles one node into a closure.
 *
 * Semantics (spec §14.5; UNCONFIRMED points decided as documented here):
 * - comparisons: NULL if either side is NULL; arrays match if any pair matches; NaN compares
 *   IEEE-style (all false except `!=`);
 * - `AND`/`OR`/`NOT`: the asymmetric tables of §14.5 (left operand NULL ⇒ NULL, and the right
 *   operand is then not evaluated);
 * - arithmetic: NULL propagates; integer operands give integer results (`7 / 2` = 3); a JSON
 *   number is an integer when it has no fraction (JSON.parse cannot tell `7.0` from `7`);
 *   division or `%` by zero gives NaN; numbers beyond 2^53 lose precision (JavaScript doubles);
 * - `IN`: TRUE if the value equals any list value, NULL if the value is NULL, otherwise FALSE
 *   (NULL list entries are skipped); `BETWEEN` is exactly `x >= a AND x <= b`;
 * - `LIKE`: a PCRE search; a regular quoted pattern is handed to the regex engine as written
 *   (so `'(.)\1'` is a back-reference, `'\d'` a digit), a raw string `r'...'` matches literally;
 *   numbers and Booleans are matched in their text form;
 * - `IS NAN` is true for a NaN number (strings are not NaN until converted).
 */
export function compileNode(node: ExpressionNode, options: CompileOptions = {}): Evaluator {
  switch (node.type) {
    case 'literal':
      return literal(node);
    case 'identifier': {
      const resolve = compileResolver(node.path, node.subscript);
      return (m) => resolve(m);
    }
    case 'negate': {
      const operand = compileNode(node.operand, options);
      const probe = floatProbe(node.operand);
      return (m, c) => {
        const v = operand(m, c);
        const isFloat = probe(v);
        const n = toNumber(v);
        lastFloat = isFloat;
        return n === null ? null : -n;
      };
    }
    case 'arithmetic':
      return arithmetic(node, options);
    case 'comparison': {
      const left = compileNode(node.left, options);
      const right = compileNode(node.right, options);
      const op = node.operator;
      return (m, c) => compareValues(op, left(m, c), right(m, c));
    }
    case 'between': {
      const value = compileNode(node.value, options);
      const low = compileNode(node.low, options);
      const high = compileNode(node.high, options);
      const negated = node.negated;
      return (m, c) => {
        const v = value(m, c);
        const ge = compareValues('>=', v, low(m, c));
        if (ge !== true) return negate(ge, negated);
        return negate(compareValues('<=', v, high(m, c)), negated);
      };
    }
    case 'in': {
      const value = compileNode(node.value, options);
      const list = node.list.map((n) => compileNode(n, options));
      const negated = node.negated;
      return (m, c) => {
        const v = value(m, c);
        if (v === null) return null;
        for (const item of list) {
          if (compareValues('=', v, item(m, c)) === true) return !negated;
        }
        return negated;
      };
    }
    case 'like': {
      const value = compileNode(node.value, options);
      const re = likePattern(node.pattern);
      const test = (s: number | string | boolean): boolean => re.test(typeof s === 'string' ? s : String(s));
      const negated = node.negated;
      return (m, c) => negate(anyScalar(value(m, c), test), negated);
    }
    case 'affix': {
      const value = compileNode(node.value, options);
      const begins = node.which === 'begins';
      const negated = node.negated;
      const hasAffix = (text: string, affix: string): boolean =>
        begins ? text.startsWith(affix) : text.endsWith(affix);
      const constants = constantStrings(node.list);
      if (constants !== undefined) {
        const test = (s: number | string | boolean): boolean => {
          const text = typeof s === 'string' ? s : String(s);
          for (const affix of constants) if (hasAffix(text, affix)) return true;
          return false;
        };
        return (m, c) => negate(anyScalar(value(m, c), test), negated);
      }
      const list = listEvaluator(node.list.map((n) => compileNode(n, options)));
      return (m, c) => {
        const v = value(m, c);
        if (v === null) return null;
        const affixes = list(m, c);
        const test = (s: number | string | boolean): boolean => {
          const text = typeof s === 'string' ? s : String(s);
          for (const a of affixes) {
            if (anyScalar(a, (x) => hasAffix(text, typeof x === 'string' ? x : String(x))) === true)
              return true;
          }
          return false;
        };
        return negate(anyScalar(v, test), negated);
      };
    }
    case 'is': {
      const value = compileNode(node.value, options);
      const negated = node.negated;
      if (node.test === 'null') return (m, c) => (value(m, c) === null) !== negated;
      const isNaN = (s: number | string | boolean): boolean => typeof s === 'number' && s !== s;
      return (m, c) => (anyScalar(value(m, c), isNaN) === true) !== negated;
    }
    case 'not': {
      const operand = compileNode(node.operand, options);
      return (m, c) => {
        const t = truth(operand(m, c));
        return t === null ? null : !t;
      };
    }
    case 'logical': {
      // A chain `a AND b AND c` is evaluated in a loop (no deep recursion for long filters);
      // left to right, the first operand that is not TRUE (AND) / not FALSE (OR) decides.
      const operands: Evaluator[] = [];
      const spine: ExpressionNode[] = [];
      let n: ExpressionNode = node;
      while (n.type === 'logical' && n.operator === node.operator) {
        spine.push(n.right);
        n = n.left;
      }
      spine.push(n);
      for (let k = spine.length - 1; k >= 0; k--)
        operands.push(compileNode(spine[k] as ExpressionNode, options));
      const stop = node.operator !== 'AND';
      const count = operands.length;
      return (m, c) => {
        let t: boolean | null = null;
        for (let k = 0; k < count; k++) {
          t = truth((operands[k] as Evaluator)(m, c));
          if (t !== !stop) return t;
        }
        return t;
      };
    }
    case 'call': {
      const args = node.args.map((n) => compileNode(n, options));
      if (options.allowAggregates !== true && isAggregate(node.name)) {
        throw syntaxError(
          `aggregate function ${node.name} is not allowed in a filter`,
          node.start,
          node.nameEnd - node.start,
        );
      }
      return buildCall({ node, args });
    }
  }
}

const AGGREGATES = new Set(['AVG', 'ANY', 'COUNT', 'COUNT_DISTINCT', 'MIN', 'MAX', 'SUM']);

function isAggregate(name: string): boolean {
  return AGGREGATES.has(name);
}
