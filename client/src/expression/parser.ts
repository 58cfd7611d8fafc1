/**
 * Recursive-descent parser for the AMPS filter grammar of spec §14.2. Precedence, high to
 * low: unary minus; `* / % MOD`; `+ -`; comparison / BETWEEN / IN / LIKE / BEGINS WITH /
 * ENDS WITH / IS (non-associative); NOT; AND; OR. Every error is a `FilterSyntaxError`
 * with the 0-based position of the offending token (or the end of the text).
 *
 * This module holds the logical and predicate layers and {@link parseFilter}; operands
 * (arithmetic, literals, identifiers, calls, parentheses) are in `operandParser.ts`, token
 * reading and error construction in `tokenCursor.ts`.
 */
import type { ComparisonNode, ExpressionNode, FilterExpression, LiteralNode } from './ast.js';
import { syntaxError } from './syntaxError.js';
import { deepestNode, MAX_TREE_DEPTH } from './limits.js';
import { OperandParser } from './operandParser.js';
import { tokenize } from './tokenizer.js';
import type { Token } from './tokenizer.js';
import { describe, VALUE_EXPECTED } from './tokenCursor.js';

const COMPARISONS: Readonly<Record<string, ComparisonNode['operator']>> = {
  '=': '=',
  '==': '=',
  '!=': '!=',
  '<>': '!=',
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
};

class Parser extends OperandParser {
  parse(): ExpressionNode {
    if (this.tokens.length === 0)
      throw syntaxError('empty filter: expected an expression', 0, 0, VALUE_EXPECTED);
    const root = this.orExpr();
    const extra = this.peek();
    if (extra !== undefined) {
      if (extra.kind === 'invalid') throw this.invalid(extra);
      throw syntaxError(`unexpected ${describe(extra)}`, extra.start, extra.end - extra.start, [
        'AND',
        'OR',
        'end of filter',
      ]);
    }
    return root;
  }

  protected orExpr(): ExpressionNode {
    let left = this.andExpr();
    while (this.isKeyword('OR')) {
      const op = this.tokens[this.i++] as Token;
      const right = this.andExpr(op);
      left = { type: 'logical', operator: 'OR', left, right, start: left.start, end: right.end };
    }
    return left;
  }

  private andExpr(after?: Token): ExpressionNode {
    let left = this.notExpr(after);
    while (this.isKeyword('AND')) {
      const op = this.tokens[this.i++] as Token;
      const right = this.notExpr(op);
      left = { type: 'logical', operator: 'AND', left, right, start: left.start, end: right.end };
    }
    return left;
  }

  private notExpr(after?: Token): ExpressionNode {
    if (this.isKeyword('NOT')) {
      const op = this.tokens[this.i++] as Token;
      this.enter(op);
      const operand = this.notExpr(op);
      this.nesting--;
      return { type: 'not', operand, start: op.start, end: operand.end };
    }
    return this.predicate(after);
  }

  private predicate(after?: Token): ExpressionNode {
    const value = this.sum(after);
    const node = this.predicateTail(value);
    const next = this.peek();
    if (node !== value && next !== undefined && this.startsPredicateTail()) {
      throw syntaxError(
        `comparisons cannot be chained: unexpected ${describe(next)} (use AND, or parentheses)`,
        next.start,
        next.end - next.start,
        ['AND', 'OR', ')', 'end of filter'],
      );
    }
    return node;
  }

  private startsPredicateTail(): boolean {
    const t = this.peek();
    if (t === undefined) return false;
    if (t.kind === 'operator' && COMPARISONS[t.text] !== undefined) return true;
    if (t.kind !== 'keyword') return false;
    const n = t.name ?? '';
    if (['BETWEEN', 'IN', 'LIKE', 'BEGINS', 'ENDS', 'IS'].includes(n)) return true;
    const next = this.peek(1);
    return (
      n === 'NOT' &&
      next?.kind === 'keyword' &&
      ['BETWEEN', 'IN', 'LIKE', 'BEGINS', 'ENDS'].includes(next.name ?? '')
    );
  }

  private predicateTail(value: ExpressionNode): ExpressionNode {
    const t = this.peek();
    if (t === undefined) return value;
    if (t.kind === 'operator') {
      const operator = COMPARISONS[t.text];
      if (operator === undefined) return value;
      this.i++;
      const right = this.sum(t);
      return { type: 'comparison', operator, left: value, right, start: value.start, end: right.end };
    }
    if (t.kind !== 'keyword') return value;
    if (t.name === 'IS') {
      this.i++;
      const negated = this.isKeyword('NOT');
      if (negated) this.i++;
      const what = this.peek();
      if (what?.kind === 'keyword' && (what.name === 'NULL' || what.name === 'NAN')) {
        this.i++;
        const test = what.name === 'NULL' ? 'null' : 'nan';
        return { type: 'is', test, negated, value, start: value.start, end: what.end };
      }
      throw this.missing('NULL or NAN', this.tokens[this.i - 1], ['NULL', 'NAN']);
    }
    let negated = false;
    let keyword = t;
    if (t.name === 'NOT') {
      const next = this.peek(1);
      if (
        next?.kind !== 'keyword' ||
        !['BETWEEN', 'IN', 'LIKE', 'BEGINS', 'ENDS'].includes(next.name ?? '')
      ) {
        return value;
      }
      negated = true;
      this.i++;
      keyword = next;
    }
    switch (keyword.name) {
      case 'BETWEEN': {
        this.i++;
        const low = this.sum(keyword);
        if (!this.isKeyword('AND')) throw this.missing('AND', this.tokens[this.i - 1], ['AND']);
        const and = this.tokens[this.i++] as Token;
        const high = this.sum(and);
        return { type: 'between', negated, value, low, high, start: value.start, end: high.end };
      }
      case 'IN': {
        this.i++;
        const { list, end } = this.parenList(keyword);
        return { type: 'in', negated, value, list, start: value.start, end };
      }
      case 'LIKE': {
        this.i++;
        const p = this.peek();
        if (p?.kind !== 'string') throw this.missing('a quoted pattern', keyword, ["'pattern'"]);
        this.i++;
        const pattern: LiteralNode = {
          type: 'literal',
          value: p.value ?? '',
          body: p.body ?? '',
          raw: p.raw === true,
          start: p.start,
          end: p.end,
        };
        return { type: 'like', negated, value, pattern, start: value.start, end: p.end };
      }
      case 'BEGINS':
      case 'ENDS': {
        this.i++;
        if (!this.isKeyword('WITH')) throw this.missing('WITH', keyword, ['WITH']);
        const withToken = this.tokens[this.i++] as Token;
        const { list, end } = this.parenList(withToken);
        const which = keyword.name === 'BEGINS' ? 'begins' : 'ends';
        return { type: 'affix', which, negated, value, list, start: value.start, end };
      }
      default:
        return value;
    }
  }

  private parenList(after: Token): { list: ExpressionNode[]; end: number } {
    const open = this.expectText('(', after);
    const list = this.exprList(open);
    const close = this.expectText(')', this.tokens[this.i - 1], open, '"," or ")"');
    return { list, end: close.end };
  }
}

/**
 * Parses filter text into a {@link FilterExpression}.
 *
 * Choices where the spec is UNCONFIRMED: keywords and function names are case-insensitive;
 * `TRUE` / `FALSE` are accepted as Boolean literals; `NOT LIKE` is accepted (≡ `NOT (x LIKE p)`);
 * chained comparisons (`a < b < c`) are refused.
 * @throws FilterSyntaxError with the position of the problem.
 */
export function parseFilter(text: string): FilterExpression {
  const root = new Parser(text, tokenize(text)).parse();
  const deepest = deepestNode(root);
  if (deepest !== undefined) {
    throw syntaxError(
      `expression too deep (more than ${MAX_TREE_DEPTH} nested operators)`,
      deepest.start,
      deepest.end - deepest.start,
    );
  }
  return { text, root };
}
