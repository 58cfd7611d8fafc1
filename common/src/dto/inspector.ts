/**
 * The observe views: the wire inspector of a connection, the performance figures of the
 * caller's subscriptions and SOW views, and a server's overview (sandbox or AMPS admin).
 */

/** One listed command (out) or ack / control message (in) of a connection. */
export interface WireEntryDto {
  /** Increasing per connection; ask for entries after the last one seen. */
  seq: number;
  /** ms since the epoch. */
  at: number;
  direction: 'out' | 'in';
  command: string;
  commandId?: string;
  subId?: string;
  queryId?: string;
  topic?: string;
  filter?: string;
  options?: string;
  ackType?: string;
  status?: string;
  reason?: string;
  bookmark?: string;
  orderBy?: string;
  topN?: string;
  batchSize?: string;
  /** Payload bytes (out) or message size (in). */
  bytes: number;
  /** For an ack: ms since its command was sent. */
  latencyMs?: number;
  /** A data message listed as one of N (sampling on). */
  sampled?: boolean;
}

/** Counters beside the list: heartbeats folded, data messages counted, not listed. */
export interface WireCountersDto {
  heartbeatsIn: number;
  heartbeatsOut: number;
  /** Data messages received per subscription id (`-` for none). */
  dataBySub: Record<string, number>;
  /** Publishes sent per topic. */
  publishedByTopic: Record<string, number>;
  /** Entries overwritten by newer ones (the list is bounded). */
  overwritten: number;
}

export interface GetWireLogRequest {
  connectionId: string;
  /** Entries with a larger sequence number (0 = all kept). */
  afterSeq: number;
}

export interface WireLog {
  entries: WireEntryDto[];
  counters: WireCountersDto;
  /** Sequence number of the newest entry (0 when none). */
  lastSeq: number;
  /** Data messages listed one in N (0 = counted only). */
  sampleEvery: number;
  /** Entries kept at most. */
  capacity: number;
}

export interface SetWireSamplingRequest {
  connectionId: string;
  /** 0 = count data messages only; N = also list one in N. */
  sampleEvery: number;
}

export interface ExportWireLogRequest {
  connectionId: string;
}

/** The kept entries and the counters, as NDJSON text (one entry a line, counters last). */
export interface ExportedWireLog {
  fileName: string;
  ndjson: string;
  entries: number;
}

/** One buffered stream of the caller (a subscription or a SOW view). */
export interface StreamBufferStats {
  /** Subscription id or SOW query id. */
  subscriptionId: string;
  kind: 'subscription' | 'sow';
  connectionId: string;
  topic: string;
  /** Messages waiting in main's ring for delivery. */
  buffered: number;
  /** Ring capacity. */
  budget: number;
  /** Dropped since it started. */
  dropped: number;
  received: number;
}

export interface PerformanceStats {
  /** Main process resident set size, MiB. */
  mainRssMiB: number;
  /** Messages received per second across the caller's connections since the previous call. */
  messagesInPerSec: number;
  /** Dropped messages across the caller's streams. */
  dropped: number;
  /** States replaced by newer ones before delivery across the caller's SOW views. */
  conflated: number;
  perSubscription: StreamBufferStats[];
  /** ms since the epoch. */
  at: number;
}

export interface ServerTopicStats {
  name: string;
  kind?: string;
  messageType?: string;
  messages?: number;
  sowRecords?: number;
}

export interface ServerOverview {
  /** Where the figures came from. */
  source: 'sandbox' | 'admin';
  instance: string;
  version: string;
  /** Seconds since the server started, when known. */
  uptimeSeconds?: number;
  clients: number;
  topics: ServerTopicStats[];
  /** ms since the epoch. */
  at: number;
}
