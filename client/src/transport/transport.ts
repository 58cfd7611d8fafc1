/**
 * The transport seam: everything below it moves bytes, everything above it speaks AMPS.
 *
 * A transport carries whole AMPS messages, not a byte stream. Stream transports
 * (tcp, tcps, unix, preflighted tcp) wrap each message in the 4-byte length prefix
 * and re-frame inbound bytes; the WebSocket transport uses the official JavaScript
 * framing (protocol spec §1.10.1) and reassembles server messages into the same
 * frame layout, so the protocol layer above sees one shape whatever the wire.
 */

/** One inbound frame: header JSON bytes followed by payload bytes (for `sow` batches, the record sub-messages). */
export type InboundFrame = Buffer;

/** Callbacks a transport reports to. Exactly one `onClose` call ends a transport's life. */
export interface TransportHandlers {
  /** A complete inbound frame (header + payload). Zero-length frames are never reported. */
  onFrame(frame: InboundFrame): void;
  /** The connection ended; `error` is set when it ended abnormally (including protocol errors found while framing). */
  onClose(error?: Error): void;
  /** The outbound buffer drained after `send` returned false. */
  onDrain?(): void;
}

/** Kind of wire a transport speaks; decides e.g. whether `publish` may be shortened to `p`. */
export type TransportKind = 'stream' | 'websocket';

/** A connected transport. */
export interface Transport {
  readonly kind: TransportKind;
  /**
   * Sends one AMPS message.
   * @param header the encoded header JSON
   * @param payload optional payload bytes
   * @returns false when the outbound buffer is over its high-water mark (wait for `onDrain`)
   */
  send(header: Uint8Array, payload?: Uint8Array): boolean;
  /** Groups the following sends into as few writes as possible until `uncork`. */
  cork(): void;
  uncork(): void;
  /** Stops reading from the peer (back-pressure); `resume` starts again. */
  pause(): void;
  resume(): void;
  /** Closes the connection; `onClose` follows once. */
  close(error?: Error): void;
  /** Description of the peer, for logs and errors (never contains credentials). */
  readonly peer: string;
}

/** Options shared by every transport's connect function. */
export interface TransportConnectOptions {
  /** Largest inbound frame accepted, in bytes; bigger frames are a protocol error. */
  maxFrameBytes?: number;
  /** Milliseconds to wait for the connection to be established. */
  connectTimeoutMs?: number;
}

/** Default inbound frame limit for the client: 256 MiB (spec §1.2). */
export const DEFAULT_MAX_FRAME_BYTES = 256 * 1024 * 1024;
