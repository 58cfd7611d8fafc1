import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { EventHub } from '../main/ipc/eventHub.js';
import type { RequestWrapper } from '../main/ipc/registerHandlers.js';
import type { Logger } from '../main/platform/logger.js';
import { contentTypeOf, resolveStaticPath } from '../main/platform/staticFiles.js';
import { CONTENT_SECURITY_POLICY } from '../main/window.js';
import { createLaunchToken, tokenMatches } from './token.js';
import { bridgeSocket } from './wsBridge.js';

/** The WebSocket endpoint's path. */
export const WS_PATH = '/ws';

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
 * URL query or the first frame (else the socket is closed).
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

  const wss = new WebSocketServer({ noServer: true, maxPayload: 32 * 1024 * 1024 });
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
    wss.handleUpgrade(req, socket, head, (ws) => {
      bridgeSocket(ws, {
        token,
        hub: options.hub,
        wrapper: options.wrapper,
        logger,
        // Non-browser clients send no Origin; they are still bound by the token.
        senderUrl: origin ?? `http://127.0.0.1:${port}`,
        clientId: `web:${nextClient++}`,
        preAuthenticated: queryToken !== null,
        authTimeoutMs: options.authTimeoutMs ?? 5000,
        maxBufferedBytes: options.maxBufferedBytes ?? 64 * 1024 * 1024,
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
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
