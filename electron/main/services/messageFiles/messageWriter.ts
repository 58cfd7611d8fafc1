/**
 * Writes messages to an export file as NDJSON, a JSON array or CSV, in chunks that yield to
 * the event loop (see ExportFile), with progress as it goes.
 */
import type { MessageExportFormat } from '../../../../common/src/dto/messageExport.js';
import { csvLine, flattenRecord } from '../exportFiles.js';
import type { ExportFile } from '../exportFiles.js';
import type { HeldMessage } from './messageHistory.js';
import { isDecodedFromType, listData } from '../payloadDisplay.js';

/** Most field columns of a CSV export (the union of fields is cut here, and the cut is counted). */
export const CSV_MAX_FIELDS = 256;
/** Messages between two progress reports (and between two yields of a first CSV pass). */
export const PROGRESS_EVERY = 1000;

/** How a payload is written: JSON as itself, UTF-8 text as a string, other bytes as base64. */
export type PayloadEncoding = 'json' | 'text' | 'base64';

const utf8 = new TextDecoder('utf-8', { fatal: true });
const LINE_BREAK = /[\r\n\u2028\u2029]/;

/**
 * A payload decoded for a file. With `json`, a JSON payload is written as JSON (`raw`: its
 * own text when it holds no line break, else its value written again); without, as text.
 * A MessagePack, BSON or BFlat payload (`messageType`) is written as the JSON of its decoded
 * value, as the list shows it; one its codec refuses is written as base64.
 */
export function decodePayload(
  payload: Uint8Array,
  json = true,
  messageType?: string,
): { encoding: PayloadEncoding; payload: unknown; raw?: string } {
  if (json && messageType !== undefined && isDecodedFromType(messageType) && payload.byteLength > 0) {
    const listed = listData(messageType, payload, Number.POSITIVE_INFINITY);
    if ('data' in listed) {
      const value = JSON.parse(listed.data) as unknown;
      return LINE_BREAK.test(listed.data)
        ? { encoding: 'json', payload: value }
        : { encoding: 'json', payload: value, raw: listed.data };
    }
  }
  let text: string;
  try {
    text = utf8.decode(payload);
  } catch {
    return {
      encoding: 'base64',
      payload: Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('base64'),
    };
  }
  const first = json ? text.trimStart()[0] : undefined;
  if (first === '{' || first === '[') {
    try {
      const value = JSON.parse(text) as unknown;
      return LINE_BREAK.test(text)
        ? { encoding: 'json', payload: value }
        : { encoding: 'json', payload: value, raw: text };
    } catch {
      // Not JSON after all: kept as text.
    }
  }
  return { encoding: 'text', payload: text };
}

/**
 * One message as one line of JSON (no line break inside): index, receive time (ms since the
 * epoch), every header, the payload's size, how the payload is written, and the payload.
 * `json` false writes every UTF-8 payload as text (a recording: no parse per message).
 */
export function messageLine(
  index: number,
  receivedAt: number,
  header: Readonly<Partial<Record<string, string>>>,
  payload: Uint8Array,
  json = true,
  messageType?: string,
): string {
  const d = decodePayload(payload, json, messageType);
  const body = d.raw ?? JSON.stringify(d.payload);
  return `{"index":${index},"receivedAt":${receivedAt},"headers":${JSON.stringify(header)},"size":${payload.byteLength},"encoding":"${d.encoding}","payload":${body}}`;
}


/** What {@link writeMessages} writes. */
export interface WriteJob {
  file: ExportFile;
  format: MessageExportFormat;
  messages: readonly HeldMessage[];
  /** The subscription's message type: binary documents are written as their JSON. */
  messageType?: string;
  /** Told the count written so far, every {@link PROGRESS_EVERY} messages and at the end. */
  onProgress?: (written: number, total: number) => void;
}

/** The fixed CSV columns, before the payload's fields. */
export const CSV_FIXED_COLUMNS = ['time', 'command', 'topic', 'sowKey', 'bookmark'] as const;

/** Writes the messages and closes nothing; resolves with counts (the caller closes the file). */
export async function writeMessages(job: WriteJob): Promise<{ messages: number; omittedColumns: number }> {
  const { file, messages } = job;
  const lineOf = (m: HeldMessage): string =>
    messageLine(m.index, m.receivedAt, m.header, m.payload, true, job.messageType);
  const total = messages.length;
  let written = 0;
  const step = async (): Promise<void> => {
    written++;
    if (written % PROGRESS_EVERY === 0) {
      job.onProgress?.(written, total);
      await file.flush();
    }
  };
  let omittedColumns = 0;
  if (job.format === 'ndjson') {
    for (const m of messages) {
      await file.write(`${lineOf(m)}\n`);
      await step();
    }
  } else if (job.format === 'json') {
    await file.write('[');
    for (const m of messages) {
      await file.write(`${written === 0 ? '\n' : ',\n'}${lineOf(m)}`);
      await step();
    }
    await file.write('\n]\n');
  } else {
    omittedColumns = await writeCsv(job, step);
  }
  job.onProgress?.(written, total);
  return { messages: written, omittedColumns };
}

/** The fields of a payload as CSV cells: flattened JSON object, or one `payload` cell. */
function fieldsOf(m: HeldMessage, messageType?: string): { flat: Map<string, unknown> | undefined; text: unknown } {
  const decoded = decodePayload(m.payload, true, messageType);
  const value = decoded.payload;
  if (decoded.encoding === 'json' && typeof value === 'object' && value !== null && !Array.isArray(value))
    return { flat: flattenRecord(value), text: undefined };
  return { flat: undefined, text: decoded.encoding === 'json' ? JSON.stringify(value) : value };
}

async function writeCsv(job: WriteJob, step: () => Promise<void>): Promise<number> {
  const { file, messages } = job;
  // A first pass: the union of the fields, in first-seen order, bounded.
  const columns = new Set<string>();
  const cut = new Set<string>();
  let anyText = false;
  let seen = 0;
  for (const m of messages) {
    const { flat } = fieldsOf(m, job.messageType);
    if (flat === undefined) anyText = true;
    else
      for (const path of flat.keys()) {
        if (columns.has(path)) continue;
        if (columns.size < CSV_MAX_FIELDS) columns.add(path);
        else cut.add(path);
      }
    if (++seen % PROGRESS_EVERY === 0) await file.flush();
  }
  const names = [...columns];
  await file.write(csvLine([...CSV_FIXED_COLUMNS, ...names, ...(anyText ? ['payload'] : [])]));
  for (const m of messages) {
    const { flat, text } = fieldsOf(m, job.messageType);
    const h = m.header;
    const fixed = [new Date(m.receivedAt).toISOString(), h.command, h.topic, h.sowKey, h.bookmark];
    const fields = names.map((n) => flat?.get(n));
    await file.write(csvLine(anyText ? [...fixed, ...fields, text] : [...fixed, ...fields]));
    await step();
  }
  return cut.size;
}
