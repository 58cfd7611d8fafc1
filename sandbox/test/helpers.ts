/** Test clients for the sandbox: raw frames over the memory transport or loopback TCP. */
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { FrameReader } from '../../client/src/protocol/frame.js';
import { decodeHeader } from '../../client/src/protocol/header.js';
import type { HeaderFields } from '../../client/src/protocol/fields.js';
import { createMemoryTransportPair } from '../../client/src/transport/memory.js';
import type { SandboxConfig } from '../src/config.js';
import { silentLogger } from '../src/logger.js';
import { createSandboxServer } from '../src/server.js';
import type { SandboxServer } from '../src/server.js';

/** One received message. */
export interface Received {
  raw: Buffer;
  text: string;
  fields: HeaderFields;
  payload: string;
}

/** A raw AMPS test client. */
export interface RawClient {
  readonly received: Received[];
  readonly closed: Promise<void>;
  isClosed(): boolean;
  /** Sends a header (object → compact JSON as given, string → verbatim) and optional payload. */
  send(header: string | Record<string, unknown>, payload?: string | Buffer): void;
  /** Resolves with the first message (at or after index `from`) matching, or rejects after the timeout. */
  waitFor(pred: (m: Received) => boolean, timeoutMs?: number, from?: number): Promise<Received>;
  /** Resolves once `n` messages have been received. */
  waitForCount(n: number, timeoutMs?: number): Promise<void>;
  /** Logs on and waits for the ack. */
  logon(name?: string, extra?: Record<string, unknown>): Promise<Received>;
  close(): void;
}

function decode(raw: Buffer): Received {
  const { fields, end } = decodeHeader(raw);
  return { raw, text: raw.toString('utf8'), fields, payload: raw.subarray(end).toString('utf8') };
}

class BaseClient implements RawClient {
  readonly received: Received[] = [];
  private waiters: (() => void)[] = [];
  private ended = false;
  private resolveClosed!: () => void;
  readonly closed = new Promise<void>((r) => (this.resolveClosed = r));
  private logonCount = 0;

  constructor(
    private readonly write: (frame: Buffer) => void,
    private readonly end: () => void,
  ) {}

  onFrame(raw: Buffer): void {
    this.received.push(decode(Buffer.from(raw)));
    for (const w of this.waiters.splice(0)) w();
  }

  onClose(): void {
    this.ended = true;
    this.resolveClosed();
    for (const w of this.waiters.splice(0)) w();
  }

  isClosed(): boolean {
    return this.ended;
  }

  send(header: string | Record<string, unknown>, payload?: string | Buffer): void {
    const h = Buffer.from(typeof header === 'string' ? header : JSON.stringify(header), 'utf8');
    const p =
      payload === undefined
        ? Buffer.alloc(0)
        : typeof payload === 'string'
          ? Buffer.from(payload, 'utf8')
          : payload;
    this.write(Buffer.concat([h, p]));
  }

  waitFor(pred: (m: Received) => boolean, timeoutMs = 3000, from = 0): Promise<Received> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`timed out; received:\n${this.received.map((m) => m.text).join('\n')}`));
      }, timeoutMs);
      const check = (): void => {
        const hit = this.received.slice(from).find(pred);
        if (hit) {
          clearTimeout(timer);
          resolve(hit);
        } else if (this.ended) {
          clearTimeout(timer);
          reject(new Error(`connection closed; received:\n${this.received.map((m) => m.text).join('\n')}`));
        } else this.waiters.push(check);
      };
      check();
    });
  }

  async waitForCount(n: number, timeoutMs = 3000): Promise<void> {
    await this.waitFor(() => this.received.length >= n, timeoutMs);
  }

  async logon(name?: string, extra: Record<string, unknown> = {}): Promise<Received> {
    const cid = `logon-${++this.logonCount}`;
    const header: Record<string, unknown> = {
      c: 'logon',
      cid,
      a: 'processed',
      version: '0.1.0:test',
      ...extra,
    };
    if (name !== undefined) header['client_name'] = name;
    this.send(header);
    return this.waitFor((m) => m.fields.command === 'ack' && m.fields.commandId === cid);
  }

  close(): void {
    this.end();
  }
}

/** A client attached to the server in-process over the memory transport. */
export function memoryClient(server: SandboxServer): RawClient {
  const [clientEnd, serverEnd] = createMemoryTransportPair();
  const client = new BaseClient(
    (frame) => clientEnd.send(frame),
    () => clientEnd.close(),
  );
  clientEnd.attach({ onFrame: (f) => client.onFrame(f), onClose: () => client.onClose() });
  server.attach(serverEnd);
  return client;
}

/** A client over loopback TCP. */
export async function tcpClient(port: number, host = '127.0.0.1'): Promise<RawClient & { socket: Socket }> {
  const socket = connect(port, host);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const client = new BaseClient(
    (frame) => {
      const prefix = Buffer.alloc(4);
      prefix.writeUInt32BE(frame.length, 0);
      socket.write(Buffer.concat([prefix, frame]));
    },
    () => socket.destroy(),
  );
  const reader = new FrameReader((f) => client.onFrame(f), 1 << 30);
  socket.on('data', (chunk) => reader.push(chunk));
  socket.on('close', () => client.onClose());
  socket.on('error', () => {});
  return Object.assign(client, { socket });
}

/** Starts a silent sandbox on port 0 (TCP only unless configured). */
export function startServer(config: SandboxConfig = {}): Promise<SandboxServer> {
  return createSandboxServer({ logger: silentLogger, port: 0, ...config });
}

/** Messages after index `from` that are not heartbeats. */
export function texts(c: RawClient, from = 0): string[] {
  return c.received.slice(from).map((m) => m.text);
}

/** Waits a little for messages that must NOT arrive (used sparingly). */
export function settle(ms = 50): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Matches the ack of command `cid` of one ack type (default `processed`). */
export function ackOf(cid: string, type = 'processed'): (m: Received) => boolean {
  return (m) => m.fields.command === 'ack' && m.fields.commandId === cid && m.fields.ackType === type;
}

/** The raw TCP clients one test opens, closed together after it. */
export class RawClientPool {
  private readonly open: RawClient[] = [];

  /** Connects to `port`, and logs on as `name` when one is given. */
  async connect(port: number, name?: string): Promise<RawClient & { socket: Socket }> {
    const c = await tcpClient(port);
    this.open.push(c);
    if (name !== undefined) await c.logon(name);
    return c;
  }

  /** Clients opened so far (including closed ones). */
  get size(): number {
    return this.open.length;
  }

  /** Closes every client opened since the last call. */
  closeAll(): void {
    for (const c of this.open.splice(0)) c.close();
  }
}

/** Waits for the server to close the connection, failing after `ms`. */
export async function closedWithin(c: RawClient, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`connection still open after ${ms} ms`)), ms);
  });
  try {
    await Promise.race([c.closed, late]);
  } finally {
    clearTimeout(timer);
  }
}
