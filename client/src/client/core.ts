/**
 * The connection layer of the Client: opens the transport, decodes inbound frames into
 * Messages (one per SOW record), routes them, reports status, and tears everything down
 * when the connection ends — rejecting what is pending and ending every stream.
 */
import { AlreadyConnectedError, DisconnectedError, type AmpsError } from '../errors.js';
import type { HeaderFields } from '../protocol/fields.js';
import { encodeClientHeaderBytes } from '../protocol/header.js';
import { Message, type QueueAcker } from '../protocol/message.js';
import { Router } from '../router.js';
import type { StreamPressure } from '../stream.js';
import { connectTransport } from '../transport/connect.js';
import type { Transport } from '../transport/transport.js';
import { parseUri } from '../uri.js';
import { AckBatcher } from './ackBatcher.js';
import { DEFAULT_COMMAND_TIMEOUT_MS, type ClientOptions, type TransportFilter } from './clientOptions.js';
import { decodeFrame, frameDecodeError } from './frameDecoder.js';
import { ClientEvents } from './events.js';
import { toBookmarkHook, toPublishHook } from './storeHooks.js';
import { closeError, connectError } from './connectionErrors.js';
import { Heartbeat } from './heartbeat.js';
import { routePersistedAck } from './persistedAck.js';

export type { DisconnectHandler } from './events.js';
export { DEFAULT_COMMAND_TIMEOUT_MS, type ClientOptions, type TransportFilter } from './clientOptions.js';
import {
  systemTimers,
  type BookmarkStoreHook,
  type CommandTap,
  type FailedWriteHandler,
  type MessageHandler,
  type PublishStoreHook,
  type TransportFactory,
} from './hooks.js';

/** The fixed command id of queue acknowledgements (spec §11.2). */
export const QUEUE_ACK_COMMAND_ID = 'AMPS-queue-ack';

/** Transports that can encode a string payload into their own outbound buffer (StreamTransport). */
interface TextSender {
  sendText(header: Uint8Array, text: string): boolean;
}

interface Connection {
  transport: Transport | undefined;
  alive: boolean;
  /** Set when the application asked to disconnect. */
  closing: boolean;
}

const CLOSED_CODE = 'closed';

/** The connection core shared by every Client API method. */
export class ClientCore extends ClientEvents {
  /** Routes inbound messages to commands. */
  protected readonly router: Router;
  protected readonly heartbeat: Heartbeat;
  protected readonly ackBatcher: AckBatcher;
  protected commandTimeoutMs: number;
  protected defaultMaxDepth: number | undefined;
  protected publishStore: PublishStoreHook | undefined;
  protected bookmarkStore: BookmarkStoreHook | undefined;
  protected autoAck: boolean;
  protected connection: Connection | undefined;
  protected uriText: string | undefined;
  protected loggedOn = false;
  private readonly transportFactory: TransportFactory;
  private transportFilter: TransportFilter | undefined;
  private commandTap: CommandTap | undefined;
  private commandCounter = 0;
  /** Given to every inbound Message for `ack()` (one function for all of them). */
  private readonly acker: QueueAcker = (topic, bm, opts) => this.ackQueueMessage(topic, bm, opts);
  private pausedStreams = 0;
  protected failedWriteHandler: FailedWriteHandler | undefined;
  protected duplicateHandler: MessageHandler | undefined;
  /** Back-pressure shared by every stream: the transport is paused while any stream is over its depth. */
  protected readonly pressure: StreamPressure = {
    pause: () => {
      if (this.pausedStreams++ === 0) this.connection?.transport?.pause();
    },
    resume: () => {
      if (this.pausedStreams > 0 && --this.pausedStreams === 0) this.connection?.transport?.resume();
    },
  };

  constructor(options: ClientOptions = {}) {
    super(options.timers ?? systemTimers, options.logger);
    const connectOptions = {
      ...(options.connectTimeoutMs === undefined ? {} : { connectTimeoutMs: options.connectTimeoutMs }),
      ...(options.tls === undefined ? {} : { tls: options.tls }),
    };
    this.transportFactory =
      options.transportFactory ?? ((uri, handlers) => connectTransport(uri, handlers, connectOptions));
    this.commandTimeoutMs = options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
    this.defaultMaxDepth = options.defaultMaxDepth;
    this.publishStore = toPublishHook(options.publishStore);
    this.bookmarkStore = toBookmarkHook(options.bookmarkStore);
    this.autoAck = options.autoAck ?? false;
    this.router = new Router({ persistedAck: (m) => this.onPersistedAck(m) });
    this.heartbeat = new Heartbeat({
      send: (fields) => this.send(fields),
      onAbsent: (ms) => this.onHeartbeatAbsent(ms),
      timers: this.timers,
    });
    this.ackBatcher = new AckBatcher((topic, bms, opts) => this.sendQueueAck(topic, bms, opts), this.timers);
    if (options.ackBatchSize !== undefined) this.ackBatcher.setSize(options.ackBatchSize);
    if (options.ackTimeoutMs !== undefined) this.ackBatcher.setTimeout(options.ackTimeoutMs);
  }

  /** True while a transport is open. */
  get isConnected(): boolean {
    return this.connection?.transport !== undefined && this.connection.alive;
  }

  /** True after a successful logon on the current connection. */
  get isLoggedOn(): boolean {
    return this.loggedOn && this.isConnected;
  }

  /**
   * Opens a connection to the URI (the transport only; call `logon` next).
   * @throws InvalidUriError for a malformed URI, AlreadyConnectedError when connected,
   *   ConnectionRefusedError / TimedOutError / TransportError when the connection fails
   */
  async connect(uri: string): Promise<void> {
    if (this.connection)
      throw new AlreadyConnectedError(`already connected to ${this.uriForDisplay()}`, {
        code: 'already connected',
      });
    const parsed = parseUri(uri);
    this.parsedUri = parsed;
    this.uriText = uri;
    const conn: Connection = { transport: undefined, alive: true, closing: false };
    this.connection = conn;
    this.emitStatus('connecting');
    let transport: Transport;
    try {
      transport = await this.transportFactory(uri, {
        onFrame: (frame) => {
          if (conn.alive) this.onFrame(conn, frame);
        },
        onClose: (error) => this.teardown(conn, error, conn.closing),
      });
    } catch (e) {
      if (this.connection === conn) this.connection = undefined;
      conn.alive = false;
      const err = connectError(e, this.uriForDisplay());
      this.emitStatus('disconnected', err);
      throw err;
    }
    if (!conn.alive) {
      transport.close();
      throw new DisconnectedError(`connection to ${this.uriForDisplay()} closed while connecting`, {
        code: 'disconnected',
        retriable: true,
      });
    }
    conn.transport = transport;
    this.emitStatus('connected');
  }

  /**
   * Closes the connection. Pending commands reject with DisconnectedError; streams end
   * (without error, since the application asked for it). Pending queue acks are sent first.
   */
  disconnect(): Promise<void> {
    const conn = this.connection;
    if (!conn) return Promise.resolve();
    try {
      if (conn.transport) this.ackBatcher.flush();
    } catch {
      // best effort
    }
    conn.closing = true;
    const transport = conn.transport;
    this.teardown(
      conn,
      new DisconnectedError('the client was disconnected by the application', { code: CLOSED_CODE }),
      true,
    );
    transport?.close();
    return Promise.resolve();
  }

  /** Same as {@link disconnect} (the seed's `close`). */
  close(): Promise<void> {
    return this.disconnect();
  }

  /** A fresh command id: a decimal counter, unique for this client. */
  protected nextCommandId(): string {
    this.commandCounter += 1;
    return String(this.commandCounter);
  }

  /**
   * Encodes and sends one command. A string payload is sent as UTF-8 (written straight into
   * the outbound batch by stream transports).
   * @throws DisconnectedError when there is no connection
   */
  protected send(fields: HeaderFields, data?: Uint8Array | string): void {
    const transport = this.connection?.alive ? this.connection.transport : undefined;
    if (!transport) {
      throw new DisconnectedError(`cannot send ${fields.command ?? 'command'}: not connected`, {
        code: 'disconnected',
        retriable: true,
      });
    }
    const header = encodeClientHeaderBytes(fields, transport.kind === 'stream');
    if (this.commandTap !== undefined) this.tapSent(fields, data);
    if (typeof data === 'string') {
      const textSender = transport as Partial<TextSender>;
      if (this.transportFilter === undefined && textSender.sendText !== undefined) {
        textSender.sendText(header, data);
        this.heartbeat.onOutbound();
        return;
      }
      data = Buffer.from(data, 'utf8');
    }
    if (this.transportFilter) this.filterSafely(data ? Buffer.concat([header, data]) : header, false);
    transport.send(header, data);
    this.heartbeat.onOutbound();
  }

  /**
   * Sets a function that sees every outbound message (header + payload, no length prefix)
   * and every inbound frame, e.g. for tracing (the seed's `set_transport_filter`). It must
   * not keep or change the buffers; what it throws goes to the exception listener.
   */
  setTransportFilter(filter: TransportFilter | undefined): void {
    this.transportFilter = filter;
  }

  /**
   * Sets a tap that sees every command sent and every message received, as header fields and
   * decoded Messages (no second parse), e.g. for a wire inspector. `undefined` removes it.
   */
  setCommandTap(tap: CommandTap | undefined): void {
    this.commandTap = tap;
  }

  private tapSent(fields: HeaderFields, data: Uint8Array | string | undefined): void {
    const bytes = data === undefined ? 0 : typeof data === 'string' ? Buffer.byteLength(data) : data.length;
    try {
      this.commandTap?.sent(fields, bytes);
    } catch (e) {
      this.reportException(e);
    }
  }

  private filterSafely(bytes: Buffer, incoming: boolean): void {
    try {
      this.transportFilter?.(bytes, incoming);
    } catch (e) {
      this.reportException(e);
    }
  }

  /**
   * Sends a batched queue acknowledgement (spec §11.2). With a publish store the ack is
   * stored first and sent with `a=persisted` and its sequence, so that it is replayed after a
   * failover (spec §12.1); the replay skips stored `cancel` acks (spec §6.3).
   */
  protected sendQueueAck(topic: string, bookmarks: readonly string[], options: string | undefined): void {
    const fields: HeaderFields = {
      command: 'sow_delete',
      topic,
      commandId: QUEUE_ACK_COMMAND_ID,
      bookmark: bookmarks.join(','),
    };
    if (options) fields.options = options;
    if (this.publishStore) {
      fields.sequence = this.publishStore.store(fields, undefined);
      fields.ackType = 'persisted';
    }
    this.send(fields);
  }

  /** Fails the connection from inside (protocol error, heartbeat loss). */
  protected failConnection(error: AmpsError): void {
    const conn = this.connection;
    if (!conn) return;
    const transport = conn.transport;
    this.teardown(conn, error, false);
    transport?.close(error);
  }

  private teardown(conn: Connection, error: Error | undefined, userInitiated: boolean): void {
    if (!conn.alive) return;
    conn.alive = false;
    if (this.connection === conn) this.connection = undefined;
    const err = closeError(error, this.uriForDisplay());
    this.loggedOn = false;
    this.heartbeat.stop();
    this.ackBatcher.clear();
    this.pausedStreams = 0;
    this.router.failAll(err);
    if (userInitiated) {
      this.emitStatus('closed');
      return;
    }
    this.logger?.warn?.(`disconnected from ${this.uriForDisplay()}: ${err.message}`);
    this.emitStatus('disconnected', err);
    this.notifyDisconnect(err);
  }

  private onFrame(conn: Connection, frame: Buffer): void {
    this.heartbeat.onInbound();
    if (this.transportFilter) this.filterSafely(frame, true);
    let messages: Message | Message[];
    try {
      messages = decodeFrame(frame, this.acker);
    } catch (e) {
      if (this.connection === conn) this.failConnection(frameDecodeError(e, this.uriForDisplay()));
      return;
    }
    if (messages instanceof Message) {
      this.handleMessage(messages);
      return;
    }
    for (const m of messages) {
      if (!conn.alive) return;
      this.handleMessage(m);
    }
  }

  private handleMessage(message: Message): void {
    if (this.commandTap !== undefined) {
      try {
        this.commandTap.received(message);
      } catch (e) {
        this.reportException(e);
      }
    }
    const command = message.command ?? '';
    const global = this.globalHandler(command);
    if (global) this.safely(global, message);
    if (command === 'heartbeat') {
      this.heartbeat.onServerHeartbeat();
      return;
    }
    let result;
    try {
      result = this.router.dispatch(message);
    } catch (e) {
      this.reportException(e);
      return;
    }
    if (result === 'unrouted') {
      const lastChance = this.lastChance();
      if (lastChance) this.safely(lastChance, message);
      else this.logger?.debug?.(`no route for ${message.toString()}`);
    }
  }

  /** Queue ack entry point used by `Message.ack` (overridden to add batching). */
  protected ackQueueMessage(topic: string, bookmark: string, options?: string): void {
    this.ackBatcher.add(topic, bookmark, options);
  }

  /** Persisted acks without a route (spec §5.5). */
  private onPersistedAck(message: Message): boolean {
    const { failedWriteHandler, publishStore, bookmarkStore } = this;
    return routePersistedAck(message, { failedWriteHandler, publishStore, bookmarkStore }, (e) =>
      this.reportException(e),
    );
  }

  private onHeartbeatAbsent(silentMs: number): void {
    const err = new DisconnectedError(
      `no heartbeat or message from ${this.uriForDisplay()} for ${silentMs} ms`,
      { code: 'heartbeat', retriable: true },
    );
    this.emitStatus('heartbeatMissed', err);
    this.failConnection(err);
  }
}
