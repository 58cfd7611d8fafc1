/**
 * "As of" compare of a SOW topic: the records as of T1 and as of T2 (two historical `sow`
 * queries, each by bookmark or timestamp, on a topic in the transaction log), matched by
 * SowKey: what was added, removed and changed between them.
 */

/** Most records of each point in time compared (past it the compare says it stopped). */
export const SOW_AS_OF_DIFF_MAX_RECORDS = 50_000;
/** Most added, removed and changed records listed (all are counted). */
export const SOW_AS_OF_DIFF_MAX_CHANGES = 1000;

/** Compares a topic's SOW at two points in time. */
export interface SowAsOfDiffRequest {
  connectionId: string;
  topic: string;
  /** AMPS content filter applied to both; empty or absent = every record. */
  filter?: string;
  /** T1: a bookmark (`publisher|sequence|`) or an AMPS timestamp (`20260101T120000`). */
  from: string;
  /** T2: a bookmark or an AMPS timestamp. */
  to: string;
}

/** One record that differs between T1 and T2. */
export interface SowAsOfRecordChange {
  key: string;
  kind: 'added' | 'removed' | 'changed';
  /** The record as of T1 (removed and changed). */
  before?: string;
  /** The record as of T2 (added and changed). */
  after?: string;
}

/** What differs between the SOW as of T1 and as of T2. */
export interface SowAsOfDiff {
  /** Records as of T1 and T2 (those compared). */
  fromRecords: number;
  toRecords: number;
  added: number;
  removed: number;
  changed: number;
  unchanged: number;
  /** Added, removed and changed records, at most {@link SOW_AS_OF_DIFF_MAX_CHANGES}, sorted by kind then key. */
  changes: SowAsOfRecordChange[];
  /** True when more records differ than `changes` lists. */
  changesTruncated: boolean;
  /** Set when a point in time held more records than were compared: the bound. */
  recordLimit?: number;
}
