/**
 * The operand layer of the filter parser (spec §14.2): arithmetic (`* / % MOD`, then `+ -`),
 * unary minus, literals, identifiers, function calls with their arity checked against the
 * catalog, parenthesized expressions and comma-separated expression lists.
 */
import type { ArithmeticNode, ExpressionNode } from './ast.js';
import { FUNCTIONS } from './catalog.js';
import { syntaxError } from './syntaxError.js';
import type { Token } from './tokenizer.js';
import { TokenCursor, VALUE_EXPECTED } from './tokenCursor.js';

/** Parses operands; the subclass supplies the full expression grammar ({@link orExpr}). */
export abstract class OperandParser extends TokenCursor {
  /** Parses a full expression (lowest precedence: OR). */
  protected abstract orExpr(): ExpressionNode;

  /** Parses one or more comma-separated expressions after the opening parenthesis `open`. */
  protected exprList(open: Token): ExpressionNode[] {
    const list = [this.orExprAfter(open)];
    while (this.isText(',')) {
      const comma = this.tokens[this.i++] as Token;
      list.push(this.orExprAfter(comma));
    }
    return list;
  }

  /** Parses a full expression that must follow `after`; throws when none starts here. */
  protected orExprAfter(after: Token): ExpressionNode {
    if (this.peek() === undefined || this.isText(')') || this.isText(',')) {
      throw this.missing('a value', after, VALUE_EXPECTED);
    }
    return this.orExpr();
  }

  /** Parses `+` / `-` arithmetic. */
  protected sum(after?: Token): ExpressionNode {
    let left = this.product(after);
    for (;;) {
      const t = this.peek();
      if (t?.kind !== 'operator' || (t.text !== '+' && t.text !== '-')) return left;
      this.i++;
      const right = this.product(t);
      left = this.arith(t.text, left, right);
    }
  }

  private product(after?: Token): ExpressionNode {
    let left = this.unary(after);
    for (;;) {
      const t = this.peek();
      const isOp = t?.kind === 'operator' && (t.text === '*' || t.text === '/' || t.text === '%');
      if (t === undefined || !(isOp || (t.kind === 'keyword' && t.name === 'MOD'))) return left;
      this.i++;
      const right = this.unary(t);
      left = this.arith(t.kind === 'keyword' ? '%' : t.text, left, right);
    }
  }

  private arith(op: string, left: ExpressionNode, right: ExpressionNode): ArithmeticNode {
    const operator = op as ArithmeticNode['operator'];
    return { type: 'arithmetic', operator, left, right, start: left.start, end: right.end };
  }

  private unary(after?: Token): ExpressionNode {
    const t = this.peek();
    if (t?.kind === 'operator' && t.text === '-') {
      this.i++;
      this.enter(t);
      const operand = this.unary(t);
      this.nesting--;
      if (operand.type === 'literal' && typeof operand.value === 'number') {
        return { ...operand, value: -operand.value, start: t.start };
      }
      return { type: 'negate', operand, start: t.start, end: operand.end };
    }
    return this.primary(after);
  }

  private primary(after?: Token): ExpressionNode {
    const t = this.peek();
    if (t === undefined) throw this.missing('a value', after, VALUE_EXPECTED);
    switch (t.kind) {
      case 'invalid':
        throw this.invalid(t);
      case 'number':
        this.i++;
        return {
          type: 'literal',
          value: t.number ?? NaN,
          float: t.float === true,
          start: t.start,
          end: t.end,
        };
      case 'string':
        this.i++;
        return {
          type: 'literal',
          value: t.value ?? '',
          raw: t.raw === true,
          body: t.body ?? '',
          start: t.start,
          end: t.end,
        };
      case 'identifier':
        this.i++;
        return t.subscript === undefined
          ? { type: 'identifier', path: t.path ?? [], start: t.start, end: t.end }
          : { type: 'identifier', path: t.path ?? [], subscript: t.subscript, start: t.start, end: t.end };
      case 'function':
        return this.call(t);
      case 'keyword': {
        const literal = keywordLiteral(t.name ?? '');
        if (literal !== undefined) {
          this.i++;
          return { type: 'literal', value: literal, start: t.start, end: t.end };
        }
        break;
      }
      case 'punctuation':
        if (t.text === '(') {
          this.i++;
          this.enter(t);
          const inner = this.orExprAfter(t);
          this.expectText(')', this.tokens[this.i - 1], t);
          this.nesting--;
          return inner;
        }
        break;
      default:
        break;
    }
    throw this.missing('a value', after, VALUE_EXPECTED);
  }

  private call(nameToken: Token): ExpressionNode {
    const name = nameToken.name ?? nameToken.text.toUpperCase();
    const spec = FUNCTIONS.get(name);
    const nameLength = nameToken.end - nameToken.start;
    if (spec === undefined)
      throw syntaxError(`unknown function ${nameToken.text}`, nameToken.start, nameLength);
    if (spec.category === 'unsupported') {
      throw syntaxError(spec.reason ?? `${name} is not supported`, nameToken.start, nameLength);
    }
    this.i++;
    this.enter(nameToken);
    const open = this.expectText('(', nameToken);
    let args: ExpressionNode[] = [];
    if (!this.isText(')')) args = this.exprList(open);
    const close = this.expectText(')', this.tokens[this.i - 1], open, '"," or ")"');
    this.nesting--;
    if (args.length < spec.min || args.length > spec.max) {
      const want =
        spec.min === spec.max
          ? `${spec.min}`
          : spec.max === Infinity
            ? `at least ${spec.min}`
            : `${spec.min} to ${spec.max}`;
      throw syntaxError(
        `${name} takes ${want} argument${want === '1' ? '' : 's'}, got ${args.length}`,
        nameToken.start,
        close.end - nameToken.start,
      );
    }
    return { type: 'call', name, nameEnd: nameToken.end, args, start: nameToken.start, end: close.end };
  }
}

function keywordLiteral(name: string): number | boolean | null | undefined {
  switch (name) {
    case 'NULL':
      return null;
    case 'NAN':
      return NaN;
    case 'TRUE':
      return true;
    case 'FALSE':
      return false;
    default:
      return undefined;
  }
}
