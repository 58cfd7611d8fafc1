/**
 * The options a Client is constructed with, and their defaults: how transports are opened and
 * bounded in time, TLS material, stream depth, the stores that take part in HA publishing and
 * bookmark subscriptions, and queue acknowledgement batching. The connection core (core.ts)
 * re-exports all of them, so they are importable from there as before.
 */
import type { BookmarkStore } from '../stores/bookmark/bookmarkStore.js';
import type { PublishStore } from '../stores/publish/publishStore.js';
import type { TlsOptions } from '../transport/tls.js';
import type { BookmarkStoreHook, Logger, PublishStoreHook, Timers, TransportFactory } from './hooks.js';

/** Options of a Client. */
export interface ClientOptions {
  /** Opens transports; defaults to the real transports (`connectTransport`). Tests inject a memory pair. */
  transportFactory?: TransportFactory;
  /** Default milliseconds every waiting call waits for its ack (default 10 000). */
  commandTimeoutMs?: number;
  /**
   * Milliseconds `connect` may take to establish the transport: name resolution, TCP, reading
   * TLS files, the TLS handshake, preflight, WebSocket upgrade (default 10 000). Not used when
   * a `transportFactory` is given.
   */
  connectTimeoutMs?: number;
  /**
   * TLS material and settings for tcps/wss, as bytes or PEM text (for example files the user
   * picked); they take the place of the connection string's `ca`, `cert`, `key`, `tls_verify`.
   * Not used when a `transportFactory` is given.
   */
  tls?: TlsOptions;
  /** Default `maxDepth` of new MessageStreams (default unbounded). */
  defaultMaxDepth?: number;
  /** Receives diagnostics; the library never logs to the console. */
  logger?: Logger;
  /** Timer functions (tests). */
  timers?: Timers;
  /** Publish store (or a hook) for HA publishing. */
  publishStore?: PublishStoreHook | PublishStore;
  /** Bookmark store (or a hook) for bookmark subscriptions. */
  bookmarkStore?: BookmarkStoreHook | BookmarkStore;
  /** Queue acks per batch (default 1 = send at once). */
  ackBatchSize?: number;
  /** Milliseconds a partial ack batch waits (default 1000). */
  ackTimeoutMs?: number;
  /** Acknowledge queue messages automatically once handled (default false). */
  autoAck?: boolean;
}

/** Sees raw messages: `incoming` true for frames from the server. */
export type TransportFilter = (bytes: Buffer, incoming: boolean) => void;

/** Default wait for acks, in milliseconds. */
export const DEFAULT_COMMAND_TIMEOUT_MS = 10_000;
