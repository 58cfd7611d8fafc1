/**
 * Server side of a stream connection (TCP, TLS, unix, preflighted TCP): the 4-byte
 * big-endian length framing of spec §1.2 over a Node socket. A connection whose first byte
 * is not 0 is taken as `compression=zlib` (spec §1.8): one raw-DEFLATE stream per direction,
 * sync-flushed after each batch of writes.
 */
import type { Socket } from 'node:net';
import { constants as zlibConstants, createDeflateRaw, createInflateRaw } from 'node:zlib';
import type { DeflateRaw, InflateRaw } from 'node:zlib';
import { encodePrefix, FrameReader } from '../../../client/src/protocol/frame.js';
import type { TransportHandlers, TransportKind } from '../../../client/src/transport/transport.js';
import type { SessionTransport } from '../session.js';

/** A framed socket. Call {@link StreamServerTransport.start} with handlers, then feed it bytes. */
export class StreamServerTransport implements SessionTransport {
  readonly kind: TransportKind = 'stream';
  readonly peer: string;
  private handlers: TransportHandlers | undefined;
  private readonly reader: FrameReader;
  private ended = false;
  private batching = false;
  /** Undecided until the first byte arrives. */
  private compression: 'none' | 'zlib' | undefined;
  private inflater: InflateRaw | undefined;
  private deflater: DeflateRaw | undefined;

  constructor(
    private readonly socket: Socket,
    maxFrameBytes: number,
    label: string,
  ) {
    this.peer = `${label}:${socket.remoteAddress ?? 'local'}:${socket.remotePort ?? ''}`;
    this.reader = new FrameReader((frame) => this.handlers?.onFrame(frame), maxFrameBytes);
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
    if (this.ended) return;
    try {
      this.reader.push(chunk);
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
    if (this.deflater) {
      this.deflater.write(buf);
      return this.socket.writableLength + this.deflater.writableLength < 1 << 20;
    }
    return this.socket.write(buf);
  }

  private finish(error?: Error): void {
    if (this.ended) return;
    this.ended = true;
    this.handlers?.onClose(error);
  }

  get outboundBytes(): number {
    return this.socket.writableLength + (this.deflater ? this.deflater.writableLength : 0);
  }

  send(header: Uint8Array, payload?: Uint8Array): boolean {
    if (this.ended || this.socket.destroyed) return false;
    this.batch();
    const bodyLength = header.length + (payload ? payload.length : 0);
    if (payload && payload.length > 64 * 1024) {
      this.write(encodePrefix(bodyLength));
      this.write(header);
      return this.write(payload);
    }
    const out = Buffer.allocUnsafe(4 + bodyLength);
    out.writeUInt32BE(bodyLength, 0);
    out.set(header, 4);
    if (payload) out.set(payload, 4 + header.length);
    return this.write(out);
  }

  /** Like {@link send} with the header as a string, encoded straight into the frame buffer. */
  sendText(header: string, payload?: Uint8Array): boolean {
    if (this.ended || this.socket.destroyed) return false;
    const headerLength = Buffer.byteLength(header, 'utf8');
    if (payload && payload.length > 64 * 1024) return this.send(Buffer.from(header, 'utf8'), payload);
    this.batch();
    const bodyLength = headerLength + (payload ? payload.length : 0);
    const out = Buffer.allocUnsafe(4 + bodyLength);
    out.writeUInt32BE(bodyLength, 0);
    out.write(header, 4, 'utf8');
    if (payload) out.set(payload, 4 + headerLength);
    return this.write(out);
  }

  private batch(): void {
    if (this.batching) return;
    // Everything sent while one inbound chunk is processed leaves in one write (fewer syscalls).
    this.batching = true;
    this.socket.cork();
    process.nextTick(() => {
      this.batching = false;
      if (this.deflater && !this.socket.destroyed) {
        this.deflater.flush(zlibConstants.Z_SYNC_FLUSH, () => this.socket.uncork());
      } else {
        this.socket.uncork();
      }
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
