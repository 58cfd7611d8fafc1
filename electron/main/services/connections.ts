import type {
  ConnectionInfo,
  ConnectionStatusEvent,
  OpenConnectionRequest,
} from '../../../common/src/dto/connections.js';
import type { HaStatus } from '../../../common/src/dto/ha.js';
import { ExplorerError, serializeError } from '../../../common/src/ipc/errors.js';
import type { Logger } from '../platform/logger.js';
import type { AmpsConnectionFactory, AmpsConnectionLike, AmpsConnectionOptions } from './ampsAdapter.js';
import { haStatusOf } from './connectionHaStatus.js';
import { connectionTarget, scrubberFor } from './connectionTarget.js';
import type { ProfileResolver } from './connectionTarget.js';
import { HaTracker } from './haTracker.js';

export { DEFAULT_HA_OPTIONS } from './connectionTarget.js';
export type { ProfileResolver, ResolvedProfile } from './connectionTarget.js';

/** Options of {@link ConnectionService}. */
export interface ConnectionServiceOptions {
  factory: AmpsConnectionFactory;
  profiles: ProfileResolver;
  /** Receives every status change of a connection, for its owner. */
  emitStatus(ownerId: string, event: ConnectionStatusEvent): void;
  logger: Logger;
  /** Milliseconds each connect and each logon may take. */
  logonTimeoutMs?: number;
  /** Open connections one owner may hold (default 16). */
  maxPerOwner?: number;
  now?: () => number;
}

interface Entry {
  ownerId: string;
  options: AmpsConnectionOptions;
  tracker: HaTracker;
  client: AmpsConnectionLike;
  stopStatus: () => void;
  /** Set once the HA client gave up (or was closed); reconnect builds a new one. */
  finished: boolean;
}

/** Default open connections per owner. */
export const MAX_CONNECTIONS_PER_OWNER = 16;

/** Raised for a connection id that is not open. */
export const unknownConnection = (connectionId: string): ExplorerError =>
  new ExplorerError({
    name: 'UnknownConnectionError',
    message: `connection ${connectionId} is not open`,
    code: 'unknown-connection',
  });

const notOwner = (connectionId: string): ExplorerError =>
  new ExplorerError({
    name: 'ConnectionNotOwnedError',
    message: `connection ${connectionId} belongs to another window or browser tab; only the one that opened it may use it`,
    code: 'not-owner',
  });

/**
 * One HA client per open connection, owned by the window or browser tab that opened it. The
 * status of each is tracked for the UI (state, server in use, attempts, server health and a
 * failover timeline) and sent to its owner only. Passwords are put into URIs only for the
 * client and never appear in ConnectionInfo, events or logs.
 */
export class ConnectionService {
  readonly #entries = new Map<string, Entry>();
  readonly #closedListeners = new Set<(connectionId: string) => void>();
  readonly #builtListeners = new Set<(connectionId: string, client: AmpsConnectionLike) => void>();
  readonly #options: ConnectionServiceOptions;
  readonly #now: () => number;
  #next = 1;

  constructor(options: ConnectionServiceOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  /**
   * Opens an HA connection for `ownerId` and resolves once it is logged on. Rejects (and
   * forgets the connection) when every server of the list failed once before any logon.
   */
  async open(request: OpenConnectionRequest, ownerId: string): Promise<ConnectionInfo> {
    this.#checkCap(ownerId);
    const target = await connectionTarget(request, this.#options.profiles, this.#options.logonTimeoutMs);
    // Again: other opens of this owner may have gone ahead while the profile was read.
    this.#checkCap(ownerId);
    const connectionId = `conn-${this.#next++}`;
    const info: ConnectionInfo = {
      connectionId,
      name: target.name,
      connectionString: target.servers[0] ?? '',
      servers: target.servers,
      serverIndex: 0,
      state: 'connecting',
      openedAt: this.#now(),
      ...(target.profileId === undefined ? {} : { profileId: target.profileId }),
      ...(target.production === undefined ? {} : { production: target.production }),
      ...(target.color === undefined ? {} : { color: target.color }),
    };
    const entry = this.#build(connectionId, ownerId, info, target.options);
    this.#emit(entry);
    try {
      await this.#firstLogon(entry);
      this.#options.logger.info(`connection ${connectionId} logged on to ${info.connectionString}`);
      return structuredClone(info);
    } catch (error) {
      entry.tracker.apply({ state: 'failed', error });
      this.#emit(entry);
      await this.#drop(connectionId);
      throw error;
    }
  }

  /** Closes a connection the caller owns; its subscriptions end (see {@link onClosed}). */
  async close(connectionId: string, ownerId: string): Promise<void> {
    const entry = this.#owned(connectionId, ownerId);
    entry.tracker.info.state = 'closed';
    entry.tracker.note('closed');
    this.#emit(entry);
    await this.#drop(connectionId);
  }

  /**
   * "Reconnect now": skips the wait before the next attempt; after the HA client gave up,
   * starts a new one on the same server list (subscriptions ended with the old one).
   */
  async reconnect(connectionId: string, ownerId: string): Promise<ConnectionInfo> {
    const entry = this.#owned(connectionId, ownerId);
    entry.tracker.note('reconnectNow');
    if (!entry.finished) {
      entry.client.reconnectNow();
      return structuredClone(entry.tracker.info);
    }
    entry.stopStatus();
    await entry.client.close().catch(() => undefined);
    const next = this.#build(connectionId, ownerId, entry.tracker.info, entry.options, entry.tracker);
    next.tracker.info.state = 'connecting';
    this.#emit(next);
    try {
      await this.#firstLogon(next);
    } catch (error) {
      next.tracker.apply({ state: 'failed', error });
      next.finished = true;
      this.#emit(next);
      throw error;
    }
    return structuredClone(next.tracker.info);
  }

  /** Drops the current server's transport so the HA client fails over to the next server. */
  simulateFailover(connectionId: string, ownerId: string): void {
    const entry = this.#owned(connectionId, ownerId);
    if (
      entry.finished ||
      (entry.tracker.info.state !== 'loggedOn' && entry.tracker.info.state !== 'failedOver')
    ) {
      throw new ExplorerError({
        name: 'NotConnectedError',
        message: `connection ${connectionId} is ${entry.tracker.info.state}: there is no live server to drop`,
        code: 'not-connected',
      });
    }
    entry.tracker.note('simulatedFailover');
    entry.client.simulateFailover();
  }

  /** The HA view's data for one connection. */
  haStatus(
    connectionId: string,
    ownerId: string,
    bookmarks: HaStatus['bookmarkStore']['subscriptions'] = [],
  ): HaStatus {
    const { tracker, options, client } = this.#owned(connectionId, ownerId);
    return haStatusOf({ connectionId, tracker, options, client }, bookmarks, this.#options.logger, this.#now);
  }

  /** The caller's connections. */
  list(ownerId: string): ConnectionInfo[] {
    return [...this.#entries.values()]
      .filter((e) => e.ownerId === ownerId)
      .map((e) => structuredClone(e.tracker.info));
  }

  /** The client of a connection the caller owns; throws UnknownConnectionError / ConnectionNotOwnedError. */
  client(connectionId: string, ownerId: string): AmpsConnectionLike {
    return this.#owned(connectionId, ownerId).client;
  }

  /** The server (its redacted connection string) the connection uses now, for reporting where a publish went. */
  serverOf(connectionId: string): string | undefined {
    const info = this.#entries.get(connectionId)?.tracker.info;
    return info === undefined ? undefined : info.servers[info.serverIndex ?? 0];
  }

  /** Called with each client built for a connection (at open and at a new HA loop), before it connects. */
  onClientBuilt(listener: (connectionId: string, client: AmpsConnectionLike) => void): () => void {
    this.#builtListeners.add(listener);
    return () => this.#builtListeners.delete(listener);
  }

  /** Called after a connection is closed or failed to open. */
  onClosed(listener: (connectionId: string) => void): () => void {
    this.#closedListeners.add(listener);
    return () => this.#closedListeners.delete(listener);
  }

  /** Closes every connection of an owner that went away. */
  async releaseOwner(ownerId: string): Promise<void> {
    const ids = [...this.#entries].filter(([, e]) => e.ownerId === ownerId).map(([id]) => id);
    if (ids.length > 0)
      this.#options.logger.info(`closing ${ids.length} connection(s) of ${ownerId}, which went away`);
    await Promise.all(ids.map((id) => this.#drop(id)));
  }

  /** Number of open connections (all owners). */
  get size(): number {
    return this.#entries.size;
  }

  /** Closes everything (app shutdown). */
  async shutdown(): Promise<void> {
    await Promise.all([...this.#entries.keys()].map((id) => this.#drop(id)));
  }

  #checkCap(ownerId: string): void {
    const max = this.#options.maxPerOwner ?? MAX_CONNECTIONS_PER_OWNER;
    const owned = [...this.#entries.values()].filter((e) => e.ownerId === ownerId).length;
    if (owned >= max) {
      throw new ExplorerError({
        name: 'TooManyConnectionsError',
        message: `this window already has ${owned} open connections (at most ${max}); close one first`,
        code: 'too-many-connections',
      });
    }
  }

  #owned(connectionId: string, ownerId: string): Entry {
    const entry = this.#entries.get(connectionId);
    if (entry === undefined) throw unknownConnection(connectionId);
    if (entry.ownerId !== ownerId) throw notOwner(connectionId);
    return entry;
  }

  #build(
    connectionId: string,
    ownerId: string,
    info: ConnectionInfo,
    options: AmpsConnectionOptions,
    tracker = new HaTracker(info, this.#now, scrubberFor(options.uris)),
  ): Entry {
    const client = this.#options.factory.create(options);
    for (const listener of this.#builtListeners) listener(connectionId, client);
    const entry: Entry = { ownerId, options, tracker, client, stopStatus: () => undefined, finished: false };
    entry.stopStatus = client.onStatus((status) => {
      if (this.#entries.get(connectionId) !== entry) return;
      const { changed, finished } = tracker.apply(status);
      if (finished) entry.finished = true;
      if (status.state === 'disconnected' || status.state === 'closed') {
        const message = status.error === undefined ? '' : `: ${tracker.errorOf(status.error).message}`;
        this.#options.logger.warn(`connection ${connectionId} ${status.state}${message}`);
      }
      if (changed) this.#emit(entry, entry.tracker.appliedAt);
    });
    this.#entries.set(connectionId, entry);
    return entry;
  }

  /** Logs on; gives up once every server failed once before the first logon. */
  #firstLogon(entry: Entry): Promise<void> {
    const servers = entry.options.uris.length;
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const stop = entry.client.onStatus((status) => {
        if (settled || status.state !== 'attemptFailed') return;
        if (entry.tracker.failuresSinceLogon < servers) return;
        settled = true;
        stop();
        reject(this.#openError(entry));
      });
      entry.client.connectAndLogon().then(
        () => {
          if (settled) return;
          settled = true;
          stop();
          resolve();
        },
        (error: unknown) => {
          if (settled) return;
          settled = true;
          stop();
          reject(error);
        },
      );
    });
  }

  #openError(entry: Entry): ExplorerError {
    const parts = entry.tracker.health
      .filter((h) => h.lastError !== undefined)
      .map((h) => `${h.server}: ${h.lastError?.message ?? ''}`);
    const last = entry.tracker.errorOf(entry.tracker.lastError);
    return new ExplorerError({
      name: last.name,
      message:
        entry.tracker.health.length === 1
          ? last.message
          : `no server of the list accepted: ${parts.join('; ')}`,
      code: last.code,
      retriable: true,
    });
  }

  async #drop(connectionId: string): Promise<void> {
    const entry = this.#entries.get(connectionId);
    if (entry === undefined) return;
    this.#entries.delete(connectionId);
    entry.stopStatus();
    for (const listener of this.#closedListeners) listener(connectionId);
    try {
      await entry.client.close();
    } catch (error) {
      this.#options.logger.warn(`connection ${connectionId}: close failed: ${serializeError(error).message}`);
    }
  }

  #emit(entry: Entry, at = this.#now()): void {
    this.#options.emitStatus(entry.ownerId, { ...structuredClone(entry.tracker.info), at });
  }
}
