import { randomUUID } from 'node:crypto';
import type {
  ConnectionInfo,
  ConnectionStatusEvent,
  OpenConnectionRequest,
} from '../../../common/src/dto/connections.js';
import type { Profile } from '../../../common/src/dto/profiles.js';
import { ExplorerError, serializeError } from '../../../common/src/ipc/errors.js';
import type { Logger } from '../platform/logger.js';
import type { AmpsConnectionFactory, AmpsConnectionLike } from './ampsAdapter.js';
import { redact, splitPassword, withPassword } from './connectionStrings.js';

/** Finds a profile and its password (decrypted) by id. */
export interface ProfileResolver {
  resolve(profileId: string): Promise<{ profile: Profile; password?: string }>;
}

/** Options of {@link ConnectionService}. */
export interface ConnectionServiceOptions {
  factory: AmpsConnectionFactory;
  profiles: ProfileResolver;
  /** Receives every status change, for broadcasting to windows. */
  emitStatus(event: ConnectionStatusEvent): void;
  logger: Logger;
  logonTimeoutMs?: number;
  now?: () => number;
}

interface Entry {
  info: ConnectionInfo;
  client: AmpsConnectionLike;
  stopStatus: () => void;
}

/** Raised for a connection id that is not open. */
export const unknownConnection = (connectionId: string): ExplorerError =>
  new ExplorerError({
    name: 'UnknownConnectionError',
    message: `connection ${connectionId} is not open`,
    code: 'unknown-connection',
  });

/**
 * One client (Client, or HAClient when the profile lists failover servers) per open
 * connection, with its status forwarded to every window. Passwords are put into the URI only
 * for the client and never appear in ConnectionInfo, events or logs.
 */
export class ConnectionService {
  readonly #entries = new Map<string, Entry>();
  readonly #closedListeners = new Set<(connectionId: string) => void>();
  readonly #options: ConnectionServiceOptions;
  #next = 1;

  constructor(options: ConnectionServiceOptions) {
    this.#options = options;
  }

  /** Opens (connect + logon) by profile or connection string; rejects with the client's error. */
  async open(request: OpenConnectionRequest): Promise<ConnectionInfo> {
    const target = await this.#target(request);
    const connectionId = `conn-${this.#next++}`;
    const client = this.#options.factory.create({
      clientName: target.clientName,
      uris: target.uris,
      ...(target.heartbeatSeconds === undefined ? {} : { heartbeatSeconds: target.heartbeatSeconds }),
    });
    const info: ConnectionInfo = {
      connectionId,
      name: target.name,
      connectionString: target.displayString,
      state: 'connecting',
      ...(target.profileId === undefined ? {} : { profileId: target.profileId }),
    };
    const stopStatus = client.onStatus((status) => {
      const error = status.error === undefined ? undefined : serializeError(status.error);
      this.#setState(
        connectionId,
        status.state,
        status.uri === undefined ? undefined : redact(status.uri),
        error,
      );
    });
    this.#entries.set(connectionId, { info, client, stopStatus });
    this.#emit(info);
    try {
      const first = target.uris[0];
      if (first === undefined)
        throw new ExplorerError({
          name: 'InvalidUriError',
          message: 'no server to connect to',
          code: 'invalid uri',
        });
      await client.connect(first);
      await client.logon({ timeoutMs: this.#options.logonTimeoutMs ?? 10_000 });
      this.#setState(connectionId, 'loggedOn');
      this.#options.logger.info(`connection ${connectionId} logged on to ${target.displayString}`);
      return { ...info };
    } catch (error) {
      this.#setState(connectionId, 'failed', undefined, serializeError(error));
      await this.#drop(connectionId);
      throw error;
    }
  }

  /** Closes a connection; its subscriptions end (see {@link onClosed}). */
  async close(connectionId: string): Promise<void> {
    if (!this.#entries.has(connectionId)) throw unknownConnection(connectionId);
    this.#setState(connectionId, 'closed');
    await this.#drop(connectionId);
  }

  list(): ConnectionInfo[] {
    return [...this.#entries.values()].map((e) => ({ ...e.info }));
  }

  /** The client of an open connection; throws UnknownConnectionError. */
  client(connectionId: string): AmpsConnectionLike {
    const entry = this.#entries.get(connectionId);
    if (entry === undefined) throw unknownConnection(connectionId);
    return entry.client;
  }

  /** Called after a connection is closed or failed to open. */
  onClosed(listener: (connectionId: string) => void): () => void {
    this.#closedListeners.add(listener);
    return () => this.#closedListeners.delete(listener);
  }

  /** Closes everything (app shutdown). */
  async shutdown(): Promise<void> {
    await Promise.all([...this.#entries.keys()].map((id) => this.#drop(id)));
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

  #setState(
    connectionId: string,
    state: ConnectionInfo['state'],
    connectionString?: string,
    error?: ConnectionInfo['error'],
  ): void {
    const entry = this.#entries.get(connectionId);
    if (entry === undefined) return;
    entry.info.state = state;
    if (connectionString !== undefined) entry.info.connectionString = connectionString;
    if (error !== undefined) entry.info.error = error;
    else delete entry.info.error;
    this.#emit(entry.info);
  }

  #emit(info: ConnectionInfo): void {
    this.#options.emitStatus({
      connectionId: info.connectionId,
      state: info.state,
      connectionString: info.connectionString,
      ...(info.error === undefined ? {} : { error: info.error }),
      at: (this.#options.now ?? Date.now)(),
    });
  }

  async #target(request: OpenConnectionRequest): Promise<{
    uris: string[];
    displayString: string;
    name: string;
    clientName: string;
    heartbeatSeconds?: number;
    profileId?: string;
  }> {
    const defaultName = `amps-explorer-${randomUUID().slice(0, 8)}`;
    if ('profileId' in request) {
      const { profile, password } = await this.#options.profiles.resolve(request.profileId);
      const servers = [profile.connectionString, ...(profile.options.failoverConnectionStrings ?? [])];
      return {
        uris: servers.map((s) => withPassword(splitPassword(s).connectionString, password)),
        displayString: redact(profile.connectionString),
        name: profile.name,
        clientName: profile.options.clientName ?? defaultName,
        profileId: profile.id,
        ...(profile.options.heartbeatSeconds === undefined
          ? {}
          : { heartbeatSeconds: profile.options.heartbeatSeconds }),
      };
    }
    const split = splitPassword(request.connectionString);
    const password = request.password ?? split.password;
    return {
      uris: [withPassword(split.connectionString, password)],
      displayString: split.connectionString,
      name: request.name ?? split.connectionString,
      clientName: defaultName,
    };
  }
}
