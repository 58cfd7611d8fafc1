/**
 * Raised by the framing and header layers when bytes from the peer break the protocol.
 * The connection that produced them must be closed; the client maps this to a
 * `ProtocolException` of the public error hierarchy.
 */
export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
  /** Machine-readable kind, e.g. `frame-too-large`, `bad-header`, `bad-sow-batch`. */
  readonly kind: string;
  /** Byte offset in the frame where the problem was found, when known. */
  readonly offset: number | undefined;

  constructor(message: string, kind: string, offset?: number) {
    super(offset === undefined ? message : `${message} (at byte ${offset})`);
    this.kind = kind;
    this.offset = offset;
  }
}
