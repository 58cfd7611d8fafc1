/**
 * SOW views for the renderer: places sow / sow_and_subscribe / sow_and_delta_subscribe through
 * the connection's client, keeps the records keyed by SowKey in main (deltas merged there) and
 * delivers one batch per tick to the owning window (sowDelivery.ts), where the latest state of a
 * key wins and what was folded is counted. Also the one-shot commands of the grid: count and
 * delete (sowOneShot.ts), export.
 */
import type {
  SowBatch,
  SowCountRequest,
  SowCountResult,
  SowDeleteRequest,
  SowDeleteResult,
  SowEndedEvent,
  SowExportProgress,
  SowExportRequest,
  SowExportResult,
  SowQueryRef,
  SowQuerySpec,
  SowRecordDetail,
} from '../../../../common/src/dto/sow.js';
import { ExplorerError, serializeError } from '../../../../common/src/ipc/errors.js';
import type { Logger } from '../../platform/logger.js';
import type { AmpsCommandStream, AmpsConnectionLike } from '../ampsAdapter.js';
import { buildSowCommand, queryError } from './sowCommand.js';
import { SowDelivery } from './sowDelivery.js';
import { HELD_PREFIX } from './heldPaging.js';
import { exportRecords, type ExportSource } from './sowExport.js';
import { countRecords, deleteRecords, requireSowTopic, sowCommandClient } from './sowOneShot.js';
import type { SowCommandClient } from './sowOneShot.js';
import { DEFAULT_RECORD_LIMITS, RecordLimitError } from './sowRecords.js';
import type { RecordLimits } from './sowRecords.js';
import { SowView } from './sowView.js';

/** The part of the connection service SOW views need. */
export interface SowConnectionLookup {
  /** The client of a connection the owner holds; throws for an unknown or foreign one. */
  client(connectionId: string, ownerId: string): AmpsConnectionLike;
  onClosed(listener: (connectionId: string) => void): () => void;
}

/** Options of {@link SowService}. */
export interface SowServiceOptions {
  connections: SowConnectionLookup;
  deliverBatch(ownerId: string, batch: SowBatch): void;
  deliverEnded(ownerId: string, event: SowEndedEvent): void;
  /** A running export's progress, to the window that asked for it. */
  deliverExportProgress?(ownerId: string, progress: SowExportProgress): void;
  logger: Logger;
  /** Folder exports are written to. */
  exportDir: string;
  /** Tick in ms (clamped 16..50, default 33). */
  intervalMs?: number;
  /** Most changes in one batch (default 20 000); the rest follow on the next ticks. */
  maxBatch?: number;
  limits?: RecordLimits;
  /** Most views one owner may hold open at once (default 32). */
  maxViewsPerOwner?: number;
  ownerAlive?: (ownerId: string) => boolean;
  /** Called with the topic of every record, update or oof a view receives (the topics seen). */
  onMessage?: (connectionId: string, topic: string) => void;
  /** The records of an app-held paged view (its queryId starts `sow-held-`), for export. */
  heldRecords?: (queryId: string, ownerId: string) => { topic: string; records: ExportSource };
  now?: () => number;
}

const unknownQuery = (queryId: string): ExplorerError =>
  new ExplorerError({
    name: 'UnknownSowQueryError',
    message: `SOW view ${queryId} does not exist`,
    code: 'unknown-query',
  });

/** Keyed, batched SOW views, each owned by one window. */
export class SowService {
  readonly #views = new Map<string, SowView>();
  readonly #options: SowServiceOptions;
  readonly #stopWatch: () => void;
  readonly #timer: ReturnType<typeof setInterval>;
  readonly #now: () => number;
  readonly #delivery: SowDelivery;
  #next = 1;

  constructor(options: SowServiceOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#delivery = new SowDelivery(this.#views, options, this.#now);
    const interval = Math.min(50, Math.max(16, options.intervalMs ?? 33));
    this.#timer = setInterval(() => this.#delivery.tick(), interval);
    this.#timer.unref?.();
    this.#stopWatch = options.connections.onClosed((connectionId) => {
      for (const view of [...this.#views.values()]) {
        if (view.connectionId === connectionId && !view.ended) this.#delivery.end(view, 'connection-closed');
      }
    });
  }

  /** Places a view for `ownerId`; rejects with an error naming the part of the query refused. */
  async query(spec: SowQuerySpec, ownerId: string): Promise<SowQueryRef> {
    const client = this.#client(spec.connectionId, ownerId);
    const max = this.#options.maxViewsPerOwner ?? 32;
    const held = [...this.#views.values()].filter((v) => v.ownerId === ownerId).length;
    if (held >= max) {
      throw new ExplorerError({
        name: 'TooManyViewsError',
        message: `at most ${max} SOW views per window; close one first`,
        code: 'too-many-views',
      });
    }
    if (spec.mode !== 'query') await requireSowTopic(client, spec.topic);
    const queryId = `sow-${this.#next++}`;
    const view = new SowView({
      queryId,
      ownerId,
      spec,
      limits: this.#options.limits ?? DEFAULT_RECORD_LIMITS,
      startedAt: this.#now(),
    });
    // Registered before the command runs: its first messages may arrive before it resolves.
    this.#views.set(queryId, view);
    let command: AmpsCommandStream;
    try {
      command = await client.execute(buildSowCommand(spec));
    } catch (error) {
      this.#views.delete(queryId);
      throw queryError(error, spec.topic);
    }
    view.command = command;
    view.subId = command.stream.subId ?? command.stream.commandId;
    if (this.#options.ownerAlive?.(ownerId) === false || view.ended) {
      this.#views.delete(queryId);
      await command.stop();
      throw new ExplorerError({
        name: 'ClientGoneError',
        message: `${ownerId} went away`,
        code: 'client-gone',
      });
    }
    void this.#pump(view, command);
    return { queryId };
  }

  /**
   * Changes the filter of a live view atomically: a new subscription with the new filter is
   * placed (kept by the HA client like any other), its initial records fill a new map, and
   * at their end one batch tells what left (oof `match`) and what entered or differs; then
   * the old subscription is dropped. Until that moment the old view keeps delivering.
   */
  async replaceFilter(queryId: string, filter: string, ownerId: string): Promise<void> {
    const view = this.#owned(queryId, ownerId);
    if (view.spec.mode === 'query' || view.ended) {
      throw new ExplorerError({
        name: 'NotLiveError',
        message: `SOW view ${queryId} is not live: run the query again with the new filter`,
        code: 'not-live',
      });
    }
    const spec: SowQuerySpec = { ...view.spec, filter };
    const client = this.#client(view.connectionId, ownerId);
    const next = new SowView({
      queryId,
      ownerId,
      spec,
      limits: this.#options.limits ?? DEFAULT_RECORD_LIMITS,
      startedAt: view.startedAt,
    });
    const swapped = new Promise<void>((resolve) => {
      next.onStaged = () => {
        this.#swap(view, next);
        resolve();
      };
    });
    let command: AmpsCommandStream;
    try {
      command = await client.execute(buildSowCommand(spec));
    } catch (error) {
      throw queryError(error, spec.topic);
    }
    next.command = command;
    next.subId = command.stream.subId ?? command.stream.commandId;
    let done = false;
    await Promise.race([swapped.then(() => (done = true)), this.#pump(next, command)]);
    if (!done) {
      await command.stop();
      throw new ExplorerError({
        name: 'ReplaceFailedError',
        message: `filter: the query with the new filter ended before its results (${next.failure?.message ?? 'no reason given'}); the view keeps its old filter`,
        code: next.failure?.code ?? 'replace-failed',
      });
    }
  }

  #swap(old: SowView, next: SowView): void {
    if (old.ended || this.#views.get(old.queryId) !== old) {
      void next.command?.stop();
      next.ended = true;
      return;
    }
    while (old.pending.size > 0) this.#delivery.deliver(old);
    next.inherit(old);
    next.diffFrom(old);
    old.ended = true;
    old.records.clear();
    this.#views.set(next.queryId, next);
    this.#delivery.deliver(next);
    void old.command?.stop();
  }

  /** Ends a view and frees its records. */
  async cancel(queryId: string, ownerId: string): Promise<void> {
    const view = this.#owned(queryId, ownerId);
    if (!view.ended) this.#delivery.end(view, 'cancelled');
    this.#views.delete(queryId);
    view.records.clear();
    await view.command?.stop();
  }

  /** One record of a view with its headers. */
  record(queryId: string, key: string, ownerId: string): SowRecordDetail | null {
    return this.#owned(queryId, ownerId).records.detail(key);
  }

  /** Records of a topic matching a filter, from the server's stats ack (a `sow` with top_n 0). */
  async count(request: SowCountRequest, ownerId: string): Promise<SowCountResult> {
    const client = this.#client(request.connectionId, ownerId);
    return countRecords(client, request);
  }

  /** sow_delete by keys or by filter; the server's count of deleted records. */
  async delete(request: SowDeleteRequest, ownerId: string): Promise<SowDeleteResult> {
    const client = this.#client(request.connectionId, ownerId);
    return deleteRecords(client, request);
  }

  /** Writes a view's records to a file under the export folder, streaming. */
  async export(request: SowExportRequest, ownerId: string): Promise<SowExportResult> {
    const heldRecords = this.#options.heldRecords;
    let source: { topic: string; records: ExportSource };
    if (request.queryId.startsWith(HELD_PREFIX) && heldRecords !== undefined) {
      source = heldRecords(request.queryId, ownerId);
    } else {
      const view = this.#owned(request.queryId, ownerId);
      source = { topic: view.spec.topic, records: view.records };
    }
    return exportRecords({
      dir: this.#options.exportDir,
      name: `${source.topic}-${request.queryId}`,
      format: request.format,
      records: source.records,
      ...(request.keys === undefined ? {} : { keys: request.keys }),
      now: this.#now(),
      onProgress: (written, total, done) =>
        this.#options.deliverExportProgress?.(ownerId, {
          queryId: request.queryId,
          format: request.format,
          written,
          total,
          done,
        }),
    });
  }

  /** Ends every view of a window that went away. */
  async releaseOwner(ownerId: string): Promise<void> {
    const mine = [...this.#views.values()].filter((v) => v.ownerId === ownerId);
    await Promise.all(mine.map((v) => this.cancel(v.queryId, ownerId).catch(() => undefined)));
  }

  /** Ends everything and stops the tick (app shutdown). */
  async shutdown(): Promise<void> {
    clearInterval(this.#timer);
    this.#stopWatch();
    const all = [...this.#views.values()];
    for (const view of all) if (!view.ended) this.#delivery.end(view, 'connection-closed');
    this.#views.clear();
    await Promise.all(all.map((v) => v.command?.stop().catch(() => undefined)));
  }

  /** The caller's views, ended ones still held included (re-attach after a reload: sowReattach.ts). */
  viewsOf(ownerId: string): SowView[] {
    return [...this.#views.values()].filter((v) => v.ownerId === ownerId);
  }

  /** Number of views held. */
  get size(): number {
    return this.#views.size;
  }

  /** Figures of the caller's views for the performance HUD: records held against the limit, conflation. */
  stats(ownerId: string): {
    queryId: string;
    connectionId: string;
    topic: string;
    records: number;
    maxRecords: number;
    received: number;
    conflated: number;
  }[] {
    const maxRecords = (this.#options.limits ?? DEFAULT_RECORD_LIMITS).maxRecords;
    return [...this.#views.values()]
      .filter((v) => v.ownerId === ownerId && !v.ended)
      .map((v) => ({
        queryId: v.queryId,
        connectionId: v.connectionId,
        topic: v.spec.topic,
        records: v.records.size,
        maxRecords,
        received: v.received,
        conflated: v.conflatedTotal,
      }));
  }

  /** Delivers what is pending now (tests; the timer does it every tick). */
  flush(): void {
    this.#delivery.tick();
  }

  #client(connectionId: string, ownerId: string): SowCommandClient {
    return sowCommandClient(this.#options.connections.client(connectionId, ownerId));
  }

  #owned(queryId: string, ownerId: string): SowView {
    const view = this.#views.get(queryId);
    if (view === undefined || view.ownerId !== ownerId) throw unknownQuery(queryId);
    return view;
  }

  async #pump(view: SowView, command: AmpsCommandStream): Promise<void> {
    const seen = this.#options.onMessage;
    try {
      await command.stream.drain((message) => {
        if (view.ended) return;
        const topic = message.fields.topic;
        if (seen !== undefined && topic !== undefined && message.fields.sowKey !== undefined)
          seen(view.connectionId, topic);
        view.take(message);
      });
      if (view.ended || command.stream !== view.command?.stream) return;
      if (view.spec.mode === 'query') view.phase = 'done';
      this.#delivery.end(view, 'completed');
    } catch (error) {
      if (view.ended) return;
      if (error instanceof RecordLimitError) {
        this.#delivery.end(view, 'limit', serializeError(error));
        await command.stop();
        return;
      }
      this.#delivery.end(view, 'error', serializeError(error));
    }
  }
}
