import type { ConnectionState } from './connections.js';
import type { SerializedError } from './errors.js';
import type { HaDelay } from './profiles.js';

/** How long the HA client waits before reconnecting to a server it already tried (the profile's setting). */
export type ReconnectDelaySettings = HaDelay;

/** One server of an HA connection and how it has fared. */
export interface ServerHealth {
  index: number;
  /** Connection string without password. */
  server: string;
  current: boolean;
  /** Last successful logon, ms since the epoch. */
  lastConnectedAt?: number;
  lastError?: SerializedError;
  lastErrorAt?: number;
  /** Failed attempts and drops since the connection was opened. */
  failures: number;
  /** Successful logons since the connection was opened. */
  logons: number;
}

/** Kinds of entries in the failover timeline. */
export const HA_EVENT_KINDS = [
  'connecting',
  'loggedOn',
  'disconnected',
  'reconnecting',
  'retryScheduled',
  'attemptFailed',
  'failedOver',
  'resubscribed',
  'heartbeatMissed',
  'reconnectNow',
  'simulatedFailover',
  'closed',
  'failed',
] as const;
/** One timeline entry kind. */
export type HaEventKind = (typeof HA_EVENT_KINDS)[number];

/** One entry of the failover timeline. */
export interface HaTimelineEvent {
  /** ms since the epoch, main clock. */
  at: number;
  kind: HaEventKind;
  serverIndex?: number;
  /** Server without password. */
  server?: string;
  attempt?: number;
  /** For `retryScheduled`: the wait before the next attempt. */
  retryInMs?: number;
  error?: SerializedError;
}

/** A publish held in the publish store until the server persists it. */
export interface UnpersistedMessage {
  sequence: string;
  command: string;
  topic: string;
  /** Payload size in bytes. */
  size: number;
}

/** Store kinds a profile may choose. */
export type StoreKind = 'none' | 'memory' | 'file';

/** Everything the HA view shows about one connection. */
export interface HaStatus {
  connectionId: string;
  state: ConnectionState;
  servers: ServerHealth[];
  /** Index of the server in use (or being tried). */
  currentIndex?: number;
  /** Most recent last; bounded (the oldest entries are dropped, see `timelineDropped`). */
  timeline: HaTimelineEvent[];
  timelineDropped: number;
  delay: ReconnectDelaySettings;
  /** Give up reconnecting after this many ms of outage (0 = never). */
  giveUpMs: number;
  resubscribe: boolean;
  attempt?: number;
  /** When the next reconnect attempt starts, while waiting. */
  nextAttemptAt?: number;
  publishStore: {
    kind: StoreKind;
    path?: string;
    unpersisted: number;
    /** The oldest unpersisted messages (at most 100). */
    messages: UnpersistedMessage[];
    /** Publishes the server refused in a persisted ack (sent without asking for an ack). */
    failedWrites?: number;
    /** The latest of them, with the server's reason. */
    lastFailedWrite?: { sequence?: string; reason: string; at: number };
  };
  bookmarkStore: {
    kind: StoreKind;
    path?: string;
    /** The most recent bookmark of each bookmark subscription on this connection. */
    subscriptions: Array<{ subscriptionId: string; subId: string; topic: string; mostRecent: string }>;
  };
  /** When this status was taken. */
  at: number;
}
