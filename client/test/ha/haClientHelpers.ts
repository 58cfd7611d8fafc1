/**
 * Shared set-up of the HAClient tests: a scripted AMPS server on loopback TCP (port 0) with
 * a small transaction log for bookmark replay (spec §8.7) and publish sequence tracking
 * (spec §12.6), free ports nobody listens on, and bounded waiting helpers. (client/ tests may
 * not import sandbox/ by the layer rules, so the server is scripted here.)
 */
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { FixedDelayStrategy } from '../../src/ha/delayStrategy.js';
import { HAClient, type HAClientOptions } from '../../src/ha/haClient.js';
import { DefaultServerChooser } from '../../src/ha/serverChooser.js';
import type { HeaderFields } from '../../src/protocol/fields.js';
import { encodeFrame, FrameReader } from '../../src/protocol/frame.js';
import { decodeHeader, encodeHeader } from '../../src/protocol/header.js';

/** What the running test opened (servers, HA clients), closed in reverse order by {@link closeOpened}. */
const opened: { close(): Promise<void> }[] = [];

/** Closes `x` after the running test (call {@link closeOpened} from `afterEach`). */
export function keepOpen<T extends { close(): Promise<void> }>(x: T): T {
  opened.push(x);
  return x;
}

/** Closes everything {@link keepOpen} was given, newest first. */
export async function closeOpened(): Promise<void> {
  for (const x of opened.splice(0).reverse()) await x.close();
}

/** A scripted server closed after the test. */
export async function scriptedServer(): Promise<ScriptedServer> {
  return keepOpen(await ScriptedServer.start());
}

/**
 * An HAClient over `uris` closed after the test: a fixed 10 ms reconnect delay for up to 5 s
 * and 2 s connect/logon timeouts unless `options` says otherwise.
 */
export function testHAClient(name: string, uris: string[], options: HAClientOptions = {}): HAClient {
  return keepOpen(
    new HAClient(name, {
      serverChooser: new DefaultServerChooser(uris),
      delayStrategy: new FixedDelayStrategy(10, 5000),
      timeoutMs: 2000,
      ...options,
    }),
  );
}

/** The `tcp://` URI of a loopback port. */
export function uriOf(port: number): string {
  return `tcp://127.0.0.1:${port}/amps/json`;
}

/** A loopback port with no listener (connections are refused). */
export async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Polls `check` every 10 ms until it is true; rejects after `timeoutMs`. */
export async function waitFor(what: string, check: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** One command the scripted server received. */
export interface Seen {
  fields: HeaderFields;
  payload: string;
  /** 1 for the first connection the server accepted, 2 for the next, ... */
  connection: number;
}

interface ServerSub {
  socket: Socket;
  subId: string;
  topic: string;
  bookmark: boolean;
}

/** Publisher id of the messages the server journals itself. */
export const JOURNAL_PUBLISHER = '777';

/**
 * A scripted AMPS server on loopback TCP: answers logon (with `s` = the highest publish
 * sequence it acknowledged) and `processed` acks, records every command, keeps a journal of
 * the messages it emits on a topic (bookmarks `777|n|`) and replays it to bookmark
 * subscriptions from the point after the given bookmark (earliest of a list; EPOCH = all;
 * NOW or unknown = live only), then delivers live. Publishes from clients are acknowledged
 * as persisted only when {@link ackPublishes} is set.
 */
export class ScriptedServer {
  readonly seen: Seen[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly subs: ServerSub[] = [];
  private readonly journal: { topic: string; bm: string; data: string }[] = [];
  private connections = 0;
  /** Highest publish sequence acknowledged as persisted. */
  persistedUpTo = 0n;
  /** Acknowledge each publish with `s` as persisted at once. */
  ackPublishes = false;
  /** When set, logons fail with this reason (and the connection is closed). */
  logonFailure: string | undefined;
  /** When it returns a reason, a subscribe is refused with it. */
  refuseSubscribe: ((fields: HeaderFields) => string | undefined) | undefined;

  private constructor(private readonly server: Server) {}

  /** Starts listening on a free loopback port. */
  static async start(): Promise<ScriptedServer> {
    const server = createServer();
    const scripted = new ScriptedServer(server);
    server.on('connection', (socket) => scripted.accept(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return scripted;
  }

  /** The listening port. */
  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** The connection string of this server. */
  get uri(): string {
    return uriOf(this.port);
  }

  /** Connections accepted so far. */
  get connectionCount(): number {
    return this.connections;
  }

  /** Connections open now. */
  get openConnections(): number {
    return this.sockets.size;
  }

  /** Commands named `command`, in arrival order. */
  commands(command: string): Seen[] {
    return this.seen.filter((s) => s.fields.command === command);
  }

  /** Journals one message on `topic` and delivers it to the live subscriptions; returns its bookmark. */
  emit(topic: string, data: string): string {
    const bm = `${JOURNAL_PUBLISHER}|${this.journal.length + 1}|`;
    this.journal.push({ topic, bm, data });
    for (const sub of this.subs) if (sub.topic === topic) this.deliver(sub, bm, data);
    return bm;
  }

  /** Sends a persisted ack (spec §8.5) with `bm` to every bookmark subscription. */
  persisted(bm: string): void {
    for (const sub of this.subs)
      if (sub.bookmark)
        this.send(sub.socket, {
          command: 'ack',
          ackType: 'persisted',
          status: 'success',
          subId: sub.subId,
          bookmark: bm,
        });
  }

  /** Sends one message to every open connection, whatever it subscribed to. */
  broadcast(fields: HeaderFields, payload?: string): void {
    for (const socket of this.sockets) this.send(socket, fields, payload);
  }

  /** Drops every open connection (as a crashed server would). */
  dropAll(): void {
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    this.subs.length = 0;
  }

  /** Stops listening and drops every connection. */
  async close(): Promise<void> {
    this.dropAll();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: Socket): void {
    const connection = ++this.connections;
    this.sockets.add(socket);
    socket.setNoDelay(true);
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.sockets.delete(socket);
      for (let i = this.subs.length - 1; i >= 0; i--)
        if (this.subs[i]?.socket === socket) this.subs.splice(i, 1);
    });
    const reader = new FrameReader((frame) => this.onFrame(socket, connection, frame), 1 << 20);
    socket.on('data', (chunk: Buffer) => {
      if (this.sockets.has(socket)) reader.push(chunk);
    });
  }

  private send(socket: Socket, fields: HeaderFields, payload?: string): void {
    if (!this.sockets.has(socket)) return;
    const header = Buffer.from(encodeHeader(fields, 'server'), 'utf8');
    socket.write(encodeFrame(header, payload === undefined ? undefined : Buffer.from(payload, 'utf8')));
  }

  private deliver(sub: ServerSub, bm: string, data: string): void {
    const fields: HeaderFields = { command: 'publish', topic: sub.topic, subIds: sub.subId };
    if (sub.bookmark) fields.bookmark = bm;
    this.send(sub.socket, fields, data);
  }

  private replayStart(bookmark: string): number {
    if (bookmark === '0') return 0;
    let start: number | undefined;
    for (const item of bookmark.split(',')) {
      const i = this.journal.findIndex((m) => m.bm === item);
      if (i >= 0 && (start === undefined || i + 1 < start)) start = i + 1;
    }
    return start ?? this.journal.length;
  }

  private onFrame(socket: Socket, connection: number, frame: Buffer): void {
    const { fields, end } = decodeHeader(frame, 0, frame.length);
    this.seen.push({ fields, payload: frame.subarray(end).toString('utf8'), connection });
    const acks = (fields.ackType ?? '').split(',');
    const base: HeaderFields = { command: 'ack', status: 'success' };
    if (fields.commandId !== undefined) base.commandId = fields.commandId;
    if (fields.subId !== undefined) base.subId = fields.subId;
    switch (fields.command) {
      case 'logon':
        if (this.logonFailure !== undefined) {
          this.send(socket, { ...base, ackType: 'processed', status: 'failure', reason: this.logonFailure });
          socket.end();
          return;
        }
        this.send(socket, {
          ...base,
          ackType: 'processed',
          clientName: fields.clientName ?? '',
          version: '5.3.5.1',
          sequence: this.persistedUpTo.toString(),
        });
        return;
      case 'publish':
      case 'delta_publish':
        if (fields.sequence !== undefined && this.ackPublishes) {
          const seq = BigInt(fields.sequence);
          if (seq > this.persistedUpTo) this.persistedUpTo = seq;
          this.send(socket, {
            command: 'ack',
            ackType: 'persisted',
            status: 'success',
            sequence: fields.sequence,
          });
        }
        return;
      case 'subscribe': {
        const sub: ServerSub = {
          socket,
          subId: fields.subId ?? fields.commandId ?? '',
          topic: fields.topic ?? '',
          bookmark: fields.bookmark !== undefined,
        };
        const refusal = this.refuseSubscribe?.(fields);
        if (refusal !== undefined) {
          this.send(socket, { ...base, ackType: 'processed', status: 'failure', reason: refusal });
          return;
        }
        if (acks.includes('processed')) this.send(socket, { ...base, ackType: 'processed' });
        if (fields.bookmark !== undefined) {
          for (const m of this.journal.slice(this.replayStart(fields.bookmark)))
            if (m.topic === sub.topic) this.deliver(sub, m.bm, m.data);
        }
        this.subs.push(sub);
        return;
      }
      case 'unsubscribe':
        for (let i = this.subs.length - 1; i >= 0; i--) {
          const sub = this.subs[i];
          if (sub?.socket === socket && (fields.subId === 'all' || sub.subId === fields.subId))
            this.subs.splice(i, 1);
        }
        return;
      default:
        if (acks.includes('processed')) this.send(socket, { ...base, ackType: 'processed' });
        if (acks.includes('stats'))
          this.send(socket, {
            ...base,
            ackType: 'stats',
            matches: '3',
            recordsDeleted: '3',
            topicMatches: '3',
          });
    }
  }
}
