import type { SerializedError } from './errors.js';

/** States of a connection, following the client's status stream. */
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

/** Open by saved profile, or by a connection string typed in (password given separately). */
export type OpenConnectionRequest =
  { profileId: string } | { connectionString: string; password?: string; name?: string };

/** An open (or opening) connection. */
export interface ConnectionInfo {
  connectionId: string;
  profileId?: string;
  /** Display name: profile name or the connection string. */
  name: string;
  /** The connection string in use, without password. */
  connectionString: string;
  state: ConnectionState;
  /** Last error, when state is `failed` or `disconnected`. */
  error?: SerializedError;
}

/** Identifies a connection. */
export interface ConnectionRef {
  connectionId: string;
}

/** One change of a connection's state, pushed to every window. */
export interface ConnectionStatusEvent {
  connectionId: string;
  state: ConnectionState;
  /** Server URI now in use (after a failover, the new one), without password. */
  connectionString?: string;
  error?: SerializedError;
  /** Milliseconds since the epoch, main-process clock. */
  at: number;
}
