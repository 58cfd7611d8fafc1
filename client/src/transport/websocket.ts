/**
 * WebSocket transport (ws://, wss://) with the official JavaScript client framing
 * (spec §1.10.1), on the `ws` package:
 * - handshake to the URI path without its query, `Authorization: Basic` when the URI has
 *   credentials, no subprotocol;
 * - first message after open: text `text` (json) or `binary` (other message types);
 * - per command: a 4-byte little-endian count of the messages that follow, the header as a
 *   text message, then the payload (text for json, binary otherwise) if there is one;
 * - inbound units are reassembled into stream-transport frames by {@link WebSocketReassembler}.
 */
import WebSocket from 'ws';
import type { AmpsUri } from '../uri.js';
import type { TlsOptions } from './tls.js';
import type { Transport, TransportHandlers, TransportKind } from './transport.js';
import { WebSocketReassembler } from './wsFraming.js';

/** Above this many buffered outbound bytes `send` returns false. */
const HIGH_WATER_BYTES = 1024 * 1024;
/** How long `close` waits for the closing handshake before dropping the connection. */
const CLOSE_GRACE_MS = 2000;

/** The handshake URL: scheme, host, port and path; never the query or credentials. */
export function webSocketUrl(uri: AmpsUri): string {
  const host = uri.hostFamily === 'ipv6' ? `[${uri.host}]` : uri.host;
  return `${uri.transport}://${host}:${uri.port}${uri.path}`;
}

/** Options of {@link openWebSocket}. */
export interface WebSocketConnectOptions {
  maxFrameBytes: number;
  connectTimeoutMs: number;
  tls?: TlsOptions;
}

/** Opens the WebSocket and sends the `text`/`binary` mode message; resolves once open. */
export function openWebSocket(uri: AmpsUri, options: WebSocketConnectOptions): Promise<WebSocket> {
  const headers: Record<string, string> = {};
  if (uri.user !== undefined) {
    const credentials = `${uri.user}:${uri.password ?? ''}`;
    headers.Authorization = `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}`;
  }
  const tls = options.tls ?? {};
  const socket = new WebSocket(webSocketUrl(uri), {
    headers,
    handshakeTimeout: options.connectTimeoutMs,
    maxPayload: options.maxFrameBytes,
    ...(uri.transport === 'wss' ? tls : {}),
    rejectUnauthorized: tls.rejectUnauthorized ?? uri.options.tlsVerify,
  });
  return new Promise<WebSocket>((resolve, reject) => {
    const onError = (e: Error): void => {
      socket.off('open', onOpen);
      socket.terminate();
      reject(e);
    };
    const onOpen = (): void => {
      socket.off('error', onError);
      socket.send(uri.messageType === 'json' ? 'text' : 'binary', { binary: false });
      resolve(socket);
    };
    socket.once('error', onError);
    socket.once('open', onOpen);
  });
}

/** A {@link Transport} over an open WebSocket speaking the official JavaScript framing. */
export class WebSocketTransport implements Transport {
  readonly kind: TransportKind = 'websocket';
  private readonly reassembler: WebSocketReassembler;
  private readonly textPayload: boolean;
  private closing = false;
  private closed = false;
  private error: Error | undefined;
  private waitingForDrain = false;

  constructor(
    private readonly socket: WebSocket,
    private readonly handlers: TransportHandlers,
    uri: AmpsUri,
    readonly peer: string,
    maxFrameBytes: number,
  ) {
    this.textPayload = uri.messageType === 'json';
    this.reassembler = new WebSocketReassembler((frame) => {
      if (!this.closing) this.handlers.onFrame(frame);
    }, maxFrameBytes);
    socket.on('message', (data: WebSocket.RawData, isBinary: boolean) => this.inbound(data, isBinary));
    socket.on('error', (e: Error) => {
      this.error ??= e;
    });
    socket.on('close', (code: number, reason: Buffer) => {
      if (!this.closing && code !== 1000 && code !== 1005) {
        this.error ??= new Error(
          `WebSocket closed by ${peer} with code ${code}${reason.length ? `: ${reason.toString()}` : ''}`,
        );
      }
      this.finish();
    });
  }

  send(header: Uint8Array, payload?: Uint8Array): boolean {
    if (this.closing || this.socket.readyState !== WebSocket.OPEN) return false;
    const hasPayload = payload !== undefined && payload.length > 0;
    const count = Buffer.allocUnsafe(4);
    count.writeUInt32LE(hasPayload ? 2 : 1, 0);
    this.socket.send(count, { binary: true });
    if (hasPayload) {
      this.socket.send(header, { binary: false });
      this.socket.send(payload, { binary: !this.textPayload }, () => this.checkDrain());
    } else {
      this.socket.send(header, { binary: false }, () => this.checkDrain());
    }
    return this.bufferedOk();
  }

  cork(): void {
    // The ws package writes each message as soon as it is queued; nothing to group here.
  }

  uncork(): void {}

  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }

  close(error?: Error): void {
    if (this.closing) return;
    this.closing = true;
    this.error ??= error;
    this.socket.close(1000);
    setTimeout(() => this.socket.terminate(), CLOSE_GRACE_MS).unref();
  }

  private bufferedOk(): boolean {
    const ok = this.socket.bufferedAmount < HIGH_WATER_BYTES;
    if (!ok) this.waitingForDrain = true;
    return ok;
  }

  private checkDrain(): void {
    if (this.waitingForDrain && this.socket.bufferedAmount < HIGH_WATER_BYTES / 2) {
      this.waitingForDrain = false;
      this.handlers.onDrain?.();
    }
  }

  private inbound(data: WebSocket.RawData, isBinary: boolean): void {
    if (this.closed || this.error) return;
    const buf = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
    try {
      this.reassembler.push(buf, isBinary);
    } catch (e) {
      this.error ??= e instanceof Error ? e : new Error(String(e));
      this.closing = true;
      this.socket.terminate();
    }
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    this.closing = true;
    this.handlers.onClose(this.error);
  }
}
