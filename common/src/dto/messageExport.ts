/**
 * Exports of a subscription's messages and recordings of a live subscription to a file. Main
 * picks every path (in the user-data `exports` folder) and says where the file went; the
 * renderer never names a path.
 */

/** Export file formats of messages. */
export const MESSAGE_EXPORT_FORMATS = ['ndjson', 'json', 'csv'] as const;
/** One export format. */
export type MessageExportFormat = (typeof MESSAGE_EXPORT_FORMATS)[number];

/** Most message indexes in one export of chosen messages (search results, a selection). */
export const MESSAGE_EXPORT_MAX_INDEXES = 200_000;

/** Exports messages main holds of a subscription. */
export interface MessageExportRequest {
  subscriptionId: string;
  format: MessageExportFormat;
  /** Only these messages (their `index`), e.g. search results or a selection; absent = every message held. */
  indexes?: number[];
}

/** Progress of an export (the last event has `done: true`). */
export interface MessageExportProgress {
  subscriptionId: string;
  written: number;
  total: number;
  done: boolean;
}

/** Where an export went. */
export interface MessageExportResult {
  path: string;
  /** Messages written. */
  messages: number;
  bytes: number;
  /** Indexes asked for that main no longer holds (evicted from its bounded history). */
  missing: number;
  /** CSV: field columns left out past the column bound (their values are not in the file). */
  omittedColumns: number;
}

/** Which file of a subscription to show in the system's file manager. */
export interface RevealMessageFileRequest {
  subscriptionId: string;
  /** The last export, or the last recording, of the subscription. */
  file: 'export' | 'recording';
}

/** Starts recording a live subscription to an NDJSON file (one line per message). */
export interface RecordingRequest {
  subscriptionId: string;
  /** Stop after this many messages. */
  maxMessages?: number;
  /** Stop after this many seconds. */
  maxSeconds?: number;
}

/** Why a recording stopped. */
export const RECORDING_STOP_REASONS = [
  'count',
  'time',
  'size',
  'stopped',
  'subscription-ended',
  'error',
] as const;
/** One reason a recording stopped. */
export type RecordingStopReason = (typeof RECORDING_STOP_REASONS)[number];

/** A recording's state: sent when it starts, about 4 times a second while it runs, and when it stops. */
export interface RecordingProgress {
  subscriptionId: string;
  path: string;
  messages: number;
  bytes: number;
  elapsedMs: number;
  /** The bound on the file's size, in bytes. */
  maxBytes: number;
  maxMessages?: number;
  maxSeconds?: number;
  /** Set once the recording stopped; no more events follow. */
  stopped?: RecordingStopReason;
  /** What went wrong, when `stopped` is `error`. */
  error?: string;
}
