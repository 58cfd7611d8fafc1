import type { Envelope } from '../dto/errors.js';
import type { MessageDto, SubscriptionBatch } from '../dto/subscriptions.js';
import { ExplorerError } from './errors.js';
import type { ApiTransport } from './transport.js';

/**
 * The browser-host WebSocket protocol: JSON text frames. The client's first frame is `auth`
 * (unless the token was in the URL query); then `invoke` frames, answered by `result` frames
 * with the same id; the host pushes `event` frames, and subscription batches as `batch` frames
 * (a {@link PackedBatch}: one array per message). `refused` precedes a close by the host.
 */
export type ClientFrame =
  { type: 'auth'; token: string } | { type: 'invoke'; id: number; channel: string; payload?: unknown };

/** Frames the host sends. A `batch` is an `event` carrying a {@link PackedBatch}. */
export type ServerFrame =
  | { type: 'ready' }
  | { type: 'result'; id: number; envelope: Envelope<unknown> }
  | { type: 'event'; channel: string; payload: unknown }
  | { type: 'batch'; channel: string; payload: PackedBatch }
  | { type: 'refused'; message: string };

/** Headers a message carries only sometimes. */
export type PackedExtras = Pick<
  MessageDto,
  'sowKey' | 'bookmark' | 'timestamp' | 'correlationId' | 'decodedFrom' | 'decodeError'
>;

/**
 * One message as an array instead of an object, so its field names are not repeated in every
 * message of a fast stream: index, command, topic, data, size, truncated (1) or not (0),
 * receivedAt, and the optional headers when there are any.
 */
export type PackedMessage =
  | [number, string, string, string, number, 0 | 1, number]
  | [number, string, string, string, number, 0 | 1, number, PackedExtras];

/** A {@link SubscriptionBatch} as the browser host sends it (about a fifth fewer bytes). */
export interface PackedBatch {
  subscriptionId: string;
  received: number;
  delivered: number;
  dropped: number;
  /** Of `dropped`: left out by main's display budget (absent when none). */
  sampled?: number;
  messages: PackedMessage[];
}

/** Packs a batch for the wire; {@link unpackBatch} gives it back field for field. */
export function packBatch(batch: SubscriptionBatch): PackedBatch {
  const messages = new Array<PackedMessage>(batch.messages.length);
  for (let i = 0; i < messages.length; i++) {
    const m = batch.messages[i] as MessageDto;
    const head: PackedMessage = [
      m.index,
      m.command,
      m.topic,
      m.data,
      m.size,
      m.truncated ? 1 : 0,
      m.receivedAt,
    ];
    if (
      m.sowKey === undefined &&
      m.bookmark === undefined &&
      m.timestamp === undefined &&
      m.correlationId === undefined &&
      m.decodedFrom === undefined &&
      m.decodeError === undefined
    ) {
      messages[i] = head;
      continue;
    }
    const extras: PackedExtras = {};
    if (m.sowKey !== undefined) extras.sowKey = m.sowKey;
    if (m.bookmark !== undefined) extras.bookmark = m.bookmark;
    if (m.timestamp !== undefined) extras.timestamp = m.timestamp;
    if (m.correlationId !== undefined) extras.correlationId = m.correlationId;
    if (m.decodedFrom !== undefined) extras.decodedFrom = m.decodedFrom;
    if (m.decodeError !== undefined) extras.decodeError = m.decodeError;
    messages[i] = [...head, extras] as PackedMessage;
  }
  return {
    subscriptionId: batch.subscriptionId,
    received: batch.received,
    delivered: batch.delivered,
    dropped: batch.dropped,
    ...(batch.sampled ? { sampled: batch.sampled } : {}),
    messages,
  };
}

const isPacked = (value: unknown): value is PackedBatch =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as PackedBatch).subscriptionId === 'string' &&
  Array.isArray((value as PackedBatch).messages);

/**
 * Unpacks a batch frame's payload into the {@link SubscriptionBatch} the contract promises.
 * @throws TypeError naming the message that is not a packed message
 */
export function unpackBatch(packed: PackedBatch): SubscriptionBatch {
  const n = packed.messages.length;
  const messages = new Array<MessageDto>(n);
  for (let i = 0; i < n; i++) {
    const p = packed.messages[i];
    if (!Array.isArray(p) || p.length < 7 || typeof p[0] !== 'number' || typeof p[3] !== 'string') {
      throw new TypeError(`batch frame: messages[${i}] is not a packed message`);
    }
    const m: MessageDto = {
      index: p[0],
      command: p[1],
      topic: p[2],
      data: p[3],
      size: p[4],
      truncated: p[5] === 1,
      receivedAt: p[6],
    };
    const extras = p[7];
    if (extras !== undefined) {
      if (extras.sowKey !== undefined) m.sowKey = extras.sowKey;
      if (extras.bookmark !== undefined) m.bookmark = extras.bookmark;
      if (extras.timestamp !== undefined) m.timestamp = extras.timestamp;
      if (extras.correlationId !== undefined) m.correlationId = extras.correlationId;
      if (extras.decodedFrom !== undefined) m.decodedFrom = extras.decodedFrom;
      if (extras.decodeError !== undefined) m.decodeError = extras.decodeError;
    }
    messages[i] = m;
  }
  return {
    subscriptionId: packed.subscriptionId,
    received: packed.received,
    delivered: packed.delivered,
    dropped: packed.dropped,
    ...(typeof packed.sampled === 'number' ? { sampled: packed.sampled } : {}),
    messages,
  };
}

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
      case 'batch': {
        const set = listeners.get(frame.channel);
        if (set === undefined || set.size === 0 || !isPacked(frame.payload)) return;
        let batch: SubscriptionBatch;
        try {
          batch = unpackBatch(frame.payload);
        } catch {
          return; // A malformed frame is dropped like unparsable text.
        }
        for (const listener of set) listener(batch);
        break;
      }
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
