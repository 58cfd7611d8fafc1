/**
 * Server side of a stream connection (TCP, TLS, unix, preflighted TCP): the 4-byte
 * big-endian length framing of spec §1.2 over a Node socket. A connection whose first byte
 * is not 0 is taken as `compression=zlib` (spec §1.8): one raw-DEFLATE stream per direction,
 * sync-flushed after each batch of writes.
 */
import type { Socket } from 'node:net';
import { constants as zlibConstants, createDeflateRaw, createInflateRaw } from 'node:zlib';
import type { DeflateRaw, InflateRaw } from 'node:zlib';
import { encodePrefix, FrameReader, PREFIX_BYTES } from '../../../client/src/protocol/frame.js';
import { ProtocolError } from '../../../client/src/protocol/protocolError.js';
import { outputBarrier } from './outputBarrier.js';
import type { TransportHandlers, TransportKind } from '../../../client/src/transport/transport.js';
import type { SessionTransport } from '../session.js';

/** Largest output slab that outbound frames are written into (bigger frames get their own). */
const SLAB_BYTES = 64 * 1024;
/** First slab of a connection. */
const FIRST_SLAB_BYTES = 4 * 1024;
/** Payloads bigger than this are written as they are instead of copied into the slab. */
const DIRECT_PAYLOAD_BYTES = 64 * 1024;
const EMPTY = Buffer.alloc(0);
/** `,"l":` + up to 16 digits + `}`. */
const LENGTH_FIELD_MAX_BYTES = 6 + 16;
const LENGTH_FIELD_OPEN = Buffer.from(',"l":', 'latin1');
const ZERO = 0x30;
const CLOSE_BRACE = 0x7d;

/** Writes `,"l":<n>}` at `p` (n a non-negative integer); returns the offset after it. */
function writeLengthField(out: Buffer, p: number, n: number): number {
  out.set(LENGTH_FIELD_OPEN, p);
  p += LENGTH_FIELD_OPEN.length;
  let digits = 1;
  for (let v = n; v >= 10; v = Math.floor(v / 10)) digits++;
  for (let i = digits - 1, v = n; i >= 0; i--, v = Math.floor(v / 10)) out[p + i] = ZERO + (v % 10);
  out[p + digits] = CLOSE_BRACE;
  return p + digits + 1;
}

/** The error that ends a connection whose frame is over its current limit. */
export function tooLarge(bytes: number, limit: number, partial = ''): ProtocolError {
  return new ProtocolError(
    `${partial}frame of ${bytes} bytes exceeds the limit of ${limit} bytes`,
    'frame-too-large',
  );
}

/** A framed socket. Call {@link StreamServerTransport.start} with handlers, then feed it bytes. */
export class StreamServerTransport implements SessionTransport {
  readonly kind: TransportKind = 'stream';
  readonly peer: string;
  private handlers: TransportHandlers | undefined;
  /** Dropped when the connection ends, so a partial frame's memory goes with it. */
  private reader: FrameReader | undefined;
  private ended = false;
  /** Output slab: frames from `outStart` to `outEnd` wait for the end of this turn. */
  private out: Buffer = EMPTY;
  private outStart = 0;
  private outEnd = 0;
  private flushScheduled = false;
  /** Undecided until the first byte arrives. */
  private compression: 'none' | 'zlib' | undefined;
  private inflater: InflateRaw | undefined;
  private deflater: DeflateRaw | undefined;

  /**
   * @param maxFrameBytes the largest frame ever accepted
   * @param frameLimit the largest frame accepted now (smaller until the client has logged on);
   *   a frame, or the bytes held for one, beyond it ends the connection
   */
  constructor(
    private readonly socket: Socket,
    maxFrameBytes: number,
    label: string,
    private readonly frameLimit: () => number = () => maxFrameBytes,
  ) {
    this.peer = `${label}:${socket.remoteAddress ?? 'local'}:${socket.remotePort ?? ''}`;
    this.reader = new FrameReader((frame) => {
      const limit = this.frameLimit();
      if (frame.length > limit) throw tooLarge(frame.length, limit);
      this.handlers?.onFrame(frame);
    }, maxFrameBytes);
  }

  /** Bytes held for a frame not yet complete (0 once the connection has ended). */
  get bufferedBytes(): number {
    return this.reader?.bufferedBytes ?? 0;
  }

  /** Attaches handlers and starts reading (`initial` = bytes already read, e.g. after a preflight). */
  start(handlers: TransportHandlers, initial?: Buffer): void {
    this.handlers = handlers;
    this.socket.on('data', (chunk: Buffer) => this.feed(chunk));
    this.socket.on('close', () => this.finish());
    this.socket.on('error', (err) => this.finish(err));
    this.socket.on('drain', () => this.handlers?.onDrain?.());
    if (initial && initial.length > 0) this.feed(initial);
  }

  /** Whether the peer compresses the stream (known after its first byte). */
  get compressed(): boolean {
    return this.compression === 'zlib';
  }

  private feed(chunk: Buffer): void {
    if (this.ended || chunk.length === 0) return;
    if (this.compression === undefined) {
      this.compression = chunk[0] === 0 ? 'none' : 'zlib';
      if (this.compression === 'zlib') this.startCompression();
    }
    if (this.inflater) {
      this.inflater.write(chunk);
      return;
    }
    this.frames(chunk);
  }

  private frames(chunk: Buffer): void {
    if (this.ended || this.reader === undefined) return;
    try {
      this.reader.push(chunk);
      const limit = this.frameLimit();
      if (this.reader.bufferedBytes > limit) throw tooLarge(this.reader.bufferedBytes, limit, 'partial ');
    } catch (e) {
      this.finish(e as Error);
      this.socket.destroy();
    }
  }

  private startCompression(): void {
    const inflater = createInflateRaw();
    inflater.on('data', (d: Buffer) => this.frames(d));
    inflater.on('error', (e) => {
      this.finish(new Error(`compressed stream is corrupt: ${e.message}`));
      this.socket.destroy();
    });
    const deflater = createDeflateRaw({ level: 6, memLevel: 8 });
    deflater.on('data', (d: Buffer) => {
      if (!this.socket.destroyed) this.socket.write(d);
    });
    deflater.on('error', () => this.socket.destroy());
    this.inflater = inflater;
    this.deflater = deflater;
  }

  private write(buf: Uint8Array): boolean {
    outputBarrier();
    if (this.deflater) {
      this.deflater.write(buf);
      return this.socket.writableLength + this.deflater.writableLength < 1 << 20;
    }
    return this.socket.write(buf);
  }

  private finish(error?: Error): void {
    if (this.ended) return;
    this.ended = true;
    this.reader = undefined;
    this.inflater?.destroy();
    this.out = EMPTY;
    this.outStart = this.outEnd = 0;
    this.handlers?.onClose(error);
  }

  get outboundBytes(): number {
    return (
      this.outEnd -
      this.outStart +
      this.socket.writableLength +
      (this.deflater ? this.deflater.writableLength : 0)
    );
  }

  /** Whether the caller may go on sending (false = over the high-water mark; `onDrain` follows). */
  private underHighWater(): boolean {
    const limit = this.deflater ? 1 << 20 : this.socket.writableHighWaterMark;
    return this.outboundBytes < limit;
  }

  /**
   * Room for `bytes` more at the end of the output slab. When the slab is full, what it holds
   * goes to the socket now and a fresh slab takes its place.
   */
  private reserve(bytes: number): Buffer {
    if (this.out.length - this.outEnd < bytes) {
      this.flushOut();
      // Slabs start small (a quiet connection holds little) and double up to SLAB_BYTES.
      const size = Math.min(SLAB_BYTES, Math.max(FIRST_SLAB_BYTES, this.out.length * 2));
      this.out = Buffer.allocUnsafe(Math.max(size, bytes));
      this.outStart = this.outEnd = 0;
    }
    this.scheduleFlush();
    return this.out;
  }

  send(header: Uint8Array, payload?: Uint8Array): boolean {
    if (this.ended || this.socket.destroyed) return false;
    const bodyLength = header.length + (payload ? payload.length : 0);
    if (payload && payload.length > DIRECT_PAYLOAD_BYTES) {
      // Big payloads are not copied: what the slab holds goes first, then the frame in parts.
      this.socket.cork();
      this.flushOut();
      this.write(encodePrefix(bodyLength));
      this.write(header);
      const more = this.write(payload);
      this.socket.uncork();
      return more;
    }
    const out = this.reserve(PREFIX_BYTES + bodyLength);
    let at = this.outEnd;
    out.writeUInt32BE(bodyLength, at);
    out.set(header, (at += PREFIX_BYTES));
    if (payload) out.set(payload, (at += header.length));
    this.outEnd += PREFIX_BYTES + bodyLength;
    return this.underHighWater();
  }

  /**
   * Like {@link send} with the header as a string, encoded straight into the output slab.
   * @returns the header's length in bytes, or -1 when the connection is gone
   */
  sendText(header: string, payload?: Uint8Array): number {
    if (this.ended) return -1;
    const payloadLength = payload ? payload.length : 0;
    if (payloadLength > DIRECT_PAYLOAD_BYTES) {
      const head = Buffer.from(header, 'utf8');
      this.send(head, payload);
      return head.length;
    }
    // UTF-8 needs at most 3 bytes per UTF-16 unit: reserve that, write, then fill in the prefix.
    const out = this.reserve(PREFIX_BYTES + header.length * 3 + payloadLength);
    const at = this.outEnd;
    const headerLength = out.write(header, at + PREFIX_BYTES, 'utf8');
    if (payload) out.set(payload, at + PREFIX_BYTES + headerLength);
    out.writeUInt32BE(headerLength + payloadLength, at);
    this.outEnd = at + PREFIX_BYTES + headerLength + payloadLength;
    return headerLength;
  }

  /** Writes a header in parts (`start`, `middle`, the `l` field) and the payload into the slab. */
  sendWithLength(start: Uint8Array, middle: string, payload: Uint8Array): number {
    if (this.ended) return -1;
    if (payload.length > DIRECT_PAYLOAD_BYTES) {
      const head = Buffer.concat([start, Buffer.from(`${middle},"l":${payload.length}}`, 'utf8')]);
      this.send(head, payload);
      return head.length;
    }
    const out = this.reserve(
      PREFIX_BYTES + start.length + middle.length * 3 + LENGTH_FIELD_MAX_BYTES + payload.length,
    );
    const at = this.outEnd;
    let p = at + PREFIX_BYTES;
    out.set(start, p);
    p += start.length;
    if (middle.length > 0) p += out.write(middle, p, 'utf8');
    p = writeLengthField(out, p, payload.length);
    const headerLength = p - at - PREFIX_BYTES;
    out.set(payload, p);
    p += payload.length;
    out.writeUInt32BE(p - at - PREFIX_BYTES, at);
    this.outEnd = p;
    return headerLength;
  }

  /** Hands what the slab holds to the socket (or the compressor) as one write. */
  private flushOut(): void {
    if (this.outEnd === this.outStart) return;
    const chunk = this.out.subarray(this.outStart, this.outEnd);
    this.outStart = this.outEnd;
    if (!this.socket.destroyed) this.write(chunk);
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    // Everything sent while one inbound chunk is processed leaves in one write (fewer syscalls).
    this.flushScheduled = true;
    process.nextTick(() => {
      this.flushScheduled = false;
      if (this.ended) return;
      this.flushOut();
      if (this.deflater && !this.socket.destroyed) this.deflater.flush(zlibConstants.Z_SYNC_FLUSH);
    });
  }

  cork(): void {
    this.socket.cork();
  }

  uncork(): void {
    this.socket.uncork();
  }

  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }

  close(): void {
    if (this.socket.destroyed) return;
    this.flushOut();
    this.ended = true;
    if (this.deflater) {
      // Flush what is compressed so far (e.g. a failure ack), then end.
      this.deflater.flush(zlibConstants.Z_SYNC_FLUSH, () => this.socket.end());
      setTimeout(() => this.socket.destroy(), 1000).unref();
      return;
    }
    // Let already queued bytes (e.g. a failure ack) go out, then make sure the socket dies.
    this.socket.end();
    setTimeout(() => this.socket.destroy(), 1000).unref();
  }
}
