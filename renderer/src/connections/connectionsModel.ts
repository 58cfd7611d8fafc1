import type { ConnectionInfo, ConnectionState, ConnectionStatusEvent } from '../../../common/src/dto/connections.js';
import type { Profile, ProfilesProblem, SaveProfileRequest } from '../../../common/src/dto/profiles.js';
import type { SandboxInfo } from '../../../common/src/dto/sandbox.js';
import type { ExplorerApi } from '../../../common/src/ipc/contract.js';
import { Model, messageOf } from '../lib/model.js';
import { appendEvent, type ConnectionEvent } from './eventLogModel.js';

export { MAX_EVENTS, type ConnectionEvent } from './eventLogModel.js';

/** A connection of this window, with its event log. */
export interface ConnectionEntry {
  info: ConnectionInfo;
  /** Oldest first, at most {@link MAX_EVENTS}. */
  events: ConnectionEvent[];
}

/** What the Connections side bar shows. */
export interface ConnectionsSnapshot {
  profiles: Profile[];
  /** Problems of the profiles file (bad entries set aside, corrupt file kept), for the user. */
  profileProblems: ProfilesProblem[];
  secretsPersistent: boolean;
  /** This window's connections, in the order they were opened. */
  connections: ConnectionEntry[];
  /** Profiles being opened now. */
  opening: string[];
  sandbox: SandboxInfo | undefined;
  /** The last failed action, for the user. */
  error: string | undefined;
}


/** States in which the connection can carry subscriptions (or will again by itself). */
const USABLE: ReadonlySet<ConnectionState> = new Set([
  'loggedOn',
  'connecting',
  'reconnecting',
  'failedOver',
  'heartbeatMissed',
  'disconnected',
]);
/** True when views may use the connection. */
export const isOpen = (info: ConnectionInfo): boolean => USABLE.has(info.state);
/** True when the connection is over (closed, or failed for good). */
export const isOver = (info: ConnectionInfo): boolean => !USABLE.has(info.state);

const serverNo = (info: ConnectionInfo): number => (info.serverIndex ?? 0) + 1;

/** "2.5 s", "300 ms" */
export function formatDelay(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}

/**
 * The state of a connection as the user reads it (the badge and the event log). With `now`
 * (ms since the epoch), a reconnect wait counts down to its next attempt.
 */
export function describeState(info: ConnectionInfo, now?: number): string {
  const error = info.error?.message;
  switch (info.state) {
    case 'connecting':
      return info.servers.length > 1 ? `connecting to server ${serverNo(info)}…` : 'connecting…';
    case 'loggedOn':
      return `logged on to server ${serverNo(info)}`;
    case 'failedOver':
      return `failed over to server ${serverNo(info)}`;
    case 'reconnecting': {
      const left =
        now !== undefined && info.nextAttemptAt !== undefined
          ? Math.max(0, info.nextAttemptAt - now)
          : info.retryInMs;
      const wait = left === undefined ? '' : ` in ${formatDelay(left)}`;
      const attempt = info.attempt === undefined ? '' : ` (attempt ${info.attempt})`;
      return `reconnecting${wait}${attempt}`;
    }
    case 'disconnected':
      return error === undefined ? 'disconnected' : `disconnected: ${error}`;
    case 'heartbeatMissed':
      return 'heartbeat missed';
    case 'closed':
      return 'closed';
    case 'failed':
      return error === undefined ? 'failed' : `failed: ${error}`;
  }
}

/** The short badge word of a state (the full text is in the title and the log). */
export const BADGE_WORDS: Record<ConnectionState, string> = {
  connecting: 'connecting',
  loggedOn: 'logged on',
  failedOver: 'failed over',
  reconnecting: 'reconnecting',
  disconnected: 'disconnected',
  heartbeatMissed: 'heartbeat missed',
  closed: 'closed',
  failed: 'failed',
};

const event = (info: ConnectionInfo, at: number): ConnectionEvent => {
  const e: ConnectionEvent = { at, state: info.state, text: describeState(info) };
  if (info.error !== undefined) e.error = info.error.message;
  return e;
};

/**
 * The Connections side bar's logic: saved profiles (with the file's problems), this window's
 * connections and their state changes (each one logged with its time), and the actions on
 * them: open a profile, disconnect, reconnect now, duplicate and delete profiles.
 */
export class ConnectionsModel extends Model<ConnectionsSnapshot> {
  readonly #api: ExplorerApi;
  readonly #stops: (() => void)[];
  readonly #now: () => number;

  constructor(api: ExplorerApi, now: () => number = Date.now) {
    super({
      profiles: [],
      profileProblems: [],
      secretsPersistent: false,
      connections: [],
      opening: [],
      sandbox: undefined,
      error: undefined,
    });
    this.#api = api;
    this.#now = now;
    this.#stops = [
      api.onConnectionStatus((e) => this.#onStatus(e)),
      api.onSandboxStatus((sandbox) => {
        this.update({ sandbox });
        // The sandbox's profile appears once it runs.
        if (sandbox.state === 'running') void this.refreshProfiles();
      }),
    ];
  }

  /** A connection by id. */
  connection(connectionId: string | undefined): ConnectionEntry | undefined {
    return connectionId === undefined ? undefined : this.state.connections.find((c) => c.info.connectionId === connectionId);
  }

  /** Loads profiles, this window's open connections (after a reload) and the sandbox state. */
  async load(): Promise<void> {
    await Promise.all([
      this.refreshProfiles(),
      this.#try('Could not list the open connections', async () => {
        const open = await this.#api.listConnections();
        for (const info of open) this.#upsert(info, info.openedAt, false);
      }),
      this.#try('Could not ask for the local sandbox', async () => {
        this.update({ sandbox: await this.#api.getSandboxInfo() });
      }),
    ]);
  }

  async refreshProfiles(): Promise<void> {
    await this.#try('Could not load the saved profiles', async () => {
      const state = await this.#api.listProfiles();
      this.update({
        profiles: state.profiles,
        profileProblems: state.problems,
        secretsPersistent: state.secretsPersistent,
      });
    });
  }

  /** Opens a saved profile; returns the new connection, or undefined (the error is shown). */
  async openProfile(profileId: string): Promise<ConnectionInfo | undefined> {
    if (this.state.opening.includes(profileId)) return undefined;
    this.update({ opening: [...this.state.opening, profileId], error: undefined });
    try {
      const info = await this.#api.openConnection({ profileId });
      this.adopt(info);
      return info;
    } catch (error) {
      const name = this.state.profiles.find((p) => p.id === profileId)?.name ?? profileId;
      this.update({ error: `Could not open ${name}: ${messageOf(error)}` });
      return undefined;
    } finally {
      this.update({ opening: this.state.opening.filter((id) => id !== profileId) });
    }
  }

  /** Adds a connection opened elsewhere in this window (the quick-connect form). */
  adopt(info: ConnectionInfo): void {
    this.#upsert(info, this.#now(), false);
  }

  async close(connectionId: string): Promise<void> {
    await this.#try('Disconnect failed', () => this.#api.closeConnection({ connectionId }));
  }

  /** "Reconnect now": skips the wait, or starts a closed / failed connection again. */
  async reconnect(connectionId: string): Promise<void> {
    await this.#try('Reconnect failed', async () => {
      const info = await this.#api.reconnectConnection({ connectionId });
      this.#upsert(info, this.#now(), true);
    });
  }

  /** Forgets a closed connection (its log too). */
  forget(connectionId: string): void {
    this.update({ connections: this.state.connections.filter((c) => c.info.connectionId !== connectionId) });
  }

  async saveProfile(request: SaveProfileRequest): Promise<Profile | undefined> {
    let saved: Profile | undefined;
    await this.#try('Could not save the profile', async () => {
      saved = await this.#api.saveProfile(request);
      await this.refreshProfiles();
    });
    return saved;
  }

  async duplicateProfile(id: string): Promise<void> {
    await this.#try('Could not duplicate the profile', async () => {
      await this.#api.duplicateProfile({ id });
      await this.refreshProfiles();
    });
  }

  async deleteProfile(id: string): Promise<void> {
    await this.#try('Could not delete the profile', async () => {
      await this.#api.deleteProfile({ id });
      await this.refreshProfiles();
    });
  }

  /** Moves a saved profile one place up (-1) or down (+1); built-in profiles stay first. */
  async moveProfile(id: string, delta: -1 | 1): Promise<void> {
    const saved = this.state.profiles.filter((p) => !p.builtIn).map((p) => p.id);
    const from = saved.indexOf(id);
    const to = from + delta;
    if (from < 0 || to < 0 || to >= saved.length) return;
    const [moved] = saved.splice(from, 1);
    if (moved === undefined) return;
    saved.splice(to, 0, moved);
    await this.#try('Could not reorder the profiles', async () => {
      await this.#api.reorderProfiles({ ids: saved });
      await this.refreshProfiles();
    });
  }

  clearError(): void {
    this.update({ error: undefined });
  }

  dispose(): void {
    for (const stop of this.#stops) stop();
  }

  async #try(what: string, action: () => Promise<unknown>): Promise<void> {
    try {
      await action();
    } catch (error) {
      this.update({ error: `${what}: ${messageOf(error)}` });
    }
  }

  /** Adds a connection, or (with `replace`) takes a newer view of a known one. */
  #upsert(info: ConnectionInfo, at: number, replace: boolean): void {
    const old = this.connection(info.connectionId);
    // A status event may have overtaken the answer that carried `info`: the event is newer.
    if (old !== undefined && !replace) return;
    const changed = old === undefined || old.info.state !== info.state || old.info.serverIndex !== info.serverIndex;
    const entry: ConnectionEntry = {
      info,
      events: changed ? appendEvent(old?.events ?? [], event(info, at)) : (old?.events ?? []),
    };
    const connections =
      old === undefined ? [...this.state.connections, entry] : this.state.connections.map((c) => (c === old ? entry : c));
    this.update({ connections });
  }

  #onStatus(e: ConnectionStatusEvent): void {
    const { at, ...info } = e;
    const old = this.connection(info.connectionId);
    const entry: ConnectionEntry = {
      info,
      events: appendEvent(old?.events ?? [], event(info, at)),
    };
    const connections = old === undefined ? [...this.state.connections, entry] : this.state.connections.map((c) => (c === old ? entry : c));
    this.update({ connections });
  }
}
