/**
 * App-held paging for SOW views: main runs one plain query (`sow`, or `sow_and_subscribe`
 * with oof) and holds every matching record in the view's order (heldOrder.ts); the renderer
 * asks for the window it shows, as it does of a server-paged view. Moving the window is a
 * read of main's order (no new query), and a live view's changes are sent only when they
 * touch the window or the total, at most every tick — so the page draws a window of a few
 * hundred rows whatever the rate of updates over the records held.
 */
import { SOW_HELD_MAX_RECORDS, SOW_PAGE_MAX_ROWS } from '../../../../common/src/dto/sow.js';
import type { SowPageOpenRequest, SowPageWindow, SowQuerySpec } from '../../../../common/src/dto/sow.js';
import { ExplorerError } from '../../../../common/src/ipc/errors.js';
import type { Message } from '../../../../client/src/protocol/message.js';
import type { AmpsCommandStream, AmpsConnectionLike } from '../ampsAdapter.js';
import { HeldOrder, type HeldChange } from './heldOrder.js';
import { parseOrder } from './pagingOrder.js';
import { buildSowCommand, queryError } from './sowCommand.js';
import type { ExportSource } from './sowExport.js';

/** The prefix of an app-held view's queryId (a server-paged one starts `sow-page-`). */
export const HELD_PREFIX = 'sow-held-';

const PUBLISHES = new Set(['p', 'publish', 'delta_publish']);

/** How often a window is re-sent only to refresh its count of updates, ms. */
const COUNT_REFRESH_MS = 250;

/** How long `open` waits for the query part before it answers with the records so far, ms. */
const OPEN_WAIT_MS = 300;

/** Most app-held views per window of the app: with the per-view limit, what main may hold. */
export const HELD_MAX_VIEWS = 4;

/** What {@link HeldPaging} needs of its host. */
export interface HeldPagingHost {
  client(
    connectionId: string,
    ownerId: string,
  ): AmpsConnectionLike & Required<Pick<AmpsConnectionLike, 'execute'>>;
  deliverPage(ownerId: string, window: SowPageWindow): void;
  unknownPage(queryId: string): ExplorerError;
  maxRecords?: number;
  /** How long `open` waits for the query part (default {@link OPEN_WAIT_MS}). */
  openWaitMs?: number;
}

interface HeldView {
  queryId: string;
  ownerId: string;
  connectionId: string;
  topic: string;
  order: HeldOrder;
  /** A live query (sow_and_subscribe), live once its query part is in. */
  wantsLive: boolean;
  live: boolean;
  /** True until the query part is in (the completed ack). */
  loading: boolean;
  /** Why the view stopped after it was answered (it keeps what it holds). */
  error: string | undefined;
  skipN: number;
  topN: number;
  /** Publishes and oofs applied since the view opened. */
  updates: number;
  /** `updates` as last sent, and when (ms): the count is refreshed a few times a second. */
  sentUpdates: number;
  sentAt: number;
  seq: number;
  dirty: boolean;
  closed: boolean;
  command: AmpsCommandStream | undefined;
}

const tooMany = (max: number): ExplorerError =>
  new ExplorerError({
    name: 'TooManyRecordsError',
    message: `the app holds at most ${max.toLocaleString('en-US')} records in one view; page this query by the server, or narrow its filter`,
    code: 'too-many-records',
  });

const cutShort = (): ExplorerError =>
  new ExplorerError({
    name: 'QueryEndedError',
    message: 'the query ended before all its records arrived (the connection closed); run it again',
    code: 'query-ended',
  });

/** True when a change between ranks `before` and `after` reaches into [skip, skip+top). */
export function touchesWindow(change: HeldChange, skip: number, top: number): boolean {
  const end = skip + top;
  const { before, after } = change;
  if (before < 0) return after < end;
  if (after < 0) return before < end;
  return Math.min(before, after) < end && Math.max(before, after) >= skip;
}

/** The app-held views of every window of the app. */
export class HeldPaging {
  readonly #views = new Map<string, HeldView>();
  readonly #host: HeldPagingHost;
  #next = 1;

  constructor(host: HeldPagingHost) {
    this.#host = host;
  }

  get size(): number {
    return this.#views.size;
  }

  /** Number of views `ownerId` holds. */
  heldBy(ownerId: string): number {
    return [...this.#views.values()].filter((v) => v.ownerId === ownerId).length;
  }

  /**
   * Runs the query and holds its records. Resolves once the query part is in, or after
   * {@link OPEN_WAIT_MS} with what arrived so far (`loading`), so a refusal is still the
   * call's error while a big result shows its progress: the windows sent as it loads carry the
   * growing total, then `loading: false` (or the error that stopped it).
   */
  async open(request: SowPageOpenRequest, ownerId: string): Promise<SowPageWindow> {
    const spec = request.spec;
    if (this.heldBy(ownerId) >= HELD_MAX_VIEWS) {
      throw new ExplorerError({
        name: 'TooManyViewsError',
        message: `at most ${HELD_MAX_VIEWS} SOW views hold their records in the app at once; close one, or page this one by the server`,
        code: 'too-many-views',
      });
    }
    const client = this.#host.client(spec.connectionId, ownerId);
    const live = spec.mode !== 'query';
    const view: HeldView = {
      queryId: `${HELD_PREFIX}${this.#next++}`,
      ownerId,
      connectionId: spec.connectionId,
      topic: spec.topic,
      order: new HeldOrder(parseOrder(spec.orderBy)),
      wantsLive: live,
      live: false,
      loading: true,
      error: undefined,
      skipN: request.skipN,
      topN: request.topN,
      updates: 0,
      sentUpdates: 0,
      sentAt: 0,
      seq: 0,
      dirty: false,
      closed: false,
      command: undefined,
    };
    // The server sends the records in any order: main orders them, so no order_by is asked.
    const { orderBy: _orderBy, topN: _topN, skipN: _skipN, ...rest } = spec;
    const placed: SowQuerySpec = { ...rest, mode: live ? 'live' : 'query' };
    let command: AmpsCommandStream;
    try {
      command = await client.execute(buildSowCommand(placed));
    } catch (error) {
      throw queryError(error, spec.topic);
    }
    view.command = command;
    this.#views.set(view.queryId, view);
    let failure: unknown;
    const fill = this.#fill(view, command, spec.topic).catch((error: unknown) => {
      failure = error;
    });
    await Promise.race([fill, new Promise((r) => setTimeout(r, this.#host.openWaitMs ?? OPEN_WAIT_MS))]);
    if (failure !== undefined) {
      this.#views.delete(view.queryId);
      view.order.clear();
      await command.stop().catch(() => undefined);
      throw failure;
    }
    // Still loading: a later failure ends the view with its error, shown with the window.
    void fill.then(() => {
      if (failure !== undefined) this.#fail(view, command, failure);
    });
    view.dirty = false;
    return this.#snapshot(view);
  }

  /** Moves a window: a read of the records held. */
  move(queryId: string, skipN: number, topN: number, ownerId: string): SowPageWindow {
    const view = this.#owned(queryId, ownerId);
    view.skipN = skipN;
    view.topN = Math.min(topN, SOW_PAGE_MAX_ROWS);
    view.dirty = false;
    return this.#snapshot(view);
  }

  /**
   * What an export of the view writes: its records as they are now, in its order (a copy
   * taken at once; the view goes on changing).
   */
  exportSource(queryId: string, ownerId: string): { topic: string; records: ExportSource } {
    const view = this.#owned(queryId, ownerId);
    const rows = view.order.entries();
    const byKey = new Map(rows);
    return {
      topic: view.topic,
      records: { size: rows.length, data: (key) => byKey.get(key), entries: () => rows },
    };
  }

  /** Ends a view and its subscription. */
  async close(queryId: string, ownerId: string): Promise<void> {
    const view = this.#owned(queryId, ownerId);
    this.#views.delete(queryId);
    view.closed = true;
    view.order.clear();
    await view.command?.stop();
  }

  /** Ends every view of a window that went away. */
  async releaseOwner(ownerId: string): Promise<void> {
    const mine = [...this.#views.values()].filter((v) => v.ownerId === ownerId);
    await Promise.all(mine.map((v) => this.close(v.queryId, ownerId).catch(() => undefined)));
  }

  /** A connection closed: its views stop being live (their records stay to read). */
  connectionClosed(connectionId: string): void {
    for (const view of this.#views.values()) {
      if (view.connectionId === connectionId && view.live) {
        view.live = false;
        view.dirty = true;
      }
    }
  }

  async shutdown(): Promise<void> {
    const all = [...this.#views.values()];
    this.#views.clear();
    await Promise.all(all.map((v) => v.command?.stop().catch(() => undefined)));
  }

  /**
   * Sends the windows that changed since the last tick, and a window whose records changed
   * elsewhere at most every {@link COUNT_REFRESH_MS}, so its count of updates stays current.
   */
  tick(): void {
    const now = performance.now();
    for (const view of this.#views.values()) {
      if (view.closed) continue;
      const recount = view.updates !== view.sentUpdates && now - view.sentAt >= COUNT_REFRESH_MS;
      if (!view.dirty && !recount) continue;
      view.dirty = false;
      view.sentUpdates = view.updates;
      view.sentAt = now;
      this.#host.deliverPage(view.ownerId, this.#snapshot(view));
    }
  }

  /** Takes the command's messages into the view; settles when its query part is in. */
  #fill(view: HeldView, command: AmpsCommandStream, topic: string): Promise<void> {
    const max = this.#host.maxRecords ?? SOW_HELD_MAX_RECORDS;
    return new Promise<void>((resolve, reject) => {
      let failed = false;
      const settle = (error?: unknown): void => {
        if (!view.loading) return;
        view.loading = false;
        view.dirty = true;
        if (error !== undefined) {
          failed = true;
          reject(error instanceof ExplorerError ? error : queryError(error, topic));
          return;
        }
        view.live = view.wantsLive && view.command === command && !view.closed;
        resolve();
      };
      const take = (message: Message): void => {
        if (view.closed || failed) return;
        const cmd = message.command ?? '';
        const key = message.fields.sowKey;
        if (cmd === 'ack') {
          if (message.ackType === 'completed') settle();
          return;
        }
        if (key === undefined) return;
        let change: HeldChange;
        if (cmd === 'sow' || PUBLISHES.has(cmd)) {
          if (view.order.size >= max && !view.order.has(key)) {
            if (view.loading) settle(tooMany(max));
            else this.#fail(view, command, tooMany(max));
            failed = true;
            return;
          }
          change = view.order.upsert(key, message.text);
        } else if (cmd === 'oof') {
          change = { before: view.order.remove(key), after: -1 };
          if (change.before < 0) return;
        } else {
          return;
        }
        if (view.loading) {
          view.dirty = true;
          return;
        }
        view.updates++;
        if (change.before < 0 || change.after < 0 || touchesWindow(change, view.skipN, view.topN))
          view.dirty = true;
      };
      command.stream
        .drain(take)
        .then(() => {
          // Ended before its completed ack (the connection went away): not a complete result.
          settle(view.loading && !view.closed ? cutShort() : undefined);
          this.#ended(view, command);
        })
        .catch((error: unknown) => {
          settle(error);
          this.#ended(view, command);
        });
    });
  }

  /** Stops a view that was answered already: it keeps what it holds and shows why it stopped. */
  #fail(view: HeldView, command: AmpsCommandStream, error: unknown): void {
    if (view.closed) return;
    view.error = error instanceof Error ? error.message : String(error);
    view.loading = false;
    view.live = false;
    view.dirty = true;
    void command.stop().catch(() => undefined);
  }

  #ended(view: HeldView, command: AmpsCommandStream): void {
    if (view.command !== command || !view.live) return;
    view.live = false;
    view.dirty = true;
  }

  #snapshot(view: HeldView): SowPageWindow {
    return {
      queryId: view.queryId,
      skipN: view.skipN,
      topN: view.topN,
      total: view.order.size,
      rows: view.order.slice(view.skipN, view.topN).map((e) => ({ key: e.key, data: e.data })),
      live: view.live,
      seq: ++view.seq,
      heldBy: 'app',
      updates: view.updates,
      loading: view.loading,
      ...(view.error === undefined ? {} : { error: view.error }),
    };
  }

  #owned(queryId: string, ownerId: string): HeldView {
    const view = this.#views.get(queryId);
    if (view === undefined || view.ownerId !== ownerId) throw this.#host.unknownPage(queryId);
    return view;
  }
}
