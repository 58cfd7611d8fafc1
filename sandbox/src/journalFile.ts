/**
 * The on-disk journal (`journal: DIR`): an append-only file of checksummed records
 * (`u32be length`, `u32be crc32`, JSON). On start the SOW stores, transaction log, queue
 * contents and per-client sequence numbers are rebuilt from it; a corrupt or torn tail is reported
 * and truncated, keeping every record before it. This file holds the record format and how a
 * record is applied; opening, the writer lock and following a journal another process writes
 * are in journalFollow.ts.
 */
import { crc32 } from 'node:zlib';
import type { Broker } from './broker.js';
import type { JournalRecord, JournalSink } from './journal.js';
import { parsePayload } from './messageTypes.js';
import type { SowRecord } from './sowStore.js';

/** File name inside the journal directory. */
export const JOURNAL_FILE = 'sandbox.journal';
const HEADER_BYTES = 8;
const MAX_RECORD_BYTES = 256 * 1024 * 1024;

/** An open journal. */
export interface FileJournal extends JournalSink {
  /** Records recovered at open. */
  readonly recovered: number;
  /** Bytes dropped from a corrupt tail at open (0 when clean). */
  readonly truncatedBytes: number;
  close(): void;
}

/** Encodes one record as it is stored. */
export function encodeJournalRecord(record: JournalRecord): Buffer {
  const body = Buffer.from(JSON.stringify(record), 'utf8');
  const out = Buffer.allocUnsafe(HEADER_BYTES + body.length);
  out.writeUInt32BE(body.length, 0);
  out.writeUInt32BE(crc32(body), 4);
  body.copy(out, HEADER_BYTES);
  return out;
}

/** Result of scanning a journal's bytes. */
export interface JournalScan {
  records: JournalRecord[];
  /** Bytes of intact records (where a corrupt tail starts). */
  goodBytes: number;
  /** Why the scan stopped early, if it did. */
  problem?: string;
}

/**
 * Reads every intact record from the start of `buf`, stopping at the first damaged one.
 * @param base file offset of `buf` (for the byte positions in `problem`)
 */
export function scanJournal(buf: Buffer, base = 0): JournalScan {
  const records: JournalRecord[] = [];
  let off = 0;
  const at = (): number => base + off;
  while (off < buf.length) {
    if (buf.length - off < HEADER_BYTES)
      return { records, goodBytes: off, problem: `torn record header at byte ${at()}` };
    const len = buf.readUInt32BE(off);
    const sum = buf.readUInt32BE(off + 4);
    if (len > MAX_RECORD_BYTES)
      return { records, goodBytes: off, problem: `impossible record length ${len} at byte ${at()}` };
    if (buf.length - off - HEADER_BYTES < len)
      return { records, goodBytes: off, problem: `torn record at byte ${at()}` };
    const body = buf.subarray(off + HEADER_BYTES, off + HEADER_BYTES + len);
    if (crc32(body) !== sum) return { records, goodBytes: off, problem: `checksum mismatch at byte ${at()}` };
    let rec: unknown;
    try {
      rec = JSON.parse(body.toString('utf8'));
    } catch {
      return { records, goodBytes: off, problem: `unreadable record at byte ${at()}` };
    }
    if (!isRecord(rec)) return { records, goodBytes: off, problem: `invalid record at byte ${at()}` };
    records.push(rec);
    off += HEADER_BYTES + len;
  }
  return { records, goodBytes: off };
}

function isRecord(v: unknown): v is JournalRecord {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  return (
    (r['kind'] === 'publish' || r['kind'] === 'delete' || r['kind'] === 'qack') &&
    typeof r['topic'] === 'string' &&
    typeof r['key'] === 'string' &&
    typeof r['ts'] === 'number'
  );
}

/** Applies a recovered record to the broker's state (no deliveries). */
export function applyRecord(broker: Broker, r: JournalRecord): void {
  const info = broker.topics.get(r.topic);
  if (r.client !== undefined && r.s !== undefined && /^\d+$/.test(r.s)) {
    const s = BigInt(r.s);
    if (s > broker.lastSequence(r.client)) broker.sequences.set(r.client, s);
    if (r.bm !== undefined) broker.lastBookmarks.set(r.client, r.bm);
  }
  if (r.bm !== undefined) {
    const m = /^\d+\|(\d+)\|$/.exec(r.bm);
    if (m && r.s === undefined) broker.noteServerSequence(Number(m[1]));
  }
  if (r.kind === 'delete') {
    info.sow?.delete(r.key);
    return;
  }
  if (r.kind === 'qack') {
    info.queue?.entries.delete(r.key);
    return;
  }
  const data = Buffer.from(r.data ?? '', 'base64');
  info.published++;
  if (info.txlog && r.bm !== undefined && broker.txlog.positionOf(r.bm) === undefined) {
    const entry = {
      bookmark: r.bm,
      topic: r.topic,
      kind: 'publish' as const,
      data,
      key: r.key,
      timestampMicros: r.ts,
    };
    broker.txlog.append(r.x === undefined ? entry : { ...entry, correlationId: r.x });
  }
  if (info.queue && r.bm !== undefined) {
    const qjson = parsePayload(info.messageType, data);
    const entry = {
      bookmark: r.bm,
      topic: r.topic,
      data,
      json: qjson,
      key: r.key === '' ? undefined : r.key,
      timestampMicros: r.ts,
      leaseExpiry: 0,
      deliveries: 0,
      ...(r.exp !== undefined ? { expiresAt: r.exp } : {}),
    };
    info.queue.entries.set(r.bm, r.x === undefined ? entry : { ...entry, correlationId: r.x });
  }
  if (info.sow) {
    const json = parsePayload(info.messageType, data);
    const rec: SowRecord = { topic: r.topic, key: r.key, data, json, timestampMicros: r.ts };
    if (r.x !== undefined) rec.correlationId = r.x;
    if (r.bm !== undefined) rec.bookmark = r.bm;
    if (r.exp !== undefined) rec.expiresAt = r.exp;
    info.sow.put(rec);
  }
}
