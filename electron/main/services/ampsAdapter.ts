/**
 * The adapter between the services and the AMPS client library (client/). The services use
 * only these interfaces; clientFactory.ts implements them over `HAClient` (every connection
 * is an HA client: one server is an HA list of one), tests over fakes. The shape follows the
 * client API (connectAndLogon, subscribe / delta_subscribe / sow_and_subscribe /
 * bookmark_subscribe returning async-iterable message streams, unsubscribe, publish, a status
 * stream, close) plus what the HA view needs (reconnect now, simulate failover, stores).
 */
import type { CommandTap } from '../../../client/src/client/hooks.js';
import type { Command } from '../../../client/src/protocol/command.js';
import type { MessageStream } from '../../../client/src/stream.js';
import type { ConnectionState } from '../../../common/src/dto/connections.js';
import type { PublishAck } from '../../../common/src/dto/publish.js';

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
  /** Bookmark subscriptions: the `completed` ack comes through the stream (the replay/live boundary). */
  replayCompleted?: boolean;
}

/** Options of a publish. */
export interface AmpsPublishParams {
  delta?: boolean;
  correlationId?: string;
  expiration?: number;
  sowKey?: string;
  /** Ack to wait for; `none` (default) returns once the message is written or stored. */
  ack?: PublishAck;
  /** How long to wait for the ack (ms). */
  timeoutMs?: number;
}

/** What became of a publish. */
export interface AmpsPublishOutcome {
  /** The server's ack, when one was asked for. */
  ack?: { status: 'success' | 'failure'; reason?: string; sequence?: string };
  /** Index (into the server list) of the server it went to; absent when it was stored for later. */
  serverIndex?: number;
  /** The message waits in the publish store for the next logon. */
  stored?: boolean;
}

/**
 * A change in the connection's state, as the HA client reports it, plus the two the services
 * need for the UI: `retryScheduled` (a wait before the next attempt) and `attemptFailed`.
 */
export interface AmpsStatusLike {
  state: ConnectionState | 'resubscribed' | 'retryScheduled' | 'attemptFailed';
  /** Index into the server list of the server concerned. */
  serverIndex?: number;
  /** Attempts in the current outage, from 1. */
  attempt?: number;
  /** For `retryScheduled`: the wait in ms. */
  retryInMs?: number;
  error?: unknown;
}

/** A publish waiting in the publish store. */
export interface AmpsStoredPublish {
  sequence: string;
  command: string;
  topic: string;
  size: number;
}

/** A raw command's stream; `stop` closes it and forgets a subscription the client keeps. */
export interface AmpsCommandStream {
  readonly stream: MessageStream;
  stop(): Promise<void>;
}

/** One client (an HA client over the server list) as the services use it. */
export interface AmpsConnectionLike {
  /** Connects and logs on, walking the server list with the delay strategy. */
  connectAndLogon(): Promise<void>;
  subscribe(params: AmpsSubscribeParams): Promise<AmpsSubscriptionLike>;
  deltaSubscribe(params: AmpsSubscribeParams): Promise<AmpsSubscriptionLike>;
  sowAndSubscribe(params: AmpsSubscribeParams): Promise<AmpsSubscriptionLike>;
  bookmarkSubscribe(params: AmpsSubscribeParams & { bookmark: string }): Promise<AmpsSubscriptionLike>;
  /** `data` is text, or the bytes of a binary message type (msgpack, bson, bflat). */
  publish(topic: string, data: string | Uint8Array, params?: AmpsPublishParams): Promise<AmpsPublishOutcome>;
  /** Subscribes to status changes; returns a function that stops listening. */
  onStatus(listener: (status: AmpsStatusLike) => void): () => void;
  /** Skips the current wait before the next attempt; false when not waiting. */
  reconnectNow(): boolean;
  /** Drops the current server's transport after moving the server list on to the next one. */
  simulateFailover(): void;
  /** Publishes not yet persisted and the oldest of them (at most `limit`). */
  unpersisted(limit: number): { count: number; messages: AmpsStoredPublish[] };
  /** Publishes the server refused in persisted acks so far, and the latest with its reason. */
  failedWrites(): { count: number; last?: { sequence?: string; reason: string; at: number } };
  /** The bookmark a resubscription of `subId` would start from, when there is a bookmark store. */
  mostRecentBookmark(subId: string): string | undefined;
  /**
   * Runs one AMPS command as built (SOW views, sow_delete) and returns the client's stream of
   * every message it brings, acks included; subscriptions are kept across an HA reconnect.
   * Optional: a client without it cannot serve SOW views.
   */
  execute?(command: Command): Promise<AmpsCommandStream>;
  /** Sees every command sent and message received (the wire inspector); undefined removes it. */
  setCommandTap?(tap: CommandTap | undefined): void;
  /** Sends `subscribe` with the `pause` / `resume` option for `subId` (a bookmark replay). Optional. */
  controlReplay?(subId: string, topic: string, action: 'pause' | 'resume'): Promise<void>;
  /** Disconnects and ends every subscription. Idempotent. */
  close(): Promise<void>;
}

/** How long to wait between attempts, and when to give up. */
export interface AmpsHaOptions {
  delay:
    | { kind: 'fixed'; delayMs: number }
    | { kind: 'exponential'; initialMs: number; maxMs: number; backoff: number; jitter: number };
  /** 0 = never give up. */
  giveUpMs: number;
  resubscribe: boolean;
}

/** A store choice. */
export type AmpsStoreChoice = { kind: 'none' } | { kind: 'memory' } | { kind: 'file'; path: string };

/** What the factory needs to build a client for one open connection. */
export interface AmpsConnectionOptions {
  clientName: string;
  /** Every server (with passwords), in HA order. */
  uris: string[];
  heartbeatSeconds?: number;
  ha: AmpsHaOptions;
  bookmarkStore: AmpsStoreChoice;
  publishStore: AmpsStoreChoice;
  /** TLS material of the profile (PEM text), for tcps/wss servers. */
  tls?: { verify: boolean; ca?: string; cert?: string; key?: string };
  /** Milliseconds each connect and each logon may take. */
  timeoutMs?: number;
}

/** Builds clients; implemented over client/ in clientFactory.ts, by fakes in tests. */
export interface AmpsConnectionFactory {
  create(options: AmpsConnectionOptions): AmpsConnectionLike;
}
