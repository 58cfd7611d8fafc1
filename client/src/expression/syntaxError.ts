import { BadFilterError } from '../errors.js';

/** Where a {@link FilterSyntaxError} points and what would have been accepted there. */
export interface FilterSyntaxErrorLocation {
  /** 0-based character offset into the filter text. */
  position: number;
  /** Number of characters the problem spans (at least 1, except at the end of the text). */
  length: number;
  /** What the parser would have accepted at `position`, e.g. `['a value']`. */
  expected?: readonly string[];
}

/**
 * A content filter (or regular expression) that AMPS would refuse with `bad filter`.
 * The message names what is wrong and where, e.g. `expected a value after "=" at position 12`;
 * `position` / `length` let an editor underline the culprit.
 */
export class FilterSyntaxError extends BadFilterError {
  override name = 'FilterSyntaxError';
  /** 0-based character offset of the problem in the filter text. */
  readonly position: number;
  /** Length of the offending text (0 when the problem is the end of the text). */
  readonly length: number;
  /** What would have been accepted at `position`, when known. */
  readonly expected: readonly string[] | undefined;

  constructor(message: string, location: FilterSyntaxErrorLocation) {
    super(message, { code: 'bad filter' });
    this.position = location.position;
    this.length = location.length;
    this.expected = location.expected;
  }
}

/** Builds a {@link FilterSyntaxError} whose message ends with ` at position N`. */
export function syntaxError(
  what: string,
  position: number,
  length: number,
  expected?: readonly string[],
): FilterSyntaxError {
  return new FilterSyntaxError(`${what} at position ${position}`, {
    position,
    length,
    ...(expected === undefined ? {} : { expected }),
  });
}
