import type { SerializedError } from './errors.js';

/** How a subscription is placed. */
export const SUBSCRIPTION_MODES = ['subscribe', 'delta_subscribe', 'sow_and_subscribe', 'bookmark'] as const;
/** One subscription mode. */
export type SubscriptionMode = (typeof SUBSCRIPTION_MODES)[number];

/** Options of a subscription command. */
export interface SubscriptionOptions {
  /** Bookmark to replay from (`bookmark` mode): `0` (EPOCH), `0|1|` (NOW), a bookmark or a timestamp. */
  bookmark?: string;
  /** SOW batch size for `sow_and_subscribe`. */
  batchSize?: number;
  /** SOW `top_n`. */
  topN?: number;
  /** SOW `orderby`. */
  orderBy?: string;
  /** AMPS options text, e.g. `oof,no_empties`. */
  options?: string;
  /**
   * `bookmark` mode: ask for the `completed` ack and deliver it as a message (command `ack`,
   * its `bookmark` the last replayed one): where the replay ends and live messages begin.
   */
  replayCompleted?: boolean;
}

/** Everything needed to place a subscription. */
export interface SubscribeSpec {
  connectionId: string;
  topic: string;
  filter?: string;
  mode: SubscriptionMode;
  options?: SubscriptionOptions;
}

/** Identifies a subscription. */
export interface SubscriptionRef {
  subscriptionId: string;
}

/** Asks for the whole payload of a message the list shows cut (`truncated`). */
export interface MessagePayloadRequest {
  subscriptionId: string;
  /** The message's `index`. */
  index: number;
}

/** A whole payload: the text (UTF-8 decoded, invalid bytes replaced) and its size in bytes. */
export interface MessagePayload {
  data: string;
  size: number;
}

/**
 * Asks for display rows of a whole payload (a virtualized view: main holds the payload, the
 * page fetches the rows it shows). Rows are the payload's lines, a line longer than
 * `rowChars` broken over several rows; `first` and `count` count rows from 0.
 */
export interface PayloadRowsRequest {
  subscriptionId: string;
  /** The message's `index`. */
  index: number;
  first: number;
  count: number;
}

/** Rows of a whole payload and the payload's totals. */
export interface PayloadRows {
  /** Payload size in bytes. */
  size: number;
  /** Characters of the decoded text (UTF-8 decoded, invalid bytes replaced). */
  chars: number;
  /** Lines of the text (1 for text with no line break). */
  lineCount: number;
  /** Display rows of the whole text. */
  rowCount: number;
  /** Most characters in one row. */
  rowChars: number;
  /** Row number of `texts[0]`. */
  first: number;
  /** The rows asked for (fewer at the end), without their line breaks. */
  texts: string[];
  /** Per row: its line number (from 1) when the row starts a line, 0 when it continues one. */
  lineNumbers: number[];
}

/** Asks for a span of a whole payload's text by character offset (to copy it in chunks). */
export interface PayloadTextRequest {
  subscriptionId: string;
  index: number;
  offset: number;
  length: number;
}

/** A span of a whole payload's text: characters `offset` up to `end` of `chars`. */
export interface PayloadText {
  text: string;
  offset: number;
  end: number;
  chars: number;
}

/** Pauses or resumes a bookmark replay on the server (AMPS's `pause` / `resume` options with the sub id). */
export interface ReplayControl {
  subscriptionId: string;
  action: 'pause' | 'resume';
}

/** The binary message types whose payloads main sends to the page as JSON text. */
export const DECODED_FROM_TYPES = ['msgpack', 'bson', 'bflat'] as const;
/** One of {@link DECODED_FROM_TYPES}. */
export type DecodedFromType = (typeof DECODED_FROM_TYPES)[number];

/** One message as the renderer sees it. */
export interface MessageDto {
  /** Position in this subscription, from 1, counting every message received (so gaps show drops). */
  index: number;
  /** AMPS command of the message: `p`, `sow`, `oof`, `group_begin`, ... */
  command: string;
  topic: string;
  /** Payload as text (UTF-8; invalid bytes replaced), possibly truncated. */
  data: string;
  /** Payload size in bytes before truncation. */
  size: number;
  /** True when `data` was cut to the display limit. */
  truncated: boolean;
  /**
   * Set when the payload is a binary document (`msgpack`, `bson`, `bflat`): `data` then holds
   * the JSON text of the decoded value (BFlat fields as an object), not the payload's bytes.
   */
  decodedFrom?: DecodedFromType;
  /** Why the subscription's codec rejected the payload (`data` is then its bytes as UTF-8). */
  decodeError?: string;
  sowKey?: string;
  bookmark?: string;
  timestamp?: string;
  correlationId?: string;
  /** Main-process receive time, ms since the epoch. */
  receivedAt: number;
}

/** Messages delivered together, with the subscription's running counts. */
export interface SubscriptionBatch {
  subscriptionId: string;
  messages: MessageDto[];
  /** Messages received from the server so far. */
  received: number;
  /** Messages delivered to the renderer so far (including this batch). */
  delivered: number;
  /** Messages dropped by the bounded buffer so far (oldest first). */
  dropped: number;
  /**
   * Of `dropped`: messages main left out because the stream ran faster than the display
   * budget (the page is shown a sample of it); absent from older hosts.
   */
  sampled?: number;
}

/** Why a subscription ended. */
export type SubscriptionEndReason = 'unsubscribed' | 'connection-closed' | 'error' | 'server-ended';

/** A subscription is over; no more batches follow. */
export interface SubscriptionEndedEvent {
  subscriptionId: string;
  reason: SubscriptionEndReason;
  error?: SerializedError;
  received: number;
  delivered: number;
  dropped: number;
}

/**
 * A subscription still running in main for the caller, e.g. after a page reload. Batches of a
 * subscription whose owner reloaded wait in its bounded ring (oldest dropped) until the page
 * attaches again; one not attached within a short time is ended (no subscription runs unseen).
 */
export interface SubscriptionInfo {
  subscriptionId: string;
  connectionId: string;
  spec: SubscribeSpec;
  /** Batches flow to the caller (false after a reload until `attachSubscription`). */
  attached: boolean;
  paused: boolean;
  received: number;
  delivered: number;
  dropped: number;
  /** ms since the epoch. */
  startedAt: number;
}
