/**
 * Aggregated queries and subscriptions (spec §7.5, §14.6.9): `grouping=[...]` and
 * `projection=[expr AS /field, ...]` options. Each group of source records becomes one
 * synthetic record whose fields are computed over the group; a field that is not an
 * aggregate takes its value from the group's most recently written record.
 */
import type { CallNode, ExpressionNode, IdentifierNode } from '../../client/src/expression/ast.js';
import { compileNode } from '../../client/src/expression/compile.js';
import { EMPTY_CONTEXT } from '../../client/src/expression/context.js';
import type { Evaluator } from '../../client/src/expression/evaluator.js';
import { parseFilter } from '../../client/src/expression/parser.js';
import type { AmpsScalar, AmpsValue } from '../../client/src/expression/values.js';
import { toNumber, toText } from '../../client/src/expression/values.js';
import { fnv1a64 } from './hash.js';

/** Thrown for unusable `grouping` / `projection` options; `reason` is the AMPS reason text. */
export class AggregateError extends Error {
  override readonly name = 'AggregateError';
  readonly reason = 'invalid options';
}

const AGGREGATES = new Set(['AVG', 'ANY', 'COUNT', 'COUNT_DISTINCT', 'MIN', 'MAX', 'SUM']);
/** Path step under which a projected expression finds the values of its aggregates. */
const AGG_FIELD = '\u0000aggregates';

/** One aggregate call inside a projected expression. */
interface AggregateTerm {
  fn: string;
  arg: Evaluator;
}

/** One `expr AS /field` of the projection. */
interface ProjectedField {
  steps: string[];
  /** Evaluates the expression over the group's last record extended with the aggregate values. */
  value: Evaluator;
  terms: AggregateTerm[];
}

/** A compiled aggregation. */
export interface AggregateSpec {
  grouping: Evaluator[];
  fields: ProjectedField[];
}

/** Splits `[a, b(c, d), 'e,f']` at top-level commas. */
export function splitList(text: string, option: string): string[] {
  const t = text.trim();
  if (!t.startsWith('[') || !t.endsWith(']')) {
    throw new AggregateError(`${option} must be a bracketed list such as [/a,/b], got "${text}"`);
  }
  const body = t.slice(1, -1);
  const out: string[] = [];
  let depth = 0;
  let quote = '';
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i] as string;
    if (quote !== '') {
      if (ch === quote) quote = '';
      continue;
    }
    if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '(' || ch === '[') depth++;
    else if (ch === ')' || ch === ']') depth--;
    else if (ch === ',' && depth === 0) {
      out.push(body.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(body.slice(start).trim());
  if (out.some((s) => s === '')) throw new AggregateError(`${option} has an empty entry: "${text}"`);
  return out;
}

function compileExpr(text: string, option: string, allowAggregates: boolean): ExpressionNode {
  try {
    const root = parseFilter(text).root;
    compileNode(root, { allowAggregates });
    return root;
  } catch (e) {
    throw new AggregateError(`${option} expression "${text}": ${(e as Error).message}`);
  }
}

/** Replaces every aggregate call with a reference to its computed value. */
function extractAggregates(node: ExpressionNode, terms: AggregateTerm[], text: string): ExpressionNode {
  const visit = (n: unknown): unknown => {
    if (Array.isArray(n)) return n.map(visit);
    if (n === null || typeof n !== 'object') return n;
    const obj = n as Record<string, unknown>;
    if (obj['type'] === 'call' && AGGREGATES.has((obj as unknown as CallNode).name)) {
      const call = obj as unknown as CallNode;
      const arg = call.args[0];
      if (arg === undefined) throw new AggregateError(`${call.name} needs an argument in "${text}"`);
      const inner: AggregateTerm[] = [];
      extractAggregates(arg, inner, text);
      if (inner.length > 0) throw new AggregateError(`nested aggregate inside ${call.name} in "${text}"`);
      const ref: IdentifierNode = {
        type: 'identifier',
        path: [AGG_FIELD, String(terms.length)],
        start: call.start,
        end: call.end,
      };
      terms.push({ fn: call.name, arg: compileNode(arg, {}) });
      return ref;
    }
    const copy: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(obj)) copy[k] = visit(v);
    return copy;
  };
  return visit(node) as ExpressionNode;
}

/**
 * Compiles the options of an aggregated query.
 * @returns undefined when neither option is present
 * @throws AggregateError naming the bad option or expression
 */
export function compileAggregate(
  grouping: string | undefined,
  projection: string | undefined,
): AggregateSpec | undefined {
  if (grouping === undefined && projection === undefined) return undefined;
  if (grouping === undefined) throw new AggregateError('projection requires grouping=[...]');
  if (projection === undefined) throw new AggregateError('grouping requires projection=[...]');
  const spec: AggregateSpec = { grouping: [], fields: [] };
  for (const g of splitList(grouping, 'grouping')) {
    spec.grouping.push(compileNode(compileExpr(g, 'grouping', false), {}));
  }
  const seen = new Set<string>();
  for (const item of splitList(projection, 'projection')) {
    const m = /^(.*\S)\s+AS\s+(\/\S*)$/is.exec(item);
    if (!m) throw new AggregateError(`projection entry "${item}" must read "expression AS /field"`);
    const target = m[2] as string;
    const steps = target.split('/').filter((s) => s !== '');
    if (steps.length === 0) throw new AggregateError(`projection target "${target}" names no field`);
    if (seen.has(steps.join('/'))) throw new AggregateError(`projection field ${target} appears twice`);
    seen.add(steps.join('/'));
    const root = compileExpr(m[1] as string, 'projection', true);
    const terms: AggregateTerm[] = [];
    const rewritten = extractAggregates(root, terms, item);
    spec.fields.push({ steps, value: compileNode(rewritten, {}), terms });
  }
  return spec;
}

function scalars(v: AmpsValue): AmpsScalar[] {
  if (Array.isArray(v)) return (v as readonly AmpsScalar[]).filter((s) => s !== null);
  return v === null ? [] : [v as AmpsScalar];
}

/** Computes one aggregate function over the values of a group (NULLs excluded). */
export function aggregateValues(fn: string, values: readonly AmpsScalar[]): AmpsScalar {
  switch (fn) {
    case 'COUNT':
      return values.length;
    case 'ANY':
      return values[values.length - 1] ?? null;
    case 'COUNT_DISTINCT': {
      const distinct = new Set<string>();
      for (const v of values) {
        const n = toNumber(v);
        distinct.add(n !== null && !Number.isNaN(n) ? `n${n}` : `s${toText(v) ?? ''}`);
      }
      return distinct.size;
    }
    case 'SUM':
    case 'AVG': {
      let sum = 0;
      let count = 0;
      for (const v of values) {
        const n = toNumber(v);
        if (n === null || Number.isNaN(n)) continue;
        sum += n;
        count++;
      }
      if (count === 0) return null;
      return fn === 'SUM' ? sum : sum / count;
    }
    case 'MIN':
    case 'MAX': {
      const numbers = values.map((v) => toNumber(v));
      const numeric = numbers.every((n) => n !== null && !Number.isNaN(n));
      let best: AmpsScalar = null;
      let bestKey: number | string | undefined;
      values.forEach((v, i) => {
        const key = numeric ? (numbers[i] as number) : (toText(v) ?? '');
        if (bestKey === undefined || (fn === 'MIN' ? key < bestKey : key > bestKey)) {
          bestKey = key;
          best = numeric ? (numbers[i] as number) : v;
        }
      });
      return best;
    }
    default:
      throw new AggregateError(`unknown aggregate ${fn}`);
  }
}

/** The group a record belongs to: its grouping values as a stable text. */
export function groupKeyOf(spec: AggregateSpec, json: unknown): string {
  return JSON.stringify(
    spec.grouping.map((g) => {
      try {
        return g(json, EMPTY_CONTEXT);
      } catch {
        return null;
      }
    }),
  );
}

/** The SOW key of the synthetic record of a group (stable for the group's values). */
export function groupSowKey(groupKey: string): string {
  return fnv1a64(`\u0000group${groupKey}`);
}

function setPath(doc: Record<string, unknown>, steps: readonly string[], value: unknown): void {
  let cur = doc;
  for (let i = 0; i < steps.length - 1; i++) {
    const step = steps[i] as string;
    const next = cur[step];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) cur[step] = {};
    cur = cur[step] as Record<string, unknown>;
  }
  cur[steps[steps.length - 1] as string] = value;
}

function toJsonValue(v: AmpsValue): unknown {
  if (Array.isArray(v)) return (v as readonly AmpsScalar[]).map((s) => toJsonValue(s));
  if (typeof v === 'number' && !Number.isFinite(v)) return null;
  return v;
}

/**
 * Builds the synthetic record of one group.
 * @param members parsed payloads of the group's records
 * @param last the most recently written member (non-aggregate fields come from it)
 */
export function projectGroup(spec: AggregateSpec, members: readonly unknown[], last: unknown): unknown {
  const out: Record<string, unknown> = {};
  for (const field of spec.fields) {
    const aggregates: Record<string, unknown> = {};
    field.terms.forEach((term, i) => {
      const values: AmpsScalar[] = [];
      for (const m of members) {
        try {
          values.push(...scalars(term.arg(m, EMPTY_CONTEXT)));
        } catch {
          // a value that cannot be computed counts as NULL
        }
      }
      aggregates[String(i)] = aggregateValues(term.fn, values);
    });
    const base = last !== null && typeof last === 'object' && !Array.isArray(last) ? last : {};
    const doc = { ...(base as Record<string, unknown>), [AGG_FIELD]: aggregates };
    let value: AmpsValue;
    try {
      value = field.value(doc, EMPTY_CONTEXT);
    } catch {
      value = null;
    }
    const json = toJsonValue(value);
    if (json !== null) setPath(out, field.steps, json);
  }
  return out;
}
