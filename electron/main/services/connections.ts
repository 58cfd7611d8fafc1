import { randomUUID } from 'node:crypto';
import type {
  ConnectionInfo,
  ConnectionStatusEvent,
  OpenConnectionRequest,
} from '../../../common/src/dto/connections.js';
import type { HaStatus } from '../../../common/src/dto/ha.js';
import type { Profile } from '../../../common/src/dto/profiles.js';
import { ExplorerError, serializeError } from '../../../common/src/ipc/errors.js';
import {
  encodeCredential,
  locateCredentials,
  splitCredentials,
} from '../../../client/src/uri/credentials.js';
import type { Logger } from '../platform/logger.js';
import type {
  AmpsConnectionFactory,
  AmpsConnectionLike,
  AmpsConnectionOptions,
  AmpsHaOptions,
} from './ampsAdapter.js';
import { redact, refuseFileOptions, splitPassword, withPassword } from './connectionStrings.js';
import { HaTracker } from './haTracker.js';

/** A profile with what main keeps apart from it (password, TLS material). */
export interface ResolvedProfile {
  profile: Profile;
  password?: string;
  /** PEM text of the profile's TLS files, when it has any. */
  tls?: { ca?: string; cert?: string; key?: string };
}

/** Finds a profile and its secrets by id. */
export interface ProfileResolver {
  resolve(profileId: string): Promise<ResolvedProfile>;
}

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

/** HA settings of a connection opened from a typed connection string. */
export const DEFAULT_HA_OPTIONS: AmpsHaOptions = {
  delay: { kind: 'exponential', initialMs: 200, maxMs: 20_000, backoff: 2, jitter: 1 },
  giveUpMs: 0,
  resubscribe: true,
};

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

/** Puts the profile's user into a connection string, replacing the one written in it. */
function withUser(connectionString: string, user: string | undefined): string {
  const stripped = splitCredentials(connectionString).connectionString;
  if (user === undefined || user === '') return stripped;
  const sep = stripped.indexOf('://');
  if (sep < 0) return stripped;
  const span = locateCredentials(stripped);
  const rest = stripped.slice(span === undefined ? sep + 3 : span.at + 1);
  return `${stripped.slice(0, sep + 3)}${encodeCredential(user)}@${rest}`;
}

/** The publish store's refused writes, for the HA view (nothing when there were none). */
function failedWritesOf(client: AmpsConnectionLike): {
  failedWrites?: number;
  lastFailedWrite?: { sequence?: string; reason: string; at: number };
} {
  const { count, last } = client.failedWrites();
  return count === 0 ? {} : { failedWrites: count, ...(last === undefined ? {} : { lastFailedWrite: last }) };
}

/** Replaces every password of `uris` (as written and percent-encoded) in a text with `***`. */
function scrubberFor(uris: readonly string[]): (text: string) => string {
  const secrets = new Set<string>();
  for (const uri of uris) {
    const password = splitCredentials(uri).password;
    if (password === undefined || password === '') continue;
    secrets.add(password);
    secrets.add(encodeCredential(password));
  }
  const list = [...secrets].sort((a, b) => b.length - a.length);
  return (text) => list.reduce((out, secret) => out.split(secret).join('***'), text);
}

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
    const target = await this.#target(request);
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
    const entry = this.#owned(connectionId, ownerId);
    const { info } = entry.tracker;
    const { options } = entry;
    let unpersisted: ReturnType<AmpsConnectionLike['unpersisted']> = { count: 0, messages: [] };
    try {
      unpersisted = entry.client.unpersisted(100);
    } catch (error) {
      // A store closed with a client that gave up has nothing left to show.
      this.#options.logger.warn(
        `connection ${connectionId}: publish store unreadable: ${entry.tracker.errorOf(error).message}`,
      );
    }
    return structuredClone({
      connectionId,
      state: info.state,
      servers: entry.tracker.health,
      ...(info.serverIndex === undefined ? {} : { currentIndex: info.serverIndex }),
      timeline: entry.tracker.timeline,
      timelineDropped: entry.tracker.timelineDropped,
      delay: options.ha.delay,
      giveUpMs: options.ha.giveUpMs,
      resubscribe: options.ha.resubscribe,
      ...(info.attempt === undefined ? {} : { attempt: info.attempt }),
      ...(info.nextAttemptAt === undefined ? {} : { nextAttemptAt: info.nextAttemptAt }),
      publishStore: {
        kind: options.publishStore.kind,
        ...(options.publishStore.kind === 'file' ? { path: options.publishStore.path } : {}),
        unpersisted: unpersisted.count,
        messages: unpersisted.messages,
        ...failedWritesOf(entry.client),
      },
      bookmarkStore: {
        kind: options.bookmarkStore.kind,
        ...(options.bookmarkStore.kind === 'file' ? { path: options.bookmarkStore.path } : {}),
        subscriptions: options.bookmarkStore.kind === 'none' ? [] : bookmarks,
      },
      at: this.#now(),
    });
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

  /** Index of the server in use and the server list, for reporting where a publish went. */
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

  async #target(request: OpenConnectionRequest): Promise<{
    servers: string[];
    name: string;
    profileId?: string;
    production?: boolean;
    color?: string;
    options: AmpsConnectionOptions;
  }> {
    const defaultName = `amps-explorer-${randomUUID().slice(0, 8)}`;
    const timeout =
      this.#options.logonTimeoutMs === undefined ? {} : { timeoutMs: this.#options.logonTimeoutMs };
    if ('profileId' in request) {
      const { profile, password, tls } = await this.#options.profiles.resolve(request.profileId);
      // TLS files come from the profile's TLS section (picked by the user), never from a string.
      for (const server of profile.servers) refuseFileOptions(server);
      const uris = profile.servers.map((s) => withPassword(withUser(s, profile.user), password));
      return {
        servers: uris.map(redact),
        name: profile.name,
        profileId: profile.id,
        production: profile.production,
        ...(profile.color === undefined ? {} : { color: profile.color }),
        options: {
          clientName: profile.clientName ?? defaultName,
          uris,
          ha: {
            delay: profile.ha.delay,
            giveUpMs: profile.ha.giveUpMs ?? 0,
            resubscribe: profile.ha.resubscribe,
          },
          bookmarkStore: profile.bookmarkStore,
          publishStore: profile.publishStore,
          tls: { verify: profile.tls.verify, ...tls },
          ...(profile.heartbeatSeconds === undefined ? {} : { heartbeatSeconds: profile.heartbeatSeconds }),
          ...timeout,
        },
      };
    }
    refuseFileOptions(request.connectionString);
    const split = splitPassword(request.connectionString);
    const password = request.password ?? split.password;
    return {
      servers: [split.connectionString],
      name: request.name ?? split.connectionString,
      options: {
        clientName: defaultName,
        uris: [withPassword(split.connectionString, password)],
        ha: DEFAULT_HA_OPTIONS,
        bookmarkStore: { kind: 'memory' },
        publishStore: { kind: 'none' },
        ...timeout,
      },
    };
  }
}
