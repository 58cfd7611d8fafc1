import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { EventHub } from '../main/ipc/eventHub.js';
import type { RequestWrapper } from '../main/ipc/registerHandlers.js';
import type { Logger } from '../main/platform/logger.js';
import { contentTypeOf, resolveStaticPath } from '../main/platform/staticFiles.js';
import { CONTENT_SECURITY_POLICY } from '../main/window.js';
import { createLaunchToken, tokenMatches } from './token.js';
import { bridgeSocket } from './wsBridge.js';

/** The WebSocket endpoint's path. */
export const WS_PATH = '/ws';

/**
 * Largest frame a socket may send before it has shown the token (enough for the `auth`
 * frame): a socket that has not authenticated cannot make the host hold big buffers.
 */
export const PRE_AUTH_MAX_PAYLOAD = 16 * 1024;
/** Largest frame of an authenticated socket (a publish payload is at most 4 MiB of text). */
export const MAX_PAYLOAD = 32 * 1024 * 1024;
/** Sockets waiting to show their token at one time; more are refused at the upgrade (503). */
export const MAX_PENDING_SOCKETS = 16;
/** A page session id (`?session=`), kept by the page across reloads. */
const SESSION_ID = /^[A-Za-z0-9_-]{8,64}$/;
/** Close code sent to a socket whose session was taken over by a newer page (a reload). */
export const CLOSE_REPLACED = 4409;

/** Options of {@link startHostServer}. */
export interface HostServerOptions {
  /** Backend parts the bridge uses. */
  hub: EventHub;
  wrapper: RequestWrapper;
  logger: Logger;
  /** 0 (default) = any free port. The host always binds 127.0.0.1. */
  port?: number;
  /** The built renderer; absent = the HTTP side only answers 404 with a hint. */
  rendererDir?: string;
  /** Defaults to a fresh per-launch token. */
  token?: string;
  authTimeoutMs?: number;
  maxBufferedBytes?: number;
}

/** A running browser host. */
export interface HostServer {
  port: number;
  /** `http://127.0.0.1:PORT` */
  origin: string;
  token: string;
  /** The URL to open: the token rides in the fragment, which browsers never send to servers. */
  url: string;
  close(): Promise<void>;
}

const SECURITY_HEADERS = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
} as const;

const plain = (res: ServerResponse, status: number, text: string): void => {
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(`${text}\n`);
};

const rejectUpgrade = (socket: Duplex, status: number, reason: string): void => {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
};

/**
 * The browser host: static renderer files and the contract over a WebSocket, on 127.0.0.1
 * only. Guards: the Host header must name this loopback port (DNS rebinding), a WebSocket
 * Origin must be this host's own (403 otherwise), and the per-launch token must come in the
 * URL query (checked before the upgrade, 401) or the first frame (else the socket is closed).
 * Until a socket has shown its token its frames are limited to {@link PRE_AUTH_MAX_PAYLOAD},
 * at most {@link MAX_PENDING_SOCKETS} such sockets exist at once, and each has a deadline.
 *
 * A page names its session (`?session=ID`, kept across reloads): the socket is then the
 * client `web:s-ID`, so a reloaded page finds its connections and subscriptions again; a
 * newer socket of the same session takes over from an older one.
 */
export async function startHostServer(options: HostServerOptions): Promise<HostServer> {
  const token = options.token ?? createLaunchToken();
  const { logger } = options;
  let port = 0;
  let nextClient = 1;
  const ownOrigins = (): string[] => [`http://127.0.0.1:${port}`, `http://localhost:${port}`];
  const hostAllowed = (req: IncomingMessage): boolean =>
    req.headers.host === `127.0.0.1:${port}` || req.headers.host === `localhost:${port}`;

  const server = createServer((req, res) => {
    void (async () => {
      if (!hostAllowed(req)) return plain(res, 403, 'forbidden host');
      if (req.method !== 'GET' && req.method !== 'HEAD') return plain(res, 405, 'method not allowed');
      if (options.rendererDir === undefined) {
        return plain(res, 404, 'the renderer is not built; build it and pass --renderer-dir');
      }
      const file = resolveStaticPath(options.rendererDir, req.url ?? '/');
      if (file === undefined) return plain(res, 403, 'forbidden path');
      let body: Buffer;
      try {
        body = await readFile(file);
      } catch {
        return plain(res, 404, 'not found');
      }
      res.writeHead(200, {
        ...SECURITY_HEADERS,
        'Content-Type': contentTypeOf(file),
        'Content-Length': body.byteLength,
        'Cache-Control': 'no-store',
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    })().catch((error: unknown) => {
      logger.error(`host: ${String(error)}`);
      if (!res.headersSent) plain(res, 500, 'internal error');
      else res.destroy();
    });
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_PAYLOAD });
  // Sockets that must still send their token: small frames only.
  const pendingWss = new WebSocketServer({ noServer: true, maxPayload: PRE_AUTH_MAX_PAYLOAD });
  const bySession = new Map<string, WebSocket>();
  /** Sockets that have not shown the token yet. */
  const unauthenticated = new Set<WebSocket>();
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (!hostAllowed(req)) return rejectUpgrade(socket, 403, 'Forbidden');
    if (url.pathname !== WS_PATH) return rejectUpgrade(socket, 404, 'Not Found');
    const origin = req.headers.origin;
    if (origin !== undefined && !ownOrigins().includes(origin)) {
      logger.warn(`host: refused a WebSocket from origin ${origin.slice(0, 100)}`);
      return rejectUpgrade(socket, 403, 'Forbidden');
    }
    const queryToken = url.searchParams.get('token');
    if (queryToken !== null && !tokenMatches(token, queryToken))
      return rejectUpgrade(socket, 401, 'Unauthorized');
    const session = url.searchParams.get('session');
    if (session !== null && !SESSION_ID.test(session)) return rejectUpgrade(socket, 400, 'Bad Request');
    const preAuthenticated = queryToken !== null;
    if (!preAuthenticated && unauthenticated.size >= MAX_PENDING_SOCKETS) {
      logger.warn('host: too many sockets waiting to authenticate; refused one');
      return rejectUpgrade(socket, 503, 'Service Unavailable');
    }
    const clientId = session === null ? `web:${nextClient++}` : `web:s-${session}`;
    (preAuthenticated ? wss : pendingWss).handleUpgrade(req, socket, head, (ws) => {
      if (!preAuthenticated) {
        unauthenticated.add(ws);
        ws.once('close', () => unauthenticated.delete(ws));
      }
      bridgeSocket(ws, {
        token,
        hub: options.hub,
        wrapper: options.wrapper,
        logger,
        // Non-browser clients send no Origin; they are still bound by the token.
        senderUrl: origin ?? `http://127.0.0.1:${port}`,
        clientId,
        preAuthenticated,
        authTimeoutMs: options.authTimeoutMs ?? 5000,
        maxBufferedBytes: options.maxBufferedBytes ?? 64 * 1024 * 1024,
        onAuthenticated: () => {
          unauthenticated.delete(ws);
          if (session === null) return;
          // A reload's new socket may arrive before the old one closed: the newer one wins.
          const older = bySession.get(clientId);
          if (older !== undefined && older !== ws)
            older.close(CLOSE_REPLACED, 'replaced by a newer page of this session');
          bySession.set(clientId, ws);
          ws.once('close', () => {
            if (bySession.get(clientId) === ws) bySession.delete(clientId);
          });
        },
      });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  return {
    port,
    origin,
    token,
    url: `${origin}/#token=${token}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of [...wss.clients, ...pendingWss.clients]) client.terminate();
        wss.close();
        pendingWss.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
