/**
 * One entry point for every transport of a connection string: tcp, tcps, unix (with optional
 * HTTP preflight and compression) and ws/wss. Everything up to a usable {@link Transport}
 * (DNS, connect, TLS handshake, preflight, WebSocket handshake) shares one timeout.
 */
import type { Socket } from 'node:net';
import { ConnectionRefusedError, InvalidTransportOptionsError } from '../errors.js';
import { describePeer, parseUri, type AmpsUri } from '../uri.js';
import { performPreflight } from './preflight.js';
import { StreamTransport } from './stream.js';
import { connectTcp } from './tcp.js';
import { resolveTlsOptions, startTls, type TlsOptions } from './tls.js';
import {
  DEFAULT_MAX_FRAME_BYTES,
  type Transport,
  type TransportConnectOptions,
  type TransportHandlers,
} from './transport.js';
import { connectUnix } from './unix.js';
import { WebSocketTransport, openWebSocket } from './websocket.js';

/** Default time allowed to establish a connection: 10 s. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

/** Minimal logger the transports report progress to (no console in the library). */
export interface TransportLogger {
  debug(message: string): void;
}

/** Options of {@link connectTransport}. */
export interface ConnectTransportOptions extends TransportConnectOptions {
  /** TLS settings for tcps/wss; override the URI's `tls_verify`, `ca`, `cert`, `key`. */
  tls?: TlsOptions;
  /** Extra header lines (`Name: value`) for the HTTP preflight request. */
  preflightHeaders?: string[];
  /** Receives progress messages. */
  logger?: TransportLogger;
}

/** A connection could not be established (refused, DNS failure, TLS verification, preflight, timeout). */
export class TransportConnectError extends ConnectionRefusedError {
  override name = 'TransportConnectError';
  /** The peer as `transport://host:port/path` (no credentials). */
  readonly peer: string;

  /**
   * @param code short code: the system error code (`ECONNREFUSED`, `ENOTFOUND`, ...), `ETIMEDOUT`, `TLS`, `PREFLIGHT`
   */
  constructor(message: string, peer: string, code: string, cause?: unknown) {
    super(message, { code, cause, retriable: true });
    this.peer = peer;
  }
}

/**
 * Connects the transport a connection string names.
 * @param uri parsed URI or connection string (a string that does not parse throws InvalidUriError)
 * @param handlers receive frames, drain and the single close of the transport
 * @throws TransportConnectError when the connection cannot be established
 */
export async function connectTransport(
  uri: AmpsUri | string,
  handlers: TransportHandlers,
  options: ConnectTransportOptions = {},
): Promise<Transport> {
  const parsed = typeof uri === 'string' ? parseUri(uri) : uri;
  const peer = describePeer(parsed);
  const timeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
  const sockets: Socket[] = [];
  // Stops work that is not a socket (reading TLS files) once the deadline passed.
  const deadline = new AbortController();
  let aborted = false;
  const track = (socket: Socket): void => {
    // A late error on a socket being abandoned must not become an uncaught exception.
    socket.on('error', () => {});
    if (aborted) socket.destroy();
    else sockets.push(socket);
  };

  const establish = async (): Promise<Transport> => {
    options.logger?.debug(`connecting to ${peer}`);
    if (parsed.transport === 'ws' || parsed.transport === 'wss') {
      const tls =
        parsed.transport === 'wss' ? await resolveTlsOptions(parsed, options.tls, deadline.signal) : undefined;
      const ws = await openWebSocket(parsed, {
        maxFrameBytes,
        connectTimeoutMs: timeoutMs,
        ...(tls ? { tls } : {}),
      });
      if (aborted) {
        ws.terminate();
        throw new Error('aborted');
      }
      return new WebSocketTransport(ws, handlers, parsed, peer, maxFrameBytes);
    }
    let socket: Socket;
    if (parsed.transport === 'unix') {
      socket = await connectUnix(parsed, track);
    } else {
      // TLS files are read before the server is contacted.
      const tls =
        parsed.transport === 'tcps' ? await resolveTlsOptions(parsed, options.tls, deadline.signal) : undefined;
      socket = await connectTcp(parsed, track);
      if (tls !== undefined) socket = await startTls(socket, parsed, tls, track);
    }
    let leftover: Buffer | undefined;
    if (parsed.options.httpPreflight) {
      const host = parsed.hostFamily === 'ipv6' ? `[${parsed.host}]` : parsed.host;
      leftover = await performPreflight(socket, {
        path: parsed.path,
        host: `${host}:${parsed.port}`,
        upgrade: parsed.transport === 'tcps' ? 'tcps' : 'tcp',
        headers: options.preflightHeaders ?? [],
      });
    }
    if (aborted) throw new Error('aborted');
    return new StreamTransport(socket, handlers, {
      peer,
      maxFrameBytes,
      compression: parsed.options.compression === 'zlib',
      ...(leftover ? { leftover } : {}),
      ...(parsed.options.tcpLinger !== undefined && parsed.transport !== 'unix'
        ? { lingerSeconds: parsed.options.tcpLinger }
        : {}),
    });
  };

  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      reject(
        new TransportConnectError(`connecting to ${peer} timed out after ${timeoutMs} ms`, peer, 'ETIMEDOUT'),
      );
    }, timeoutMs);
  });
  const attempt = establish();
  attempt.catch(() => {});
  try {
    return await Promise.race([attempt, timeout]);
  } catch (e) {
    aborted = true;
    deadline.abort();
    for (const s of sockets) s.destroy();
    // Unusable options (a TLS file) are thrown as they are: trying again would not help.
    throw e instanceof InvalidTransportOptionsError ? e : toConnectError(e, peer);
  } finally {
    clearTimeout(timer);
  }
}

/** Wraps whatever stopped the connection in a {@link TransportConnectError} with a clear message. */
function toConnectError(e: unknown, peer: string): TransportConnectError {
  if (e instanceof TransportConnectError) return e;
  const err = e instanceof Error ? e : new Error(String(e));
  const sysCode = (err as NodeJS.ErrnoException).code;
  let code = typeof sysCode === 'string' ? sysCode : 'ECONNECT';
  if (err.name === 'PreflightError') code = 'PREFLIGHT';
  else if (typeof sysCode === 'string' && /CERT|SELF_SIGNED|TLS|SSL|HOSTNAME|ERR_SSL/.test(sysCode))
    code = 'TLS';
  return new TransportConnectError(`cannot connect to ${peer}: ${err.message}`, peer, code, err);
}
