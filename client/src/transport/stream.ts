/**
 * The transport over a connected byte stream (tcp, tcps, unix, with or without preflight
 * and compression): length-prefixed frames both ways (spec §1.2).
 *
 * Outbound frames are copied into a batch buffer that is written once per event-loop turn
 * (or when full, or at `uncork`), so a burst of small publishes costs few syscalls; big
 * payloads are written without copying.
 */
import type { Socket } from 'node:net';
import type { Writable } from 'node:stream';
import {
  constants as zlibConstants,
  createDeflateRaw,
  createInflateRaw,
  type DeflateRaw,
  type InflateRaw,
} from 'node:zlib';
import { FrameReader, PREFIX_BYTES, encodePrefix } from '../protocol/frame.js';
import type { Transport, TransportHandlers, TransportKind } from './transport.js';

/** Size of one outbound batch buffer. */
const BATCH_BYTES = 64 * 1024;
/** Frames at least this big skip the batch and are written as their own chunks. */
const DIRECT_BYTES = 16 * 1024;
/** How long `close` waits for the peer to finish the connection before destroying the socket. */
const CLOSE_GRACE_MS = 2000;

/** Buffer's own UTF-8 writer (what `write(text, offset, 'utf8')` calls after checking its arguments). */
interface Utf8Writing {
  utf8Write(text: string, offset: number): number;
}
const HAS_UTF8_WRITE = typeof (Buffer.prototype as Partial<Utf8Writing>).utf8Write === 'function';

/** Construction options of {@link StreamTransport}. */
export interface StreamTransportOptions {
  /** Description of the peer for logs and errors. */
  peer: string;
  /** Largest inbound frame (after decompression) in bytes. */
  maxFrameBytes: number;
  /** Raw-deflate both directions (spec §1.8). */
  compression?: boolean;
  /** Bytes already read from the socket that belong to the AMPS stream (after a preflight). */
  leftover?: Buffer;
  /**
   * `tcp_linger` in seconds (spec §2.3: SO_LINGER on with this timeout, off when 0): how long
   * {@link StreamTransport.close} lets queued bytes go out and the peer end its side before
   * destroying the socket; with 0 the socket is destroyed once its bytes are handed to the
   * kernel. Default 2 s.
   */
  lingerSeconds?: number;
}

/** A {@link Transport} over a connected Node socket (plain, TLS or Unix-domain). */
export class StreamTransport implements Transport {
  readonly kind: TransportKind = 'stream';
  readonly peer: string;
  private readonly reader: FrameReader;
  private readonly sink: Writable;
  private readonly deflate: DeflateRaw | undefined;
  private readonly inflate: InflateRaw | undefined;
  private batch: Buffer = Buffer.allocUnsafe(BATCH_BYTES);
  private used = 0;
  private corks = 0;
  private flushScheduled = false;
  private closing = false;
  private closed = false;
  private error: Error | undefined;
  private readonly lingerSeconds: number | undefined;

  constructor(
    private readonly socket: Socket,
    private readonly handlers: TransportHandlers,
    options: StreamTransportOptions,
  ) {
    this.peer = options.peer;
    this.lingerSeconds = options.lingerSeconds;
    this.reader = new FrameReader((frame) => {
      if (!this.closing) this.handlers.onFrame(frame);
    }, options.maxFrameBytes);
    if (options.compression) {
      this.deflate = createDeflateRaw({ level: 6, memLevel: 8 });
      this.inflate = createInflateRaw();
      this.deflate.pipe(socket);
      this.deflate.on('error', (e: Error) => this.fail(e));
      this.inflate.on('error', (e: Error) => this.fail(e));
      this.inflate.on('data', (chunk: Buffer) => this.consume(chunk));
      this.sink = this.deflate;
    } else {
      this.sink = socket;
    }
    this.sink.on('drain', () => this.handlers.onDrain?.());
    socket.on('data', (chunk: Buffer) => this.inbound(chunk));
    socket.on('error', (e: Error) => {
      this.error ??= e;
    });
    socket.on('close', () => this.finish());
    const leftover = options.leftover;
    if (leftover && leftover.length > 0) {
      // Let the caller receive the transport before the first frame is reported.
      setImmediate(() => this.inbound(leftover));
    }
    socket.resume();
  }

  send(header: Uint8Array, payload?: Uint8Array): boolean {
    if (this.closing) return false;
    const body = header.length + (payload ? payload.length : 0);
    const total = PREFIX_BYTES + body;
    if (total >= DIRECT_BYTES) {
      this.flush();
      this.sink.write(Buffer.concat([encodePrefix(body), header]));
      if (payload && payload.length > 0) this.sink.write(payload);
      this.afterWrite();
      return !this.sink.writableNeedDrain;
    }
    if (this.used + total > this.batch.length) this.flush();
    const batch = this.batch;
    let at = this.used;
    batch.writeUInt32BE(body, at);
    at += PREFIX_BYTES;
    batch.set(header, at);
    at += header.length;
    if (payload) {
      batch.set(payload, at);
      at += payload.length;
    }
    this.used = at;
    this.scheduleFlush();
    return !this.sink.writableNeedDrain;
  }

  /**
   * Sends one message whose payload is `text` as UTF-8, encoding it straight into the batch
   * buffer (no intermediate Buffer). Same result and return value as {@link send}.
   */
  sendText(header: Uint8Array, text: string): boolean {
    if (this.closing) return false;
    // UTF-8 needs at most 3 bytes per UTF-16 code unit.
    const most = PREFIX_BYTES + header.length + text.length * 3;
    if (most >= DIRECT_BYTES) return this.send(header, Buffer.from(text, 'utf8'));
    if (this.used + most > this.batch.length) this.flush();
    const batch = this.batch;
    const at = this.used;
    batch.set(header, at + PREFIX_BYTES);
    const offset = at + PREFIX_BYTES + header.length;
    const written = HAS_UTF8_WRITE
      ? (batch as unknown as Utf8Writing).utf8Write(text, offset)
      : batch.write(text, offset, 'utf8');
    batch.writeUInt32BE(header.length + written, at);
    this.used = at + PREFIX_BYTES + header.length + written;
    this.scheduleFlush();
    return !this.sink.writableNeedDrain;
  }

  /** Writes the batch at the end of this tick unless corked. */
  private scheduleFlush(): void {
    if (this.corks === 0 && !this.flushScheduled) {
      this.flushScheduled = true;
      process.nextTick(this.flushTick);
    }
  }

  private readonly flushTick = (): void => {
    this.flushScheduled = false;
    if (this.corks === 0) this.flush();
  };

  cork(): void {
    this.corks++;
  }

  uncork(): void {
    if (this.corks === 0) return;
    this.corks--;
    if (this.corks === 0) this.flush();
  }

  pause(): void {
    this.socket.pause();
    this.inflate?.pause();
  }

  resume(): void {
    this.socket.resume();
    this.inflate?.resume();
  }

  close(error?: Error): void {
    if (this.closing) return;
    this.closing = true;
    this.error ??= error;
    this.flush();
    if (this.deflate) this.deflate.end();
    else this.socket.end();
    if (this.lingerSeconds === 0) {
      // Linger off: the socket goes as soon as every byte is handed to the kernel, which
      // sends them on its own; the peer's end of the connection is not awaited.
      this.socket.once('finish', () => this.socket.destroy());
      return;
    }
    const graceMs = this.lingerSeconds === undefined ? CLOSE_GRACE_MS : this.lingerSeconds * 1000;
    setTimeout(() => this.socket.destroy(), graceMs).unref();
  }

  /** Writes out the batch buffer. */
  private flush(): void {
    if (this.used === 0 || this.closed) return;
    const chunk = this.batch.subarray(0, this.used);
    this.batch = Buffer.allocUnsafe(BATCH_BYTES);
    this.used = 0;
    this.sink.write(chunk);
    this.afterWrite();
  }

  /** With compression, every write is followed by a sync flush so the peer can decode it at once. */
  private afterWrite(): void {
    this.deflate?.flush(zlibConstants.Z_SYNC_FLUSH);
  }

  private inbound(chunk: Buffer): void {
    if (this.closed) return;
    if (this.inflate) this.inflate.write(chunk);
    else this.consume(chunk);
  }

  private consume(chunk: Buffer): void {
    if (this.closed || this.error) return;
    try {
      this.reader.push(chunk);
    } catch (e) {
      this.fail(e instanceof Error ? e : new Error(String(e)));
    }
  }

  /** Ends the connection because of `error` (a ProtocolError, a handler's exception, zlib). */
  private fail(error: Error): void {
    this.error ??= error;
    this.closing = true;
    this.socket.destroy();
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    this.closing = true;
    this.deflate?.destroy();
    this.inflate?.destroy();
    this.handlers.onClose(this.error);
  }
}
