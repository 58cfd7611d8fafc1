/** Shared set-up for client tests: a Client wired to a FakeServer over a memory transport pair. */
import { Client } from '../../src/client.js';
import type { ClientOptions } from '../../src/client/core.js';
import { Message } from '../../src/protocol/message.js';
import { FakeServer } from './fakeServer.js';

/** The URI tests connect with (never dialled: the memory transport stands in). */
export const TEST_URI = 'tcp://alice:secret@127.0.0.1:9007/amps/json';

/** A connected, logged-on client and its server. */
export async function loggedOn(
  options: ClientOptions = {},
  name = 'viewer-1',
): Promise<{ client: Client; server: FakeServer }> {
  const server = new FakeServer();
  const client = new Client(name, { transportFactory: server.factory, commandTimeoutMs: 1000, ...options });
  await client.connect(TEST_URI);
  await client.logon();
  return { client, server };
}

/** Waits for queued microtasks and one macrotask turn. */
export function settle(ms = 0): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A hand-driven clock implementing the client's Timers seam. */
export class ManualTimers {
  private time = 1_700_000_000_000;
  private seq = 0;
  private readonly tasks = new Map<number, { at: number; fn: () => void; every?: number }>();

  now = (): number => this.time;
  setTimeout = (fn: () => void, ms: number): unknown => this.add(fn, ms);
  setInterval = (fn: () => void, ms: number): unknown => this.add(fn, ms, ms);
  clearTimeout = (h: unknown): void => {
    this.tasks.delete(h as number);
  };
  clearInterval = (h: unknown): void => {
    this.tasks.delete(h as number);
  };

  /** Moves time forward, running every task that falls due, in time order. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      let next: [number, { at: number; fn: () => void; every?: number }] | undefined;
      for (const entry of this.tasks)
        if (entry[1].at <= end && (!next || entry[1].at < next[1].at)) next = entry;
      if (!next) break;
      const [id, task] = next;
      this.time = Math.max(this.time, task.at);
      if (task.every !== undefined) task.at += task.every;
      else this.tasks.delete(id);
      task.fn();
    }
    this.time = end;
  }

  private add(fn: () => void, ms: number, every?: number): number {
    const id = ++this.seq;
    this.tasks.set(id, { at: this.time + ms, fn, ...(every !== undefined ? { every } : {}) });
    return id;
  }
}

/** A message on topic `t` with SOW key `key` and payload `text` (for stream unit tests). */
export function keyedMessage(key: string, text: string, command = 'publish'): Message {
  return new Message({ command, topic: 't', sowKey: key }, Buffer.from(text));
}

/** Records the client end's pause/resume calls (a stream's push-back) from now on. */
export function watchPressure(server: FakeServer): string[] {
  const calls: string[] = [];
  const transport = server.client;
  const pause = transport.pause.bind(transport);
  const resume = transport.resume.bind(transport);
  transport.pause = () => {
    calls.push('pause');
    pause();
  };
  transport.resume = () => {
    calls.push('resume');
    resume();
  };
  return calls;
}
