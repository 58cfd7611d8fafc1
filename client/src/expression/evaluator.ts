/** Shared types of the closure compiler. */
import type { CallNode } from './ast.js';
import type { EvalContext } from './context.js';
import type { AmpsValue } from './values.js';

/** A compiled expression: evaluates against one parsed JSON message. */
export type Evaluator = (message: unknown, context: EvalContext) => AmpsValue;

/** What a function builder receives. */
export interface CallSite {
  /** The call node (for error positions). */
  node: CallNode;
  /** Compiled arguments, evaluated lazily by the builder. */
  args: readonly Evaluator[];
}

/** Builds the evaluator of one function call; may throw FilterSyntaxError at compile time. */
export type FunctionBuilder = (site: CallSite) => Evaluator;

/** The argument evaluator at `i` (arity is checked by the parser; a missing one yields NULL). */
export function arg(site: CallSite, i: number): Evaluator {
  return site.args[i] ?? (() => null);
}
