/** Options of the Client's publish, subscribe, query and delete helpers. */
import type { MessageOptions } from '../protocol/options.js';
import type { MessageHandler } from './hooks.js';

/** Options common to subscriptions and queries. */
export interface CommandCallOptions {
  /** Command options (`o`), as text or a {@link MessageOptions} builder. */
  options?: string | MessageOptions;
  /** Milliseconds to wait for the `processed` ack (default: the client's command timeout). */
  timeoutMs?: number;
  /** Max depth of the returned stream. */
  maxDepth?: number;
  /** When set, messages go to this handler and the call resolves with the id instead of a stream. */
  handler?: MessageHandler;
}

/** Options of `subscribe` and `deltaSubscribe`. */
export interface SubscribeOptions extends CommandCallOptions {
  /** Explicit subscription id (default: the command id). */
  subId?: string;
}

/** Options of `sow`. */
export interface SowOptions extends CommandCallOptions {
  /** Records per `sow` frame (default 10). */
  batchSize?: number;
  /** At most this many records. */
  topN?: number;
  /** Result order, e.g. `/price DESC, /id`. */
  orderBy?: string;
  /** Historical query point: a bookmark or timestamp. */
  bookmark?: string;
  /** Explicit query id (default: the command id). */
  queryId?: string;
}

/** Options of `sowAndSubscribe` and `sowAndDeltaSubscribe`. */
export interface SowAndSubscribeOptions extends SowOptions {
  /** Explicit subscription id (default: the command id). */
  subId?: string;
  /** Ask for `oof` messages. */
  oof?: boolean;
  /** Delta only: deliver updates without changed fields (default true; false adds `no_empties`). */
  sendEmpties?: boolean;
}

/** Options of `bookmarkSubscribe`. */
export interface BookmarkSubscribeOptions extends SubscribeOptions {
  /** Limit on replayed messages. */
  topN?: number;
}

/** Options of the `sowDelete` family. */
export interface SowDeleteOptions {
  /** Command options (`o`). */
  options?: string | MessageOptions;
  /** Milliseconds to wait for the acks. */
  timeoutMs?: number;
}

/** Options of `publish` and `deltaPublish`. */
export interface PublishOptions {
  /** Seconds until the SOW record expires (`e`). */
  expiration?: number;
  /** Correlation id (`x`, base64 characters). */
  correlationId?: string;
  /** Explicit SOW key (`k`) for topics with user-supplied keys. */
  sowKey?: string;
}
