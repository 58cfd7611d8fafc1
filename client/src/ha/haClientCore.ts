/**
 * The connection side of the HA client (spec §12.2–§12.4): the connect loop over the server
 * chooser and delay strategy, one fresh {@link Client} per connection, and after each
 * (re)connect, in order: logon, heartbeats, resubscription of every kept subscription. The
 * publish store is replayed by the Client as part of its logon (as the C-family client does),
 * so before the resubscriptions, where §12.4 lists it after them; either order gives the
 * server the same publishes. Drops start the loop again; giving up ends every stream.
 */
import { Client, validateClientName, type ClientOptions } from '../client.js';
import type { ExceptionListener, PublishStoreHook } from '../client/hooks.js';
import { toPublishHook } from '../client/storeHooks.js';
import { DisconnectedError, UsageError } from '../errors.js';
import type { BookmarkStore } from '../stores/bookmark/bookmarkStore.js';
import { MemoryBookmarkStore } from '../stores/bookmark/memoryBookmarkStore.js';
import { connectWithin, resubscribeAll } from './haAttemptSteps.js';
import { ExponentialDelayStrategy, type ReconnectDelayStrategy } from './delayStrategy.js';
import { checkMs, DEFAULT_HA_TIMEOUT_MS, type HAClientOptions } from './haOptions.js';
import { HAConnectionError, type HAConnectFailure } from './haConnectionError.js';
import { HAStatusHub, type HAConnectionStateListener, type HAConnectionStatus } from './haStatus.js';
import { HASubscriptionManager } from './haSubscriptions.js';
import { DefaultServerChooser, redactUri, type ServerChooser } from './serverChooser.js';

export { checkMs, DEFAULT_HA_TIMEOUT_MS, type HAClientOptions } from './haOptions.js';

/** Called after an unexpected disconnect, before the HA client reconnects. */
export type HADisconnectHandler = (client: HAClientCore, error: Error) => void;

/** Failed attempts one connect loop remembers for its error (the oldest are dropped). */
const MAX_FAILURES_KEPT = 1000;

/** Connection management shared by the {@link HAClient} API. */
export class HAClientCore {
  /** Resubscription timeout of HA clients created without one (undefined: their `timeoutMs`). */
  protected static defaultResubscriptionTimeoutMs: number | undefined;
  protected chooser: ServerChooser;
  protected strategy: ReconnectDelayStrategy;
  protected logonOptions: string | undefined;
  protected timeoutMs: number;
  protected resubscriptionTimeoutMs: number;
  protected publishHook: PublishStoreHook | undefined;
  protected bookmarkStore: BookmarkStore;
  protected readonly clientOptions: Omit<ClientOptions, 'publishStore' | 'bookmarkStore'>;
  protected subs: HASubscriptionManager;
  protected readonly statusHub: HAStatusHub;
  /** The live connection: logged on and resubscribed. */
  protected current: Client | undefined;
  /** The connection being set up by the connect loop. */
  protected candidate: Client | undefined;
  protected currentUri: string | undefined;
  protected lastUri: string | undefined;
  protected loop: Promise<void> | undefined;
  protected closed = false;
  protected closeReported = false;
  protected sleeper: { wake: () => void } | undefined;
  protected heartbeat: { interval: number; timeout: number | undefined } | undefined;
  protected disconnectHandler: HADisconnectHandler | undefined;
  protected exceptionListener: ExceptionListener | undefined;

  /**
   * @param name the client name, the same on every connection (AMPS uses it for duplicate detection)
   * @throws UsageError for an invalid name or option
   */
  constructor(
    protected name: string,
    options: HAClientOptions = {},
  ) {
    validateClientName(name);
    this.chooser = options.serverChooser ?? new DefaultServerChooser();
    this.strategy = options.delayStrategy ?? new ExponentialDelayStrategy();
    this.logonOptions = options.logonOptions;
    this.timeoutMs = checkMs('timeoutMs', options.timeoutMs ?? DEFAULT_HA_TIMEOUT_MS, false);
    this.resubscriptionTimeoutMs = checkMs(
      'resubscriptionTimeoutMs',
      options.resubscriptionTimeoutMs ?? HAClientCore.defaultResubscriptionTimeoutMs ?? this.timeoutMs,
      true,
    );
    this.publishHook = toPublishHook(options.publishStore);
    this.bookmarkStore = options.bookmarkStore ?? new MemoryBookmarkStore();
    this.clientOptions = options.clientOptions ?? {};
    this.subs = this.subscriptionManager(this.bookmarkStore);
    this.statusHub = new HAStatusHub(
      () => Date.now(),
      (e) => this.reportException(e),
    );
  }

  /**
   * Connects and logs on to the first server that accepts, walking the server chooser with
   * the delay strategy's waits, then places every subscription made so far.
   * @throws HAConnectionError listing every server's error when the delay strategy gives up or
   *   the chooser has no server; DisconnectedError when closed meanwhile; UsageError after close
   */
  async connectAndLogon(): Promise<void> {
    this.assertOpen();
    if (this.current?.isConnected) return;
    if (!this.loop) this.startLoop(false);
    const loop = this.loop;
    try {
      await loop;
    } catch (e) {
      if (!this.closed) this.statusHub.emit('disconnected', undefined, e as Error);
      throw e;
    }
  }

  /** Same as {@link connectAndLogon} (the seed's `connect`). */
  connect(): Promise<void> {
    return this.connectAndLogon();
  }

  /** Stops reconnecting, closes the connection and ends every stream. Idempotent. */
  async close(): Promise<void> {
    if (this.closed && this.closeReported) return;
    this.closed = true;
    this.sleeper?.wake();
    const clients = [this.current, this.candidate];
    this.current = this.candidate = undefined;
    for (const c of clients) await c?.disconnect();
    await this.loop?.catch(() => undefined);
    this.subs.endAll();
    this.reportClosed();
  }

  /** Same as {@link close}. */
  disconnect(): Promise<void> {
    return this.close();
  }

  /** Removes one subscription (or all without an id); its stream ends. */
  async unsubscribe(subId?: string): Promise<void> {
    const ids = subId === undefined || subId === 'all' ? [...this.subs.all()].map((s) => s.subId) : [subId];
    for (const id of ids) {
      const sub = this.subs.remove(id);
      const client = sub?.placedOn;
      if (!client?.isConnected) continue;
      try {
        await client.unsubscribe(id);
      } catch (e) {
        // The connection ended meanwhile: the server forgets the subscription with it.
        if (!(e instanceof DisconnectedError)) throw e;
      }
    }
  }

  // ---- state and configuration ----

  /** The client name. */
  getName(): string {
    return this.name;
  }
  /** The URI of the live connection (password masked), if any. */
  getUri(): string | undefined {
    return this.current ? this.currentUri : undefined;
  }
  /** True while a connection is logged on and resubscribed. */
  get isConnected(): boolean {
    return this.current?.isLoggedOn ?? false;
  }
  /** The latest state change. */
  get currentStatus(): HAConnectionStatus | undefined {
    return this.statusHub.current;
  }
  /** Adds a connection-state listener; returns a function that removes it. */
  addConnectionStateListener(listener: HAConnectionStateListener): () => void {
    return this.statusHub.add(listener);
  }
  /** Removes a connection-state listener. */
  removeConnectionStateListener(listener: HAConnectionStateListener): void {
    this.statusHub.remove(listener);
  }
  /** Called after each unexpected disconnect, before reconnecting. */
  setDisconnectHandler(handler: HADisconnectHandler | undefined): void {
    this.disconnectHandler = handler;
  }
  /** Receives errors thrown by handlers and listeners. */
  setExceptionListener(listener: ExceptionListener | undefined): void {
    this.exceptionListener = listener;
  }
  /** The exception listener. */
  getExceptionListener(): ExceptionListener | undefined {
    return this.exceptionListener;
  }

  // ---- internals ----

  /** The subscriptions kept across reconnects, with their bookmarks in `store`. */
  protected subscriptionManager(store: BookmarkStore): HASubscriptionManager {
    return new HASubscriptionManager(
      store,
      (e) => this.reportException(e),
      (sub) => {
        this.unsubscribe(sub.subId).catch((e: unknown) => this.reportException(e));
      },
    );
  }

  /** True while a connection exists or is being set up. */
  protected get engaged(): boolean {
    return this.current !== undefined || this.candidate !== undefined || this.loop !== undefined;
  }

  /** Called with each new connection's Client before it connects (settings are applied here). */
  protected configureConnection(_client: Client): void {}

  protected live(): Client | undefined {
    if (this.current?.isLoggedOn) return this.current;
    return this.candidate?.isLoggedOn ? this.candidate : undefined;
  }

  private startLoop(reconnect: boolean): void {
    const loop = this.connectLoop(reconnect);
    this.loop = loop;
    loop.then(
      () => {
        if (this.loop === loop) this.loop = undefined;
      },
      (e: unknown) => {
        if (this.loop === loop) this.loop = undefined;
        if (reconnect && !this.closed) this.giveUp(e as Error);
      },
    );
  }

  /** The connect loop of spec §12.3. */
  private async connectLoop(reconnect: boolean): Promise<void> {
    const failures: HAConnectFailure[] = [];
    // An application's own call starts a fresh outage (an earlier give-up does not carry over).
    if (!reconnect) this.strategy.reset();
    for (;;) {
      if (this.closed) throw this.closedError();
      const uri = this.chooser.getCurrentURI();
      if (uri === undefined || uri === '')
        throw new HAConnectionError(this.name, 'the server chooser has no server to try', failures);
      let waitMs: number;
      try {
        waitMs = this.strategy.getConnectWaitDuration(uri);
      } catch (e) {
        throw new HAConnectionError(this.name, (e as Error).message, failures, e);
      }
      if (waitMs > 0) await this.sleep(waitMs);
      if (this.closed) throw this.closedError();
      const shown = redactUri(uri);
      this.statusHub.emit('connecting', shown);
      try {
        await this.attempt(uri, shown, reconnect);
        return;
      } catch (e) {
        if (this.closed) throw this.closedError();
        const error = e instanceof Error ? e : new Error(String(e));
        failures.push({ uri: shown, error });
        if (failures.length > MAX_FAILURES_KEPT) failures.shift();
        this.chooser.reportFailure(error, { uri: shown, clientName: this.name });
      }
    }
  }

  /** One connection: connect, logon (which replays the publish store), resubscribe, heartbeat. */
  private async attempt(uri: string, shown: string, reconnect: boolean): Promise<void> {
    const client = new Client(this.name, {
      ...this.clientOptions,
      bookmarkStore: this.subs.bookmarkHook,
      ...(this.publishHook ? { publishStore: this.publishHook } : {}),
    });
    this.candidate = client;
    this.configureConnection(client);
    client.setDisconnectHandler((_c, error) => this.onDrop(client, error));
    client.setExceptionListener((e) => this.reportException(e));
    client.addConnectionStateListener((s) => {
      if (s.state === 'heartbeatMissed' && client === this.current)
        this.statusHub.emit('heartbeatMissed', shown, s.error);
    });
    try {
      await connectWithin(client, uri, shown, this.timeoutMs);
      await client.logon({
        timeoutMs: this.timeoutMs,
        authenticator: this.chooser.getCurrentAuthenticator(),
        ...(this.logonOptions !== undefined ? { options: this.logonOptions } : {}),
      });
      this.statusHub.emit('loggedOn', shown);
      if (this.lastUri !== undefined && this.lastUri !== uri) this.statusHub.emit('failedOver', shown);
      // Spec §12.4: heartbeats start before the subscriptions are placed again.
      if (this.heartbeat) client.setHeartbeat(this.heartbeat.interval, this.heartbeat.timeout);
      await resubscribeAll(client, this.subs, this.resubscriptionTimeoutMs, (e) => this.reportException(e));
      if (!client.isLoggedOn)
        throw new DisconnectedError(`connection to ${shown} ended while resubscribing`, {
          code: 'disconnected',
          retriable: true,
        });
    } catch (e) {
      if (this.candidate === client) this.candidate = undefined;
      await client.disconnect();
      throw e;
    }
    this.candidate = undefined;
    this.current = client;
    this.currentUri = shown;
    this.lastUri = uri;
    this.chooser.reportSuccess({ uri: shown, clientName: this.name });
    this.strategy.reset();
    if (reconnect) this.statusHub.emit('resubscribed', shown);
  }

  private onDrop(client: Client, error: Error): void {
    if (client !== this.current) return; // the connect loop handles its own candidate
    this.current = undefined;
    this.subs.unplaceAll();
    this.statusHub.emit('disconnected', this.currentUri, error);
    if (this.disconnectHandler) {
      try {
        this.disconnectHandler(this, error);
      } catch (e) {
        this.reportException(e);
      }
    }
    if (this.closed || this.loop) return;
    this.statusHub.emit('reconnecting', this.currentUri, error);
    this.startLoop(true);
  }

  /** Reconnecting gave up: the HA client is finished. */
  private giveUp(error: Error): void {
    this.closed = true;
    this.subs.endAll(error);
    this.reportClosed(error);
  }

  private reportClosed(error?: Error): void {
    if (this.closeReported) return;
    this.closeReported = true;
    this.statusHub.emit('closed', undefined, error);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.sleeper = undefined;
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.sleeper = { wake };
    });
  }

  protected assertOpen(): void {
    if (this.closed) throw new UsageError(`HA client "${this.name}" is closed`, { code: 'closed' });
  }

  private closedError(): DisconnectedError {
    return new DisconnectedError(`HA client "${this.name}" was closed`, { code: 'closed' });
  }

  protected notConnected(what: string): DisconnectedError {
    return new DisconnectedError(`cannot ${what}: HA client "${this.name}" is not connected`, {
      code: 'disconnected',
      retriable: true,
    });
  }

  protected reportException(error: unknown): void {
    try {
      this.exceptionListener?.(error);
    } catch {
      // a failing listener must not break the HA client
    }
  }
}
