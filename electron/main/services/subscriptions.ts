import type {
  MessageDto,
  SubscribeSpec,
  SubscriptionBatch,
  SubscriptionEndReason,
  SubscriptionEndedEvent,
  SubscriptionInfo,
  SubscriptionRef,
} from '../../../common/src/dto/subscriptions.js';
import type { SerializedError } from '../../../common/src/dto/errors.js';
import { ExplorerError, serializeError } from '../../../common/src/ipc/errors.js';
import { KEPT_PAYLOADS, PayloadStore } from './payloadStore.js';
import type { Logger } from '../platform/logger.js';
import type {
  AmpsConnectionLike,
  AmpsMessageLike,
  AmpsSubscribeParams,
  AmpsSubscriptionLike,
} from './ampsAdapter.js';
import { SubscriptionBatcher } from './subscriptionBuffer.js';
import type { MessageTap } from './messageFiles/subscriptionFiles.js';
import { isDecodedFromType } from './payloadDisplay.js';
import { messageDto } from './messageDto.js';
import type { DecodedFromType } from '../../../common/src/dto/subscriptions.js';

/** The part of the connection service subscriptions need. */
export interface ConnectionLookup {
  /** The connection's client, when `ownerId` owns it (throws otherwise). */
  client(connectionId: string, ownerId: string): AmpsConnectionLike;
  onClosed(listener: (connectionId: string) => void): () => void;
}

/** Options of {@link SubscriptionService}. */
export interface SubscriptionServiceOptions {
  connections: ConnectionLookup;
  deliverBatch(ownerId: string, batch: SubscriptionBatch): void;
  deliverEnded(ownerId: string, event: SubscriptionEndedEvent): void;
  logger: Logger;
  /** Batch period in ms (clamped 16..50). */
  intervalMs?: number;
  /** Ring capacity per subscription. */
  capacity?: number;
  maxBatch?: number;
  /** False once the owner went away; a subscription that completes after that is undone. */
  ownerAlive?: (ownerId: string) => boolean;
  /** Longest payload sent to the renderer, in bytes; the rest is cut and flagged. Default 64 KiB. */
  maxDataBytes?: number;
  now?: () => number;
  /** Told the topic of every message received (topic discovery's "seen" list). */
  onMessage?: (connectionId: string, topic: string) => void;
  /** Told every subscription's start, each message received (before any drop) and its end. */
  tap?: MessageTap;
  /** The message type of a connection's payloads (`json` when absent). */
  messageTypeOf?: (connectionId: string) => string;
}

interface Received {
  message: AmpsMessageLike;
  receivedAt: number;
  /** Set when the whole payload must be kept (it will be shown cut). */
  subscriptionId?: string;
  /** Set for binary documents, shown as the JSON of their decoded value. */
  decodeAs?: DecodedFromType;
}

interface Live {
  ownerId: string;
  connectionId: string;
  spec: SubscribeSpec;
  startedAt: number;
  handle: AmpsSubscriptionLike;
  messageType: string;
  /** Set once the end has been decided, so the pump's own ending is not reported twice. */
  ending: boolean;
}

/** Thrown from a drain handler to stop a pump whose subscription has already ended. */
class PumpStopped extends Error {}

const unknownSubscription = (subscriptionId: string): ExplorerError =>
  new ExplorerError({
    name: 'UnknownSubscriptionError',
    message: `subscription ${subscriptionId} does not exist`,
    code: 'unknown-subscription',
  });

/**
 * Live subscriptions: each pumps its client stream into a bounded ring (never blocking the
 * client), and the batcher delivers to the owning window every interval. Ends on unsubscribe,
 * when the owner goes away, when the connection closes, when the stream ends, and at shutdown.
 */
export class SubscriptionService {
  readonly #live = new Map<string, Live>();
  readonly #batcher: SubscriptionBatcher<Received>;
  readonly #options: SubscriptionServiceOptions;
  readonly #stopConnectionWatch: () => void;
  readonly #decoder = new TextDecoder('utf-8', { fatal: false });
  /** Whole payloads of messages shown cut, for the detail pane (bounded). */
  readonly #payloads = new PayloadStore();
  #maxBytes = 64 * 1024;
  #next = 1;

  constructor(options: SubscriptionServiceOptions) {
    this.#options = options;
    const maxBytes = options.maxDataBytes ?? 64 * 1024;
    this.#maxBytes = maxBytes;
    this.#batcher = new SubscriptionBatcher<Received>({
      ...(options.intervalMs === undefined ? {} : { intervalMs: options.intervalMs }),
      ...(options.capacity === undefined ? {} : { capacity: options.capacity }),
      ...(options.maxBatch === undefined ? {} : { maxBatch: options.maxBatch }),
      format: (item, index) => this.#format(item, index, maxBytes),
      deliver: options.deliverBatch,
    });
    this.#stopConnectionWatch = options.connections.onClosed((connectionId) => {
      for (const [id, live] of this.#live) {
        if (live.connectionId === connectionId) this.#end(id, 'connection-closed');
      }
    });
  }

  /** Places a subscription for `ownerId`; rejects with the server's error (bad filter, ...). */
  async subscribe(spec: SubscribeSpec, ownerId: string): Promise<SubscriptionRef> {
    const client = this.#options.connections.client(spec.connectionId, ownerId);
    const params: AmpsSubscribeParams = { topic: spec.topic, ...spec.options };
    if (spec.filter !== undefined && spec.filter !== '') params.filter = spec.filter;
    let handle: AmpsSubscriptionLike;
    switch (spec.mode) {
      case 'subscribe':
        handle = await client.subscribe(params);
        break;
      case 'delta_subscribe':
        handle = await client.deltaSubscribe(params);
        break;
      case 'sow_and_subscribe':
        handle = await client.sowAndSubscribe(params);
        break;
      case 'bookmark': {
        const bookmark = spec.options?.bookmark;
        if (bookmark === undefined) {
          throw new ExplorerError({
            name: 'InvalidBookmarkError',
            message: 'payload.options.bookmark: required for a bookmark subscription',
            code: 'invalid-payload',
          });
        }
        handle = await client.bookmarkSubscribe({ ...params, bookmark });
        break;
      }
    }
    const subscriptionId = `sub-${this.#next++}`;
    if (this.#options.ownerAlive?.(ownerId) === false) {
      // The window closed while the server was answering: nobody would receive or end it.
      await this.#stopHandle(subscriptionId, handle);
      throw new ExplorerError({
        name: 'ClientGoneError',
        message: `${ownerId} went away`,
        code: 'client-gone',
      });
    }
    this.#live.set(subscriptionId, {
      ownerId,
      connectionId: spec.connectionId,
      spec: structuredClone(spec),
      startedAt: (this.#options.now ?? Date.now)(),
      handle,
      messageType: this.#options.messageTypeOf?.(spec.connectionId) ?? 'json',
      ending: false,
    });
    this.#batcher.add(subscriptionId, ownerId);
    this.#options.tap?.started(subscriptionId, ownerId, spec);
    void this.#pump(subscriptionId, handle);
    return { subscriptionId };
  }

  /** Ends a subscription the caller owns. */
  async unsubscribe(subscriptionId: string, ownerId: string): Promise<void> {
    const live = this.#owned(subscriptionId, ownerId);
    this.#end(subscriptionId, 'unsubscribed');
    await this.#stopHandle(subscriptionId, live.handle);
  }

  /**
   * Pauses or resumes a bookmark replay on the server: a `subscribe` with the `pause` /
   * `resume` option and the subscription's sub id (spec §4.2, §8.5).
   */
  async controlReplay(subscriptionId: string, ownerId: string, action: 'pause' | 'resume'): Promise<void> {
    const live = this.#owned(subscriptionId, ownerId);
    if (live.spec.mode !== 'bookmark') {
      throw new ExplorerError({
        name: 'NotAReplayError',
        message: `subscription ${subscriptionId} is not a bookmark replay: only a replay can be paused on the server`,
        code: 'invalid-payload',
      });
    }
    const client = this.#options.connections.client(live.connectionId, ownerId);
    if (client.controlReplay === undefined) {
      throw new ExplorerError({
        name: 'UnsupportedError',
        message: 'this connection cannot pause a replay on the server',
        code: 'unsupported',
      });
    }
    await client.controlReplay(live.handle.subId, live.spec.topic, action);
  }

  /**
   * The whole payload of a message the list shows cut, while it is still kept (the newest
   * {@link KEPT_PAYLOADS} of the subscription, while it runs).
   */
  messagePayload(subscriptionId: string, ownerId: string, index: number): { data: string; size: number } {
    this.#owned(subscriptionId, ownerId);
    const payload = this.#payloads.get(subscriptionId, index);
    if (payload === undefined) {
      throw new ExplorerError({
        name: 'PayloadNotKeptError',
        message: `message ${index} of subscription ${subscriptionId} is no longer kept whole (only the newest ${KEPT_PAYLOADS} cut payloads are)`,
        code: 'payload-not-kept',
      });
    }
    return { data: this.#decoder.decode(payload), size: payload.byteLength };
  }

  /** The message type of the caller's subscription (its connection's). */
  messageType(subscriptionId: string, ownerId: string): string {
    return this.#owned(subscriptionId, ownerId).messageType;
  }

  setPaused(subscriptionId: string, ownerId: string, paused: boolean): void {
    this.#owned(subscriptionId, ownerId);
    this.#batcher.setPaused(subscriptionId, paused);
  }

  /** The caller's running subscriptions (after a reload: the ones to attach again or end). */
  list(ownerId: string): SubscriptionInfo[] {
    return [...this.#live].filter(([, l]) => l.ownerId === ownerId).map(([id]) => this.#info(id));
  }

  /** Batches of the subscription flow to the caller again: what the ring kept, then live ones. */
  attach(subscriptionId: string, ownerId: string): SubscriptionInfo {
    this.#owned(subscriptionId, ownerId);
    this.#batcher.setDetached(subscriptionId, false);
    return this.#info(subscriptionId);
  }

  /** The owner's page went away (reload, socket dropped): hold delivery until it attaches. */
  detachOwner(ownerId: string): void {
    for (const id of this.#batcher.ownedBy(ownerId)) this.#batcher.setDetached(id, true);
  }

  /** Ends the owner's subscriptions that no page attached again; returns how many. */
  async endDetached(ownerId: string): Promise<number> {
    const ids = this.#batcher.ownedBy(ownerId).filter((id) => this.#batcher.delivery(id)?.detached === true);
    await Promise.all(
      ids.map((id) => {
        const live = this.#live.get(id);
        this.#end(id, 'unsubscribed');
        return live === undefined ? undefined : this.#stopHandle(id, live.handle);
      }),
    );
    return ids.length;
  }

  /** Subscription ids the server knows, with topic, of a connection's bookmark subscriptions. */
  bookmarkSubscriptions(
    connectionId: string,
  ): Array<{ subscriptionId: string; subId: string; topic: string }> {
    return [...this.#live]
      .filter(([, l]) => l.connectionId === connectionId && l.spec.mode === 'bookmark')
      .map(([subscriptionId, l]) => ({ subscriptionId, subId: l.handle.subId, topic: l.spec.topic }));
  }

  /** Ends every subscription of a client that went away (window closed, socket closed). */
  async releaseOwner(ownerId: string): Promise<void> {
    const ids = [...this.#live].filter(([, l]) => l.ownerId === ownerId).map(([id]) => id);
    await Promise.all(
      ids.map((id) => {
        const live = this.#live.get(id);
        this.#end(id, 'unsubscribed');
        return live === undefined ? undefined : this.#stopHandle(id, live.handle);
      }),
    );
  }

  /** Ends everything and stops the batch timer (app shutdown). */
  async shutdown(): Promise<void> {
    const all = [...this.#live];
    for (const [id] of all) this.#end(id, 'connection-closed');
    await Promise.all(all.map(([id, l]) => this.#stopHandle(id, l.handle)));
    this.#batcher.dispose();
    this.#stopConnectionWatch();
  }

  /** Number of live subscriptions. */
  get size(): number {
    return this.#live.size;
  }

  /** The batcher, for inspection in tests. */
  get batcher(): SubscriptionBatcher<Received> {
    return this.#batcher;
  }

  #info(subscriptionId: string): SubscriptionInfo {
    const live = this.#live.get(subscriptionId);
    if (live === undefined) throw unknownSubscription(subscriptionId);
    const counts = this.#batcher.counts(subscriptionId) ?? { received: 0, delivered: 0, dropped: 0 };
    const delivery = this.#batcher.delivery(subscriptionId) ?? { paused: false, detached: false };
    return {
      subscriptionId,
      connectionId: live.connectionId,
      spec: structuredClone(live.spec),
      attached: !delivery.detached,
      paused: delivery.paused,
      ...counts,
      startedAt: live.startedAt,
    };
  }

  #owned(subscriptionId: string, ownerId: string): Live {
    const live = this.#live.get(subscriptionId);
    // Another window's subscription is reported as unknown: windows cannot see each other's.
    if (live === undefined || live.ownerId !== ownerId) throw unknownSubscription(subscriptionId);
    return live;
  }

  /**
   * Moves the handle's messages into the batcher until it ends. A handle that can drain hands
   * each message over synchronously (no promise per message); others are iterated.
   */
  async #pump(subscriptionId: string, handle: AmpsSubscriptionLike): Promise<void> {
    const now = this.#options.now ?? Date.now;
    const seen = this.#options.onMessage;
    const connectionId = this.#live.get(subscriptionId)?.connectionId ?? '';
    const type = this.#live.get(subscriptionId)?.messageType ?? 'json';
    const decodeAs = isDecodedFromType(type) ? type : undefined;
    try {
      if (handle.drain === undefined) {
        for await (const message of handle) {
          if (!this.#batcher.has(subscriptionId)) break;
          seen?.(connectionId, message.header.topic ?? '');
          this.#batcher.push(subscriptionId, this.#received(subscriptionId, message, now(), decodeAs));
        }
      } else {
        await handle.drain((message) => {
          // Like the loop's break: stops the drain and closes the handle.
          if (!this.#batcher.has(subscriptionId)) throw new PumpStopped();
          seen?.(connectionId, message.header.topic ?? '');
          this.#batcher.push(subscriptionId, this.#received(subscriptionId, message, now(), decodeAs));
        });
      }
      this.#end(subscriptionId, 'server-ended');
    } catch (error) {
      if (error instanceof PumpStopped) return;
      this.#end(subscriptionId, 'error', serializeError(error));
    }
  }

  #received(subscriptionId: string, message: AmpsMessageLike, receivedAt: number, decodeAs?: DecodedFromType): Received {
    this.#options.tap?.received(subscriptionId, message, receivedAt);
    const item: Received = message.payload.byteLength > this.#maxBytes
      ? { message, receivedAt, subscriptionId }
      : { message, receivedAt };
    if (decodeAs !== undefined) item.decodeAs = decodeAs;
    return item;
  }

  #end(subscriptionId: string, reason: SubscriptionEndReason, error?: SerializedError): void {
    const live = this.#live.get(subscriptionId);
    if (live === undefined || live.ending) return;
    live.ending = true;
    this.#payloads.drop(subscriptionId);
    this.#live.delete(subscriptionId);
    this.#options.tap?.ended(subscriptionId);
    const counts = this.#batcher.remove(subscriptionId) ?? { received: 0, delivered: 0, dropped: 0 };
    this.#options.deliverEnded(live.ownerId, {
      subscriptionId,
      reason,
      ...counts,
      ...(error === undefined ? {} : { error }),
    });
  }

  async #stopHandle(subscriptionId: string, handle: AmpsSubscriptionLike): Promise<void> {
    try {
      await handle.unsubscribe();
    } catch (error) {
      this.#options.logger.warn(
        `subscription ${subscriptionId}: unsubscribe failed: ${serializeError(error).message}`,
      );
    }
  }

  #format({ message, receivedAt, subscriptionId, decodeAs }: Received, index: number, maxBytes: number): MessageDto {
    // A payload shown cut is kept whole, to open on demand.
    if (message.payload.byteLength > maxBytes && subscriptionId !== undefined)
      this.#payloads.keep(subscriptionId, index, message.payload);
    return messageDto(message, index, receivedAt, maxBytes, decodeAs);
  }
}
