/**
 * Exports a view's records to CSV, JSON or NDJSON, written by main as a stream (a 1 M record
 * export never passes through the renderer, nor is it built as one string in main).
 */
import type { SowExportFormat, SowExportResult } from '../../../../common/src/dto/sow.js';
import { csvLine, ExportFile, flattenRecord, parseJsonOrText as parse } from '../exportFiles.js';
/** The records an export reads: a loaded view's, or an app-held view's in its order. */
export interface ExportSource {
  readonly size: number;
  data(key: string): string | undefined;
  entries(): Iterable<[string, string]>;
}

/** What to export. */
export interface ExportJob {
  dir: string;
  /** File name stem (made safe here). */
  name: string;
  format: SowExportFormat;
  records: ExportSource;
  /** Only these keys, in this order. */
  keys?: readonly string[];
  now: number;
  /** Records written of the total: at the start, every `progressMs` or so while writing, and once done. */
  onProgress?: (written: number, total: number, done: boolean) => void;
  /** Least time between two progress reports, ms (default {@link PROGRESS_MS}). */
  progressMs?: number;
}

/** Progress is reported at most this often, ms (and at the end). */
const PROGRESS_MS = 100;

/** Writes the export; resolves with the path, record count and bytes written. */
export async function exportRecords(job: ExportJob): Promise<SowExportResult> {
  const file = await ExportFile.create(job.dir, job.name === '' ? 'sow' : job.name, job.format, job.now);
  let count = 0;
  const total =
    job.keys === undefined
      ? job.records.size
      : job.keys.filter((k) => job.records.data(k) !== undefined).length;
  let reportedAt = Date.now();
  // Called after each record written: a progress event when enough time went by.
  const wrote = (): void => {
    count++;
    if (job.onProgress === undefined || (count & 1023) !== 0) return;
    const now = Date.now();
    if (now - reportedAt < (job.progressMs ?? PROGRESS_MS)) return;
    reportedAt = now;
    job.onProgress(count, total, false);
  };
  job.onProgress?.(0, total, false);
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
      await file.write(csvLine(['SowKey', ...names]));
      for (const [key, data] of selected()) {
        const flat = flattenRecord(parse(data));
        await file.write(csvLine([key, ...names.map((n) => flat.get(n))]));
        wrote();
      }
    } else if (job.format === 'ndjson') {
      for (const [key, data] of selected()) {
        await file.write(`${JSON.stringify({ sowKey: key, record: parse(data) })}\n`);
        wrote();
      }
    } else {
      await file.write('[');
      for (const [key, data] of selected()) {
        await file.write(
          `${count === 0 ? '\n' : ',\n'}${JSON.stringify({ sowKey: key, record: parse(data) })}`,
        );
        wrote();
      }
      await file.write('\n]\n');
    }
    await file.close();
    job.onProgress?.(count, total, true);
  } catch (error) {
    file.abort();
    throw error;
  }
  return { path: file.path, records: count, bytes: file.bytes };
}
