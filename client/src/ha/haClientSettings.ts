/**
 * The part of the HA client's API it shares with {@link Client} (the seed's HAClient derives
 * from Client): settings and handlers that every connection's Client must carry, and the
 * one-off calls that run on the live connection.
 *
 * Settings are recorded and applied to each new connection before it connects, as well as to
 * the live one at once. A Client that never connects (the "probe") validates every setting
 * with the Client's own rules and answers the getters, so the HA client and a plain Client
 * accept, refuse and report the same values.
 */
import { Client, type SowDeleteOptions } from '../client.js';
import type { CommandTap, FailedWriteHandler, MessageHandler, PublishStoreHook } from '../client/hooks.js';
import type { TransportFilter } from '../client/core.js';
import { toPublishHook } from '../client/storeHooks.js';
import { UsageError } from '../errors.js';
import type { HeaderFields } from '../protocol/fields.js';
import type { Message } from '../protocol/message.js';
import type { VersionInfo } from '../protocol/versionInfo.js';
import type { BookmarkStore } from '../stores/bookmark/bookmarkStore.js';
import type { PublishStore } from '../stores/publish/publishStore.js';
import { HAClientCore, type HAClientOptions } from './haClientCore.js';

type Handled<O> = O & { handler: MessageHandler };
type Streamed<O> = O & { handler?: undefined };
type DeleteCall = SowDeleteOptions & { handler?: MessageHandler | undefined };

/** Client settings and live-connection calls of the {@link HAClient}. */
export class HAClientSettings extends HAClientCore {
  /** Holds and validates the settings; never connected. */
  private readonly probe: Client;
  /** How to bring a new connection's Client to the recorded settings, by setting name. */
  private readonly recorded = new Map<string, (client: Client) => void>();

  constructor(name: string, options: HAClientOptions = {}) {
    super(name, options);
    this.probe = new Client(name, options.clientOptions ?? {});
  }

  // ---- queue acknowledgement ----

  /** Queue acks per batch (1 = unbatched). */
  getAckBatchSize(): number {
    return this.probe.getAckBatchSize();
  }
  /** Sets the queue ack batch size on every connection. @throws UsageError for a bad size */
  setAckBatchSize(size: number): void {
    this.configure('ackBatchSize', (c) => c.setAckBatchSize(size));
  }
  /** Milliseconds a partial ack batch waits. */
  getAckTimeout(): number {
    return this.probe.getAckTimeout();
  }
  /** Sets how long a partial ack batch waits. @throws UsageError for a bad duration */
  setAckTimeout(ms: number): void {
    this.configure('ackTimeout', (c) => c.setAckTimeout(ms));
  }
  /** Whether queue messages are acknowledged automatically once handled. */
  getAutoAck(): boolean {
    return this.probe.getAutoAck();
  }
  /** Turns auto-ack on or off for every connection. */
  setAutoAck(enabled: boolean): void {
    this.configure('autoAck', (c) => c.setAutoAck(enabled));
  }
  /** Sends the live connection's pending queue acks now (acks of a lost connection are void). */
  flushAcks(): void {
    this.live()?.flushAcks();
  }
  /**
   * Acknowledges a queue message (or `topic` + `bookmark`) on the live connection.
   * @throws DisconnectedError while not connected
   */
  ack(message: Message, options?: string): void;
  ack(topic: string, bookmark: string, options?: string): void;
  ack(target: Message | string, second?: string, third?: string): void {
    const live = this.live();
    if (!live) throw this.notConnected('acknowledge');
    if (typeof target === 'string') live.ack(target, second ?? '', third);
    else live.ack(target, second);
  }

  // ---- defaults of commands and streams ----

  /** Default max depth of new streams. */
  getDefaultMaxDepth(): number | undefined {
    return this.probe.getDefaultMaxDepth();
  }
  /** Sets the default max depth of new streams. @throws UsageError below 1 */
  setDefaultMaxDepth(depth: number | undefined): void {
    this.configure('defaultMaxDepth', (c) => c.setDefaultMaxDepth(depth));
  }
  /** Default milliseconds calls wait for acks. */
  getCommandTimeout(): number {
    return this.probe.getCommandTimeout();
  }
  /** Sets the default ack wait of every connection. @throws UsageError unless > 0 */
  setCommandTimeout(ms: number): void {
    this.configure('commandTimeout', (c) => c.setCommandTimeout(ms));
  }

  // ---- handlers ----

  /** Receives deliveries the bookmark store reports as duplicates, from any connection. */
  setDuplicateMessageHandler(handler: MessageHandler | undefined): void {
    this.configure('duplicateMessageHandler', (c) => c.setDuplicateMessageHandler(handler));
  }
  /** The duplicate message handler. */
  getDuplicateMessageHandler(): MessageHandler | undefined {
    return this.probe.getDuplicateMessageHandler();
  }
  /** Receives publishes the server refused in persisted acks (spec §5.5), from any connection. */
  setFailedWriteHandler(handler: FailedWriteHandler | undefined): void {
    this.configure('failedWriteHandler', (c) => c.setFailedWriteHandler(handler));
  }
  /** Receives messages no command or subscription claims, from any connection. */
  setLastChanceMessageHandler(handler: MessageHandler | undefined): void {
    this.configure('lastChanceMessageHandler', (c) => c.setLastChanceMessageHandler(handler));
  }
  /** Same as {@link setLastChanceMessageHandler}. */
  setUnhandledMessageHandler(handler: MessageHandler | undefined): void {
    this.setLastChanceMessageHandler(handler);
  }
  /** Receives every message whose `c` is `command` (e.g. `heartbeat`, `ack`), from any connection. */
  setGlobalCommandTypeMessageHandler(command: string, handler: MessageHandler | undefined): void {
    this.configure(`globalCommandTypeMessageHandler:${command}`, (c) =>
      c.setGlobalCommandTypeMessageHandler(command, handler),
    );
  }
  /** Sees every frame's raw bytes, in and out, on every connection. */
  setTransportFilter(filter: TransportFilter | undefined): void {
    this.configure('transportFilter', (c) => c.setTransportFilter(filter));
  }
  /** Sets the command tap (a wire inspector) on every connection; see Client.setCommandTap. */
  setCommandTap(tap: CommandTap | undefined): void {
    this.configure('commandTap', (c) => c.setCommandTap(tap));
  }

  // ---- identity, stores and logon ----

  /**
   * Changes the client name, only while no connection exists or is being made (AMPS tells a
   * publisher's messages apart by it, so it stays the same across reconnects).
   * @throws UsageError while connected or connecting, or for an invalid name
   */
  setName(name: string): void {
    this.assertIdle('the client name');
    this.probe.setName(name);
    this.name = name;
  }
  /**
   * Replaces the publish store, only while no connection exists or is being made; the next
   * logon replays what it holds.
   * @throws UsageError while connected or connecting
   */
  setPublishStore(store: PublishStoreHook | PublishStore | undefined): void {
    this.assertIdle('the publish store');
    this.publishHook = toPublishHook(store);
  }
  /**
   * Replaces the bookmark store, only while no connection exists or is being made and no
   * subscription is kept (their resume points live in the store).
   * @throws UsageError while connected or connecting, or with subscriptions
   */
  setBookmarkStore(store: BookmarkStore): void {
    this.assertIdle('the bookmark store');
    if ([...this.subs.all()].length > 0)
      throw new UsageError('the bookmark store cannot change while subscriptions are kept', {
        code: 'invalid state',
      });
    this.bookmarkStore = store;
    this.subs = this.subscriptionManager(store);
  }
  /** Always true: an HA client places its subscriptions again after every reconnect (spec §12.4). */
  getRetryOnDisconnect(): boolean {
    return true;
  }
  /**
   * Accepts true only: placing subscriptions again is what an HA client is for.
   * @throws UsageError for false
   */
  setRetryOnDisconnect(enabled: boolean): void {
    if (!enabled)
      throw new UsageError('an HAClient always places its subscriptions again after a reconnect', {
        code: 'invalid argument',
      });
  }

  /** The publisher id: the live server's report after logon, else FNV-1a 64 of the name. */
  getNameHash(): string {
    return (this.live() ?? this.probe).getNameHash();
  }
  /** The live server's version as a two-digits-per-part number; 0 while not connected. */
  getServerVersion(): number {
    return (this.live() ?? this.probe).getServerVersion();
  }
  /** The live server's version from its logon ack (empty while not connected). */
  getServerVersionInfo(): VersionInfo {
    return (this.live() ?? this.probe).getServerVersionInfo();
  }
  /** Correlation data sent with every logon. */
  getLogonCorrelationData(): string | undefined {
    return this.probe.getLogonCorrelationData();
  }
  /** Sets correlation data for the next logons. @throws UsageError for characters outside base64 */
  setLogonCorrelationData(data: string | undefined): void {
    this.configure('logonCorrelationData', (c) => c.setLogonCorrelationData(data));
  }

  // ---- one-off commands on the live connection ----

  /**
   * Deletes the SOW records matching `filter`, on the live connection (not repeated after a
   * reconnect). A `handler` works as in {@link Client.sowDelete}.
   * @throws DisconnectedError while not connected, UsageError without a filter
   */
  sowDelete(topic: string, filter: string, options?: Streamed<SowDeleteOptions>): Promise<Message>;
  sowDelete(topic: string, filter: string, options: Handled<SowDeleteOptions>): Promise<string>;
  sowDelete(topic: string, filter: string, options: DeleteCall = {}): Promise<Message | string> {
    const live = this.live();
    if (!live) return Promise.reject(this.notConnected('sow_delete'));
    return live.sowDelete(topic, filter, options as Streamed<SowDeleteOptions>);
  }

  /** Deletes the SOW records with these keys, on the live connection. @throws DisconnectedError */
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
    const live = this.live();
    if (!live) return Promise.reject(this.notConnected('sow_delete'));
    return live.sowDeleteByKeys(topic, keys, options as Streamed<SowDeleteOptions>);
  }

  /** Deletes the SOW record whose key the server computes from `data`, on the live connection. @throws DisconnectedError */
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
    const live = this.live();
    if (!live) return Promise.reject(this.notConnected('sow_delete'));
    return live.sowDeleteByData(topic, data, options as Streamed<SowDeleteOptions>);
  }

  /**
   * Routes the messages of a command id to `handler` on the live connection (the seed's
   * `add_message_handler`; it ends with that connection).
   * @throws DisconnectedError while not connected
   */
  addMessageHandler(
    commandId: string,
    handler: MessageHandler,
    acks: Parameters<Client['addMessageHandler']>[2],
    isSubscribe: boolean,
  ): void {
    const live = this.live();
    if (!live) throw this.notConnected('add a message handler');
    live.addMessageHandler(commandId, handler, acks, isSubscribe);
  }
  /** Removes what {@link addMessageHandler} registered on the live connection. */
  removeMessageHandler(commandId: string): void {
    this.live()?.removeMessageHandler(commandId);
  }

  /** Builds an outbound Message for {@link sendMessage} (the seed's `allocate_message`). */
  allocateMessage(fields: HeaderFields = {}, data?: string | Uint8Array): Message {
    return this.probe.allocateMessage(fields, data);
  }
  /**
   * Sends a Message as it is on the live connection (the seed's `send`), as
   * {@link Client.sendMessage} does; a subscription sent this way is not placed again after a
   * reconnect (use `execute` for that).
   * @throws DisconnectedError while not connected
   */
  sendMessage(message: Message, handler?: MessageHandler, timeoutMs?: number): Promise<string | undefined> {
    const live = this.live();
    if (!live) return Promise.reject(this.notConnected('send'));
    return live.sendMessage(message, handler, timeoutMs);
  }

  // ---- internals ----

  /** Brings a new connection's Client to every recorded setting (before it connects). */
  protected override configureConnection(client: Client): void {
    for (const apply of this.recorded.values()) apply(client);
  }

  private assertIdle(what: string): void {
    this.assertOpen();
    if (this.engaged)
      throw new UsageError(`${what} cannot change while the HA client is connected or connecting`, {
        code: 'invalid state',
      });
  }

  /**
   * Validates a setting on the probe (a refused value throws and is not recorded), then applies
   * it to the connections there are and records it for the next ones.
   */
  private configure(setting: string, apply: (client: Client) => void): void {
    apply(this.probe);
    this.recorded.set(setting, apply);
    for (const client of [this.current, this.candidate]) if (client) apply(client);
  }
}
