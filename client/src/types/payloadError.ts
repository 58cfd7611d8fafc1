/**
 * The one error class of the payload codecs. Every codec in `types/` reports bad input
 * (truncated data, wrong lengths, invalid UTF-8, too-deep nesting, values it cannot
 * encode) with a {@link PayloadError}, never with a bare `Error` or `RangeError`.
 */

/** Names of the payload formats handled by the codecs of `types/`. */
export type PayloadFormat =
  'json' | 'fix' | 'nvfix' | 'xml' | 'msgpack' | 'bson' | 'bflat' | 'composite' | 'binary' | 'text';

/** Raised by a payload codec when bytes cannot be decoded or a value cannot be encoded. */
export class PayloadError extends Error {
  override readonly name = 'PayloadError';
  /** The format whose codec rejected the input. */
  readonly format: PayloadFormat;
  /** Byte offset in the payload where the problem was found, when known. */
  readonly position: number | undefined;
  /** The message without the format prefix and position suffix. */
  readonly reason: string;

  constructor(format: PayloadFormat, reason: string, position?: number) {
    super(`${format}: ${reason}${position === undefined ? '' : ` (at byte ${position})`}`);
    this.format = format;
    this.position = position;
    this.reason = reason;
  }
}

/** Deepest nesting of arrays/objects/maps the JSON, MessagePack and BSON decoders accept. */
export const MAX_NESTING_DEPTH = 512;
