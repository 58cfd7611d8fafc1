/**
 * The shapes the broker exchanges with its callers: a publish request and its outcome, and
 * the server-wide counters shown by the admin endpoint.
 */

/** A publish or delta_publish to execute. */
export interface PublishRequest {
  topic: string;
  payload: Buffer;
  delta: boolean;
  explicitKey?: string | undefined;
  correlationId?: string | undefined;
  /** Expiration in seconds (`e` header); overrides the topic default. */
  expirationSec?: number | undefined;
  /** Publisher's sequence number (`s`). */
  sequence?: bigint | undefined;
  /** Publisher's client name. */
  publisherName?: string | undefined;
  /** Message type of the publisher's connection (logon `mt`): the type of an undeclared topic. */
  messageType?: string | undefined;
}

/** Outcome of a publish. */
export type PublishResult = { ok: true; bookmark?: string } | { ok: false; reason: string; message: string };

/** Server-wide counters for the admin endpoint. */
export interface BrokerCounters {
  connections: number;
  published: number;
  delivered: number;
  sowQueries: number;
  deletes: number;
}
