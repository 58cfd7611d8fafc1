/** Journal record types (the on-disk journal lives in journalFile.ts). */

/** One journaled operation: a publish, a SOW delete, or a consumed queue message (`key` = its bookmark). */
export interface JournalRecord {
  kind: 'publish' | 'delete' | 'qack';
  topic: string;
  key: string;
  /** Epoch microseconds. */
  ts: number;
  /** Payload, base64 (publish only). */
  data?: string;
  bm?: string;
  x?: string;
  /** Expiry, epoch ms. */
  exp?: number;
  /** Publisher client name and sequence (duplicate detection across restarts). */
  client?: string;
  s?: string;
}

/** Where the broker writes journal records. */
export interface JournalSink {
  append(record: JournalRecord): void;
}
