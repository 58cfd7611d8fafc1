/**
 * Whole payloads opened in the detail pane's virtualized viewer: main decodes a kept payload
 * once, indexes its display rows (its lines, a line longer than {@link ROW_CHARS} broken over
 * several rows) and serves pages of rows and spans of text on demand, so the page receives
 * only what it shows however large the payload. A few opened payloads are kept (newest
 * opened last out), each only while its subscription runs; every character is reachable.
 */
import type {
  PayloadRows,
  PayloadRowsRequest,
  PayloadText,
  PayloadTextRequest,
} from '../../../common/src/dto/subscriptions.js';

/** Most characters of one display row. */
export const ROW_CHARS = 200;
/** Opened payloads kept indexed (beyond this the least recently read is dropped). */
export const OPEN_PAYLOADS = 4;

/** A payload's decoded text and its rows. */
export class PayloadRowIndex {
  readonly text: string;
  readonly size: number;
  readonly rowCount: number;
  readonly lineCount: number;
  /** Character offset where each row starts. */
  readonly #starts: Uint32Array;
  /** Per row: its line number when it starts a line, 0 when it continues one. */
  readonly #lines: Uint32Array;

  constructor(text: string, size: number, rowChars = ROW_CHARS) {
    this.text = text;
    this.size = size;
    let starts = new Uint32Array(1024);
    let lines = new Uint32Array(1024);
    let rows = 0;
    const push = (start: number, line: number): void => {
      if (rows === starts.length) {
        const grownStarts = new Uint32Array(rows * 2);
        grownStarts.set(starts);
        starts = grownStarts;
        const grownLines = new Uint32Array(rows * 2);
        grownLines.set(lines);
        lines = grownLines;
      }
      starts[rows] = start;
      lines[rows] = line;
      rows++;
    };
    let line = 1;
    for (let pos = 0; ; line++) {
      const newline = text.indexOf('\n', pos);
      const end = newline < 0 ? text.length : newline;
      push(pos, line);
      for (let at = pos; end - at > rowChars; ) {
        let cut = at + rowChars;
        // Never between the two halves of a surrogate pair.
        const code = text.charCodeAt(cut);
        if (code >= 0xdc00 && code <= 0xdfff) cut--;
        push(cut, 0);
        at = cut;
      }
      if (newline < 0) break;
      pos = newline + 1;
    }
    this.rowCount = rows;
    this.lineCount = line;
    this.#starts = starts.subarray(0, rows);
    this.#lines = lines.subarray(0, rows);
  }

  /** The text of `row` without its line break (and a `\r` before it). */
  rowText(row: number): string {
    const start = this.#starts[row] ?? this.text.length;
    const next = row + 1 < this.rowCount ? (this.#starts[row + 1] ?? this.text.length) : this.text.length;
    const endsLine = row + 1 < this.rowCount && this.#lines[row + 1] !== 0;
    let end = endsLine ? next - 1 : next;
    if (endsLine && end > start && this.text.charCodeAt(end - 1) === 13) end--;
    return this.text.slice(start, end);
  }

  /** Line number of `row` when it starts a line, else 0. */
  lineOf(row: number): number {
    return this.#lines[row] ?? 0;
  }
}

/** What the viewer needs of the subscription service. */
export interface PayloadSource {
  /** The whole payload of a kept message (throws when not kept or not the caller's). */
  messagePayload(subscriptionId: string, ownerId: string, index: number): { data: string; size: number };
  /** True while the caller's subscription runs. */
  isRunning(subscriptionId: string, ownerId: string): boolean;
}

/** Opened payloads by caller, subscription and message. */
export class PayloadViews {
  readonly #source: PayloadSource;
  readonly #open = new Map<string, { subscriptionId: string; ownerId: string; index: PayloadRowIndex }>();
  readonly #max: number;

  constructor(source: PayloadSource, max = OPEN_PAYLOADS) {
    this.#source = source;
    this.#max = max;
  }

  #opened(subscriptionId: string, ownerId: string, index: number): PayloadRowIndex {
    const key = `${ownerId}\u0000${subscriptionId}\u0000${index}`;
    const cached = this.#open.get(key);
    if (cached !== undefined && this.#source.isRunning(subscriptionId, ownerId)) {
      this.#open.delete(key);
      this.#open.set(key, cached);
      return cached.index;
    }
    for (const [k, v] of this.#open) if (!this.#source.isRunning(v.subscriptionId, v.ownerId)) this.#open.delete(k);
    const whole = this.#source.messagePayload(subscriptionId, ownerId, index);
    const rows = new PayloadRowIndex(whole.data, whole.size);
    this.#open.set(key, { subscriptionId, ownerId, index: rows });
    for (const k of this.#open.keys()) {
      if (this.#open.size <= this.#max) break;
      this.#open.delete(k);
    }
    return rows;
  }

  /** Rows `first` … `first + count - 1` (fewer at the end) with the payload's totals. */
  rows(request: PayloadRowsRequest, ownerId: string): PayloadRows {
    const view = this.#opened(request.subscriptionId, ownerId, request.index);
    const first = Math.min(request.first, view.rowCount);
    const last = Math.min(view.rowCount, first + request.count);
    const texts: string[] = [];
    const lineNumbers: number[] = [];
    for (let row = first; row < last; row++) {
      texts.push(view.rowText(row));
      lineNumbers.push(view.lineOf(row));
    }
    return {
      size: view.size,
      chars: view.text.length,
      lineCount: view.lineCount,
      rowCount: view.rowCount,
      rowChars: ROW_CHARS,
      first,
      texts,
      lineNumbers,
    };
  }

  /** Characters `offset` … `offset + length` of the text (a surrogate pair is never split). */
  text(request: PayloadTextRequest, ownerId: string): PayloadText {
    const view = this.#opened(request.subscriptionId, ownerId, request.index);
    const chars = view.text.length;
    const offset = Math.min(request.offset, chars);
    let end = Math.min(chars, offset + request.length);
    const code = view.text.charCodeAt(end);
    if (end < chars && end > offset + 1 && code >= 0xdc00 && code <= 0xdfff) end--;
    return { text: view.text.slice(offset, end), offset, end, chars };
  }
}
