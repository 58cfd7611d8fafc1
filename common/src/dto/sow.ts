import type { SerializedError } from './errors.js';

/**
 * How a SOW view is placed: `query` is a one-shot `sow`, `live` a `sow_and_subscribe` (with
 * oof), `live_delta` a `sow_and_delta_subscribe` (with oof; main merges each delta into the
 * record it holds).
 */
export const SOW_MODES = ['query', 'live', 'live_delta'] as const;
/** One SOW view mode. */
export type SowMode = (typeof SOW_MODES)[number];

/** Why a record left a live view (the oof message's `reason` header). */
export const OOF_REASONS = ['match', 'deleted', 'expired'] as const;
/** One removal reason; anything else the server says is reported as given. */
export type OofReason = (typeof OOF_REASONS)[number] | (string & {});

/** Export file formats. */
export const SOW_EXPORT_FORMATS = ['csv', 'json', 'ndjson'] as const;
/** One export format. */
export type SowExportFormat = (typeof SOW_EXPORT_FORMATS)[number];

/** Everything needed to place a SOW view. */
export interface SowQuerySpec {
  connectionId: string;
  topic: string;
  /** AMPS content filter; empty or absent = every record. */
  filter?: string;
  mode: SowMode;
  /** Server-side order, e.g. `/price DESC, /id`. */
  orderBy?: string;
  /** At most this many records. */
  topN?: number;
  /** Skip this many records first (paging). */
  skipN?: number;
  /** Records per `sow` frame the server sends (default 100). */
  batchSize?: number;
  /** Fields to return, comma separated (`/id,/customer/name`); absent = the whole record. */
  select?: string;
  /** Ask for oof messages in live modes (default true). */
  oof?: boolean;
  /** Delta mode: leave out updates that change nothing (`no_empties`). */
  noEmpties?: boolean;
  /** Server-side conflation interval of the live part, e.g. `250ms` (`conflation=`). */
  conflation?: string;
  /** As of: a bookmark or an AMPS timestamp (`20260101T120000`), for topics with history. */
  bookmark?: string;
  /** Aggregation: the fields records are grouped by, as in `grouping=[/sym,/desk]` (without brackets). */
  grouping?: string;
  /** Aggregation: the fields of each group, as in `projection=[/sym,SUM(/qty) AS /total]` (without brackets). */
  projection?: string;
}

/** Identifies a SOW view. */
export interface SowQueryRef {
  queryId: string;
}

/** A new filter for a live view, applied atomically with `replace`. */
export interface SowReplaceFilterRequest {
  queryId: string;
  filter: string;
}

/** A record that is new or changed. */
export interface SowUpsert {
  /** The SowKey. */
  key: string;
  /** The whole current record as text (deltas already merged by main). */
  data: string;
  /** Delta mode: the flattened field paths (`/customer/name`) this update carried. */
  changed?: string[];
}

/** A record that left the view. */
export interface SowRemoval {
  key: string;
  reason: OofReason;
}

/** How far a view has come. */
export interface SowProgress {
  /** `querying` while the initial results stream in, `live` after them, `done` for a finished query. */
  phase: 'querying' | 'live' | 'done';
  /** Messages (records, updates, oofs) received from the server. */
  received: number;
  /** Batches delivered to the renderer. */
  batches: number;
  /** Milliseconds since the query was placed. */
  elapsedMs: number;
  /** Messages per second over the whole view so far. */
  ratePerSec: number;
  /** Records the query matched, from the server's stats ack, once known. */
  total?: number;
  /** Records the view holds now (main's map). */
  records: number;
}

/** One tick's worth of changes; within it the latest state of a key wins. */
export interface SowBatch {
  queryId: string;
  upserts: SowUpsert[];
  removals: SowRemoval[];
  progress: SowProgress;
  /** Updates folded into a later state of the same key in this batch. */
  conflated: number;
  /** Updates folded so far over the view's life. */
  conflatedTotal: number;
}

/** Why a SOW view ended. */
export type SowEndReason = 'completed' | 'cancelled' | 'connection-closed' | 'error' | 'limit';

/** A SOW view is over; no more batches follow (its records stay exportable until cancelled). */
export interface SowEndedEvent {
  queryId: string;
  reason: SowEndReason;
  error?: SerializedError;
  progress: SowProgress;
}

/**
 * A SOW view still held in main, for a page that reloaded: `listSowViews` names them and
 * `attachSowView` sends the view's current records again (as batches) and lets its live
 * batches flow to the page. Views no page attaches within the deadline are cancelled.
 */
export interface SowViewInfo {
  queryId: string;
  spec: SowQuerySpec;
  progress: SowProgress;
  /** Batches flow to the caller (false after a reload until `attachSowView`). */
  attached: boolean;
  /** Why the view ended, when it did (its records stay until cancelled). */
  ended?: SowEndReason;
  error?: SerializedError;
}

/** Delete records: by SowKeys, or every record of a topic that matches a filter. */
export type SowDeleteRequest =
  | { connectionId: string; topic: string; keys: string[] }
  | { connectionId: string; topic: string; filter: string };

/** The server's count of deleted records. */
export interface SowDeleteResult {
  deleted: number;
}

/** How many records of a topic match a filter (a preview before a delete). */
export interface SowCountRequest {
  connectionId: string;
  topic: string;
  filter?: string;
}

/** The server's count of matching records. */
export interface SowCountResult {
  count: number;
}

/** One record with its headers, for the row detail. */
export interface SowRecordRequest {
  queryId: string;
  key: string;
}

/** A record as main holds it. */
export interface SowRecordDetail {
  key: string;
  data: string;
  topic: string;
  bookmark?: string;
  timestamp?: string;
  correlationId?: string;
}

/** Writes the records of a view to a file, streaming, in main. */
export interface SowExportRequest {
  queryId: string;
  format: SowExportFormat;
  /** Only these keys (selected rows); absent = every record the view holds. */
  keys?: string[];
}

/** How far a running export is (sent while main writes the file, and once at its end). */
export interface SowExportProgress {
  queryId: string;
  format: SowExportFormat;
  /** Records written so far. */
  written: number;
  /** Records the export will write. */
  total: number;
  done: boolean;
}

/** Where the export went. */
export interface SowExportResult {
  path: string;
  records: number;
  bytes: number;
}

/** Most rows one server-paged window may hold (the renderer's bound in paging mode). */
export const SOW_PAGE_MAX_ROWS = 1000;

/**
 * Opens a server-paged window over a big SOW: `topN` records from `skipN` in the spec's
 * order, kept live by a paginated `sow_and_subscribe` in the live modes (a `sow` in query mode).
 */
export interface SowPageOpenRequest {
  spec: SowQuerySpec;
  skipN: number;
  topN: number;
  /**
   * Who keeps the records in order: the server (a paginated sow_and_subscribe per window, the
   * default) or the app (main runs one plain query, holds every record and reads windows off
   * its own order; moves need no new query).
   */
  heldBy?: SowPagedBy;
}

/** Who keeps a paged view's order: the server or the app (main). */
export type SowPagedBy = 'server' | 'app';

/** Most records one app-held view keeps in main (about 400 bytes each with ~200-byte records). */
export const SOW_HELD_MAX_RECORDS = 500_000;

/** Moves a paged window (a new paginated query with these `skip_n` / `top_n`). */
export interface SowPageRequest {
  queryId: string;
  skipN: number;
  topN: number;
}

/** One record of a paged window. */
export interface SowPageRow {
  key: string;
  data: string;
}

/** A paged window's current rows, in order, and the total the server reported. */
export interface SowPageWindow {
  queryId: string;
  skipN: number;
  topN: number;
  /** Records the query matches (the stats ack's `matches`, at the window's last move). */
  total: number;
  rows: SowPageRow[];
  /** True while a live window is kept up to date by its subscription. */
  live: boolean;
  /** Grows with every state the window is sent in; an older one is stale. */
  seq: number;
  /** Who keeps the order (absent: the server). */
  heldBy?: SowPagedBy;
  /** App-held views: publishes and oofs applied to the records held since the view opened. */
  updates?: number;
  /** App-held views: true while the query part is still arriving (the total grows). */
  loading?: boolean;
  /** App-held views: why the view stopped while loading (it holds what arrived before). */
  error?: string;
}

/** Most versions one record history holds (the latest are kept). */
export const SOW_HISTORY_MAX_VERSIONS = 500;

/**
 * The past versions of one record of a topic in the transaction log: a bookmark replay from
 * EPOCH filtered on the record's key fields (`/id = 5 AND /region = 'EU'`).
 */
export interface SowRecordHistoryRequest {
  connectionId: string;
  topic: string;
  /** Selects the record by its key fields. */
  filter: string;
}

/** One version of a record as the transaction log holds it. */
export interface SowRecordVersion {
  data: string;
  bookmark?: string;
  /** The AMPS timestamp of the publish (`20260101T120000.123456Z`). */
  timestamp?: string;
}

/** A record's versions, oldest first. */
export interface SowRecordHistory {
  versions: SowRecordVersion[];
  /** True when older versions were left out to stay within {@link SOW_HISTORY_MAX_VERSIONS}. */
  truncated: boolean;
}
