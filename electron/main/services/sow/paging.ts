/**
 * Server paging for big SOWs: instead of every record, a view holds one window — `top_n`
 * records from `skip_n` in the query's order — kept live by a paginated `sow_and_subscribe`
 * (records pushed out of the window get their oof, those that enter or change in it are
 * sent). Moving the window places a new paginated query; the old one is stopped once the new
 * window is filled, so the renderer never shows a half-empty page and never holds more than
 * {@link SOW_PAGE_MAX_ROWS} rows.
 */
import { SOW_PAGE_MAX_ROWS } from '../../../../common/src/dto/sow.js';
import type {
  SowPageOpenRequest,
  SowPageRequest,
  SowPageWindow,
  SowQueryRef,
  SowQuerySpec,
} from '../../../../common/src/dto/sow.js';
import { ExplorerError } from '../../../../common/src/ipc/errors.js';
import type { Message } from '../../../../client/src/protocol/message.js';
import type { AmpsCommandStream, AmpsConnectionLike } from '../ampsAdapter.js';
import { HELD_PREFIX, HeldPaging } from './heldPaging.js';
import { orderOf, parseOrder } from './pagingOrder.js';
import { buildSowCommand, queryError } from './sowCommand.js';
import type { SowConnectionLookup } from './sowService.js';

/** Options of {@link SowPaging}. */
export interface SowPagingOptions {
  connections: SowConnectionLookup;
  deliverPage(ownerId: string, window: SowPageWindow): void;
  /** How often changed live windows are sent, ms (default 50). */
  intervalMs?: number;
  /** Most windows one owner may hold, server- and app-held together (default 16). */
  maxPagesPerOwner?: number;
  /** Most records one app-held view keeps (default SOW_HELD_MAX_RECORDS). */
  maxHeldRecords?: number;
  /** How long opening an app-held view waits for its query part, ms (default 300). */
  heldOpenWaitMs?: number;
}

interface Row {
  data: string;
  doc: unknown;
}

interface Page {
  queryId: string;
  ownerId: string;
  spec: SowQuerySpec;
  live: boolean;
  skipN: number;
  topN: number;
  total: number;
  rows: Map<string, Row>;
  command: AmpsCommandStream | undefined;
  /** The latest placement asked for; an older one that fills later is dropped. */
  generation: number;
  seq: number;
  dirty: boolean;
  closed: boolean;
  compare: (a: { key: string; doc: unknown }, b: { key: string; doc: unknown }) => number;
}

const PUBLISHES = new Set(['p', 'publish', 'delta_publish']);

const unknownPage = (queryId: string): ExplorerError =>
  new ExplorerError({
    name: 'UnknownSowQueryError',
    message: `paged SOW view ${queryId} does not exist`,
    code: 'unknown-query',
  });

function parse(data: string): unknown {
  try {
    return JSON.parse(data) as unknown;
  } catch {
    return undefined;
  }
}

function checkWindow(skipN: number, topN: number): void {
  if (!Number.isInteger(topN) || topN < 1 || topN > SOW_PAGE_MAX_ROWS) {
    throw new ExplorerError({
      name: 'ValidationError',
      message: `topN: a window holds 1 to ${SOW_PAGE_MAX_ROWS} records, not ${topN}`,
      code: 'invalid-payload',
    });
  }
  if (!Number.isInteger(skipN) || skipN < 0) {
    throw new ExplorerError({
      name: 'ValidationError',
      message: `skipN: ${skipN} is not a non-negative integer`,
      code: 'invalid-payload',
    });
  }
}

/**
 * Paged windows, each owned by one window of the app: server-paged ones here, app-held ones
 * (`heldBy: 'app'`) in {@link HeldPaging}, behind the same calls.
 */
export class SowPaging {
  readonly #pages = new Map<string, Page>();
  readonly #held: HeldPaging;
  readonly #options: SowPagingOptions;
  readonly #timer: ReturnType<typeof setInterval>;
  readonly #stopWatch: () => void;
  #next = 1;

  constructor(options: SowPagingOptions) {
    this.#options = options;
    this.#held = new HeldPaging({
      client: (connectionId, ownerId) => this.#client(connectionId, ownerId),
      deliverPage: (ownerId, window) => options.deliverPage(ownerId, window),
      unknownPage,
      ...(options.maxHeldRecords === undefined ? {} : { maxRecords: options.maxHeldRecords }),
      ...(options.heldOpenWaitMs === undefined ? {} : { openWaitMs: options.heldOpenWaitMs }),
    });
    this.#timer = setInterval(() => this.#tick(), Math.max(16, options.intervalMs ?? 50));
    this.#timer.unref?.();
    this.#stopWatch = options.connections.onClosed((connectionId) => {
      this.#held.connectionClosed(connectionId);
      for (const page of this.#pages.values()) {
        if (page.spec.connectionId === connectionId && page.live) {
          page.live = false;
          page.dirty = true;
        }
      }
    });
  }

  /** Places the first window of a paged view; resolves once it is filled. */
  async open(request: SowPageOpenRequest, ownerId: string): Promise<SowPageWindow> {
    checkWindow(request.skipN, request.topN);
    const max = this.#options.maxPagesPerOwner ?? 16;
    const held =
      [...this.#pages.values()].filter((p) => p.ownerId === ownerId).length + this.#held.heldBy(ownerId);
    if (held >= max) {
      throw new ExplorerError({
        name: 'TooManyViewsError',
        message: `at most ${max} paged SOW views per window; close one first`,
        code: 'too-many-views',
      });
    }
    if (request.heldBy === 'app') return this.#held.open(request, ownerId);
    this.#client(request.spec.connectionId, ownerId);
    const page: Page = {
      queryId: `sow-page-${this.#next++}`,
      ownerId,
      spec: request.spec,
      live: false,
      skipN: request.skipN,
      topN: request.topN,
      total: 0,
      rows: new Map(),
      command: undefined,
      generation: 0,
      seq: 0,
      dirty: false,
      closed: false,
      compare: orderOf(parseOrder(request.spec.orderBy)),
    };
    this.#pages.set(page.queryId, page);
    try {
      return await this.#place(page, request.skipN, request.topN);
    } catch (error) {
      this.#pages.delete(page.queryId);
      throw error;
    }
  }

  /** Moves a window; resolves with the filled window (or the current one if a later move won). */
  async move(request: SowPageRequest, ownerId: string): Promise<SowPageWindow> {
    checkWindow(request.skipN, request.topN);
    if (request.queryId.startsWith(HELD_PREFIX)) {
      return this.#held.move(request.queryId, request.skipN, request.topN, ownerId);
    }
    return this.#place(this.#owned(request.queryId, ownerId), request.skipN, request.topN);
  }

  /** An app-held view's records for an export (see {@link HeldPaging.exportSource}). */
  heldExport(queryId: string, ownerId: string): ReturnType<HeldPaging['exportSource']> {
    return this.#held.exportSource(queryId, ownerId);
  }

  /** Ends a paged view and its subscription. */
  async close(request: SowQueryRef, ownerId: string): Promise<void> {
    if (request.queryId.startsWith(HELD_PREFIX)) return this.#held.close(request.queryId, ownerId);
    const page = this.#owned(request.queryId, ownerId);
    this.#pages.delete(page.queryId);
    page.closed = true;
    page.rows.clear();
    await page.command?.stop();
  }

  /** Ends every paged view of a window that went away. */
  async releaseOwner(ownerId: string): Promise<void> {
    const mine = [...this.#pages.values()].filter((p) => p.ownerId === ownerId);
    await Promise.all([
      ...mine.map((p) => this.close(p, ownerId).catch(() => undefined)),
      this.#held.releaseOwner(ownerId),
    ]);
  }

  async shutdown(): Promise<void> {
    clearInterval(this.#timer);
    this.#stopWatch();
    const all = [...this.#pages.values()];
    this.#pages.clear();
    await Promise.all([...all.map((p) => p.command?.stop().catch(() => undefined)), this.#held.shutdown()]);
  }

  /** Number of paged views held (server- and app-held). */
  get size(): number {
    return this.#pages.size + this.#held.size;
  }

  /** Sends the changed live windows now (tests; the timer does it). */
  flush(): void {
    this.#tick();
  }

  async #place(page: Page, skipN: number, topN: number): Promise<SowPageWindow> {
    const generation = ++page.generation;
    const client = this.#client(page.spec.connectionId, page.ownerId);
    const live = page.spec.mode !== 'query';
    const spec: SowQuerySpec = { ...page.spec, mode: live ? 'live' : 'query', topN, skipN };
    let command: AmpsCommandStream;
    try {
      command = await client.execute(buildSowCommand(spec));
    } catch (error) {
      throw queryError(error, spec.topic);
    }
    const staged = new Map<string, Row>();
    let total = 0;
    let filled = false;
    const ready = new Promise<void>((resolve, reject) => {
      const take = (message: Message): void => {
        const cmd = message.command ?? '';
        const key = message.fields.sowKey;
        if (!filled) {
          if ((cmd === 'sow' || PUBLISHES.has(cmd)) && key !== undefined) {
            if (staged.size < SOW_PAGE_MAX_ROWS * 2)
              staged.set(key, { data: message.text, doc: parse(message.text) });
          } else if (cmd === 'oof' && key !== undefined) {
            staged.delete(key);
          } else if (cmd === 'ack' && message.ackType === 'stats') {
            const matches = Number(message.fields.matches);
            if (Number.isFinite(matches)) total = matches;
          } else if (cmd === 'ack' && message.ackType === 'completed') {
            filled = true;
            resolve();
          }
          return;
        }
        if (page.command !== command || page.closed) return;
        if (PUBLISHES.has(cmd) && key !== undefined) {
          if (page.rows.has(key) || page.rows.size < SOW_PAGE_MAX_ROWS * 2) {
            page.rows.set(key, { data: message.text, doc: parse(message.text) });
            page.dirty = true;
          }
        } else if (cmd === 'oof' && key !== undefined) {
          if (page.rows.delete(key)) page.dirty = true;
        }
      };
      command.stream
        .drain(take)
        .then(() => {
          if (!filled) {
            filled = true;
            resolve();
          } else if (page.command === command && page.live) {
            page.live = false;
            page.dirty = true;
          }
        })
        .catch((error: unknown) => {
          if (!filled) {
            filled = true;
            reject(queryError(error, spec.topic));
          } else if (page.command === command) {
            page.live = false;
            page.dirty = true;
          }
        });
    });
    try {
      await ready;
    } catch (error) {
      await command.stop().catch(() => undefined);
      throw error;
    }
    if (page.closed || generation !== page.generation) {
      await command.stop().catch(() => undefined);
      if (page.closed) throw unknownPage(page.queryId);
      return this.#snapshot(page);
    }
    const old = page.command;
    page.command = command;
    page.rows = staged;
    page.skipN = skipN;
    page.topN = topN;
    page.total = total;
    page.live = live;
    page.dirty = false;
    await old?.stop().catch(() => undefined);
    return this.#snapshot(page);
  }

  #snapshot(page: Page): SowPageWindow {
    const entries = [...page.rows].map(([key, row]) => ({ key, doc: row.doc, data: row.data }));
    entries.sort(page.compare);
    return {
      queryId: page.queryId,
      skipN: page.skipN,
      topN: page.topN,
      total: page.total,
      rows: entries.slice(0, page.topN).map((e) => ({ key: e.key, data: e.data })),
      live: page.live,
      seq: ++page.seq,
    };
  }

  #tick(): void {
    this.#held.tick();
    for (const page of this.#pages.values()) {
      if (!page.dirty || page.closed) continue;
      page.dirty = false;
      this.#options.deliverPage(page.ownerId, this.#snapshot(page));
    }
  }

  #owned(queryId: string, ownerId: string): Page {
    const page = this.#pages.get(queryId);
    if (page === undefined || page.ownerId !== ownerId) throw unknownPage(queryId);
    return page;
  }

  #client(
    connectionId: string,
    ownerId: string,
  ): AmpsConnectionLike & Required<Pick<AmpsConnectionLike, 'execute'>> {
    const client = this.#options.connections.client(connectionId, ownerId);
    if (client.execute === undefined) {
      throw new ExplorerError({
        name: 'UnsupportedError',
        message: 'this connection cannot run SOW queries (its client has no raw command support)',
        code: 'unsupported',
      });
    }
    return client as AmpsConnectionLike & Required<Pick<AmpsConnectionLike, 'execute'>>;
  }
}
