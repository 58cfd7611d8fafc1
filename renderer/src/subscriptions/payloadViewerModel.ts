/**
 * The whole-payload viewer's state: main holds the payload and serves its display rows in
 * pages; the viewer asks for the pages covering what is on screen (a few kept, least recently
 * shown out), so the first screen of a payload of any size shows after one small request and
 * every row stays reachable by scrolling. Copy fetches the whole text in chunks. Pure logic
 * on {@link Model}; the clock is injected.
 */
import type { PayloadRows, PayloadText } from '../../../common/src/dto/subscriptions.js';
import type { ExplorerApi } from '../../../common/src/ipc/contract.js';
import { Model, messageOf } from '../lib/model.js';

/** Rows per page asked of main. */
export const PAGE_ROWS = 100;
/** Pages kept in the page (about 2 MB of text at most). */
export const KEPT_PAGES = 50;
/** Characters per request when copying the whole text. */
export const COPY_CHUNK = 1_048_576;

/** What the viewer shows. */
export interface PayloadViewerState {
  status: 'closed' | 'opening' | 'open' | 'failed';
  problem: string | undefined;
  size: number;
  chars: number;
  lineCount: number;
  rowCount: number;
  rowChars: number;
  /** From the open request to the first page, ms. */
  openMs: number;
  /** Bumped whenever pages arrive (rows read through {@link PayloadViewerModel.row}). */
  version: number;
  /** Characters fetched so far by a copy in progress. */
  copying: { done: number; total: number } | undefined;
}

interface Page {
  texts: string[];
  lineNumbers: number[];
}

/** One row as shown: its text and its line number (0 when it continues the line above). */
export interface ShownRow {
  text: string;
  line: number;
}

type PayloadApi = Pick<ExplorerApi, 'getPayloadRows' | 'getPayloadText'>;

/** The virtualized view of one message's whole payload. */
export class PayloadViewerModel extends Model<PayloadViewerState> {
  readonly #api: PayloadApi;
  readonly #subscriptionId: string;
  readonly #index: number;
  readonly #now: () => number;
  readonly #pages = new Map<number, Page>();
  readonly #asked = new Set<number>();

  constructor(api: PayloadApi, subscriptionId: string, index: number, now: () => number = () => performance.now()) {
    super({
      status: 'closed',
      problem: undefined,
      size: 0,
      chars: 0,
      lineCount: 0,
      rowCount: 0,
      rowChars: 0,
      openMs: 0,
      version: 0,
      copying: undefined,
    });
    this.#api = api;
    this.#subscriptionId = subscriptionId;
    this.#index = index;
    this.#now = now;
  }

  /** Asks main for the totals and the first page. */
  async open(): Promise<void> {
    const started = this.#now();
    this.update({ status: 'opening', problem: undefined });
    try {
      const rows = await this.#fetch(0);
      this.#keep(0, rows);
      this.update({
        status: 'open',
        size: rows.size,
        chars: rows.chars,
        lineCount: rows.lineCount,
        rowCount: rows.rowCount,
        rowChars: rows.rowChars,
        openMs: this.#now() - started,
        version: this.state.version + 1,
      });
    } catch (error) {
      this.update({ status: 'failed', problem: messageOf(error) });
    }
  }

  #fetch(page: number): Promise<PayloadRows> {
    return this.#api.getPayloadRows({
      subscriptionId: this.#subscriptionId,
      index: this.#index,
      first: page * PAGE_ROWS,
      count: PAGE_ROWS,
    });
  }

  #keep(page: number, rows: PayloadRows): void {
    this.#pages.delete(page);
    this.#pages.set(page, { texts: rows.texts, lineNumbers: rows.lineNumbers });
    for (const oldest of this.#pages.keys()) {
      if (this.#pages.size <= KEPT_PAGES) break;
      this.#pages.delete(oldest);
    }
  }

  /** Rows `first` … `last` (inclusive) are on screen: fetches the pages not held yet. */
  show(first: number, last: number): void {
    if (this.state.status !== 'open') return;
    const from = Math.max(0, Math.floor(first / PAGE_ROWS));
    const to = Math.min(Math.floor((this.state.rowCount - 1) / PAGE_ROWS), Math.floor(last / PAGE_ROWS));
    for (let page = from; page <= to; page++) {
      const held = this.#pages.get(page);
      if (held !== undefined) {
        // Recently shown: last out.
        this.#pages.delete(page);
        this.#pages.set(page, held);
        continue;
      }
      if (this.#asked.has(page)) continue;
      this.#asked.add(page);
      this.#fetch(page)
        .then((rows) => {
          this.#keep(page, rows);
          this.update({ version: this.state.version + 1 });
        })
        .catch((error: unknown) => this.update({ problem: messageOf(error) }))
        .finally(() => this.#asked.delete(page));
    }
  }

  /** Row `row` when its page is held, else undefined (it is being fetched). */
  row(row: number): ShownRow | undefined {
    const page = this.#pages.get(Math.floor(row / PAGE_ROWS));
    const at = row % PAGE_ROWS;
    const text = page?.texts[at];
    return text === undefined ? undefined : { text, line: page?.lineNumbers[at] ?? 0 };
  }

  /** The whole text, fetched from main in chunks (progress in `copying`). */
  async wholeText(): Promise<string> {
    const parts: string[] = [];
    let offset = 0;
    let total = this.state.chars;
    this.update({ copying: { done: 0, total } });
    try {
      for (;;) {
        const span: PayloadText = await this.#api.getPayloadText({
          subscriptionId: this.#subscriptionId,
          index: this.#index,
          offset,
          length: COPY_CHUNK,
        });
        parts.push(span.text);
        offset = span.end;
        total = span.chars;
        this.update({ copying: { done: offset, total } });
        if (offset >= total || span.end <= span.offset) break;
      }
    } finally {
      this.update({ copying: undefined });
    }
    if (offset < total) throw new Error(`the payload stopped at character ${offset} of ${total}`);
    return parts.join('');
  }
}
