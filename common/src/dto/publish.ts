/** Which ack of the server a publish waits for: none (fire and forget), processed or persisted. */
export const PUBLISH_ACKS = ['none', 'processed', 'persisted'] as const;
/** One publish ack choice. */
export type PublishAck = (typeof PUBLISH_ACKS)[number];

/** Options of a publish. */
export interface PublishOptions {
  /** Send `delta_publish` instead of `publish` (same as `deltaPublish` on the request). */
  delta?: boolean;
  correlationId?: string;
  /** Message expiration in seconds. */
  expiration?: number;
}

/** One message to publish. */
export interface PublishRequest {
  connectionId: string;
  topic: string;
  /** Payload text in the connection's message type. */
  data: string;
  /** Ack to wait for (default `none`); the result then carries the server's answer. */
  ack?: PublishAck;
  /** Send `delta_publish` instead of `publish`. */
  deltaPublish?: boolean;
  /** Message expiration in seconds. */
  expiration?: number;
  correlationId?: string;
  /** Explicit SOW key, for topics with user-supplied keys. */
  sowKey?: string;
  /** Older form of the options above; the top-level fields win. */
  options?: PublishOptions;
}

/** The server's answer to a publish that asked for an ack. */
export interface PublishAckDto {
  status: 'success' | 'failure';
  /** The server's reason on failure (e.g. `bad filter`, `not entitled`). */
  reason?: string;
  /** Publish-store sequence of the message, when the connection has a publish store. */
  sequence?: string;
}

/** What happened to a publish. */
export interface PublishResult {
  /** The ack, when one was asked for. A failure means the server did NOT take the message. */
  ack?: PublishAckDto;
  /** The server the message went to (or the first of the list while stored for replay), no password. */
  server?: string;
  /** True when the message went to the publish store to be sent after the next logon. */
  stored?: boolean;
}
