import type { Envelope } from '../dto/errors.js';
import { ExplorerError } from './errors.js';
import type { ApiTransport } from './transport.js';

/**
 * The browser-host WebSocket protocol: JSON text frames. The client's first frame is `auth`
 * (unless the token was in the URL query); then `invoke` frames, answered by `result` frames
 * with the same id; the host pushes `event` frames. `refused` precedes a close by the host.
 */
export type ClientFrame =
  { type: 'auth'; token: string } | { type: 'invoke'; id: number; channel: string; payload?: unknown };

/** Frames the host sends. */
export type ServerFrame =
  | { type: 'ready' }
  | { type: 'result'; id: number; envelope: Envelope<unknown> }
  | { type: 'event'; channel: string; payload: unknown }
  | { type: 'refused'; message: string };

/** Timer functions, injected because common/ sees neither Node nor the DOM. */
export interface WireTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Options of {@link createWireClient}. */
export interface WireClientOptions {
  /** Sends one text frame on the socket. */
  send(text: string): void;
  /** Per-launch token; sent as the first frame. Omit when it was given in the URL query. */
  token?: string;
  /** Reject a request with code `timeout` after this long (needs `timers`). */
  requestTimeoutMs?: number;
  timers?: WireTimers;
}

/** The client end of the wire: an {@link ApiTransport} plus the hooks the socket calls. */
export interface WireClient {
  transport: ApiTransport;
  /** Resolves on `ready`, rejects on `refused` or close. */
  ready: Promise<void>;
  /** Call with every text frame received. */
  receive(text: string): void;
  /** Call when the socket closes: pending requests reject with code `disconnected`. */
  closed(reason: string): void;
}

interface Pending {
  resolve(envelope: Envelope<unknown>): void;
  reject(error: Error): void;
  timer?: unknown;
}

/** Builds the client end of the browser-host bridge over any text socket. */
export function createWireClient(options: WireClientOptions): WireClient {
  const pending = new Map<number, Pending>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let nextId = 1;
  let endedWith: string | undefined;
  let settleReady: { resolve(): void; reject(e: Error): void } | undefined;
  const ready = new Promise<void>((resolve, reject) => {
    settleReady = { resolve, reject };
  });
  ready.catch(() => undefined);

  const end = (message: string, code: string): void => {
    if (endedWith !== undefined) return;
    endedWith = message;
    const error = new ExplorerError({
      name: 'TransportError',
      message,
      code,
      retriable: code === 'disconnected',
    });
    settleReady?.reject(error);
    for (const [, p] of pending) {
      if (p.timer !== undefined) options.timers?.clearTimeout(p.timer);
      p.reject(error);
    }
    pending.clear();
  };

  const transport: ApiTransport = {
    invoke(channel, payload) {
      if (endedWith !== undefined) {
        return Promise.reject(
          new ExplorerError({
            name: 'TransportError',
            message: endedWith,
            code: 'disconnected',
            retriable: true,
          }),
        );
      }
      const id = nextId++;
      return new Promise<Envelope<unknown>>((resolve, reject) => {
        const entry: Pending = { resolve, reject };
        if (options.requestTimeoutMs !== undefined && options.timers !== undefined) {
          entry.timer = options.timers.setTimeout(() => {
            pending.delete(id);
            reject(
              new ExplorerError({
                name: 'TransportError',
                message: `${channel}: no reply within ${options.requestTimeoutMs} ms`,
                code: 'timeout',
                retriable: true,
              }),
            );
          }, options.requestTimeoutMs);
        }
        pending.set(id, entry);
        const frame: ClientFrame =
          payload === undefined ? { type: 'invoke', id, channel } : { type: 'invoke', id, channel, payload };
        options.send(JSON.stringify(frame));
      });
    },
    subscribe(channel, callback) {
      let set = listeners.get(channel);
      if (set === undefined) listeners.set(channel, (set = new Set()));
      const own = (payload: unknown): void => callback(payload);
      set.add(own);
      return () => {
        set.delete(own);
      };
    },
  };

  const receive = (text: string): void => {
    let frame: ServerFrame;
    try {
      frame = JSON.parse(text) as ServerFrame;
    } catch {
      return;
    }
    if (typeof frame !== 'object' || frame === null) return;
    switch (frame.type) {
      case 'ready':
        settleReady?.resolve();
        break;
      case 'refused':
        end(`host refused the connection: ${frame.message}`, 'refused');
        break;
      case 'result': {
        const p = pending.get(frame.id);
        if (p === undefined) return;
        pending.delete(frame.id);
        if (p.timer !== undefined) options.timers?.clearTimeout(p.timer);
        p.resolve(frame.envelope);
        break;
      }
      case 'event':
        for (const listener of listeners.get(frame.channel) ?? []) listener(frame.payload);
        break;
    }
  };

  if (options.token !== undefined) {
    const auth: ClientFrame = { type: 'auth', token: options.token };
    options.send(JSON.stringify(auth));
  }

  return {
    transport,
    ready,
    receive,
    closed: (reason) => end(`connection closed: ${reason}`, 'disconnected'),
  };
}
