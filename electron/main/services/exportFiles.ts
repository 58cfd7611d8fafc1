/**
 * The pieces every file main writes for the user shares (SOW exports, message exports,
 * recordings): a safe, unique name in the exports folder, CSV cells, JSON flattening, and a
 * writer that gathers text into chunks, waits for the disk and yields to the event loop
 * between chunks, so a big export never blocks main nor is built as one string.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { setImmediate as yieldToLoop } from 'node:timers/promises';

/** The formats of exported files. */
export type ExportFileFormat = 'csv' | 'json' | 'ndjson';

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

/** One CSV line (CRLF-terminated) of cells. */
export const csvLine = (cells: readonly unknown[]): string => `${cells.map(csvCell).join(',')}\r\n`;

/** The text parsed as JSON, or the text itself when it is not JSON. */
export function parseJsonOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A file-name stem made safe: letters, digits, `.`, `_`, `-`; at most 80 characters. */
export const safeName = (name: string, fallback = 'export'): string =>
  name.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80) || fallback;

/** A time as it appears in a file name (ISO 8601 without `:` and `.`). */
export const fileStamp = (ms: number): string => new Date(ms).toISOString().replace(/[:.]/g, '-');

/** Text gathered before one write to the disk. */
export const CHUNK_CHARS = 64 * 1024;

/**
 * A new file in `dir` (created if missing) named `<stem>-<time>.<ext>`, never overwriting one
 * (a second file of the same second gets a `-2`, `-3`, ... suffix).
 */
export class ExportFile {
  #bytes = 0;
  #parts: string[] = [];
  #chars = 0;
  #failure: Error | undefined;

  private constructor(
    readonly path: string,
    readonly stream: WriteStream,
  ) {
    stream.on('error', (error) => {
      this.#failure ??= error;
    });
  }

  /** Opens a new file for writing. */
  static async create(dir: string, stem: string, ext: string, now: number): Promise<ExportFile> {
    await mkdir(dir, { recursive: true });
    const base = `${safeName(stem)}-${fileStamp(now)}`;
    for (let n = 1; ; n++) {
      const path = join(dir, `${base}${n === 1 ? '' : `-${n}`}.${ext}`);
      const stream = createWriteStream(path, { encoding: 'utf8', flags: 'wx' });
      try {
        await once(stream, 'open');
        return new ExportFile(path, stream);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || n >= 100) throw error;
      }
    }
  }

  /** Bytes written so far (including text still gathered). */
  get bytes(): number {
    return this.#bytes;
  }

  /** Characters gathered and not yet handed to the stream. */
  get gatheredChars(): number {
    return this.#chars;
  }

  /** Bytes handed to the stream and not yet on the disk. */
  get pendingBytes(): number {
    return this.stream.writableLength;
  }

  /** Adds text; writes a chunk (waiting for the disk and yielding) once enough is gathered. */
  async write(text: string): Promise<void> {
    this.append(text);
    if (this.#chars >= CHUNK_CHARS) await this.flush();
  }

  /** Adds text without waiting (the caller flushes): for writers that must not await per item. */
  append(text: string, bytes = Buffer.byteLength(text)): void {
    if (this.#failure !== undefined) throw this.#failure;
    this.#bytes += bytes;
    this.#parts.push(text);
    this.#chars += text.length;
  }

  /** Hands the gathered text to the disk, waits while the stream is full, then yields. */
  async flush(): Promise<void> {
    if (this.#failure !== undefined) throw this.#failure;
    if (this.#parts.length > 0) {
      const chunk = this.#parts.join('');
      this.#parts = [];
      this.#chars = 0;
      if (!this.stream.write(chunk)) await once(this.stream, 'drain');
    }
    await yieldToLoop();
    if (this.#failure !== undefined) throw this.#failure;
  }

  /** Writes what is left and closes the file. */
  async close(): Promise<void> {
    await this.flush();
    this.stream.end();
    await once(this.stream, 'finish');
  }

  /** Closes the file without waiting for what is left (after a failure). */
  abort(): void {
    this.#parts = [];
    this.stream.destroy();
  }
}
