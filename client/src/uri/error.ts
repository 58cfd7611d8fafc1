/**
 * Builds the error a malformed AMPS connection string raises. It names the offending part and
 * where it sits in the text, so an editor can underline exactly that span.
 */
import { InvalidUriError, type UriPart } from '../errors.js';

export { InvalidUriError, type UriPart, type UriProblem } from '../errors.js';

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
