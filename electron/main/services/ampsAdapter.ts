/**
 * The adapter between the services and the AMPS client library (client/). The services use
 * only these interfaces; the integrator implements them over `Client` / `HAClient`. The shape
 * follows the client API (connect(uri), logon(), subscribe / delta_subscribe /
 * sow_and_subscribe / bookmark_subscribe returning async-iterable message streams,
 * unsubscribe, publish, a status stream, close).
 */
import type { ConnectionState } from '../../../common/src/dto/connections.js';

/** One message from the server: logical header fields (see client HeaderFields) and payload bytes. */
export interface AmpsMessageLike {
  readonly header: Readonly<Partial<Record<string, string>>>;
  readonly payload: Uint8Array;
}

/** A live subscription: iterate it for messages; the iteration ends when it is over. */
export interface AmpsSubscriptionLike extends AsyncIterable<AmpsMessageLike> {
  /** The subscription id the server knows. */
  readonly subId: string;
  /** Sends `unsubscribe` and ends the iteration (and a running drain). */
  unsubscribe(): Promise<void>;
  /**
   * Optional fast path instead of iterating: hands each message to `handler` synchronously as
   * it arrives, in order, with no promise per message. Resolves when the subscription ends or
   * is unsubscribed, rejects with its error; when `handler` throws, the subscription is closed
   * and the promise rejects with that error (as when the body of a `for await` loop throws).
   */
  drain?(handler: (message: AmpsMessageLike) => void): Promise<void>;
}

/** What a subscription command carries. */
export interface AmpsSubscribeParams {
  topic: string;
  filter?: string;
  /** For bookmark subscriptions: `0`, `0|1|`, a bookmark or a timestamp. */
  bookmark?: string;
  batchSize?: number;
  topN?: number;
  orderBy?: string;
  /** AMPS options text, e.g. `oof,no_empties`. */
  options?: string;
}

/** Options of a publish. */
export interface AmpsPublishParams {
  delta?: boolean;
  correlationId?: string;
  expiration?: number;
}

/** A change in the connection's state, as the client's status stream reports it. */
export interface AmpsStatusLike {
  state: ConnectionState;
  /** URI now in use (HA failover), password removed by the adapter. */
  uri?: string;
  error?: unknown;
}

/** One client (Client or HAClient) as the services use it. */
export interface AmpsConnectionLike {
  /** Connects to `uri` (password, if any, inside the URI as AMPS expects). For HA, the first server. */
  connect(uri: string): Promise<void>;
  logon(options?: { timeoutMs?: number }): Promise<void>;
  subscribe(params: AmpsSubscribeParams): Promise<AmpsSubscriptionLike>;
  deltaSubscribe(params: AmpsSubscribeParams): Promise<AmpsSubscriptionLike>;
  sowAndSubscribe(params: AmpsSubscribeParams): Promise<AmpsSubscriptionLike>;
  bookmarkSubscribe(params: AmpsSubscribeParams & { bookmark: string }): Promise<AmpsSubscriptionLike>;
  publish(topic: string, data: string, params?: AmpsPublishParams): Promise<void>;
  /** Subscribes to status changes; returns a function that stops listening. */
  onStatus(listener: (status: AmpsStatusLike) => void): () => void;
  /** Disconnects and ends every subscription. Idempotent. */
  close(): Promise<void>;
}

/** What the factory needs to build a client for one open connection. */
export interface AmpsConnectionOptions {
  clientName: string;
  /** Every server (with passwords); more than one means an HAClient. */
  uris: string[];
  heartbeatSeconds?: number;
}

/** Builds clients; implemented over client/ by the integrator, by fakes in tests. */
export interface AmpsConnectionFactory {
  create(options: AmpsConnectionOptions): AmpsConnectionLike;
}
