import type { SerializedError } from './errors.js';

/** States of a connection, following the HA client's status stream. */
export const CONNECTION_STATES = [
  'connecting',
  'loggedOn',
  'disconnected',
  'reconnecting',
  'failedOver',
  'heartbeatMissed',
  'closed',
  'failed',
] as const;
/** One connection state. */
export type ConnectionState = (typeof CONNECTION_STATES)[number];

/**
 * Open by saved profile (its server list, HA settings and stores), or by a connection string
 * typed in (password given separately): an HA list of one with the default HA settings.
 */
export type OpenConnectionRequest =
  { profileId: string } | { connectionString: string; password?: string; name?: string };

/**
 * An open (or opening) connection. Every connection is an HA client over `servers`; the UI
 * shows "logged on to server N" (`serverIndex`), "disconnected: error", "reconnecting in
 * `retryInMs` (attempt `attempt`)", "failed over to server N", "closed".
 */
export interface ConnectionInfo {
  connectionId: string;
  profileId?: string;
  /** Display name: profile name or the connection string. */
  name: string;
  /** The server in use (or the first one), without password. */
  connectionString: string;
  /** Every server of the HA list, in order, without passwords. */
  servers: string[];
  /** Index into `servers` of the server in use (or being tried). */
  serverIndex?: number;
  state: ConnectionState;
  /** Connection attempts in the current outage (1 = the first attempt). */
  attempt?: number;
  /** While waiting to reconnect: the wait chosen by the delay strategy, in ms. */
  retryInMs?: number;
  /** While waiting to reconnect: when the next attempt starts (ms since the epoch, main clock). */
  nextAttemptAt?: number;
  /** Last error (disconnect cause, logon failure, give-up). */
  error?: SerializedError;
  /** The profile is marked production (views carry a red accent and confirm writes). */
  production?: boolean;
  /** The profile's colour label. */
  color?: string;
  /** When the connection was opened, ms since the epoch. */
  openedAt: number;
}

/** Identifies a connection. */
export interface ConnectionRef {
  connectionId: string;
}

/**
 * One change of a connection's state, sent to the connection's owner only: the whole
 * {@link ConnectionInfo} as it is after the change, with the time of the change.
 */
export interface ConnectionStatusEvent extends ConnectionInfo {
  /** Milliseconds since the epoch, main-process clock. */
  at: number;
}
