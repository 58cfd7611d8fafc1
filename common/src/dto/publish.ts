/** Options of a publish. */
export interface PublishOptions {
  /** Send `delta_publish` instead of `publish`. */
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
  options?: PublishOptions;
}
