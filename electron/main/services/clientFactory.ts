/**
 * The AmpsConnectionFactory over our AMPS client (client/): one HAClient per open connection
 * (a single server is an HA list of one), built from the profile's delay strategy, give-up
 * time, stores and TLS. Messages are handed on as logical header fields plus payload bytes;
 * acks and heartbeats stay inside the client.
 */
import type { CommandTap } from '../../../client/src/client/hooks.js';
import { DisconnectedError, TimedOutError } from '../../../client/src/errors.js';
import { ExponentialDelayStrategy, FixedDelayStrategy } from '../../../client/src/ha/delayStrategy.js';
import type { HAConnectionStatus } from '../../../client/src/ha/haStatus.js';
import { Command } from '../../../client/src/protocol/command.js';
import type { Message } from '../../../client/src/protocol/message.js';
import { FileBookmarkStore } from '../../../client/src/stores/bookmark/fileBookmarkStore.js';
import { MemoryBookmarkStore } from '../../../client/src/stores/bookmark/memoryBookmarkStore.js';
import type { BookmarkStore } from '../../../client/src/stores/bookmark/bookmarkStore.js';
import { FilePublishStore } from '../../../client/src/stores/publish/filePublishStore.js';
import { MemoryPublishStore } from '../../../client/src/stores/publish/memoryPublishStore.js';
import type { PublishStore } from '../../../client/src/stores/publish/publishStore.js';
import type { MessageStream } from '../../../client/src/stream.js';
import { connectTransport } from '../../../client/src/transport/connect.js';
import type {
  AmpsConnectionFactory,
  AmpsCommandStream,
  AmpsConnectionLike,
  AmpsConnectionOptions,
  AmpsMessageLike,
  AmpsPublishOutcome,
  AmpsPublishParams,
  AmpsStatusLike,
  AmpsStoredPublish,
  AmpsSubscribeParams,
  AmpsSubscriptionLike,
} from './ampsAdapter.js';
import {
  IndexedServerChooser,
  ObservedDelayStrategy,
  SteerableHAClient,
  TransportTracker,
} from './haParts.js';

/** Commands a viewer shows; acks and heartbeats are the client's business. */
const SHOWN = new Set(['publish', 'delta_publish', 'sow', 'oof', 'group_begin', 'group_end']);
/** A replay that asked for its completed ack also shows it (the replay/live boundary). */
const SHOWN_WITH_ACKS = new Set([...SHOWN, 'ack']);

function toMessageLike(message: Message): AmpsMessageLike {
  return { header: message.fields, payload: message.data };
}

/** A client MessageStream as the services see a subscription (exported for tests). */
export function toSubscription(
  stream: MessageStream,
  unsubscribe: () => Promise<void> = () => {
    stream.close();
    return Promise.resolve();
  },
  shown: ReadonlySet<string> = SHOWN,
): AmpsSubscriptionLike {
  return {
    subId: stream.subId ?? stream.queryId ?? stream.commandId ?? '',
    unsubscribe,
    drain: (handler) =>
      stream.drain((message) => {
        if (shown.has(message.command ?? '')) handler(toMessageLike(message));
      }),
    async *[Symbol.asyncIterator]() {
      for await (const message of stream) {
        if (shown.has(message.command ?? '')) yield toMessageLike(message);
      }
    },
  };
}

function delayStrategy(options: AmpsConnectionOptions): FixedDelayStrategy | ExponentialDelayStrategy {
  const { delay, giveUpMs } = options.ha;
  return delay.kind === 'fixed'
    ? new FixedDelayStrategy(delay.delayMs, giveUpMs)
    : new ExponentialDelayStrategy({
        initialDelayMs: delay.initialMs,
        maximumDelayMs: delay.maxMs,
        backoffExponent: delay.backoff,
        jitter: delay.jitter,
        maximumRetryTimeMs: giveUpMs,
      });
}

function bookmarkStoreOf(options: AmpsConnectionOptions): BookmarkStore {
  const choice = options.bookmarkStore;
  return choice.kind === 'file' ? new FileBookmarkStore(choice.path) : new MemoryBookmarkStore();
}

function publishStoreOf(options: AmpsConnectionOptions): PublishStore | undefined {
  const choice = options.publishStore;
  if (choice.kind === 'none') return undefined;
  return choice.kind === 'file' ? new FilePublishStore(choice.path) : new MemoryPublishStore();
}

const DEFAULT_ACK_TIMEOUT_MS = 10_000;
/** The options of a publish that sets none (shared, never changed). */
const NO_OPTIONS = Object.freeze({});

class ClientConnection implements AmpsConnectionLike {
  private readonly client: SteerableHAClient;
  private readonly chooser: IndexedServerChooser;
  private readonly transports = new TransportTracker();
  private readonly listeners = new Set<(status: AmpsStatusLike) => void>();
  private readonly publishStore: PublishStore | undefined;
  private readonly bookmarkStore: BookmarkStore | undefined;
  private readonly failed: { count: number; last?: { sequence?: string; reason: string; at: number } } = {
    count: 0,
  };

  constructor(private readonly options: AmpsConnectionOptions) {
    this.chooser = new IndexedServerChooser(options.uris, {
      attemptFailed: (index, error) => this.emit({ state: 'attemptFailed', serverIndex: index, error }),
    });
    const strategy = new ObservedDelayStrategy(delayStrategy(options), this.chooser, {
      attemptScheduled: (index, attempt, waitMs) =>
        this.emit({ state: 'retryScheduled', serverIndex: index, attempt, retryInMs: waitMs }),
    });
    const tls = options.tls;
    const tlsOptions =
      tls === undefined
        ? undefined
        : {
            rejectUnauthorized: tls.verify,
            ...(tls.ca === undefined ? {} : { ca: tls.ca }),
            ...(tls.cert === undefined ? {} : { cert: tls.cert }),
            ...(tls.key === undefined ? {} : { key: tls.key }),
          };
    // Stores open (and lock) their files here: a bad path fails the open with its error.
    this.bookmarkStore = bookmarkStoreOf(options);
    try {
      this.publishStore = publishStoreOf(options);
    } catch (error) {
      this.bookmarkStore.close();
      throw error;
    }
    this.client = new SteerableHAClient(options.clientName, {
      serverChooser: this.chooser,
      delayStrategy: strategy,
      bookmarkStore: this.bookmarkStore,
      ...(this.publishStore === undefined ? {} : { publishStore: this.publishStore }),
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      clientOptions: {
        transportFactory: this.transports.wrap((uri, handlers) =>
          connectTransport(uri, handlers, tlsOptions === undefined ? {} : { tls: tlsOptions }),
        ),
      },
    });
    if (options.heartbeatSeconds !== undefined && options.heartbeatSeconds > 0)
      this.client.setHeartbeat(options.heartbeatSeconds);
    this.client.addConnectionStateListener((status) => this.onHaStatus(status));
    // A publish sent without an ack that the server refuses is counted, not lost without a word.
    this.client.setFailedWriteHandler((ack, reason) => {
      this.failed.count += 1;
      this.failed.last = {
        reason: reason === '' ? (ack.status ?? 'failure') : reason,
        at: Date.now(),
        ...(ack.sequence === undefined ? {} : { sequence: ack.sequence }),
      };
    });
  }

  connectAndLogon(): Promise<void> {
    return this.client.connectAndLogon();
  }

  async subscribe(p: AmpsSubscribeParams): Promise<AmpsSubscriptionLike> {
    return this.wrap(await this.client.subscribe(p.topic, p.filter, withOptions(p)));
  }

  async deltaSubscribe(p: AmpsSubscribeParams): Promise<AmpsSubscriptionLike> {
    return this.wrap(await this.client.deltaSubscribe(p.topic, p.filter, withOptions(p)));
  }

  async sowAndSubscribe(p: AmpsSubscribeParams): Promise<AmpsSubscriptionLike> {
    const query = {
      ...withOptions(p),
      ...(p.batchSize === undefined ? {} : { batchSize: p.batchSize }),
      ...(p.topN === undefined ? {} : { topN: p.topN }),
      ...(p.orderBy === undefined ? {} : { orderBy: p.orderBy }),
    };
    return this.wrap(await this.client.sowAndSubscribe(p.topic, p.filter, query));
  }

  async bookmarkSubscribe(p: AmpsSubscribeParams & { bookmark: string }): Promise<AmpsSubscriptionLike> {
    if (p.replayCompleted === true) {
      // The completed ack is a visible message of the stream: it marks where replay ends and live begins.
      const cmd = new Command('subscribe')
        .setTopic(p.topic)
        .setBookmark(p.bookmark.trim())
        .setAckType(['completed']);
      if (p.filter !== undefined && p.filter !== '') cmd.setFilter(p.filter);
      if (p.options !== undefined && p.options !== '') cmd.setOptions(p.options);
      if (p.topN !== undefined) cmd.setTopN(p.topN);
      return this.wrap(await this.client.execute(cmd), SHOWN_WITH_ACKS);
    }
    return this.wrap(await this.client.bookmarkSubscribe(p.topic, p.bookmark, p.filter, withOptions(p)));
  }

  async publish(
    topic: string,
    data: string | Uint8Array,
    params: AmpsPublishParams = {},
  ): Promise<AmpsPublishOutcome> {
    const command = params.delta ? 'delta_publish' : 'publish';
    const ack = params.ack ?? 'none';
    if (ack === 'none' || !this.client.isConnected) {
      // Without an ack (or while reconnecting, when the message can only go to the store).
      // A bulk publish sends millions of messages with none of these: no object per message then.
      const options =
        params.correlationId === undefined && params.expiration === undefined && params.sowKey === undefined
          ? NO_OPTIONS
          : {
              ...(params.correlationId === undefined ? {} : { correlationId: params.correlationId }),
              ...(params.expiration === undefined ? {} : { expiration: params.expiration }),
              ...(params.sowKey === undefined ? {} : { sowKey: params.sowKey }),
            };
      const connected = this.client.isConnected;
      if (command === 'publish') this.client.publish(topic, data, options);
      else this.client.deltaPublish(topic, data, options);
      return connected ? { serverIndex: this.chooser.index } : { stored: true };
    }
    const cmd = new Command(command).setTopic(topic).setData(data).setAckType([ack]);
    if (params.correlationId !== undefined) cmd.setCorrelationId(params.correlationId);
    if (params.expiration !== undefined) cmd.setExpiration(params.expiration);
    if (params.sowKey !== undefined) cmd.setSowKey(params.sowKey);
    const timeoutMs = params.timeoutMs ?? DEFAULT_ACK_TIMEOUT_MS;
    cmd.setTimeout(timeoutMs);
    const serverIndex = this.chooser.index;
    return new Promise<AmpsPublishOutcome>((resolve, reject) => {
      let done = false;
      const finish = (outcome: AmpsPublishOutcome | Error): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        if (outcome instanceof Error) reject(outcome);
        else resolve(outcome);
      };
      const timer = setTimeout(
        () =>
          finish(
            new TimedOutError(`no ${ack} ack for the ${command} to "${topic}" within ${timeoutMs} ms`, {
              code: 'timed out',
              retriable: true,
            }),
          ),
        timeoutMs,
      );
      this.client
        .executeAsync(cmd, (message) => {
          if (message.command !== 'ack' || message.ackType !== ack) return;
          const failed = message.status === 'failure';
          finish({
            serverIndex,
            ack: {
              status: failed ? 'failure' : 'success',
              ...(message.reason === undefined || message.reason === '' ? {} : { reason: message.reason }),
              ...(cmd.getSequence() === undefined ? {} : { sequence: cmd.getSequence() as string }),
            },
          });
        })
        .catch((error: unknown) => {
          // A failed processed ack arrives as the client's error; its code is the server's reason.
          const err = error instanceof Error ? error : new Error(String(error));
          if (err instanceof DisconnectedError || err instanceof TimedOutError) return finish(err);
          const reason = (err as Error & { code?: unknown }).code;
          finish({
            serverIndex,
            ack: { status: 'failure', reason: typeof reason === 'string' ? reason : err.message },
          });
        });
    });
  }

  onStatus(listener: (status: AmpsStatusLike) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  reconnectNow(): boolean {
    return this.client.wakeNow();
  }

  simulateFailover(): void {
    this.chooser.advance();
    this.transports.drop(
      new DisconnectedError('simulated failover: the connection was dropped on purpose', {
        code: 'simulated failover',
        retriable: true,
      }),
    );
  }

  unpersisted(limit: number): { count: number; messages: AmpsStoredPublish[] } {
    const store = this.publishStore;
    if (store === undefined) return { count: 0, messages: [] };
    const messages: AmpsStoredPublish[] = [];
    store.replay((m) => {
      if (messages.length >= limit) return;
      messages.push({
        sequence: m.sequence.toString(),
        command: m.header.command ?? 'publish',
        topic: m.header.topic ?? '',
        size: m.payload.byteLength,
      });
    });
    return { count: store.unpersistedCount(), messages };
  }

  failedWrites(): { count: number; last?: { sequence?: string; reason: string; at: number } } {
    return structuredClone(this.failed);
  }

  mostRecentBookmark(subId: string): string | undefined {
    if (this.options.bookmarkStore.kind === 'none') return undefined;
    return this.bookmarkStore?.getMostRecent(subId);
  }

  /**
   * Pauses / resumes a replay: `subscribe` with the option and the sub id, sent as is (not a new
   * subscription of the client, not placed again after a reconnect).
   */
  async controlReplay(subId: string, topic: string, action: 'pause' | 'resume'): Promise<void> {
    await this.client.sendMessage(this.client.allocateMessage({ command: 'subscribe', topic, subId, options: action }));
  }

  /** SOW views: the raw stream (acks included); stop() also forgets a kept subscription. */
  async execute(command: Command): Promise<AmpsCommandStream> {
    const stream = await this.client.execute(command);
    const subId = command.isSubscribe ? (stream.subId ?? stream.commandId ?? '') : '';
    return {
      stream,
      stop: async () => {
        stream.close();
        if (subId !== '') await this.client.unsubscribe(subId).catch(() => undefined);
      },
    };
  }

  setCommandTap(tap: CommandTap | undefined): void {
    this.client.setCommandTap(tap);
  }

  async close(): Promise<void> {
    await this.client.close();
    this.bookmarkStore?.close();
    this.publishStore?.close();
  }

  private wrap(stream: MessageStream, shown: ReadonlySet<string> = SHOWN): AmpsSubscriptionLike {
    const subId = stream.subId ?? stream.queryId ?? stream.commandId ?? '';
    // Unsubscribing through the HA client also forgets the subscription for resubscription.
    return toSubscription(
      stream,
      async () => {
        stream.close();
        if (subId !== '') await this.client.unsubscribe(subId).catch(() => undefined);
      },
      shown,
    );
  }

  private onHaStatus(status: HAConnectionStatus): void {
    const state = status.state === 'connected' ? 'connecting' : status.state;
    this.emit({
      state,
      serverIndex: this.chooser.index,
      ...(status.error === undefined ? {} : { error: status.error }),
    });
    if (status.state === 'disconnected' && !this.options.ha.resubscribe) {
      // Resubscription is off: the running subscriptions end with the connection.
      void this.client.unsubscribe().catch(() => undefined);
    }
  }

  private emit(status: AmpsStatusLike): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(status);
      } catch {
        // a listener's failure must not stop the client
      }
    }
  }
}

function withOptions(p: AmpsSubscribeParams): { options?: string } {
  return p.options === undefined || p.options === '' ? {} : { options: p.options };
}

/** Builds one HAClient per open connection. */
export const clientConnectionFactory: AmpsConnectionFactory = {
  create: (options) => new ClientConnection(options),
};
