/**
 * The syntax tree of an AMPS filter or field expression (spec §14.2). Every node records the
 * source span it came from (`start`, `end`: 0-based, end exclusive) so that evaluation-time
 * problems and editor hints can point at the text.
 */

/** Source span shared by every node. */
export interface Span {
  /** Offset of the first character of the node. */
  start: number;
  /** Offset just past the node. */
  end: number;
}

/** A literal constant: number, string, NULL, NaN or a Boolean. */
export interface LiteralNode extends Span {
  type: 'literal';
  /** The value (NaN for `NAN`, null for `NULL`). */
  value: number | string | boolean | null;
  /** Numbers written with a fraction or exponent (AMPS doubles). */
  float?: boolean;
  /** Strings written as raw strings `r'...'`. */
  raw?: boolean;
  /** Strings: the text between the quotes as written, before escape processing. */
  body?: string;
}

/** A field reference `/a/b` or `/a/b[n]`. */
export interface IdentifierNode extends Span {
  type: 'identifier';
  /** The path steps (`['a','b']`). */
  path: readonly string[];
  /** 0-based subscript if `[n]` was written. */
  subscript?: number;
}

/** Unary minus. */
export interface NegateNode extends Span {
  type: 'negate';
  operand: ExpressionNode;
}

/** Arithmetic operator (`MOD` is normalised to `%`). */
export interface ArithmeticNode extends Span {
  type: 'arithmetic';
  operator: '+' | '-' | '*' | '/' | '%';
  left: ExpressionNode;
  right: ExpressionNode;
}

/** Comparison operator (`==` is normalised to `=`, `<>` to `!=`). */
export interface ComparisonNode extends Span {
  type: 'comparison';
  operator: '=' | '!=' | '<' | '<=' | '>' | '>=';
  left: ExpressionNode;
  right: ExpressionNode;
}

/** `x [NOT] BETWEEN low AND high`. */
export interface BetweenNode extends Span {
  type: 'between';
  negated: boolean;
  value: ExpressionNode;
  low: ExpressionNode;
  high: ExpressionNode;
}

/** `x [NOT] IN (v1, v2, ...)`. */
export interface InNode extends Span {
  type: 'in';
  negated: boolean;
  value: ExpressionNode;
  list: readonly ExpressionNode[];
}

/** `x [NOT] LIKE 'pattern'`. */
export interface LikeNode extends Span {
  type: 'like';
  negated: boolean;
  value: ExpressionNode;
  /** The pattern literal (its `body` / `raw` decide how the regex is built). */
  pattern: LiteralNode;
}

/** `x [NOT] BEGINS WITH (...)` / `x [NOT] ENDS WITH (...)`. */
export interface AffixNode extends Span {
  type: 'affix';
  which: 'begins' | 'ends';
  negated: boolean;
  value: ExpressionNode;
  list: readonly ExpressionNode[];
}

/** `x IS [NOT] NULL` / `x IS [NOT] NAN`. */
export interface IsNode extends Span {
  type: 'is';
  test: 'null' | 'nan';
  negated: boolean;
  value: ExpressionNode;
}

/** `NOT x`. */
export interface NotNode extends Span {
  type: 'not';
  operand: ExpressionNode;
}

/** `a AND b` / `a OR b`. */
export interface LogicalNode extends Span {
  type: 'logical';
  operator: 'AND' | 'OR';
  left: ExpressionNode;
  right: ExpressionNode;
}

/** A function call `NAME(args)`, including `IF(c, a, b)`. */
export interface CallNode extends Span {
  type: 'call';
  /** Upper-case function name. */
  name: string;
  /** Span of the name alone. */
  nameEnd: number;
  args: readonly ExpressionNode[];
}

/** Any expression node. */
export type ExpressionNode =
  | LiteralNode
  | IdentifierNode
  | NegateNode
  | ArithmeticNode
  | ComparisonNode
  | BetweenNode
  | InNode
  | LikeNode
  | AffixNode
  | IsNode
  | NotNode
  | LogicalNode
  | CallNode;

/** A parsed filter: the root expression plus the text it came from. */
export interface FilterExpression {
  /** The filter text that was parsed. */
  text: string;
  /** The root of the tree. */
  root: ExpressionNode;
}
