/**
 * SOW views for the renderer: places sow / sow_and_subscribe / sow_and_delta_subscribe through
 * the connection's client, keeps the records keyed by SowKey in main (deltas merged there) and
 * delivers one batch per tick to the owning window, where the latest state of a key wins and
 * what was folded is counted. Also the one-shot commands of the grid: count, delete, export.
 */
import { Command } from '../../../../client/src/protocol/command.js';
import type {
  SowBatch,
  SowCountRequest,
  SowCountResult,
  SowDeleteRequest,
  SowDeleteResult,
  SowEndReason,
  SowEndedEvent,
  SowExportProgress,
  SowExportRequest,
  SowExportResult,
  SowQueryRef,
  SowQuerySpec,
  SowRecordDetail,
} from '../../../../common/src/dto/sow.js';
import type { SerializedError } from '../../../../common/src/dto/errors.js';
import { ExplorerError, serializeError } from '../../../../common/src/ipc/errors.js';
import type { Logger } from '../../platform/logger.js';
import type { AmpsCommandStream, AmpsConnectionLike } from '../ampsAdapter.js';
import { buildSowCommand, notSowTopic, queryError } from './sowCommand.js';
import { exportRecords } from './sowExport.js';
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
  now?: () => number;
}

const unknownQuery = (queryId: string): ExplorerError =>
  new ExplorerError({
    name: 'UnknownSowQueryError',
    message: `SOW view ${queryId} does not exist`,
    code: 'unknown-query',
  });

const noRawCommands = (): ExplorerError =>
  new ExplorerError({
    name: 'UnsupportedError',
    message: 'this connection cannot run SOW queries (its client has no raw command support)',
    code: 'unsupported',
  });

/** Keyed, batched SOW views, each owned by one window. */
export class SowService {
  readonly #views = new Map<string, SowView>();
  readonly #options: SowServiceOptions;
  readonly #stopWatch: () => void;
  readonly #timer: ReturnType<typeof setInterval>;
  readonly #now: () => number;
  #next = 1;

  constructor(options: SowServiceOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    const interval = Math.min(50, Math.max(16, options.intervalMs ?? 33));
    this.#timer = setInterval(() => this.#tick(), interval);
    this.#timer.unref?.();
    this.#stopWatch = options.connections.onClosed((connectionId) => {
      for (const view of [...this.#views.values()]) {
        if (view.connectionId === connectionId && !view.ended) this.#end(view, 'connection-closed');
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
    if (spec.mode !== 'query') await this.#requireSowTopic(client, spec.topic);
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
    while (old.pending.size > 0) this.#deliver(old);
    next.inherit(old);
    next.diffFrom(old);
    old.ended = true;
    old.records.clear();
    this.#views.set(next.queryId, next);
    this.#deliver(next);
    void old.command?.stop();
  }

  /** Ends a view and frees its records. */
  async cancel(queryId: string, ownerId: string): Promise<void> {
    const view = this.#owned(queryId, ownerId);
    if (!view.ended) this.#end(view, 'cancelled');
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
    const cmd = new Command('sow')
      .setTopic(request.topic)
      .setTopN(0)
      .setBatchSize(1)
      .setAckType('completed,stats');
    if (request.filter !== undefined && request.filter.trim() !== '') cmd.setFilter(request.filter);
    const acks = await this.#acksOf(client, cmd, request.topic);
    const stats = acks.find((m) => m.ackType === 'stats');
    const count = Number(stats?.fields.matches);
    if (!Number.isFinite(count)) {
      throw new ExplorerError({
        name: 'NoCountError',
        message: 'the server sent no match count',
        code: 'no-count',
      });
    }
    return { count };
  }

  /** sow_delete by keys or by filter; the server's count of deleted records. */
  async delete(request: SowDeleteRequest, ownerId: string): Promise<SowDeleteResult> {
    const client = this.#client(request.connectionId, ownerId);
    const cmd = new Command('sow_delete').setTopic(request.topic).setAckType('processed,stats');
    if ('keys' in request) {
      if (request.keys.length === 0) {
        throw new ExplorerError({
          name: 'ValidationError',
          message: 'payload.keys: no key to delete',
          code: 'invalid-payload',
        });
      }
      cmd.setSowKeys(request.keys.join(','));
    } else {
      cmd.setFilter(request.filter);
    }
    const acks = await this.#acksOf(client, cmd, request.topic);
    const stats = acks.find((m) => m.ackType === 'stats');
    const deleted = Number(stats?.fields.recordsDeleted ?? 0);
    return { deleted: Number.isFinite(deleted) ? deleted : 0 };
  }

  /** Writes a view's records to a file under the export folder, streaming. */
  async export(request: SowExportRequest, ownerId: string): Promise<SowExportResult> {
    const view = this.#owned(request.queryId, ownerId);
    return exportRecords({
      dir: this.#options.exportDir,
      name: `${view.spec.topic}-${view.queryId}`,
      format: request.format,
      records: view.records,
      ...(request.keys === undefined ? {} : { keys: request.keys }),
      now: this.#now(),
      onProgress: (written, total, done) =>
        this.#options.deliverExportProgress?.(ownerId, {
          queryId: view.queryId,
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
    for (const view of all) if (!view.ended) this.#end(view, 'connection-closed');
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
    this.#tick();
  }

  #client(
    connectionId: string,
    ownerId: string,
  ): AmpsConnectionLike & Required<Pick<AmpsConnectionLike, 'execute'>> {
    const client = this.#options.connections.client(connectionId, ownerId);
    if (client.execute === undefined) throw noRawCommands();
    return client as AmpsConnectionLike & Required<Pick<AmpsConnectionLike, 'execute'>>;
  }

  #owned(queryId: string, ownerId: string): SowView {
    const view = this.#views.get(queryId);
    if (view === undefined || view.ownerId !== ownerId) throw unknownQuery(queryId);
    return view;
  }

  /** A live query on a topic without a SOW would silently show nothing: ask first. */
  async #requireSowTopic(
    client: AmpsConnectionLike & Required<Pick<AmpsConnectionLike, 'execute'>>,
    topic: string,
  ): Promise<void> {
    const probe = new Command('sow').setTopic(topic).setTopN(0).setBatchSize(1).setAckType('completed');
    try {
      await this.#acksOf(client, probe, topic);
    } catch (error) {
      if (error instanceof ExplorerError && error.code === 'not-sow-topic') throw error;
      if (error instanceof Error && error.name === 'InvalidTopicError') throw notSowTopic(topic, error);
      throw queryError(error, topic);
    }
  }

  async #acksOf(
    client: AmpsConnectionLike & Required<Pick<AmpsConnectionLike, 'execute'>>,
    cmd: Command,
    topic: string,
  ) {
    let command: AmpsCommandStream;
    try {
      command = await client.execute(cmd);
    } catch (error) {
      throw queryError(error, topic);
    }
    const all = await command.stream.toArray();
    return all.filter((m) => m.command === 'ack');
  }

  async #pump(view: SowView, command: AmpsCommandStream): Promise<void> {
    try {
      await command.stream.drain((message) => {
        if (view.ended) return;
        view.take(message);
      });
      if (view.ended || command.stream !== view.command?.stream) return;
      if (view.spec.mode === 'query') view.phase = 'done';
      this.#end(view, 'completed');
    } catch (error) {
      if (view.ended) return;
      if (error instanceof RecordLimitError) {
        this.#end(view, 'limit', serializeError(error));
        await command.stop();
        return;
      }
      this.#end(view, 'error', serializeError(error));
    }
  }

  #tick(): void {
    for (const view of this.#views.values()) {
      if (view.ended || view.detached) continue;
      if (view.pending.size > 0 || view.dirty) this.#deliver(view);
    }
  }

  #deliver(view: SowView): void {
    const taken = view.pending.take(this.#options.maxBatch ?? 20_000, (key) => view.records.data(key));
    view.conflatedTotal += taken.conflated;
    view.batches++;
    view.dirty = false;
    this.#options.deliverBatch(view.ownerId, {
      queryId: view.queryId,
      upserts: taken.upserts,
      removals: taken.removals,
      progress: view.progress(this.#now()),
      conflated: taken.conflated,
      conflatedTotal: view.conflatedTotal,
    });
  }

  /** Delivers what is still pending, then the ended event; the records stay until cancel. */
  #end(view: SowView, reason: SowEndReason, error?: SerializedError): void {
    if (view.ended) return;
    if (this.#views.get(view.queryId) !== view) {
      // A replacement that never took over: its end is not the view's.
      view.ended = true;
      if (error !== undefined) view.failure = error;
      return;
    }
    if (reason !== 'cancelled' && !view.detached) {
      while (view.pending.size > 0) this.#deliver(view);
      if (view.dirty) this.#deliver(view);
    }
    view.ended = true;
    view.pending.clear();
    view.endedWith = error === undefined ? { reason } : { reason, error };
    if (reason === 'error' || reason === 'connection-closed') {
      this.#options.logger.info(
        `SOW view ${view.queryId} ended: ${reason}${error ? ` (${error.message})` : ''}`,
      );
    }
    this.#options.deliverEnded(view.ownerId, {
      queryId: view.queryId,
      reason,
      progress: view.progress(this.#now()),
      ...(error === undefined ? {} : { error }),
    });
  }
}
