/**
 * The wire inspector of every open connection: a {@link WireRecorder} installed on each client
 * as it is built (before it connects, so the logon is listed too), kept across a new HA loop of
 * the same connection and dropped when the connection closes. Readers are owner-checked through
 * the connection service, like every other connection request.
 */
import type {
  ExportedWireLog,
  PerformanceStats,
  StreamBufferStats,
  WireLog,
} from '../../../../common/src/dto/inspector.js';
import { ExplorerError } from '../../../../common/src/ipc/errors.js';
import type { AmpsConnectionLike } from '../ampsAdapter.js';
import { WireRecorder } from './wireRecorder.js';
import type { WireRecorderOptions } from './wireRecorder.js';

/** What the inspector needs of the connection service. */
export interface InspectedConnections {
  onClientBuilt(listener: (connectionId: string, client: AmpsConnectionLike) => void): () => void;
  onClosed(listener: (connectionId: string) => void): () => void;
  /** Throws UnknownConnectionError / ConnectionNotOwnedError. */
  client(connectionId: string, ownerId: string): AmpsConnectionLike;
  list(ownerId: string): { connectionId: string }[];
}

/** Subscription figures (SubscriptionService.list and its batcher's capacity). */
export interface InspectedSubscriptions {
  list(ownerId: string): {
    subscriptionId: string;
    connectionId: string;
    spec: { topic: string };
    received: number;
    delivered: number;
    dropped: number;
  }[];
  readonly batcher: { readonly capacity: number };
}

/** SOW view figures (SowService.stats). */
export interface InspectedSowViews {
  stats(ownerId: string): {
    queryId: string;
    connectionId: string;
    topic: string;
    records: number;
    maxRecords: number;
    received: number;
    conflated: number;
  }[];
}

export interface InspectorServiceOptions {
  connections: InspectedConnections;
  subscriptions: InspectedSubscriptions;
  sow?: InspectedSowViews;
  recorder?: WireRecorderOptions;
  now?: () => number;
  /** Resident set size in bytes (process.memoryUsage.rss by default). */
  rss?: () => number;
}

interface Recorded {
  recorder: WireRecorder;
  sampleEvery: number;
}

/** Sum of the data messages a recorder counted. */
function dataTotal(recorder: WireRecorder): number {
  let total = 0;
  for (const n of Object.values(recorder.counters().dataBySub)) total += n;
  return total;
}

/** See the file comment. */
export class InspectorService {
  readonly #recorded = new Map<string, Recorded>();
  readonly #options: InspectorServiceOptions;
  readonly #now: () => number;
  readonly #stop: (() => void)[];
  /** Per owner: when it last asked for the performance figures, and each connection's total then. */
  readonly #rateBase = new Map<string, { at: number; totals: Map<string, number> }>();

  constructor(options: InspectorServiceOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    const { connections } = options;
    this.#stop = [
      connections.onClientBuilt((connectionId, client) => this.#install(connectionId, client)),
      connections.onClosed((connectionId) => this.#recorded.delete(connectionId)),
    ];
  }

  /** Number of connections recorded. */
  get size(): number {
    return this.#recorded.size;
  }

  /** Entries after `afterSeq` and the counters of a connection the caller owns. */
  wireLog(connectionId: string, ownerId: string, afterSeq: number): WireLog {
    const { recorder, sampleEvery } = this.#owned(connectionId, ownerId);
    return {
      entries: recorder.entriesAfter(afterSeq).map((e) => ({ ...e })),
      counters: recorder.counters(),
      lastSeq: recorder.lastSeq,
      sampleEvery,
      capacity: this.#capacity(),
    };
  }

  setSampling(connectionId: string, ownerId: string, sampleEvery: number): void {
    const recorded = this.#owned(connectionId, ownerId);
    recorded.sampleEvery = Math.max(0, Math.floor(sampleEvery));
    recorded.recorder.setSampleEvery(recorded.sampleEvery);
  }

  /** The kept entries, one JSON object a line, then one line of counters. */
  export(connectionId: string, ownerId: string): ExportedWireLog {
    const { recorder } = this.#owned(connectionId, ownerId);
    const entries = recorder.entriesAfter(0);
    const lines = entries.map((e) => JSON.stringify(e));
    lines.push(JSON.stringify({ counters: recorder.counters(), exportedAt: this.#now() }));
    const stamp = new Date(this.#now()).toISOString().replace(/[:.]/g, '-');
    return {
      fileName: `wire-${connectionId}-${stamp}.ndjson`,
      ndjson: `${lines.join('\n')}\n`,
      entries: entries.length,
    };
  }

  /** The caller's figures; the rate is over the time since the caller's previous call. */
  performance(ownerId: string): PerformanceStats {
    const at = this.#now();
    const totals = new Map<string, number>();
    for (const { connectionId } of this.#options.connections.list(ownerId)) {
      const recorded = this.#recorded.get(connectionId);
      if (recorded !== undefined) totals.set(connectionId, dataTotal(recorded.recorder));
    }
    const base = this.#rateBase.get(ownerId);
    let messagesInPerSec = 0;
    if (base !== undefined && at > base.at) {
      let delta = 0;
      for (const [id, total] of totals) delta += Math.max(0, total - (base.totals.get(id) ?? 0));
      messagesInPerSec = (delta * 1000) / (at - base.at);
    }
    this.#rateBase.set(ownerId, { at, totals });

    const budget = this.#options.subscriptions.batcher.capacity;
    const perSubscription: StreamBufferStats[] = this.#options.subscriptions.list(ownerId).map((s) => ({
      subscriptionId: s.subscriptionId,
      kind: 'subscription',
      connectionId: s.connectionId,
      topic: s.spec.topic,
      buffered: Math.max(0, s.received - s.delivered - s.dropped),
      budget,
      dropped: s.dropped,
      received: s.received,
    }));
    let conflated = 0;
    for (const v of this.#options.sow?.stats(ownerId) ?? []) {
      conflated += v.conflated;
      perSubscription.push({
        subscriptionId: v.queryId,
        kind: 'sow',
        connectionId: v.connectionId,
        topic: v.topic,
        buffered: v.records,
        budget: v.maxRecords,
        dropped: 0,
        received: v.received,
      });
    }
    const rss = this.#options.rss ?? (() => process.memoryUsage.rss());
    return {
      mainRssMiB: Math.round((rss() / (1024 * 1024)) * 10) / 10,
      messagesInPerSec: Math.round(messagesInPerSec * 10) / 10,
      dropped: perSubscription.reduce((n, s) => n + s.dropped, 0),
      conflated,
      perSubscription,
      at,
    };
  }

  /** Stops listening and forgets every recorder. */
  dispose(): void {
    for (const stop of this.#stop) stop();
    this.#recorded.clear();
    this.#rateBase.clear();
  }

  #capacity(): number {
    return Math.max(1, this.#options.recorder?.capacity ?? 2_000);
  }

  #install(connectionId: string, client: AmpsConnectionLike): void {
    if (client.setCommandTap === undefined) return;
    let recorded = this.#recorded.get(connectionId);
    if (recorded === undefined) {
      recorded = {
        recorder: new WireRecorder(this.#options.recorder),
        sampleEvery: this.#options.recorder?.sampleEvery ?? 0,
      };
      this.#recorded.set(connectionId, recorded);
    }
    client.setCommandTap(recorded.recorder);
  }

  #owned(connectionId: string, ownerId: string): Recorded {
    this.#options.connections.client(connectionId, ownerId);
    const recorded = this.#recorded.get(connectionId);
    if (recorded === undefined) {
      throw new ExplorerError({
        name: 'NoInspectorError',
        message: `connection ${connectionId} has no wire inspector (its client cannot be tapped)`,
        code: 'no-inspector',
      });
    }
    return recorded;
  }
}
