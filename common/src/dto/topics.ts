/** One topic the server (or the app) knows of. */
export interface TopicInfo {
  name: string;
  messageType?: string;
  /** A SOW topic, with its key fields (e.g. `/id`). */
  sow?: { keyFields: string[] };
  queue?: boolean;
  /** Recorded in the transaction log (bookmark replay possible). */
  txlog?: boolean;
  view?: boolean;
  /** Messages published to it (server) or seen by the app (`seen`). */
  messageCount?: number;
  /** Records in its SOW. */
  sowCount?: number;
}

/** Where a topic list came from. */
export type TopicSource = 'sandbox' | 'admin' | 'seen';

/** Asks for the topics of an open connection. */
export interface ListTopicsRequest {
  connectionId: string;
}

/**
 * The topics of a connection: from the app's sandbox admin endpoint, from an AMPS admin
 * interface (the profile's admin URL), or else the topics of the messages the app has seen.
 * `error` says why a server list could not be read (the list is then the seen topics).
 */
export interface TopicList {
  source: TopicSource;
  topics: TopicInfo[];
  error?: string;
}
