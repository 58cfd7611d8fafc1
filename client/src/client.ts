/**
 * The AMPS Client (the seed's `AMPS.Client`, in TypeScript idiom): one connection to one
 * AMPS instance, with subscribe / sow / publish helpers over `execute`. Subscriptions and
 * queries return a {@link MessageStream} (an AsyncIterable), or call a handler when one is
 * given, in which case they resolve with the subscription or query id.
 */
import { DisconnectedError, UsageError } from './errors.js';
import type { HeaderFields } from './protocol/fields.js';
import type { Message } from './protocol/message.js';
import type { Command } from './protocol/command.js';
import { convertVersionToNumber, VersionInfo } from './protocol/versionInfo.js';
import type { MessageStream } from './stream.js';
import { Bookmarks, validateClientName } from './client/commands.js';
import {
  bookmarkSubscribeCommand,
  queryCommand,
  sowDeleteCommand,
  subscribeCommand,
} from './client/commandBuilders.js';
import { fnv1a64 } from './client/nameHash.js';
import type { ClientOptions as CoreClientOptions } from './client/core.js';
import { allocateMessage, planMessage } from './client/sendMessage.js';
import { ClientSettings } from './client/settings.js';
import type {
  BookmarkSubscribeOptions,
  CommandCallOptions,
  SowAndSubscribeOptions,
  SowDeleteOptions,
  SowOptions,
  SubscribeOptions,
} from './client/callOptions.js';
import type { MessageHandler } from './client/hooks.js';

export { Bookmarks, CLIENT_VERSION, CLIENT_VERSION_HEADER, validateClientName } from './client/commands.js';
export type { LogonOptions, ExecuteOptions, PublishOptions } from './client/commands.js';
export type { DisconnectHandler, TransportFilter } from './client/core.js';
export { DEFAULT_COMMAND_TIMEOUT_MS } from './client/core.js';
export type {
  BookmarkSubscribeOptions,
  CommandCallOptions,
  SowAndSubscribeOptions,
  SowDeleteOptions,
  SowOptions,
  SubscribeOptions,
} from './client/callOptions.js';

/** Options of a {@link Client}. */
export interface ClientOptions extends CoreClientOptions {
  /** Retry commands cut off by a disconnect once the client logs on again (default true; see `setRetryOnDisconnect`). */
  retryOnDisconnect?: boolean;
}

type Handled<O> = O & { handler: MessageHandler };
type DeleteCall = SowDeleteOptions & { handler?: MessageHandler | undefined };
type Streamed<O> = O & { handler?: undefined };

/**
 * One connection to AMPS.
 *
 * @example
 * const client = new Client('viewer-1');
 * await client.connect('tcp://127.0.0.1:9007/amps/json');
 * await client.logon();
 * for await (const m of await client.subscribe('orders', '/qty > 5')) console.log(m.text);
 *
 * Seed methods with another shape here: `send(message, handler, timeout)` is
 * {@link Client.sendMessage} (the name `send` is the connection layer's own); `name()` is the
 * {@link ClientCommands.name} property; the seed's legacy camelCase aliases (`sowAndSubscribe`,
 * `deltaPublish`, `getName`, `setName`, `allocateMessage`, ...) coincide with the TypeScript
 * names; the deprecated `setOnDisconnectHandler`, `start_timer` and `stop_timer` are not
 * provided (use `setDisconnectHandler`; AMPS 5.3.2 removed timers).
 *
 * Not applicable in Node: `set_thread_created_callback`, because this client creates no
 * thread — it receives on the application's own event loop, so there is no new thread to
 * initialise; per-connection set-up belongs in `addConnectionStateListener` (state
 * `connected`).
 */
export class Client extends ClientSettings {
  /** Special bookmark values (spec §8.2). */
  static readonly Bookmarks = Bookmarks;
  /** Two-digits-per-part version number (5.3.5.1 → 5030501). */
  static readonly convertVersionToNumber = convertVersionToNumber;

  private uriAsGiven: string | undefined;

  constructor(name: string, options: ClientOptions = {}) {
    super(name, options);
    if (options.retryOnDisconnect !== undefined) this.setRetryOnDisconnect(options.retryOnDisconnect);
  }

  /** Connects (see {@link ClientCommands.connect}); remembers the URI for {@link getUri}. */
  override async connect(uri: string): Promise<void> {
    await super.connect(uri);
    this.uriAsGiven = uri;
  }

  /** The client name. */
  getName(): string {
    return this.clientName;
  }
  /**
   * Changes the client name (only while not connected).
   * @throws UsageError when connected or for an invalid name
   */
  setName(name: string): void {
    if (this.isConnected)
      throw new UsageError('the client name cannot change while connected', { code: 'invalid state' });
    validateClientName(name);
    this.clientName = name;
    this.nameHash = fnv1a64(name);
  }
  /**
   * The publisher id for this client name: the one the server reported in the logon ack's
   * bookmark, else FNV-1a 64 of the name (see `nameHash.ts` for why).
   */
  getNameHash(): string {
    return this.nameHash;
  }
  /** The URI passed to `connect` (it may hold a password: do not log it). */
  getUri(): string | undefined {
    return this.uriAsGiven;
  }
  /** The server version as a two-digits-per-part number (5.3.5.1 → 5030501); 0 before logon. */
  getServerVersion(): number {
    return this.serverVersion.getOldStyleVersion();
  }
  /** The server version from the logon ack. */
  getServerVersionInfo(): VersionInfo {
    return new VersionInfo(this.serverVersion.getVersionString());
  }
  /** Correlation data sent with every logon (`x`, base64 characters). */
  getLogonCorrelationData(): string | undefined {
    return this.logonCorrelationData;
  }
  /** Sets correlation data for logons. @throws UsageError for characters outside base64 */
  setLogonCorrelationData(data: string | undefined): void {
    if (data !== undefined && !/^[A-Za-z0-9+/=]*$/.test(data)) {
      throw new UsageError('logon correlation data must use base64 characters (A-Z a-z 0-9 + / =)', {
        code: 'invalid argument',
      });
    }
    this.logonCorrelationData = data;
  }

  /** Subscribes to a topic (regex allowed). */
  subscribe(topic: string, filter?: string, options?: Streamed<SubscribeOptions>): Promise<MessageStream>;
  subscribe(topic: string, filter: string | undefined, options: Handled<SubscribeOptions>): Promise<string>;
  subscribe(topic: string, filter?: string, options: SubscribeOptions = {}): Promise<MessageStream | string> {
    return this.run(subscribeCommand('subscribe', topic, filter, options), options);
  }

  /** Subscribes receiving only changed fields (spec §9.2). */
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
    return this.run(subscribeCommand('delta_subscribe', topic, filter, options), options);
  }

  /**
   * Bookmark subscription (spec §8): replays from `bookmark` (Bookmarks.EPOCH, NOW,
   * MOST_RECENT, a bookmark, a comma list or a timestamp), then continues live.
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
    return this.run(bookmarkSubscribeCommand(topic, bookmark, filter, options), options);
  }

  /** Queries the SOW; the stream ends after the results (`group_begin`, records, `group_end`). */
  sow(topic: string, filter?: string, options?: Streamed<SowOptions>): Promise<MessageStream>;
  sow(topic: string, filter: string | undefined, options: Handled<SowOptions>): Promise<string>;
  sow(topic: string, filter?: string, options: SowOptions = {}): Promise<MessageStream | string> {
    return this.run(queryCommand('sow', topic, filter, options), options);
  }

  /** Queries the SOW and subscribes atomically (spec §4.9). */
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
    return this.run(queryCommand('sow_and_subscribe', topic, filter, options), options);
  }

  /** Queries the SOW and delta-subscribes atomically. */
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
    return this.run(queryCommand('sow_and_delta_subscribe', topic, filter, options), options);
  }

  /**
   * Deletes the SOW records matching `filter`. With a `handler` (as the seed's `on_message`)
   * the `processed` and `stats` acks go to it and the call resolves with the command id.
   * @returns the `stats` ack (`recordsDeleted`, `matches`, `topicMatches`), or the
   *   `processed` ack when the server sent no stats
   */
  sowDelete(topic: string, filter: string, options?: Streamed<SowDeleteOptions>): Promise<Message>;
  sowDelete(topic: string, filter: string, options: Handled<SowDeleteOptions>): Promise<string>;
  sowDelete(topic: string, filter: string, options: DeleteCall = {}): Promise<Message | string> {
    if (typeof filter !== 'string' || filter.trim() === '')
      throw new UsageError('sowDelete needs a filter', { code: 'invalid argument' });
    return this.runDelete(sowDeleteCommand(topic, options).setFilter(filter), options.handler);
  }

  /** Deletes the SOW records with these SOW keys (a `handler` as in {@link sowDelete}). */
  sowDeleteByKeys(
    topic: string,
    keys: string | readonly string[],
    options?: Streamed<SowDeleteOptions>,
  ): Promise<Message>;
  sowDeleteByKeys(
    topic: string,
    keys: string | readonly string[],
    options: Handled<SowDeleteOptions>,
  ): Promise<string>;
  sowDeleteByKeys(
    topic: string,
    keys: string | readonly string[],
    options: DeleteCall = {},
  ): Promise<Message | string> {
    const list = typeof keys === 'string' ? keys : keys.join(',');
    if (list.trim() === '')
      throw new UsageError('sowDeleteByKeys needs at least one key', { code: 'invalid argument' });
    return this.runDelete(sowDeleteCommand(topic, options).setSowKeys(list), options.handler);
  }

  /** Deletes the SOW record whose key the server computes from `data` (a `handler` as in {@link sowDelete}). */
  sowDeleteByData(
    topic: string,
    data: string | Uint8Array,
    options?: Streamed<SowDeleteOptions>,
  ): Promise<Message>;
  sowDeleteByData(
    topic: string,
    data: string | Uint8Array,
    options: Handled<SowDeleteOptions>,
  ): Promise<string>;
  sowDeleteByData(
    topic: string,
    data: string | Uint8Array,
    options: DeleteCall = {},
  ): Promise<Message | string> {
    return this.runDelete(sowDeleteCommand(topic, options).setData(data), options.handler);
  }

  /**
   * Builds an outbound Message (the seed's `allocate_message`) for {@link sendMessage}. Our
   * Messages are immutable, so the fields and payload are given here.
   */
  allocateMessage(fields: HeaderFields = {}, data?: string | Uint8Array): Message {
    return allocateMessage(fields, data);
  }

  /**
   * Sends a Message as it is (the seed's `send(message, handler, timeout)`): no defaults are
   * added. Without a handler it is only sent. With a handler, a missing command id is added
   * (and the sub id / query id of subscriptions / queries default to it); the handler gets
   * the command's messages and the acks the message requests, and the call waits for the
   * `processed` ack when one is requested. Retried after a reconnect like {@link execute}.
   * @param timeoutMs wait for the `processed` ack (default: the client's command timeout)
   * @returns the command id, or undefined when the message has none and no handler was given
   * @throws UsageError for a message without a known command, DisconnectedError, TimedOutError,
   *   the mapped error of a failed ack, SubscriptionAlreadyExistsError
   */
  async sendMessage(
    message: Message,
    handler?: MessageHandler,
    timeoutMs?: number,
  ): Promise<string | undefined> {
    if (handler !== undefined && typeof handler !== 'function')
      throw new UsageError('sendMessage handler must be a function', { code: 'invalid argument' });
    const plan = planMessage(message, handler !== undefined, timeoutMs, this.planContext());
    return this.withRetry(plan, async () => {
      if (!plan.routed || !handler) {
        this.send(plan.fields, plan.data);
        return plan.fields.commandId;
      }
      const route = this.startRoute(plan, {
        push: (m) => this.safely(handler, m),
        end: (error) => {
          if (error && !(error instanceof DisconnectedError)) this.reportException(error);
        },
      });
      await route.ready;
      return plan.fields.commandId;
    });
  }

  private run(cmd: Command, options: CommandCallOptions): Promise<MessageStream | string> {
    if (options.timeoutMs !== undefined) cmd.setTimeout(options.timeoutMs);
    if (options.handler) return this.executeAsync(cmd, options.handler);
    return this.execute(cmd, options.maxDepth !== undefined ? { maxDepth: options.maxDepth } : {});
  }

  private async runDelete(cmd: Command, handler?: MessageHandler): Promise<Message | string> {
    if (handler) return this.executeAsync(cmd, handler);
    const acks = await (await this.execute(cmd)).toArray();
    const stats = acks.find((m) => m.ackType === 'stats');
    const processed = acks.find((m) => m.ackType === 'processed');
    const result = stats ?? processed;
    if (!result) throw new UsageError('sow_delete finished without an ack', { code: 'no ack' });
    return result;
  }
}
