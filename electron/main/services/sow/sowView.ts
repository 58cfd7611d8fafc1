/**
 * One SOW view in main: its command's stream pumped into the keyed records and the pending
 * changes of the next tick, with the counts its progress reports.
 */
import type { Message } from '../../../../client/src/protocol/message.js';
import type { SerializedError } from '../../../../common/src/dto/errors.js';
import type { SowEndReason, SowProgress, SowQuerySpec } from '../../../../common/src/dto/sow.js';
import type { AmpsCommandStream } from '../ampsAdapter.js';
import { SowPending } from './sowPending.js';
import { SowResync } from './sowResync.js';
import { SowRecords } from './sowRecords.js';
import type { RecordLimits } from './sowRecords.js';

/** The commands that carry a record state. */
const PUBLISHES = new Set(['p', 'publish', 'delta_publish']);

/** State of one view. */
export class SowView {
  readonly queryId: string;
  readonly ownerId: string;
  readonly connectionId: string;
  spec: SowQuerySpec;
  readonly records: SowRecords;
  readonly pending = new SowPending();
  command: AmpsCommandStream | undefined;
  subId: string | undefined;
  phase: SowProgress['phase'] = 'querying';
  received = 0;
  batches = 0;
  conflatedTotal = 0;
  total: number | undefined;
  /** Set once the end is decided; no batch follows the ended event. */
  ended = false;
  /**
   * Set while this view is the replacement of another (a new filter): its initial records
   * fill the map only, and `onStaged` runs at their end, where the swap computes what entered
   * and left.
   */
  onStaged: (() => void) | undefined;
  /** Why a replacement view ended before it took over. */
  failure: SerializedError | undefined;
  /** Its page went away (reload): nothing is delivered until a page attaches it (sowReattach.ts). */
  detached = false;
  /** Why it ended, once it did (for a page that attaches it afterwards). */
  endedWith: { reason: SowEndReason; error?: SerializedError } | undefined;
  /** True when progress changed since the last batch. */
  dirty = true;
  /** Records gone when the view's SOW was resent after a resubscribe (failover, reconnect). */
  resynced = 0;
  /** Set once the initial SOW is in: a later group_begin is a resubscribe's resent SOW. */
  #initialDone = false;
  #resync: SowResync | undefined;
  readonly startedAt: number;

  constructor(init: {
    queryId: string;
    ownerId: string;
    spec: SowQuerySpec;
    limits: RecordLimits;
    startedAt: number;
  }) {
    this.queryId = init.queryId;
    this.ownerId = init.ownerId;
    this.connectionId = init.spec.connectionId;
    this.spec = init.spec;
    this.records = new SowRecords(init.limits);
    this.startedAt = init.startedAt;
  }

  /**
   * Takes one message of the view's stream.
   * @throws RecordLimitError when the view would outgrow its limits
   */
  take(message: Message): void {
    const command = message.command ?? '';
    if (command === 'sow' || PUBLISHES.has(command)) {
      const key = message.fields.sowKey;
      if (key === undefined) return;
      this.received++;
      this.dirty = true;
      const headers = headersOf(message);
      if (command === 'sow' && this.onStaged !== undefined) {
        this.records.put(key, message.text, headers);
        return;
      }
      if (command === 'sow' && this.#resync !== undefined) {
        const differs = this.#resync.seen(this.records, key, message.text);
        this.records.put(key, message.text, headers);
        if (differs) this.pending.upsert(key);
        return;
      }
      this.#resync?.mark(key);
      if (command !== 'sow' && this.spec.mode === 'live_delta') {
        const changed = this.records.merge(key, message.text, headers);
        this.pending.upsert(key, changed);
      } else {
        this.records.put(key, message.text, headers);
        this.pending.upsert(key);
      }
      return;
    }
    switch (command) {
      case 'oof': {
        const key = message.fields.sowKey;
        if (key === undefined) return;
        this.received++;
        this.dirty = true;
        this.records.delete(key);
        this.pending.remove(key, message.fields.reason ?? 'match');
        return;
      }
      case 'group_begin':
        if (this.#initialDone && this.onStaged === undefined) this.#resync = new SowResync();
        else this.phase = 'querying';
        this.dirty = true;
        return;
      case 'group_end': {
        this.#initialDone = true;
        if (this.#resync !== undefined) {
          this.resynced += this.#resync.finish(this.records, this.pending);
          this.#resync = undefined;
        }
        this.phase = this.spec.mode === 'query' ? this.phase : 'live';
        this.dirty = true;
        const staged = this.onStaged;
        this.onStaged = undefined;
        staged?.();
        return;
      }
      case 'ack':
        this.#ack(message);
        return;
      default:
        return;
    }
  }

  #ack(message: Message): void {
    if (message.ackType === 'stats') {
      const f = message.fields;
      const returned = Number(f.recordsReturned ?? f.matches);
      if (Number.isFinite(returned)) this.total = returned;
      this.dirty = true;
    } else if (message.ackType === 'completed' && this.spec.mode === 'query') {
      this.phase = 'done';
      this.dirty = true;
    }
  }

  /** Carries the running counts of the view this one replaces. */
  inherit(from: SowView): void {
    this.received = from.received;
    this.batches = from.batches;
    this.conflatedTotal = from.conflatedTotal;
    this.detached = from.detached;
  }

  /**
   * The replacement's initial records are in: queues an oof `match` for every record of
   * `old` that is not among them, and an upsert for every one that is new or different.
   */
  diffFrom(old: SowView): void {
    for (const [key] of old.records.entries()) {
      if (!this.records.has(key)) this.pending.remove(key, 'match');
    }
    for (const [key, data] of this.records.entries()) {
      if (old.records.data(key) !== data) this.pending.upsert(key);
    }
  }

  progress(now: number): SowProgress {
    const elapsedMs = Math.max(0, now - this.startedAt);
    const out: SowProgress = {
      phase: this.phase,
      received: this.received,
      batches: this.batches,
      elapsedMs,
      ratePerSec: elapsedMs > 0 ? Math.round((this.received * 1000) / elapsedMs) : 0,
      records: this.records.size,
    };
    if (this.total !== undefined) out.total = this.total;
    return out;
  }
}

function headersOf(message: Message): {
  topic: string;
  bookmark?: string;
  timestamp?: string;
  correlationId?: string;
} {
  const f = message.fields;
  const out: { topic: string; bookmark?: string; timestamp?: string; correlationId?: string } = {
    topic: f.topic ?? '',
  };
  if (f.bookmark !== undefined) out.bookmark = f.bookmark;
  if (f.timestamp !== undefined) out.timestamp = f.timestamp;
  if (f.correlationId !== undefined) out.correlationId = f.correlationId;
  return out;
}
