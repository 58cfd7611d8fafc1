/**
 * HAClient (the seed's `AMPS.HAClient`, in TypeScript idiom): a client that stays connected.
 * It walks a server chooser with a reconnect delay strategy (spec §12.2, §12.3) and, after
 * every (re)connect, in order (spec §12.4): logs on (replaying the publish store), starts
 * heartbeats, then places every subscription again (bookmark subscriptions from the bookmark
 * store's most recent bookmark). Each connection uses a fresh {@link Client}; the streams
 * handed to the application belong to the HA client and keep yielding across reconnects.
 */
import type {
  BookmarkSubscribeOptions,
  CommandCallOptions,
  PublishOptions,
  SowAndSubscribeOptions,
  SowOptions,
  SubscribeOptions,
} from '../client.js';
import type { MessageHandler } from '../client/hooks.js';
import { DisconnectedError, UsageError } from '../errors.js';
import type { Command } from '../protocol/command.js';
import type { Message } from '../protocol/message.js';
import { Bookmarks } from '../stores/bookmark/bookmark.js';
import type { BookmarkStore } from '../stores/bookmark/bookmarkStore.js';
import type { MessageStream } from '../stream.js';
import { FixedDelayStrategy, type ReconnectDelayStrategy } from './delayStrategy.js';
import {
  bookmarkSubscribeCommand,
  publishFields,
  queryCommand,
  subscribeCommand,
} from '../client/commandBuilders.js';
import { checkMs, HAClientCore } from './haClientCore.js';
import { HAClientSettings } from './haClientSettings.js';
import type { HASubscriptionTarget } from './haSubscriptions.js';
import type { ServerChooser } from './serverChooser.js';

export { HAConnectionError, type HAConnectFailure } from './haConnectionError.js';
export type { HAConnectionState, HAConnectionStatus, HAConnectionStateListener } from './haStatus.js';
export { DEFAULT_HA_TIMEOUT_MS, type HAClientOptions, type HADisconnectHandler } from './haClientCore.js';

type Handled<O> = O & { handler: MessageHandler };
type Streamed<O> = O & { handler?: undefined };

/**
 * A highly available AMPS client.
 *
 * @example
 * const ha = new HAClient('viewer-1', {
 *   serverChooser: new DefaultServerChooser(['tcp://a:9007/amps/json', 'tcp://b:9007/amps/json']),
 *   publishStore: new MemoryPublishStore(),
 * });
 * await ha.connectAndLogon();
 * for await (const m of await ha.bookmarkSubscribe('orders', Client.Bookmarks.EPOCH)) use(m);
 */
export class HAClient extends HAClientSettings {
  /** Special bookmark values (spec §8.2). */
  static readonly Bookmarks = Bookmarks;

  // ---- publishing ----

  /**
   * Publishes. While disconnected the message goes to the publish store and is sent after the
   * next logon (spec §12.4 step 4).
   * @returns the sequence number when a publish store is set
   * @throws DisconnectedError while disconnected without a publish store, UsageError for bad arguments
   */
  publish(topic: string, data: string | Uint8Array, options: PublishOptions = {}): string | undefined {
    return this.publishVia('publish', topic, data, options);
  }

  /** Delta-publishes (spec §4.5); stored while disconnected like {@link publish}. */
  deltaPublish(topic: string, data: string | Uint8Array, options: PublishOptions = {}): string | undefined {
    return this.publishVia('delta_publish', topic, data, options);
  }

  /**
   * Waits until every publish is persisted: with a connection, `flush` and the store; without
   * one, the store alone (it empties once the next connection replays it).
   * @throws TimedOutError, DisconnectedError without a connection and without a publish store
   */
  async publishFlush(
    timeoutMs = this.timeoutMs,
    ackType: 'processed' | 'persisted' = 'processed',
  ): Promise<void> {
    const live = this.live();
    if (live) return live.publishFlush(timeoutMs, ackType);
    if (this.publishHook?.flush) return this.publishHook.flush(timeoutMs);
    throw this.notConnected('publishFlush');
  }

  /**
   * Waits until the live server has processed every earlier command (`flush` with `processed`).
   * @throws DisconnectedError while not connected, TimedOutError
   */
  flush(timeoutMs?: number): Promise<void> {
    const live = this.live();
    if (!live) return Promise.reject(this.notConnected('flush'));
    return live.flush(timeoutMs);
  }

  /** Publishes not yet acknowledged as persisted (0 without a publish store). */
  getUnpersistedCount(): number {
    return this.publishHook?.unpersistedCount() ?? 0;
  }

  // ---- subscriptions (kept across reconnects) ----

  /** Subscribes; the subscription is placed again after every reconnect. */
  subscribe(topic: string, filter?: string, options?: Streamed<SubscribeOptions>): Promise<MessageStream>;
  subscribe(topic: string, filter: string | undefined, options: Handled<SubscribeOptions>): Promise<string>;
  subscribe(topic: string, filter?: string, options: SubscribeOptions = {}): Promise<MessageStream | string> {
    return this.keep(subscribeCommand('subscribe', topic, filter, options), options);
  }

  /** Delta-subscribes (spec §9.2); placed again after every reconnect. */
  deltaSubscribe(
    topic: string,
    filter?: string,
    options?: Streamed<SubscribeOptions>,
  ): Promise<MessageStream>;
  deltaSubscribe(
    topic: string,
    filter: string | undefined,
    options: Handled<SubscribeOptions>,
  ): Promise<string>;
  deltaSubscribe(
    topic: string,
    filter?: string,
    options: SubscribeOptions = {},
  ): Promise<MessageStream | string> {
    return this.keep(subscribeCommand('delta_subscribe', topic, filter, options), options);
  }

  /**
   * Bookmark subscription (spec §8.5): after a reconnect it resumes from the bookmark store's
   * most recent bookmark; each message reaches the application once.
   */
  bookmarkSubscribe(
    topic: string,
    bookmark: string,
    filter?: string,
    options?: Streamed<BookmarkSubscribeOptions>,
  ): Promise<MessageStream>;
  bookmarkSubscribe(
    topic: string,
    bookmark: string,
    filter: string | undefined,
    options: Handled<BookmarkSubscribeOptions>,
  ): Promise<string>;
  bookmarkSubscribe(
    topic: string,
    bookmark: string,
    filter?: string,
    options: BookmarkSubscribeOptions = {},
  ): Promise<MessageStream | string> {
    return this.keep(bookmarkSubscribeCommand(topic, bookmark, filter, options), options);
  }

  /** SOW query and subscription; the whole query runs again after a reconnect. */
  sowAndSubscribe(
    topic: string,
    filter?: string,
    options?: Streamed<SowAndSubscribeOptions>,
  ): Promise<MessageStream>;
  sowAndSubscribe(
    topic: string,
    filter: string | undefined,
    options: Handled<SowAndSubscribeOptions>,
  ): Promise<string>;
  sowAndSubscribe(
    topic: string,
    filter?: string,
    options: SowAndSubscribeOptions = {},
  ): Promise<MessageStream | string> {
    return this.keep(queryCommand('sow_and_subscribe', topic, filter, options), options);
  }

  /** SOW query and delta subscription; the whole query runs again after a reconnect. */
  sowAndDeltaSubscribe(
    topic: string,
    filter?: string,
    options?: Streamed<SowAndSubscribeOptions>,
  ): Promise<MessageStream>;
  sowAndDeltaSubscribe(
    topic: string,
    filter: string | undefined,
    options: Handled<SowAndSubscribeOptions>,
  ): Promise<string>;
  sowAndDeltaSubscribe(
    topic: string,
    filter?: string,
    options: SowAndSubscribeOptions = {},
  ): Promise<MessageStream | string> {
    return this.keep(queryCommand('sow_and_delta_subscribe', topic, filter, options), options);
  }

  /** SOW query on the current connection (not repeated after a reconnect). @throws DisconnectedError */
  sow(topic: string, filter?: string, options: Streamed<SowOptions> = {}): Promise<MessageStream> {
    const live = this.live();
    if (!live) return Promise.reject(this.notConnected('sow'));
    return live.sow(topic, filter, options);
  }

  /**
   * Executes a command: subscriptions are kept and placed again after reconnects; any other
   * command runs on the current connection.
   * @throws DisconnectedError for a non-subscription without a connection
   */
  execute(command: Command, options: { maxDepth?: number } = {}): Promise<MessageStream> {
    if (command.isSubscribe) return this.keep(command, options) as Promise<MessageStream>;
    const live = this.live();
    if (!live) return Promise.reject(this.notConnected(command.command));
    return live.execute(command, options);
  }

  /** Executes a command with a handler (subscriptions are kept across reconnects). @returns the sub or command id */
  executeAsync(command: Command, handler: MessageHandler): Promise<string> {
    if (command.isSubscribe) return this.keep(command, { handler }) as Promise<string>;
    const live = this.live();
    if (!live) return Promise.reject(this.notConnected(command.command));
    return live.executeAsync(command, handler);
  }

  /** Marks a bookmark-subscription message as processed (done automatically when it is taken or handled). */
  discard(message: Message): void {
    const subId = message.subIds[0] ?? message.subId;
    const bm = message.bookmark;
    if (subId === undefined || bm === undefined)
      throw new UsageError('discard needs a message of a bookmark subscription (with sids and bm)', {
        code: 'invalid argument',
      });
    this.subs.discard(subId, bm);
  }

  /** The bookmark a resubscription of `subId` would start from. */
  getMostRecent(subId: string): string {
    return this.bookmarkStore.getMostRecent(subId);
  }

  // ---- configuration ----

  /** The server chooser. */
  getServerChooser(): ServerChooser {
    return this.chooser;
  }
  /** Replaces the server chooser (used from the next attempt on). */
  setServerChooser(chooser: ServerChooser): void {
    this.chooser = chooser;
  }
  /** The reconnect delay strategy. */
  getReconnectDelayStrategy(): ReconnectDelayStrategy {
    return this.strategy;
  }
  /** Replaces the reconnect delay strategy. */
  setReconnectDelayStrategy(strategy: ReconnectDelayStrategy): void {
    this.strategy = strategy;
  }
  /** Installs a FixedDelayStrategy waiting `delayMs` between attempts on the same server. */
  setReconnectDelay(delayMs: number): void {
    this.strategy = new FixedDelayStrategy(delayMs);
  }
  /** Milliseconds each connect and logon may take. */
  getTimeout(): number {
    return this.timeoutMs;
  }
  /** Sets the connect and logon timeout. */
  setTimeout(ms: number): void {
    this.timeoutMs = checkMs('timeout', ms, false);
  }
  /** Milliseconds each resubscription waits for its ack (0: until the connection ends). */
  getResubscriptionTimeout(): number {
    return this.resubscriptionTimeoutMs;
  }
  /** Sets the resubscription timeout. */
  setResubscriptionTimeout(ms: number): void {
    this.resubscriptionTimeoutMs = checkMs('resubscription timeout', ms, true);
  }
  /** The logon options. */
  getLogonOptions(): string | undefined {
    return this.logonOptions;
  }
  /** Sets the logon options (used from the next logon on). */
  setLogonOptions(options: string | undefined): void {
    this.logonOptions = options;
  }
  /**
   * Sets heartbeats (spec §10): started on each connection after resubscription; the
   * connection is declared dead (and replaced) when nothing arrives for `timeoutSeconds`
   * (default twice the interval). 0 turns them off.
   * @throws UsageError for a non-integer or negative interval, or a timeout below the interval
   */
  setHeartbeat(intervalSeconds: number, timeoutSeconds?: number): void {
    if (!Number.isInteger(intervalSeconds) || intervalSeconds < 0)
      throw new UsageError(
        `heartbeat interval must be a whole number of seconds >= 0, got ${intervalSeconds}`,
        {
          code: 'invalid argument',
        },
      );
    if (intervalSeconds > 0 && timeoutSeconds !== undefined && !(timeoutSeconds >= intervalSeconds))
      throw new UsageError(
        `heartbeat timeout (${timeoutSeconds} s) must be at least the interval (${intervalSeconds} s)`,
        { code: 'invalid argument' },
      );
    for (const client of [this.current, this.candidate])
      client?.setHeartbeat(intervalSeconds, timeoutSeconds);
    this.heartbeat = intervalSeconds > 0 ? { interval: intervalSeconds, timeout: timeoutSeconds } : undefined;
  }
  /** The resubscription timeout of HA clients created from now on without one (undefined: their `timeoutMs`). */
  static getDefaultResubscriptionTimeout(): number | undefined {
    return HAClientCore.defaultResubscriptionTimeoutMs;
  }
  /** Sets the default resubscription timeout (0: wait until the connection ends). */
  static setDefaultResubscriptionTimeout(ms: number | undefined): void {
    HAClientCore.defaultResubscriptionTimeoutMs =
      ms === undefined ? undefined : checkMs('default resubscription timeout', ms, true);
  }
  /** Not used by the HA client: {@link connectAndLogon} connects and logs on. @throws UsageError always */
  logon(): Promise<never> {
    return Promise.reject(
      new UsageError('HAClient logs on by itself: call connectAndLogon() once a server chooser is set', {
        code: 'invalid command',
      }),
    );
  }
  /** Compacts a file-backed bookmark store (no-op for stores without `prune`). */
  pruneStore(): void {
    const store = this.bookmarkStore as BookmarkStore & { prune?: () => void };
    store.prune?.();
  }
  /** The bookmark store. */
  getBookmarkStore(): BookmarkStore {
    return this.bookmarkStore;
  }

  // ---- internals ----

  private publishVia(
    command: 'publish' | 'delta_publish',
    topic: string,
    data: string | Uint8Array,
    options: PublishOptions,
  ): string | undefined {
    this.assertOpen();
    const live = this.live();
    if (live)
      return command === 'publish'
        ? live.publish(topic, data, options)
        : live.deltaPublish(topic, data, options);
    const { fields, payload } = publishFields(command, topic, data, options);
    if (!this.publishHook) throw this.notConnected(`${command} to "${topic}"`);
    return this.publishHook.store(fields, payload);
  }

  private async keep(command: Command, options: CommandCallOptions): Promise<MessageStream | string> {
    this.assertOpen();
    const target: HASubscriptionTarget = { handler: options.handler, maxDepth: options.maxDepth };
    const sub = this.subs.register(command, target);
    const client = this.current;
    if (client?.isLoggedOn) {
      try {
        await this.subs.place(client, sub, command.getTimeout() ?? this.resubscriptionTimeoutMs);
      } catch (e) {
        // A lost connection is not the subscription's fault: it is placed after the reconnect.
        if (client.isConnected || !(e instanceof DisconnectedError)) {
          this.subs.remove(sub.subId);
          throw e;
        }
      }
    }
    return sub.stream ?? sub.subId;
  }
}
