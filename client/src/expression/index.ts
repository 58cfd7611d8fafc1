/**
 * The AMPS content-filter / expression language (spec §14): tokenizer, parser with error
 * positions, closure compiler and evaluator for JSON messages, and regex-topic matching.
 * Pure TypeScript (no Node, no DOM): shared by the client, the sandbox and the renderer.
 *
 * Where the spec is UNCONFIRMED, this module chooses (and its tests pin down):
 * - keywords and function names are case-insensitive; `TRUE` / `FALSE` are Boolean literals;
 *   `x NOT LIKE p` is accepted as `NOT (x LIKE p)`; chained comparisons are refused;
 * - NaN compares IEEE-style (false, except `!=` which is true); `/ 0` and `% 0` give NaN;
 *   `NOT NULL` is NULL; in a logical context numbers are true when non-zero (NaN is false) and
 *   strings by their numeric value;
 * - `x IN (...)` is NULL for a NULL `x`, TRUE on any match, otherwise FALSE; `IS NAN` is true
 *   only for a NaN number;
 * - a regular (quoted) LIKE pattern reaches the regex engine as written, backslashes intact
 *   (`'(.)\1'` is a back-reference); a raw string `r'...'` matches literally;
 * - `CONCAT` skips NULL arguments; `REPLACE` replaces every occurrence; `REGEXP_MATCH` with no
 *   match is NULL; `SUBSTR` counts a negative start from the end; `CRC32` is zlib's CRC-32 of
 *   the UTF-8 text; `GEO_DISTANCE(lat1, lon1, lat2, lon2)` is the haversine distance in km;
 *   `STRFTIME` formats in UTC; the group-name function is `AMPS_GROUP_NAME()`; the distinct
 *   count aggregate is `COUNT_DISTINCT`; `VALUE_LOOKUP` and `LAST_READ` are refused;
 * - JSON cannot tell `7.0` from `7`: a message number without a fraction is an integer (so
 *   `/x / 2` divides integers); integers beyond 2^53 lose precision.
 */
import type { ExpressionNode, FilterExpression } from './ast.js';
import type { CompileOptions } from './compile.js';
import { compileNode } from './compile.js';
import type { EvalContext } from './context.js';
import { EMPTY_CONTEXT } from './context.js';
import type { Evaluator } from './evaluator.js';
import { parseFilter } from './parser.js';
import { FilterSyntaxError } from './syntaxError.js';
import type { AmpsValue } from './values.js';

export type * from './ast.js';
export type { EvalContext } from './context.js';
export type { AmpsScalar, AmpsValue } from './values.js';
export type { Token, TokenKind } from './tokenizer.js';
export type { FilterSyntaxErrorLocation } from './syntaxError.js';
export type { TopicMatcher } from './topic.js';
export { tokenize } from './tokenizer.js';
export { parseFilter } from './parser.js';
export { FilterSyntaxError } from './syntaxError.js';
export { RegexBudgetError } from './regex.js';
export { matchTopic, isRegexTopic, compileTopicMatcher } from './topic.js';
export { FUNCTIONS } from './catalog.js';
export type { FunctionSpec, FunctionCategory } from './catalog.js';

/** A compiled filter: true when the message matches (the filter's value is TRUE). */
export type CompiledFilter = (message: unknown, context?: EvalContext) => boolean;

/** A compiled expression: the AMPS value of the expression for a message. */
export type CompiledExpression = (message: unknown, context?: EvalContext) => AmpsValue;

function compileRoot(root: ExpressionNode, options: CompileOptions): Evaluator {
  return compileNode(root, options);
}

/**
 * Parses and compiles a content filter once. The result evaluates a parsed JSON message and
 * returns true only when the filter's value is TRUE (FALSE and NULL do not match).
 * Aggregate functions are refused (AMPS allows them only in field expressions).
 * @throws FilterSyntaxError for a filter AMPS would refuse with `bad filter`
 */
export function compileFilter(text: string): CompiledFilter {
  const evaluator = compileRoot(parseFilter(text).root, {});
  return (message, context) => evaluator(message, context ?? EMPTY_CONTEXT) === true;
}

/**
 * Parses and compiles a field expression (e.g. a projection or a sort key) returning its AMPS
 * value. Aggregates are accepted and evaluate over a group of one record (the message itself).
 * @throws FilterSyntaxError on bad syntax
 */
export function compileExpression(text: string): CompiledExpression {
  const evaluator = compileRoot(parseFilter(text).root, { allowAggregates: true });
  return (message, context) => evaluator(message, context ?? EMPTY_CONTEXT);
}

const compiled = new WeakMap<FilterExpression, Evaluator>();

/**
 * Evaluates a parsed expression against a message and returns its AMPS value: a number (NaN
 * included), string, Boolean, null (NULL) or an array of scalars for a repeated field.
 * The compiled form is cached per AST object. Aggregates evaluate over the single message.
 * @throws FilterSyntaxError for a LIKE pattern that cannot be compiled
 */
export function evaluate(
  ast: FilterExpression,
  message: unknown,
  context: EvalContext = EMPTY_CONTEXT,
): AmpsValue {
  let evaluator = compiled.get(ast);
  if (evaluator === undefined) {
    evaluator = compileRoot(ast.root, { allowAggregates: true });
    compiled.set(ast, evaluator);
  }
  return evaluator(message, context);
}

/**
 * Live validation: the first problem AMPS would report for this filter (syntax, unknown
 * function, arity, untranslatable LIKE pattern, aggregate in a filter), or undefined.
 */
export function checkFilter(text: string): FilterSyntaxError | undefined {
  try {
    compileFilter(text);
    return undefined;
  } catch (e) {
    if (e instanceof FilterSyntaxError) return e;
    throw e;
  }
}
