/**
 * Recursive-descent parser for the AMPS filter grammar of spec §14.2. Precedence, high to
 * low: unary minus; `* / % MOD`; `+ -`; comparison / BETWEEN / IN / LIKE / BEGINS WITH /
 * ENDS WITH / IS (non-associative); NOT; AND; OR. Every error is a {@link FilterSyntaxError}
 * with the 0-based position of the offending token (or the end of the text).
 */
import type { ComparisonNode, ExpressionNode, FilterExpression, LiteralNode, ArithmeticNode } from './ast.js';
import { FUNCTIONS } from './catalog.js';
import type { FilterSyntaxError } from './syntaxError.js';
import { syntaxError } from './syntaxError.js';
import { deepestNode, MAX_NESTING, MAX_TREE_DEPTH } from './limits.js';
import { tokenize } from './tokenizer.js';
import type { Token } from './tokenizer.js';

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

const VALUE_EXPECTED = ['a value'];

class Parser {
  private i = 0;
  private nesting = 0;

  constructor(
    private readonly text: string,
    private readonly tokens: readonly Token[],
  ) {}

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

  private enter(t: Token): void {
    if (++this.nesting > MAX_NESTING) {
      throw syntaxError(
        `expression nested too deeply (more than ${MAX_NESTING} levels)`,
        t.start,
        t.end - t.start,
      );
    }
  }

  private peek(offset = 0): Token | undefined {
    return this.tokens[this.i + offset];
  }

  private isKeyword(name: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t !== undefined && t.kind === 'keyword' && t.name === name;
  }

  private isText(text: string): boolean {
    const t = this.peek();
    return t !== undefined && t.kind !== 'string' && t.text === text;
  }

  private invalid(t: Token): FilterSyntaxError {
    return syntaxError(t.problem ?? `unexpected ${describe(t)}`, t.start, t.end - t.start);
  }

  /** Error for a missing element, positioned at the next token or at the end of the text. */
  private missing(
    what: string,
    after: Token | undefined,
    expected: readonly string[],
    note = '',
  ): FilterSyntaxError {
    const t = this.peek();
    if (t?.kind === 'invalid') return this.invalid(t);
    const where = after === undefined ? '' : ` after "${after.text}"`;
    const found = t === undefined ? '' : `, found ${describe(t)}`;
    return syntaxError(
      `expected ${what}${where}${found}${note}`,
      t?.start ?? this.text.length,
      t === undefined ? 0 : t.end - t.start,
      expected,
    );
  }

  private expectText(text: string, after: Token | undefined, open?: Token, what = `"${text}"`): Token {
    const t = this.peek();
    if (t !== undefined && t.kind !== 'string' && t.text === text) {
      this.i++;
      return t;
    }
    const note = open === undefined ? '' : ` (to close the "(" at position ${open.start})`;
    throw this.missing(what, after, what === `"${text}"` ? [text] : [',', text], note);
  }

  private orExpr(): ExpressionNode {
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

  private exprList(open: Token): ExpressionNode[] {
    const list = [this.orExprAfter(open)];
    while (this.isText(',')) {
      const comma = this.tokens[this.i++] as Token;
      list.push(this.orExprAfter(comma));
    }
    return list;
  }

  private orExprAfter(after: Token): ExpressionNode {
    if (this.peek() === undefined || this.isText(')') || this.isText(',')) {
      throw this.missing('a value', after, VALUE_EXPECTED);
    }
    return this.orExpr();
  }

  private sum(after?: Token): ExpressionNode {
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

function describe(t: Token): string {
  return t.kind === 'string' ? `string ${t.text}` : `"${t.text}"`;
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
