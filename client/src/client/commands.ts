/**
 * The command layer of the Client: `execute` / `executeAsync` with the defaults of spec §4.1,
 * logon (§6), publishing and flushing, unsubscribing, queue acks (§11.2) and heartbeats (§10).
 */
import { DisconnectedError, UsageError } from '../errors.js';
import { Command } from '../protocol/command.js';
import type { HeaderFields } from '../protocol/fields.js';
import type { Message } from '../protocol/message.js';
import { splitOptions } from '../protocol/options.js';
import { parseAckTypes, type AckType } from '../protocol/ack.js';
import { VersionInfo } from '../protocol/versionInfo.js';
import { MessageStream } from '../stream.js';
import { Bookmarks } from '../stores/bookmark/bookmark.js';
import { AckWaiter, CommandRoute, type RouteSink } from './commandRoute.js';
import { planCommand, type Plan } from './plan.js';
import { logonSequence, type LogonOptions } from './logon.js';
import { QUEUE_ACK_COMMAND_ID, type ClientOptions } from './core.js';
import type { MessageHandler } from './hooks.js';
import { fnv1a64, publisherIdOf, validateClientName } from './nameHash.js';
import type { PublishOptions } from './callOptions.js';
import { ClientRoutes } from './routes.js';
import { payloadBytes, publishHeader } from './commandBuilders.js';

export type { LogonOptions } from './logon.js';
export type { PublishOptions } from './callOptions.js';
export { validateClientName } from './nameHash.js';

/** Special bookmark values (spec §8.2), shared with the bookmark stores. */
export { Bookmarks };

export { CLIENT_VERSION, CLIENT_VERSION_HEADER } from './logon.js';

/** Options of {@link ClientCommands.execute}. */
export interface ExecuteOptions {
  /** Max depth of the returned stream (default: the client's default max depth). */
  maxDepth?: number;
}

/** Client commands; the public Client adds convenience methods on top. */
export class ClientCommands extends ClientRoutes {
  /** The client name (public as {@link ClientCommands.name}). */
  protected clientName: string;
  protected serverVersion = new VersionInfo('');
  protected nameHash: string;
  protected logonCorrelationData: string | undefined;

  /**
   * @param name the client name: unique per application instance; AMPS uses it for
   *   duplicate detection. Must be non-empty, without control characters.
   * @throws UsageError for an invalid name
   */
  constructor(name: string, options: ClientOptions = {}) {
    super(options);
    validateClientName(name);
    this.clientName = name;
    this.nameHash = fnv1a64(name);
  }

  /** The client name (the seed's `name()`). */
  get name(): string {
    return this.clientName;
  }

  /**
   * Logs on (spec §6.2): sends `logon` with the URI's user and the authenticator's
   * password, answers `retry` challenges, then starts heartbeats if configured.
   * @returns the command id of the successful logon
   * @throws the mapped error of a failed logon (AuthenticationError, NameInUseError, ...),
   *   TimedOutError, DisconnectedError
   */
  async logon(options: LogonOptions = {}): Promise<string> {
    const uri = this.parsedUri;
    if (!uri || !this.isConnected)
      throw new DisconnectedError('logon needs a connection: call connect(uri) first', {
        code: 'disconnected',
      });
    const { cid, ack } = await logonSequence(
      {
        uri,
        clientName: this.clientName,
        defaultTimeoutMs: this.commandTimeoutMs,
        correlationData: this.logonCorrelationData,
        nextCommandId: () => this.nextCommandId(),
        send: (fields) => this.send(fields),
        awaitAck: (commandId, timeoutMs) => {
          const waiter = new AckWaiter(commandId, 'logon', timeoutMs, this.timers, (r) =>
            this.router.remove(r),
          );
          this.router.add(waiter);
          return waiter;
        },
      },
      options,
    );
    this.serverVersion = new VersionInfo(ack.version ?? '');
    this.nameHash = publisherIdOf(ack.bookmark) ?? fnv1a64(this.clientName);
    this.loggedOn = true;
    this.emitStatus('loggedOn');
    this.heartbeat.start();
    this.replayPublishStore(ack);
    return cid;
  }

  /**
   * Sends a command and returns the stream of its messages once the command's `processed`
   * ack arrived (at once for commands that wait for no ack). A SOW query's stream ends after
   * its results; a subscription's stream ends on unsubscribe or disconnect.
   * @throws the mapped error of a failed ack, TimedOutError, DisconnectedError,
   *   SubscriptionAlreadyExistsError
   */
  async execute(command: Command, options: ExecuteOptions = {}): Promise<MessageStream> {
    const plan = planCommand(command, this.planContext());
    return this.withRetry(plan, () => this.executeOnce(plan, options));
  }

  private async executeOnce(plan: Plan, options: ExecuteOptions): Promise<MessageStream> {
    if (!plan.routed) {
      this.send(plan.fields, plan.data);
      const empty = new MessageStream();
      empty.end();
      return empty;
    }
    const ids = { commandId: plan.fields.commandId, subId: plan.fields.subId, queryId: plan.fields.queryId };
    const holder: { route?: CommandRoute } = {};
    const stream = new MessageStream({
      maxDepth: options.maxDepth ?? this.defaultMaxDepth,
      pressure: this.pressure,
      onClose: () => {
        if (holder.route) this.closeRoute(holder.route);
      },
      onTake: (m) => this.autoAckTaken(m),
      ...ids,
    });
    const route = this.startRoute(plan, stream);
    holder.route = route;
    await route.ready;
    if (plan.replaces) {
      const existing = plan.replaces.sink;
      if (existing instanceof MessageStream) return existing;
    }
    return stream;
  }

  /**
   * Sends a command and calls `handler` with each of its messages.
   * @returns the subscription id (subscriptions) or command id, once the `processed` ack arrived
   */
  async executeAsync(command: Command, handler: MessageHandler): Promise<string> {
    const plan = planCommand(command, this.planContext());
    return this.withRetry(plan, () => this.executeAsyncOnce(plan, handler));
  }

  private async executeAsyncOnce(plan: Plan, handler: MessageHandler): Promise<string> {
    const id = plan.fields.subId ?? plan.fields.queryId ?? plan.fields.commandId ?? '';
    if (!plan.routed) {
      this.send(plan.fields, plan.data);
      return id;
    }
    const sink: RouteSink = {
      push: (m) => {
        const ok = this.safely(handler, m);
        if (this.autoAck && m.isQueueMessage) m.ack(ok ? undefined : 'cancel');
      },
      end: (error) => {
        if (error && !(error instanceof DisconnectedError)) this.reportException(error);
      },
    };
    const route = this.startRoute(plan, sink);
    await route.ready;
    return id;
  }

  /**
   * Routes the messages and acks of a command id to `handler` without sending anything (the
   * seed's `add_message_handler`), e.g. for commands sent by other means.
   * @param acks ack types to pass to the handler; a non-subscription route ends once all arrived
   * @param isSubscribe also route deliveries whose `sids` name `commandId`
   */
  addMessageHandler(
    commandId: string,
    handler: MessageHandler,
    acks: string | AckType[],
    isSubscribe: boolean,
  ): void {
    const requested = typeof acks === 'string' ? parseAckTypes(acks) : new Set(acks);
    const route = new CommandRoute({
      commandId,
      subId: isSubscribe ? commandId : undefined,
      queryId: commandId,
      kind: isSubscribe ? 'subscription' : 'command',
      requested,
      visibleAcks: requested,
      sink: { push: (m) => this.safely(handler, m), end: () => {} },
      context: `handler for command ${commandId}`,
      timeoutMs: 0,
      timers: this.timers,
      onEnd: (r) => this.router.remove(r),
    });
    this.router.add(route);
  }

  /** Removes what {@link addMessageHandler} (or a command) registered for `commandId`. */
  removeMessageHandler(commandId: string): void {
    const route = this.router.command(commandId);
    if (route instanceof CommandRoute) route.close();
    else if (route) this.router.remove(route);
  }

  /**
   * Removes subscriptions and tells the server. No id (or `all`) removes every subscription.
   * Their streams end. Without a connection only the local subscriptions are removed.
   */
  unsubscribe(subId?: string): Promise<void> {
    const all = subId === undefined || subId === 'all';
    const routes = all ? this.router.subscriptions() : [this.router.subscription(subId)];
    for (const r of routes) if (r instanceof CommandRoute) r.close();
    if (this.isConnected) this.send({ command: 'unsubscribe', subId: all ? 'all' : subId });
    return Promise.resolve();
  }

  /**
   * Acknowledges a queue message (spec §11.2): `ack(message, options?)` or
   * `ack(topic, bookmark, options?)`. Batched when the ack batch size is over 1. For a
   * message of a bookmark subscription (no `lp`), `ack(message)` marks it processed in the
   * bookmark store instead (spec §8.6).
   * @param options `cancel` returns the message to the queue, `expire` expires it
   */
  ack(message: Message, options?: string): void;
  ack(topic: string, bookmark: string, options?: string): void;
  ack(target: Message | string, second?: string, third?: string): void {
    if (typeof target !== 'string') {
      if (target.isQueueMessage) target.ack(second);
      else this.discardBookmarked(target);
      return;
    }
    if (target === '' || second === undefined || second === '') {
      throw new UsageError('ack needs a topic and a bookmark', { code: 'invalid argument' });
    }
    this.ackQueueMessage(target, second, third);
  }

  /** A processed bookmark-subscription message: tell the bookmark store (spec §8.6). */
  private discardBookmarked(message: Message): void {
    const bm = message.bookmark;
    const store = this.bookmarkStore;
    if (bm === undefined || !store?.discard) return;
    for (const subId of message.subIds) store.discard(subId, bm);
  }

  /**
   * Publishes a message (no ack is requested, as in the official clients; with a publish
   * store the message is stored first and sent with `a=persisted` and its sequence).
   * @returns the sequence number when a publish store is set
   * @throws DisconnectedError without a connection, UsageError for an empty topic
   */
  publish(topic: string, data: string | Uint8Array, options: PublishOptions = {}): string | undefined {
    return this.publishCommand('publish', topic, data, options);
  }

  /** Publishes a delta (spec §4.5): fields present in `data` replace those of the SOW record. */
  deltaPublish(topic: string, data: string | Uint8Array, options: PublishOptions = {}): string | undefined {
    return this.publishCommand('delta_publish', topic, data, options);
  }

  /**
   * Sends `flush` and waits for its ack: `processed` once every earlier command was
   * processed, `persisted` once every earlier publish was persisted (spec §4.13).
   * @throws TimedOutError, DisconnectedError, or the mapped error of a failed ack
   */
  async publishFlush(timeoutMs?: number, ackType: 'processed' | 'persisted' = 'processed'): Promise<void> {
    if (ackType !== 'processed' && ackType !== 'persisted') {
      throw new UsageError(`publishFlush ack type must be processed or persisted, got ${String(ackType)}`, {
        code: 'invalid argument',
      });
    }
    const cmd = new Command('flush').setAckType([ackType]);
    if (timeoutMs !== undefined) cmd.setTimeout(timeoutMs);
    await this.execute(cmd);
    // With a publish store, also wait until every stored publish is acknowledged (spec §4.13).
    if (this.publishStore?.flush) await this.publishStore.flush(timeoutMs ?? this.commandTimeoutMs);
  }

  /** Waits until the server has processed every earlier command (`flush` with `processed`). */
  flush(timeoutMs?: number): Promise<void> {
    return this.publishFlush(timeoutMs, 'processed');
  }

  /**
   * Sets heartbeats (spec §10.1): `start,<interval>` is sent after every logon (and now, if
   * logged on); the connection is declared dead when nothing arrives for `timeoutSeconds`
   * (default twice the interval). 0 turns heartbeats off.
   */
  setHeartbeat(intervalSeconds: number, timeoutSeconds?: number): void {
    this.heartbeat.configure(intervalSeconds, timeoutSeconds);
    if (this.isLoggedOn) this.heartbeat.start();
    else this.heartbeat.stop();
  }

  /** After logon (spec §6.3): drop what the server already has, then re-send the rest in order. */
  private replayPublishStore(ack: Message): void {
    const store = this.publishStore;
    if (!store) return;
    const seq = ack.sequence;
    if (seq !== undefined && /^\d+$/.test(seq) && BigInt(seq) > 0n) store.discardUpTo(seq);
    store.replay?.((fields, data) => {
      // Stored queue-ack cancels are not replayed (spec §6.3).
      if (
        fields.command === 'sow_delete' &&
        fields.options !== undefined &&
        splitOptions(fields.options).includes('cancel')
      )
        return;
      // A stored command id belongs to an earlier connection or process; on this one it may
      // name another command, whose route would take the replayed command's acks. The persisted
      // ack is matched by `s`, so only the fixed queue-ack id is kept.
      const { commandId, ...rest } = fields;
      const replayed: HeaderFields = { ...rest, ackType: 'persisted' };
      if (commandId === QUEUE_ACK_COMMAND_ID) replayed.commandId = commandId;
      this.send(replayed, data);
    });
  }

  private publishCommand(
    command: 'publish' | 'delta_publish',
    topic: string,
    data: string | Uint8Array,
    options: PublishOptions,
  ): string | undefined {
    const fields = publishHeader(command, topic, options);
    let sequence: string | undefined;
    if (this.publishStore) {
      const payload = payloadBytes(data);
      sequence = this.publishStore.store(fields, payload);
      fields.sequence = sequence;
      fields.ackType = 'persisted';
      this.send(fields, payload);
      return sequence;
    }
    // Without a store a string payload is encoded straight into the transport's batch buffer.
    this.send(fields, data);
    return sequence;
  }
}
