/**
 * A cheap text test run on a message's raw JSON before an expression search parses it: from
 * the expression's tree it derives words the payload text must contain for the expression to
 * be TRUE (the key of every field a comparison needs, and the text of string literals an
 * equality or IN needs), so most messages that cannot match are passed over without parsing.
 * It only rules messages out when that is certain: a payload holding a backslash (an escape
 * could spell a key or value differently) is always left to the full evaluation. Pure.
 */
import type { ExpressionNode } from '../../../client/src/expression/index.js';
import { parseFilter } from '../../../client/src/expression/index.js';
import { stringToNumber } from '../../../client/src/expression/values.js';

/** Words the payload must hold: every clause needs at least one of its words. */
type Needs = readonly (readonly string[])[];

const NONE: Needs = [];
/** OR of two requirement sets may multiply clauses: past this the requirement is dropped. */
const MAX_CLAUSES = 16;
/** Text JSON writes verbatim (no quote, backslash or control character). */
const VERBATIM = /^[^"\\\u0000-\u001f]+$/;

/** `"key"` as JSON writes the last step of a field path, or undefined when it cannot be sure. */
function keyWord(node: ExpressionNode): string | undefined {
  if (node.type !== 'identifier') return undefined;
  const last = node.path[node.path.length - 1];
  return last !== undefined && VERBATIM.test(last) ? `"${last}"` : undefined;
}

/** The text a string field equal to this literal holds in the payload, if any is certain. */
function valueWord(node: ExpressionNode): string | undefined {
  if (node.type !== 'literal' || typeof node.value !== 'string' || node.value === '') return undefined;
  // A numeric string compares numerically with a number field: its text need not appear.
  if (stringToNumber(node.value) === stringToNumber(node.value)) return undefined;
  return VERBATIM.test(node.value) ? node.value : undefined;
}

function and(a: Needs, b: Needs): Needs {
  return [...a, ...b];
}

function or(a: Needs, b: Needs): Needs {
  if (a.length === 0 || b.length === 0 || a.length * b.length > MAX_CLAUSES) return NONE;
  const out: string[][] = [];
  for (const x of a) for (const y of b) out.push([...new Set([...x, ...y])]);
  return out;
}

/** A field compared with something: NULL (a missing field) never makes the test TRUE. */
function fieldNeeds(value: ExpressionNode, words: readonly (string | undefined)[] = []): Needs {
  const key = keyWord(value);
  if (key === undefined) return NONE;
  const needs: string[][] = [[key]];
  if (words.length > 0 && words.every((w) => w !== undefined)) needs.unshift(words as string[]);
  return needs;
}

function needsOf(node: ExpressionNode): Needs {
  switch (node.type) {
    case 'logical':
      return node.operator === 'AND'
        ? and(needsOf(node.left), needsOf(node.right))
        : or(needsOf(node.left), needsOf(node.right));
    case 'comparison': {
      const [field, other] = node.left.type === 'identifier' ? [node.left, node.right] : [node.right, node.left];
      if (field.type !== 'identifier' || other.type !== 'literal' || other.value === null) return NONE;
      return fieldNeeds(field, node.operator === '=' ? [valueWord(other)] : []);
    }
    case 'in':
      return node.negated ? NONE : fieldNeeds(node.value, node.list.map(valueWord));
    case 'between':
    case 'like':
    case 'affix':
      return node.negated ? NONE : fieldNeeds(node.value);
    default:
      return NONE;
  }
}

/** True when the payload text may match; false only when it certainly cannot. */
export type Prefilter = (data: string) => boolean;

/**
 * The text test of an expression (`undefined` when nothing certain can be derived, e.g.
 * `NOT`, `IS NULL` or functions only). Clauses naming values come first: they rule out most.
 */
export function prefilterOf(expression: string): Prefilter | undefined {
  const needs = [...needsOf(parseFilter(expression).root)].sort(
    (a, b) => Number(a.some((w) => w.startsWith('"'))) - Number(b.some((w) => w.startsWith('"'))),
  );
  if (needs.length === 0) return undefined;
  return (data) => {
    for (const clause of needs) {
      let found = false;
      for (const word of clause) {
        if (data.includes(word)) {
          found = true;
          break;
        }
      }
      if (!found) return data.includes('\\');
    }
    return true;
  };
}
