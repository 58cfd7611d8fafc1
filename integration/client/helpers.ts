/**
 * Shared helpers of the client ↔ sandbox integration suite: the two transports every suite
 * runs over, connected clients that are always closed, bounded reads from streams, and
 * unique topic names so the tests of one file do not see each other's data.
 */
import { Client } from '../../client/src/client.js';
import type { Message } from '../../client/src/protocol/message.js';
import type { MessageStream } from '../../client/src/stream.js';
import type { SandboxFixture } from '../sandboxFixture.js';

/** The transports each suite runs over (`describe.each`). */
export const TRANSPORTS = [
  { transport: 'tcp', uriOf: (s: SandboxFixture): string => s.tcpUri },
  { transport: 'ws', uriOf: (s: SandboxFixture): string => s.wsUri },
] as const;

/** One transport of {@link TRANSPORTS}. */
export type TransportCase = (typeof TRANSPORTS)[number];

/** Bound of every single wait in this suite (ms). */
export const WAIT_MS = 3000;

let clientCounter = 0;

/** A unique client name with a readable prefix. */
export function uniqueName(prefix: string): string {
  clientCounter += 1;
  return `${prefix}-${process.pid}-${clientCounter}`;
}

/**
 * Tracks the clients a test opens so `closeAll` (in `afterEach`) disconnects every one of
 * them, whatever the test did.
 */
export class ClientPool {
  private readonly clients: Client[] = [];

  /** Connects and logs on a new client; `uri` may carry `user:password@`. */
  async open(uri: string, prefix = 'it', name?: string): Promise<Client> {
    const client = new Client(name ?? uniqueName(prefix), { commandTimeoutMs: WAIT_MS });
    this.clients.push(client);
    await client.connect(uri);
    await client.logon();
    return client;
  }

  /** A client that is connected but not logged on. */
  async connectOnly(uri: string, name: string): Promise<Client> {
    const client = new Client(name, { commandTimeoutMs: WAIT_MS });
    this.clients.push(client);
    await client.connect(uri);
    return client;
  }

  /** Disconnects every client opened through this pool. */
  async closeAll(): Promise<void> {
    const all = this.clients.splice(0);
    await Promise.all(all.map((c) => c.disconnect().catch(() => undefined)));
  }
}

/**
 * Reads exactly `count` messages whose command is one of `commands` (acks and group markers
 * are skipped unless named), failing when they do not arrive within `timeoutMs` in total.
 */
export async function take(
  stream: MessageStream,
  count: number,
  commands: readonly string[] = ['publish', 'oof', 'sow'],
  timeoutMs = WAIT_MS,
): Promise<Message[]> {
  const out: Message[] = [];
  const deadline = Date.now() + timeoutMs;
  while (out.length < count) {
    const left = deadline - Date.now();
    if (left <= 0) break;
    const m = await stream.read(left);
    if (m === undefined) break;
    if (commands.includes(m.command ?? '')) out.push(m);
  }
  if (out.length < count) {
    throw new Error(
      `expected ${count} messages (${commands.join('/')}) within ${timeoutMs} ms, got ${out.length}: ` +
        out.map((m) => m.text).join(' | '),
    );
  }
  return out;
}

/**
 * Reads whatever arrives during `ms` (for asserting that nothing more comes). Only messages
 * whose command is in `commands` are returned.
 */
export async function drain(
  stream: MessageStream,
  ms: number,
  commands: readonly string[] = ['publish', 'oof', 'sow'],
): Promise<Message[]> {
  const out: Message[] = [];
  const deadline = Date.now() + ms;
  for (;;) {
    const left = deadline - Date.now();
    if (left <= 0) return out;
    const m = await stream.read(left);
    if (m === undefined) {
      if (stream.isEnded) return out;
      continue;
    }
    if (commands.includes(m.command ?? '')) out.push(m);
  }
}

/** Reads a SOW query's stream to its end, bounded; returns every message in order. */
export async function readAll(stream: MessageStream, timeoutMs = WAIT_MS): Promise<Message[]> {
  const out: Message[] = [];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`stream did not end within ${timeoutMs} ms (${out.length} messages read)`);
    const m = await stream.read(left);
    if (m === undefined) {
      if (stream.isEnded) return out;
      continue;
    }
    out.push(m);
  }
}

/** The JSON payloads of `messages`. */
export function payloads<T = Record<string, unknown>>(messages: readonly Message[]): T[] {
  return messages.map((m) => m.json<T>());
}

/** Publishes each record as JSON, then waits until the server has processed them all. */
export async function publishAll(client: Client, topic: string, records: readonly object[]): Promise<void> {
  for (const r of records) client.publish(topic, JSON.stringify(r));
  await client.publishFlush(WAIT_MS);
}

/** Rejects with a clear message when `promise` does not settle within `ms`. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms`)), ms);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
