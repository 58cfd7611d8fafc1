/**
 * `createSandboxServer`: the listeners (TCP with HTTP preflight, WebSocket, TLS, unix,
 * admin HTTP), the housekeeping tick (heartbeats §10.2, expiration, leases, persisted acks)
 * and in-process attachment of transports for tests.
 */
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import type { IncomingMessage } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Server as HttpServer } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import type { AddressInfo, Server as NetServer, Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import type { TransportHandlers } from '../../client/src/transport/transport.js';
import { adminHandler } from './admin.js';
import { Broker } from './broker.js';
import type { SandboxConfig } from './config.js';
import { DEFAULTS } from './config.js';
import { dispatchFrame } from './dispatch.js';
import type { FileJournal } from './journalFile.js';
import { openJournal } from './journalFollow.js';
import { isAllowedOrigin } from './net/originPolicy.js';
import { awaitPreflight } from './net/preflight.js';
import { StreamServerTransport } from './net/streamTransport.js';
import { WsServerTransport } from './net/wsTransport.js';
import { Session } from './session.js';
import type { SessionTransport } from './session.js';
import { serverHeader } from './wire.js';

/** Ports chosen by the listeners (useful when 0 was configured). */
export interface SandboxPorts {
  tcp?: number;
  ws?: number;
  /** WebSocket over TLS (`wss://`). */
  wss?: number;
  tls?: number;
  admin?: number;
  unix?: string;
}

/** A running sandbox. */
export interface SandboxServer {
  readonly ports: SandboxPorts;
  readonly host: string;
  readonly broker: Broker;
  /** Connects an in-process transport (e.g. one end of a memory transport pair). */
  attach(transport: SessionTransport & { attach(handlers: TransportHandlers): void }): Session;
  /** Stops the listeners, disconnects every client and closes the journal. */
  close(): Promise<void>;
}

/** A broker already holding the state and journal a server is to serve (a standby taking over). */
export interface PreparedState {
  broker: Broker;
  journal: FileJournal;
}

/**
 * Starts a sandbox; resolves once every configured listener is listening. With `prepared`, it
 * serves that broker and journal (a standby that took the journal over, standby.ts) instead of
 * opening `config.journalDir`.
 */
export async function createSandboxServer(
  config: SandboxConfig = {},
  prepared?: PreparedState,
): Promise<SandboxServer> {
  const broker = prepared?.broker ?? new Broker(config);
  const host = config.host ?? DEFAULTS.host;
  const maxFrameBytes = config.maxFrameBytes ?? DEFAULTS.maxFrameBytes;
  const preLogonMaxFrameBytes = Math.min(
    maxFrameBytes,
    config.preLogonMaxFrameBytes ?? DEFAULTS.preLogonMaxFrameBytes,
  );
  const logonTimeoutMs = config.logonTimeoutMs ?? DEFAULTS.logonTimeoutMs;
  /**
   * Whether a connection of this kind must send a logon command before anything else: not in
   * implicit-logon mode, and not on a WebSocket of a server without users (dispatch.ts logs
   * those on at their first command). Only those get the small frame limit and the deadline.
   */
  const logonRequired = (kind: string): boolean =>
    !(broker.implicitLogon && !broker.users) && !((kind === 'ws' || kind === 'wss') && !broker.users);
  /** The frame limit of a connection now: small until it has logged on. */
  const frameLimitOf =
    (session: () => Session | undefined, kind: string): (() => number) =>
    () =>
      session()?.loggedOn === true || !logonRequired(kind) ? maxFrameBytes : preLogonMaxFrameBytes;
  let journal: FileJournal | undefined = prepared?.journal;
  if (prepared) broker.journal = prepared.journal;
  else if (config.journalDir) {
    journal = openJournal(config.journalDir, broker);
    broker.journal = journal;
  }
  const ports: SandboxPorts = {};
  const closers: (() => Promise<void>)[] = [];

  const startSession = (
    transport: SessionTransport,
    kind: string,
  ): { session: Session; handlers: TransportHandlers } => {
    const session = new Session(broker, transport, kind);
    broker.addSession(session);
    const handlers: TransportHandlers = {
      onFrame: (frame) => dispatchFrame(broker, session, frame),
      onClose: (error) => session.transportEnded(error),
    };
    return { session, handlers };
  };

  /**
   * Closes a network connection that has not logged on `logonTimeoutMs` after connecting (when
   * it must log on): a session that has not, or a socket still in its HTTP preflight.
   */
  const logonDeadline = (
    kind: string,
    session: () => Session | undefined,
    drop: () => void,
    onGone: (cleanup: () => void) => void,
  ): void => {
    if (logonTimeoutMs <= 0 || !logonRequired(kind)) return;
    const timer = setTimeout(() => {
      const s = session();
      if (s === undefined) drop();
      else if (!s.loggedOn && !s.closed)
        s.close(`no logon within ${logonTimeoutMs} ms of connecting`, 'warn');
    }, logonTimeoutMs);
    timer.unref();
    onGone(() => clearTimeout(timer));
  };

  const acceptStream = (socket: Socket, label: string, preflight: boolean): void => {
    socket.setNoDelay(true);
    socket.on('error', () => {});
    let session: Session | undefined;
    logonDeadline(
      label,
      () => session,
      () => socket.destroy(),
      (cleanup) => socket.once('close', cleanup),
    );
    const begin = (initial: Buffer): void => {
      const limit = frameLimitOf(() => session, label);
      const transport = new StreamServerTransport(socket, maxFrameBytes, label, limit);
      const started = startSession(transport, label);
      session = started.session;
      const handlers = started.handlers;
      transport.start(handlers, initial);
    };
    if (!preflight) {
      begin(Buffer.alloc(0));
      return;
    }
    awaitPreflight(socket, (err, rest, pre) => {
      if (err) {
        if (pre)
          broker.log('warn', `closing ${label} connection from ${socket.remoteAddress}: ${err.message}`);
        socket.destroy();
        return;
      }
      if (pre) broker.log('info', `HTTP preflight answered for ${socket.remoteAddress}:${socket.remotePort}`);
      begin(rest);
    });
  };

  const listen = (server: NetServer | HttpServer, port: number, where: string | undefined): Promise<void> =>
    new Promise((resolve, reject) => {
      server.once('error', reject);
      const done = (): void => {
        server.off('error', reject);
        resolve();
      };
      if (where === undefined) server.listen(port, host, done);
      else server.listen(where, done);
    });

  const closeServer = (server: NetServer | HttpServer): Promise<void> =>
    new Promise((resolve) => server.close(() => resolve()));

  const acceptWs = (ws: WebSocket, req: IncomingMessage, kind: 'ws' | 'wss'): void => {
    const peer = `${kind}:${req.socket.remoteAddress ?? ''}:${req.socket.remotePort ?? ''}${req.url ?? ''}`;
    const ref: { session?: Session } = {};
    const transport = new WsServerTransport(
      ws,
      peer,
      maxFrameBytes,
      frameLimitOf(() => ref.session, kind),
    );
    const { session, handlers } = startSession(transport, kind);
    ref.session = session;
    logonDeadline(
      kind,
      () => ref.session,
      () => ws.terminate(),
      (cleanup) => ws.once('close', cleanup),
    );
    const auth = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    if (auth) {
      const text = Buffer.from(auth[1] as string, 'base64').toString('utf8');
      const colon = text.indexOf(':');
      if (colon >= 0)
        session.httpCredentials = { user: text.slice(0, colon), password: text.slice(colon + 1) };
    }
    transport.start(handlers);
  };

  /** Serves WebSocket connections on an HTTP(S) server; resolves with the port once listening. */
  const listenWs = async (http: HttpServer, port: number, kind: 'ws' | 'wss'): Promise<number> => {
    http.on('request', (_req, res) => {
      res
        .writeHead(426, { 'content-type': 'text/plain' })
        .end(`WebSocket upgrade required (${kind}://host:port/amps/json)\n`);
    });
    const allowedOrigins = config.allowedOrigins ?? [];
    const wss = new WebSocketServer({
      server: http,
      maxPayload: maxFrameBytes,
      // Browsers send Origin; a page from anywhere but loopback (or the app) may not connect.
      verifyClient: (info: { origin: string | undefined; req: IncomingMessage }, done) => {
        const origin = info.req.headers.origin;
        if (isAllowedOrigin(origin, allowedOrigins)) done(true);
        else {
          broker.log('warn', `refused a ${kind} connection from origin ${JSON.stringify(origin)}`);
          done(false, 403, 'Forbidden origin');
        }
      },
    });
    wss.on('error', (e) => broker.log('error', `WebSocket listener (${kind}): ${e.message}`));
    wss.on('connection', (ws, req) => acceptWs(ws, req, kind));
    await listen(http, port, undefined);
    closers.push(async () => {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await closeServer(http);
    });
    return (http.address() as AddressInfo).port;
  };

  try {
    if (config.port !== null) {
      const tcp = createNetServer((socket) => acceptStream(socket, 'tcp', true));
      await listen(tcp, config.port ?? 0, undefined);
      ports.tcp = (tcp.address() as AddressInfo).port;
      closers.push(() => closeServer(tcp));
    }
    if (config.tls) {
      const tlsServer = createTlsServer(
        { cert: readFileSync(config.tls.certFile), key: readFileSync(config.tls.keyFile) },
        (socket) => acceptStream(socket, 'tcps', true),
      );
      await listen(tlsServer, config.tls.port, undefined);
      ports.tls = (tlsServer.address() as AddressInfo).port;
      closers.push(() => closeServer(tlsServer));
    }
    if (config.unixPath) {
      const unix = createNetServer((socket) => acceptStream(socket, 'unix', false));
      await listen(unix, 0, config.unixPath);
      ports.unix = config.unixPath;
      closers.push(() => closeServer(unix));
    }
    if (config.wsPort !== undefined && config.wsPort !== null) {
      ports.ws = await listenWs(createHttpServer(), config.wsPort, 'ws');
    }
    if (config.wss) {
      const https = createHttpsServer({
        cert: readFileSync(config.wss.certFile),
        key: readFileSync(config.wss.keyFile),
      });
      ports.wss = await listenWs(https, config.wss.port, 'wss');
    }
    if (config.adminPort !== undefined && config.adminPort !== null) {
      const admin = createHttpServer(adminHandler(broker, () => ports.admin));
      await new Promise<void>((resolve, reject) => {
        admin.once('error', reject);
        admin.listen(config.adminPort ?? 0, '127.0.0.1', () => resolve());
      });
      ports.admin = (admin.address() as AddressInfo).port;
      closers.push(() => {
        admin.closeAllConnections();
        return closeServer(admin);
      });
    }
  } catch (e) {
    for (const c of closers) await c();
    journal?.close();
    throw e;
  }

  const tickMs = config.tickMs ?? DEFAULTS.tickMs;
  const heartbeat = serverHeader({ command: 'heartbeat' });
  const timer = setInterval(() => {
    try {
      housekeeping();
    } catch (e) {
      broker.log('error', `housekeeping failed: ${(e as Error).stack ?? String(e)}`);
    }
  }, tickMs);
  timer.unref();

  function housekeeping(): void {
    const now = Date.now();
    for (const s of [...broker.sessions]) {
      if (s.heartbeatMs > 0) {
        // Twice the interval counted from the first heartbeat the client left unanswered (spec
        // §10.1 step 4), or from when one was due: the JS 5.3.x clients answer only heartbeats
        // that arrive more than one interval after their previous beat, so their beats can be
        // two intervals apart.
        const since = s.heartbeatSentAt ?? s.lastInbound + s.heartbeatMs;
        if (now - since > 2 * s.heartbeatMs) {
          broker.log(
            'warn',
            `heartbeat: AMPS heartbeat manager is disconnecting an unresponsive client: ${s.label}`,
          );
          s.close('heartbeat (missed)', 'warn');
          continue;
        }
        // Checked once per tick: send when the connection would pass the interval before the
        // next check, so it is never silent much longer than the interval (spec §10.2 timing note).
        if (now - s.lastOutbound >= s.heartbeatMs - tickMs / 2) {
          s.send(heartbeat);
          s.heartbeatSentAt ??= now;
        }
      }
      for (const sub of s.subs.values()) {
        const bm = broker.txlog.lastBookmark;
        if (sub.persistedAcks && bm !== undefined && bm !== sub.lastPersistedBookmark) {
          sub.lastPersistedBookmark = bm;
          s.send(
            serverHeader({
              command: 'ack',
              ackType: 'persisted',
              status: 'success',
              subId: sub.subId,
              bookmark: bm,
            }),
          );
        }
      }
    }
    broker.sweep(now);
  }

  let closed = false;
  return {
    ports,
    host,
    broker,
    attach(transport) {
      const { session, handlers } = startSession(transport, 'memory');
      transport.attach(handlers);
      return session;
    },
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(timer);
      for (const s of [...broker.sessions]) s.close('server shutting down');
      for (const c of closers) await c();
      journal?.close();
    },
  };
}
