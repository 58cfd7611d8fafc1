/**
 * The token cursor under the filter parser: position and lookahead over the tokens of one
 * filter text, the nesting guard, and the {@link FilterSyntaxError}s for unexpected, invalid
 * and missing tokens, positioned at the offending token or at the end of the text.
 */
import type { FilterSyntaxError } from './syntaxError.js';
import { syntaxError } from './syntaxError.js';
import { MAX_NESTING } from './limits.js';
import type { Token } from './tokenizer.js';

/** The `expected` list of an error where a value (operand) is missing. */
export const VALUE_EXPECTED = ['a value'];

/** How an error message names a token: `string` and its text for a string, else its text in double quotes. */
export function describe(t: Token): string {
  return t.kind === 'string' ? `string ${t.text}` : `"${t.text}"`;
}

/** Reads the tokens of one filter text in order; the grammar layers extend it. */
export class TokenCursor {
  /** Index of the next unread token. */
  protected i = 0;
  /** Current depth of parentheses, function calls, NOT and unary minus. */
  protected nesting = 0;

  /**
   * @param text the filter text (for the end-of-text position of errors).
   * @param tokens the tokens of `text`.
   */
  constructor(
    protected readonly text: string,
    protected readonly tokens: readonly Token[],
  ) {}

  /** Enters one nesting level at `t`; throws when that exceeds {@link MAX_NESTING}. */
  protected enter(t: Token): void {
    if (++this.nesting > MAX_NESTING) {
      throw syntaxError(
        `expression nested too deeply (more than ${MAX_NESTING} levels)`,
        t.start,
        t.end - t.start,
      );
    }
  }

  /** The token `offset` places after the next one, without consuming it. */
  protected peek(offset = 0): Token | undefined {
    return this.tokens[this.i + offset];
  }

  /** Whether the token `offset` places ahead is the keyword `name`. */
  protected isKeyword(name: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t !== undefined && t.kind === 'keyword' && t.name === name;
  }

  /** Whether the next token is the non-string token `text`. */
  protected isText(text: string): boolean {
    const t = this.peek();
    return t !== undefined && t.kind !== 'string' && t.text === text;
  }

  /** Error for a token the tokenizer refused (its problem) or one that does not fit here. */
  protected invalid(t: Token): FilterSyntaxError {
    return syntaxError(t.problem ?? `unexpected ${describe(t)}`, t.start, t.end - t.start);
  }

  /** Error for a missing element, positioned at the next token or at the end of the text. */
  protected missing(
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

  /**
   * Consumes the non-string token `text`, or throws that `what` is missing after `after`
   * (noting the unclosed `open` parenthesis when given).
   */
  protected expectText(text: string, after: Token | undefined, open?: Token, what = `"${text}"`): Token {
    const t = this.peek();
    if (t !== undefined && t.kind !== 'string' && t.text === text) {
      this.i++;
      return t;
    }
    const note = open === undefined ? '' : ` (to close the "(" at position ${open.start})`;
    throw this.missing(what, after, what === `"${text}"` ? [text] : [',', text], note);
  }
}
