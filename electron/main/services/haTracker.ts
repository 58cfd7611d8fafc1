/**
 * What one connection's HA client has done, in the terms the UI shows: the connection's
 * current {@link ConnectionInfo} (state, server in use, attempt, next attempt), each server's
 * health, and a bounded failover timeline. Fed by the adapter's status stream.
 */
import type { ConnectionInfo } from '../../../common/src/dto/connections.js';
import type { HaEventKind, HaTimelineEvent, ServerHealth } from '../../../common/src/dto/ha.js';
import { serializeError } from '../../../common/src/ipc/errors.js';
import type { AmpsStatusLike } from './ampsAdapter.js';

/** Timeline entries kept per connection (the oldest are dropped beyond it). */
export const TIMELINE_LIMIT = 200;

/** What a status change did to the connection, for the service to act on. */
export interface TrackedChange {
  /** The UI-visible info changed (send a status event). */
  changed: boolean;
  /** The HA client gave up or was closed: no more reconnects. */
  finished: boolean;
}

/** The UI-facing state of one HA connection. */
export class HaTracker {
  readonly info: ConnectionInfo;
  readonly health: ServerHealth[];
  readonly timeline: HaTimelineEvent[] = [];
  timelineDropped = 0;
  /** Failed attempts since the last logon (the open gives up after one pass over the list). */
  failuresSinceLogon = 0;
  lastError: unknown;
  /** When the last status was applied (its event carries this time: `nextAttemptAt` counts from it). */
  appliedAt: number | undefined;

  constructor(
    info: ConnectionInfo,
    private readonly now: () => number,
    /** Removes secrets (the password) from error text before it is kept or shown. */
    private readonly scrub: (text: string) => string = (text) => text,
  ) {
    this.info = info;
    this.health = info.servers.map((server, index) => ({
      index,
      server,
      current: index === 0,
      failures: 0,
      logons: 0,
    }));
  }

  /** Adds a timeline entry by hand (reconnect now, simulated failover). */
  note(kind: HaEventKind, extra: Partial<HaTimelineEvent> = {}): void {
    const index = this.info.serverIndex;
    this.push({
      at: this.now(),
      kind,
      ...(index === undefined ? {} : { serverIndex: index, server: this.info.servers[index] ?? '' }),
      ...extra,
    });
  }

  /** Applies one status of the adapter. */
  apply(status: AmpsStatusLike): TrackedChange {
    const at = this.now();
    this.appliedAt = at;
    const info = this.info;
    const index = status.serverIndex;
    const error = status.error === undefined ? undefined : this.errorOf(status.error);
    if (index !== undefined) this.#setCurrent(index);
    const entry: HaTimelineEvent = {
      at,
      kind: status.state,
      ...(index === undefined ? {} : { serverIndex: index, server: info.servers[index] ?? '' }),
      ...(status.attempt === undefined ? {} : { attempt: status.attempt }),
      ...(status.retryInMs === undefined ? {} : { retryInMs: status.retryInMs }),
      ...(error === undefined ? {} : { error }),
    };
    let changed = true;
    let finished = false;
    switch (status.state) {
      case 'attemptFailed': {
        this.failuresSinceLogon += 1;
        this.lastError = status.error;
        this.#failure(index, error, at);
        if (error !== undefined) info.error = error;
        break;
      }
      case 'retryScheduled': {
        if (status.attempt !== undefined) info.attempt = status.attempt;
        if (status.retryInMs !== undefined && status.retryInMs > 0) {
          info.state = 'reconnecting';
          info.retryInMs = status.retryInMs;
          info.nextAttemptAt = at + status.retryInMs;
        } else {
          delete info.retryInMs;
          delete info.nextAttemptAt;
          // An immediate attempt is not worth its own timeline entry.
          this.#changedIndex(index);
          return { changed: true, finished: false };
        }
        break;
      }
      case 'connecting':
        info.state = 'connecting';
        delete info.retryInMs;
        delete info.nextAttemptAt;
        break;
      case 'loggedOn': {
        info.state = 'loggedOn';
        this.failuresSinceLogon = 0;
        delete info.attempt;
        delete info.retryInMs;
        delete info.nextAttemptAt;
        delete info.error;
        const health = index === undefined ? undefined : this.health[index];
        if (health !== undefined) {
          health.lastConnectedAt = at;
          health.logons += 1;
        }
        break;
      }
      case 'failedOver':
        info.state = 'failedOver';
        break;
      case 'resubscribed':
        changed = false;
        break;
      case 'disconnected':
        info.state = 'disconnected';
        if (error !== undefined) info.error = error;
        this.#failure(index, error, at);
        break;
      case 'reconnecting':
        info.state = 'reconnecting';
        if (error !== undefined) info.error = error;
        break;
      case 'heartbeatMissed':
        changed = false;
        break;
      case 'closed':
      case 'failed':
        info.state = error === undefined ? 'closed' : 'failed';
        if (error !== undefined) info.error = error;
        delete info.retryInMs;
        delete info.nextAttemptAt;
        finished = true;
        break;
    }
    this.push(entry);
    return { changed, finished };
  }

  /** An error as data, with secrets scrubbed from its message. */
  errorOf(error: unknown): NonNullable<ConnectionInfo['error']> {
    const serialized = serializeError(error);
    return { ...serialized, message: this.scrub(serialized.message) };
  }

  push(entry: HaTimelineEvent): void {
    this.timeline.push(entry);
    if (this.timeline.length > TIMELINE_LIMIT) {
      const extra = this.timeline.length - TIMELINE_LIMIT;
      this.timeline.splice(0, extra);
      this.timelineDropped += extra;
    }
  }

  #changedIndex(index: number | undefined): void {
    if (index !== undefined) this.#setCurrent(index);
  }

  #setCurrent(index: number): void {
    this.info.serverIndex = index;
    this.info.connectionString = this.info.servers[index] ?? this.info.connectionString;
    for (const h of this.health) h.current = h.index === index;
  }

  #failure(index: number | undefined, error: ConnectionInfo['error'], at: number): void {
    const health = index === undefined ? undefined : this.health[index];
    if (health === undefined) return;
    health.failures += 1;
    health.lastErrorAt = at;
    if (error !== undefined) health.lastError = error;
  }
}
