/**
 * The error a malformed AMPS connection string raises. It names the offending part and
 * where it sits in the text, so an editor can underline exactly that span.
 */

/**
 * Which part of a connection string is wrong: `transport`, `userinfo`, `host`, `port`,
 * `path`, `options` (the query as a whole), or `option:<name>` for one option.
 */
export type UriPart = 'transport' | 'userinfo' | 'host' | 'port' | 'path' | 'options' | `option:${string}`;

/** A problem found in a connection string, as data (what {@link InvalidUriError} carries). */
export interface UriProblem {
  /** The offending part. */
  part: UriPart;
  /** 0-based index of the first offending character in the string. */
  position: number;
  /** Number of offending characters (0 when something is missing at `position`). */
  length: number;
  /** Human-readable description naming the part and the position. */
  message: string;
}

/** Thrown by `parseUri` for a connection string that is not valid (the seed's InvalidUriException). */
export class InvalidUriError extends Error {
  override readonly name = 'InvalidUriError';
  /** The offending part. */
  readonly part: UriPart;
  /** 0-based index of the first offending character. */
  readonly position: number;
  /** Number of offending characters (0 when something is missing). */
  readonly length: number;

  constructor(part: UriPart, position: number, length: number, message: string) {
    super(message);
    this.part = part;
    this.position = position;
    this.length = length;
  }

  /** The problem as plain data. */
  toProblem(): UriProblem {
    return { part: this.part, position: this.position, length: this.length, message: this.message };
  }
}

/** Human label of a part for messages: `option:tcp_sndbuf` reads as `option tcp_sndbuf`. */
function label(part: UriPart): string {
  return part.startsWith('option:') ? `option ${part.slice('option:'.length)}` : part;
}

/**
 * Builds the error for the span `[position, position + length)` of `text`, e.g.
 * `invalid port "x9" at position 15: expected a number from 0 to 65535`.
 */
export function uriError(
  text: string,
  part: UriPart,
  position: number,
  length: number,
  reason: string,
): InvalidUriError {
  const what =
    length > 0
      ? `invalid ${label(part)} "${text.slice(position, position + length)}"`
      : `missing ${label(part)}`;
  return new InvalidUriError(part, position, length, `${what} at position ${position}: ${reason}`);
}
