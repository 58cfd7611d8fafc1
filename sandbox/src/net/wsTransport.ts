/**
 * Server side of a WebSocket connection (spec §1.10). The first message decides the framing:
 * a text `text`/`binary` → official JavaScript framing (§1.10.1: per command a 4-byte
 * little-endian message count, a header text message and payload messages; the server
 * sends header and payload as separate messages, sow batches split per record); a binary
 * message holding a whole length-prefixed frame → the Go variant (§1.10.2).
 */
import type WebSocket from 'ws';
import { decodeHeader } from '../../../client/src/protocol/header.js';
import { ProtocolError } from '../../../client/src/protocol/protocolError.js';
import { outputBarrier } from './outputBarrier.js';
import type { TransportHandlers, TransportKind } from '../../../client/src/transport/transport.js';
import type { SessionTransport } from '../session.js';
import { tooLarge } from './streamTransport.js';

type Mode = 'unknown' | 'js-text' | 'js-binary' | 'go';

const SOW_PREFIX = Buffer.from('{"c":"sow",');
const MAX_PARTS = 1024;

const toBuffer = (data: WebSocket.RawData): Buffer =>
  Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);

/** A WebSocket carrying AMPS messages. */
export class WsServerTransport implements SessionTransport {
  readonly kind: TransportKind = 'websocket';
  private handlers: TransportHandlers | undefined;
  private mode: Mode = 'unknown';
  private expected = 0;
  private parts: Buffer[] = [];
  private partBytes = 0;
  private ended = false;

  /**
   * @param frameLimit the largest command accepted now (smaller until the client has logged
   *   on); the parts of a command held beyond it end the connection
   */
  constructor(
    private readonly ws: WebSocket,
    readonly peer: string,
    private readonly maxFrameBytes: number,
    private readonly frameLimit: () => number = () => maxFrameBytes,
  ) {}

  /** The framing chosen by the client (for the admin endpoint and tests). */
  get framing(): Mode {
    return this.mode;
  }

  start(handlers: TransportHandlers): void {
    this.handlers = handlers;
    this.ws.on('message', (data, isBinary) => {
      try {
        this.receive(toBuffer(data), isBinary);
      } catch (e) {
        this.fail(e as Error);
      }
    });
    this.ws.on('close', () => this.finish());
    this.ws.on('error', (err) => this.finish(err));
  }

  private fail(error: Error): void {
    this.finish(error);
    this.ws.terminate();
  }

  private finish(error?: Error): void {
    if (this.ended) return;
    this.ended = true;
    this.parts = [];
    this.partBytes = 0;
    this.handlers?.onClose(error);
  }

  private receive(data: Buffer, isBinary: boolean): void {
    if (this.ended) return;
    if (this.mode === 'unknown') {
      const text = isBinary ? '' : data.toString('utf8');
      if (text === 'text' || text === 'binary') {
        this.mode = text === 'text' ? 'js-text' : 'js-binary';
        return;
      }
      if (isBinary && data.length >= 4 && data.readUInt32BE(0) === data.length - 4) {
        this.mode = 'go';
      } else {
        throw new ProtocolError(
          'first WebSocket message is neither "text"/"binary" nor a length-prefixed frame',
          'bad-websocket-framing',
        );
      }
    }
    if (this.mode === 'go') {
      if (!isBinary || data.length < 4 || data.readUInt32BE(0) !== data.length - 4) {
        throw new ProtocolError(
          'WebSocket message is not one length-prefixed AMPS frame',
          'bad-websocket-framing',
        );
      }
      if (data.length - 4 > this.frameLimit()) throw tooLarge(data.length - 4, this.frameLimit());
      if (data.length > 4) this.handlers?.onFrame(data.subarray(4));
      return;
    }
    if (this.expected === 0) {
      if (!isBinary || data.length !== 4) {
        throw new ProtocolError(
          'expected a 4-byte binary message count before each command',
          'bad-websocket-framing',
        );
      }
      const count = data.readUInt32LE(0);
      if (count < 1 || count > MAX_PARTS)
        throw new ProtocolError(
          `message count ${count} out of range 1..${MAX_PARTS}`,
          'bad-websocket-framing',
        );
      this.expected = count;
      this.parts = [];
      this.partBytes = 0;
      return;
    }
    this.parts.push(data);
    this.partBytes += data.length;
    const limit = Math.min(this.maxFrameBytes, this.frameLimit());
    if (this.partBytes > limit) {
      throw new ProtocolError(`command of over ${limit} bytes`, 'frame-too-large');
    }
    if (this.parts.length === this.expected) {
      const frame =
        this.parts.length === 1 ? (this.parts[0] as Buffer) : Buffer.concat(this.parts, this.partBytes);
      this.expected = 0;
      this.parts = [];
      this.partBytes = 0;
      this.handlers?.onFrame(frame);
    }
  }

  get outboundBytes(): number {
    return this.ws.bufferedAmount;
  }

  send(header: Uint8Array, payload?: Uint8Array): boolean {
    if (this.ended || this.ws.readyState !== this.ws.OPEN) return false;
    outputBarrier();
    if (this.mode === 'go') {
      const body = header.length + (payload ? payload.length : 0);
      const out = Buffer.allocUnsafe(4 + body);
      out.writeUInt32BE(body, 0);
      out.set(header, 4);
      if (payload) out.set(payload, 4 + header.length);
      this.ws.send(out, { binary: true });
      return true;
    }
    const binaryBody = this.mode === 'js-binary';
    this.ws.send(Buffer.from(header), { binary: false });
    if (!payload || payload.length === 0) return true;
    const head = Buffer.from(header.buffer, header.byteOffset, header.length);
    if (head.length >= SOW_PREFIX.length && head.subarray(0, SOW_PREFIX.length).equals(SOW_PREFIX)) {
      // A sow batch: each record as its header message then its data message (§1.10.1).
      const body = Buffer.from(payload.buffer, payload.byteOffset, payload.length);
      let i = 0;
      while (i < body.length) {
        const { fields, end } = decodeHeader(body, i);
        const len = Number(fields.length ?? '0');
        this.ws.send(body.subarray(i, end), { binary: false });
        this.ws.send(body.subarray(end, end + len), { binary: binaryBody });
        i = end + len;
      }
      return true;
    }
    this.ws.send(Buffer.from(payload), { binary: binaryBody });
    return true;
  }

  cork(): void {}
  uncork(): void {}

  pause(): void {
    this.ws.pause();
  }

  resume(): void {
    this.ws.resume();
  }

  close(): void {
    if (this.ws.readyState === this.ws.CLOSED) return;
    this.ended = true;
    this.ws.close(1000);
    setTimeout(() => this.ws.terminate(), 1000).unref();
  }
}
