/**
 * The records of a bulk-publish file, streamed: NDJSON (one JSON value a line), a JSON array
 * (split into its items without parsing the whole file) or CSV (a header line, then one record
 * a line, its columns becoming the fields of a JSON object). Each record carries the line it
 * starts on; a record that cannot be read carries an error instead of data.
 */
import type { PublishFileFormat } from '../../../../common/src/dto/publish.js';
import { jsonProblem } from './jsonCheck.js';

/** One record of a file: its data, or why it is bad. */
export type BulkRecord = { line: number; data: string } | { line: number; error: string };

/** Longest record accepted (a line, an array item). */
export const MAX_RECORD_CHARS = 4 * 1024 * 1024;

/** Why `text` is not one JSON value (checked without building it), or undefined. */
const validJson = jsonProblem;

interface Line {
  line: number;
  text: string;
}

/** Lines of a text stream with their numbers (1-based), without the line break, a chunk's worth at a time. */
async function* lines(chunks: AsyncIterable<string>): AsyncGenerator<Line[]> {
  let rest = '';
  let n = 0;
  for await (const chunk of chunks) {
    rest += chunk;
    let at = 0;
    const batch: Line[] = [];
    for (;;) {
      const nl = rest.indexOf('\n', at);
      if (nl < 0) break;
      n += 1;
      const end = nl > at && rest.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      batch.push({ line: n, text: rest.slice(at, end) });
      at = nl + 1;
    }
    if (batch.length > 0) yield batch;
    rest = rest.slice(at);
    if (rest.length > MAX_RECORD_CHARS)
      throw new Error(`line ${n + 1} is longer than ${MAX_RECORD_CHARS} characters`);
  }
  if (rest.length > 0) yield [{ line: n + 1, text: rest.endsWith('\r') ? rest.slice(0, -1) : rest }];
}

/** `text` without white space at its ends (most lines have none: no copy then). */
const trimmed = (text: string): string => {
  const a = text.charCodeAt(0);
  const b = text.charCodeAt(text.length - 1);
  return a > 32 && b > 32 ? text : text.trim();
};

/** NDJSON: one record a line, read straight from the chunks (the hot path of a bulk publish). */
async function* ndjson(chunks: AsyncIterable<string>): AsyncGenerator<BulkRecord[]> {
  let rest = '';
  let n = 0;
  const record = (line: number, text: string, out: BulkRecord[]): void => {
    const data = trimmed(text);
    if (data === '') return;
    const problem = validJson(data);
    out.push(problem === undefined ? { line, data } : { line, error: `not JSON: ${problem}` });
  };
  for await (const chunk of chunks) {
    const text = rest === '' ? chunk : rest + chunk;
    const out: BulkRecord[] = [];
    let at = 0;
    for (;;) {
      const nl = text.indexOf('\n', at);
      if (nl < 0) break;
      n += 1;
      record(n, text.slice(at, nl), out);
      at = nl + 1;
    }
    rest = text.slice(at);
    if (rest.length > MAX_RECORD_CHARS) throw new Error(`line ${n + 1} is longer than ${MAX_RECORD_CHARS} characters`);
    if (out.length > 0) yield out;
  }
  const last: BulkRecord[] = [];
  if (rest.length > 0) record(n + 1, rest, last);
  if (last.length > 0) yield last;
}

/** Splits a CSV line into its cells (quotes with "" escapes; a quoted cell may hold commas). */
export function csvCells(text: string): string[] | string {
  const cells: string[] = [];
  let i = 0;
  for (;;) {
    if (text[i] === '"') {
      let cell = '';
      let j = i + 1;
      for (;;) {
        if (j >= text.length) return 'a quoted cell is not closed (cells may not span lines)';
        if (text[j] === '"') {
          if (text[j + 1] === '"') {
            cell += '"';
            j += 2;
            continue;
          }
          break;
        }
        cell += text[j] as string;
        j += 1;
      }
      cells.push(cell);
      j += 1;
      if (j < text.length && text[j] !== ',') return `a character after a quoted cell, at column ${j + 1}`;
      if (j >= text.length) return cells;
      i = j + 1;
    } else {
      const comma = text.indexOf(',', i);
      cells.push(comma < 0 ? text.slice(i) : text.slice(i, comma));
      if (comma < 0) return cells;
      i = comma + 1;
    }
  }
}

/** A CSV cell as a JSON value: numbers and booleans as such, the rest as text. */
function cellValue(cell: string): string | number | boolean {
  if (cell === 'true') return true;
  if (cell === 'false') return false;
  if (/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(cell)) {
    const n = Number(cell);
    if (Number.isFinite(n) && (Number.isSafeInteger(n) || !/^-?\d+$/.test(cell))) return n;
  }
  return cell;
}

function csvRecord(
  header: string[] | undefined,
  line: number,
  cells: string[] | string,
): BulkRecord | string[] {
  if (typeof cells === 'string') return { line, error: `bad CSV: ${cells}` };
  if (header === undefined) {
    const empty = cells.findIndex((c) => c.trim() === '');
    if (empty >= 0)
      throw new Error(`the CSV header (line ${line}) has an empty column name at column ${empty + 1}`);
    return cells.map((c) => c.trim());
  }
  if (cells.length !== header.length) {
    return { line, error: `bad CSV: ${cells.length} cells where the header has ${header.length}` };
  }
  const record: Record<string, string | number | boolean> = {};
  header.forEach((name, k) => (record[name] = cellValue(cells[k] ?? '')));
  return { line, data: JSON.stringify(record) };
}

async function* csv(chunks: AsyncIterable<string>): AsyncGenerator<BulkRecord[]> {
  let header: string[] | undefined;
  for await (const batch of lines(chunks)) {
    const out: BulkRecord[] = [];
    for (const { line, text } of batch) {
      if (text.trim() === '') continue;
      const result = csvRecord(header, line, csvCells(text));
      if (Array.isArray(result)) header = result;
      else out.push(result);
    }
    yield out;
  }
}

/** The items of a top-level JSON array, each with the line it starts on. */
async function* jsonArray(chunks: AsyncIterable<string>): AsyncGenerator<BulkRecord[]> {
  let state: 'before' | 'item' | 'after' | 'end' = 'before';
  let line = 1;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let item = '';
  let itemLine = 1;
  for await (const chunk of chunks) {
    const out: BulkRecord[] = [];
    for (let i = 0; i < chunk.length; i += 1) {
      const c = chunk[i] as string;
      if (c === '\n') line += 1;
      if (state === 'before') {
        if (c === '[') state = 'after';
        else if (!/\s/.test(c)) throw new Error(`a JSON array file must start with "[" (line ${line})`);
        continue;
      }
      if (state === 'end') {
        if (!/\s/.test(c)) throw new Error(`text after the end of the JSON array (line ${line})`);
        continue;
      }
      if (state === 'after') {
        if (/\s/.test(c) || c === ',') continue;
        if (c === ']') {
          state = 'end';
          continue;
        }
        state = 'item';
        item = '';
        itemLine = line;
        depth = 0;
      }
      // Inside an item: find its end at depth 0.
      if (inString) {
        item += c;
        if (escaped) escaped = false;
        else if (c === '\\') escaped = true;
        else if (c === '"') inString = false;
        continue;
      }
      if (depth === 0 && (c === ',' || c === ']')) {
        const text = item.trim();
        const problem = validJson(text);
        out.push(
          problem === undefined
            ? { line: itemLine, data: text }
            : { line: itemLine, error: `not JSON: ${problem}` },
        );
        state = c === ']' ? 'end' : 'after';
        continue;
      }
      item += c;
      if (item.length > MAX_RECORD_CHARS)
        throw new Error(`the item of line ${itemLine} is longer than ${MAX_RECORD_CHARS} characters`);
      if (c === '"') inString = true;
      else if (c === '{' || c === '[') depth += 1;
      else if (c === '}' || c === ']') depth -= 1;
    }
    yield out;
  }
  if (state !== 'end') throw new Error('the JSON array is not closed with "]"');
}

/** The records of a file of `format`, from its text chunks, a chunk's worth at a time. */
export function bulkRecords(
  format: PublishFileFormat,
  chunks: AsyncIterable<string>,
): AsyncGenerator<BulkRecord[]> {
  switch (format) {
    case 'ndjson':
      return ndjson(chunks);
    case 'csv':
      return csv(chunks);
    case 'json-array':
      return jsonArray(chunks);
  }
}
