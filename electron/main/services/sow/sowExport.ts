/**
 * Exports a view's records to CSV, JSON or NDJSON, written by main as a stream (a 1 M record
 * export never passes through the renderer, nor is it built as one string in main).
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { SowExportFormat, SowExportResult } from '../../../../common/src/dto/sow.js';
import type { SowRecords } from './sowRecords.js';

/** What to export. */
export interface ExportJob {
  dir: string;
  /** File name stem (made safe here). */
  name: string;
  format: SowExportFormat;
  records: SowRecords;
  /** Only these keys, in this order. */
  keys?: readonly string[];
  now: number;
}

type Flat = Map<string, unknown>;

/** Flattens a JSON record to `/path` → leaf value (arrays are kept whole, as JSON). */
export function flattenRecord(value: unknown, prefix = '', out: Flat = new Map()): Flat {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    for (const [name, v] of Object.entries(value as Record<string, unknown>))
      flattenRecord(v, `${prefix}/${name}`, out);
  } else {
    out.set(prefix === '' ? '/' : prefix, value);
  }
  return out;
}

/** One CSV cell (RFC 4180 quoting; formula-like text is prefixed with `'` against CSV injection). */
export function csvCell(value: unknown): string {
  if (value === undefined || value === null) return '';
  let text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const parse = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

const safeName = (name: string): string => name.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80) || 'sow';

const stamp = (ms: number): string => new Date(ms).toISOString().replace(/[:.]/g, '-');

/** Writes the export; resolves with the path, record count and bytes written. */
export async function exportRecords(job: ExportJob): Promise<SowExportResult> {
  await mkdir(job.dir, { recursive: true });
  const path = join(job.dir, `${safeName(job.name)}-${stamp(job.now)}.${job.format}`);
  const out = createWriteStream(path, { encoding: 'utf8', flags: 'wx' });
  let bytes = 0;
  let count = 0;
  const write = async (chunk: string): Promise<void> => {
    bytes += Buffer.byteLength(chunk);
    if (!out.write(chunk)) await once(out, 'drain');
  };
  const selected = (): Iterable<[string, string]> => {
    if (job.keys === undefined) return job.records.entries();
    const { keys, records } = job;
    return (function* () {
      for (const key of keys) {
        const data = records.data(key);
        if (data !== undefined) yield [key, data] as [string, string];
      }
    })();
  };
  try {
    if (job.format === 'csv') {
      // Columns: the union of every record's paths, in first-seen order (a first pass).
      const columns = new Map<string, number>();
      for (const [, data] of selected()) {
        for (const path of flattenRecord(parse(data)).keys())
          if (!columns.has(path)) columns.set(path, columns.size);
      }
      const names = [...columns.keys()];
      await write(`${['SowKey', ...names].map(csvCell).join(',')}\r\n`);
      for (const [key, data] of selected()) {
        const flat = flattenRecord(parse(data));
        await write(`${[key, ...names.map((n) => flat.get(n))].map(csvCell).join(',')}\r\n`);
        count++;
      }
    } else if (job.format === 'ndjson') {
      for (const [key, data] of selected()) {
        await write(`${JSON.stringify({ sowKey: key, record: parse(data) })}\n`);
        count++;
      }
    } else {
      await write('[');
      for (const [key, data] of selected()) {
        await write(`${count === 0 ? '\n' : ',\n'}${JSON.stringify({ sowKey: key, record: parse(data) })}`);
        count++;
      }
      await write('\n]\n');
    }
    out.end();
    await once(out, 'finish');
  } catch (error) {
    out.destroy();
    throw error;
  }
  return { path, records: count, bytes };
}
