/** Shared pieces of the transport tests: loopback servers, a handler recorder, frame helpers. */
import { once } from 'node:events';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { FrameReader, encodeFrame } from '../../src/protocol/frame.js';
import type { TransportHandlers } from '../../src/transport/transport.js';

/** Records what a transport reports, with promises to wait for frames and the close. */
export class Recorder implements TransportHandlers {
  readonly frames: Buffer[] = [];
  closes: (Error | undefined)[] = [];
  drains = 0;
  private waiters: { count: number; resolve: () => void }[] = [];
  private closeWaiters: (() => void)[] = [];

  onFrame(frame: Buffer): void {
    this.frames.push(Buffer.from(frame));
    this.waiters = this.waiters.filter((w) => {
      if (this.frames.length >= w.count) w.resolve();
      return this.frames.length < w.count;
    });
  }

  onClose(error?: Error): void {
    this.closes.push(error);
    for (const w of this.closeWaiters) w();
    this.closeWaiters = [];
  }

  onDrain(): void {
    this.drains++;
  }

  /** Resolves once `count` frames arrived in total (rejects after `ms`). */
  waitFrames(count: number, ms = 5000): Promise<void> {
    if (this.frames.length >= count) return Promise.resolve();
    return withTimeout(
      new Promise<void>((resolve) => this.waiters.push({ count, resolve })),
      ms,
      `${count} frames`,
    );
  }

  /** Resolves with the close error once the transport closed. */
  async waitClose(ms = 5000): Promise<Error | undefined> {
    if (this.closes.length === 0) {
      await withTimeout(new Promise<void>((resolve) => this.closeWaiters.push(resolve)), ms, 'close');
    }
    return this.closes[0];
  }

  /** Frames as UTF-8 text. */
  texts(): string[] {
    return this.frames.map((f) => f.toString('utf8'));
  }
}

/** Rejects when `promise` does not settle within `ms`. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_r, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A loopback TCP server that keeps its accepted sockets, for tests. */
export interface TestServer {
  server: Server;
  port: number;
  sockets: Socket[];
  /** Resolves with the next (or an already) accepted socket. */
  accepted(index?: number): Promise<Socket>;
  close(): Promise<void>;
}

/** Starts a net server on `host`, port 0. */
export async function startServer(
  host = '127.0.0.1',
  onSocket?: (s: Socket) => void,
  options: { allowHalfOpen?: boolean } = {},
): Promise<TestServer> {
  const sockets: Socket[] = [];
  const waiters: (() => void)[] = [];
  const server = createServer({ allowHalfOpen: options.allowHalfOpen ?? false }, (s) => {
    sockets.push(s);
    s.on('error', () => {});
    onSocket?.(s);
    for (const w of waiters.splice(0)) w();
  });
  server.listen(0, host);
  await once(server, 'listening');
  return {
    server,
    port: (server.address() as AddressInfo).port,
    sockets,
    async accepted(index = 0) {
      while (sockets.length <= index) {
        await withTimeout(new Promise<void>((resolve) => waiters.push(resolve)), 5000, 'a connection');
      }
      return sockets[index] as Socket;
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Reads length-prefixed frames from a server-side socket. */
export function readFrames(socket: Socket): { frames: Buffer[]; wait(count: number): Promise<void> } {
  const frames: Buffer[] = [];
  let waiter: { count: number; resolve: () => void } | undefined;
  const reader = new FrameReader((f) => {
    frames.push(Buffer.from(f));
    if (waiter && frames.length >= waiter.count) waiter.resolve();
  }, 1 << 30);
  socket.on('data', (chunk: Buffer) => reader.push(chunk));
  return {
    frames,
    wait(count: number) {
      if (frames.length >= count) return Promise.resolve();
      return withTimeout(
        new Promise<void>((resolve) => (waiter = { count, resolve })),
        5000,
        `${count} server frames`,
      );
    },
  };
}

/** One frame with a text header and payload. */
export function frame(header: string, payload = ''): Buffer {
  return encodeFrame(Buffer.from(header), Buffer.from(payload));
}

/** A port on which nothing listens (bound once, then released). */
export async function closedPort(): Promise<number> {
  const s = await startServer();
  const port = s.port;
  await s.close();
  return port;
}
