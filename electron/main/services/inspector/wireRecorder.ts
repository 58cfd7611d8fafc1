/**
 * The wire inspector's recorder: a {@link CommandTap} on one connection's client that keeps
 * what a person can read of the conversation with the server, bounded.
 *
 * - Every command sent and every ack or control message received becomes one entry of a
 *   ring (oldest overwritten, the overwritten count kept), with the latency from a command to
 *   each ack carrying its command id.
 * - Heartbeats are folded into counters; data messages (deliveries, SOW records, OOFs) are
 *   counted per subscription and, when sampling is on, one in N is listed as well; outbound
 *   publishes are counted per topic and sampled the same way.
 *
 * It reads the header fields the client already decoded (no second parse) and allocates only
 * for listed entries, so the per-message cost on a fast stream is a map increment.
 */
import type { CommandTap } from '../../../../client/src/client/hooks.js';
import type { HeaderFields } from '../../../../client/src/protocol/fields.js';
import type { Message } from '../../../../client/src/protocol/message.js';
import type { WireCountersDto, WireEntryDto } from '../../../../common/src/dto/inspector.js';

/** One listed command or message, as the renderer receives it. */
export type WireEntry = WireEntryDto;
/** The counters beside the list. */
export type WireCounters = WireCountersDto;

/** Options of a {@link WireRecorder}. */
export interface WireRecorderOptions {
  /** Entries kept (default 2,000). */
  capacity?: number;
  /** List one data message in N as well as counting it (0 = count only; default 0). */
  sampleEvery?: number;
  now?: () => number;
}

/** Deliveries, SOW records and OOFs: counted, not listed. */
function isDataIn(command: string): boolean {
  switch (command) {
    case 'p':
    case 'publish':
    case 'sow':
    case 'oof':
    case 'delta_publish':
    case 'dp':
      return true;
    default:
      return false;
  }
}
const DATA_OUT = new Set(['publish', 'p', 'delta_publish', 'dp']);
/** Command ids remembered for latency; the oldest are forgotten past this. */
const PENDING_LIMIT = 4_096;

/** Records one connection's conversation; see the file comment. */
export class WireRecorder implements CommandTap {
  readonly #capacity: number;
  readonly #ring: (WireEntry | undefined)[];
  readonly #now: () => number;
  readonly #pending = new Map<string, number>();
  readonly #dataBySub = new Map<string, number>();
  readonly #publishedByTopic = new Map<string, number>();
  #sampleEvery: number;
  #sampleCountdown: number;
  #seq = 0;
  #heartbeatsIn = 0;
  #heartbeatsOut = 0;
  /** The subscription of the last data message, and its count not yet in the map. */
  #streamingSub: string | undefined;
  #streamingCount = 0;

  constructor(options: WireRecorderOptions = {}) {
    this.#capacity = Math.max(1, options.capacity ?? 2_000);
    this.#ring = new Array<WireEntry | undefined>(this.#capacity);
    this.#now = options.now ?? Date.now;
    this.#sampleEvery = Math.max(0, options.sampleEvery ?? 0);
    this.#sampleCountdown = this.#sampleEvery;
  }

  /** Changes the sampling of data messages (0 = count only). */
  setSampleEvery(n: number): void {
    this.#sampleEvery = Math.max(0, Math.floor(n));
    this.#sampleCountdown = this.#sampleEvery;
  }

  sent(fields: Readonly<HeaderFields>, payloadBytes: number): void {
    const command = fields.command ?? '';
    if (command === 'heartbeat') {
      this.#heartbeatsOut++;
      return;
    }
    if (DATA_OUT.has(command)) {
      const topic = fields.topic ?? '';
      this.#publishedByTopic.set(topic, (this.#publishedByTopic.get(topic) ?? 0) + 1);
      if (!this.#takeSample() && fields.ackType === undefined) return;
    }
    const at = this.#now();
    const cid = fields.commandId;
    if (cid !== undefined) {
      if (this.#pending.size >= PENDING_LIMIT) {
        const oldest = this.#pending.keys().next().value;
        if (oldest !== undefined) this.#pending.delete(oldest);
      }
      this.#pending.set(cid, at);
    }
    this.#push(entryOf(fields, 'out', at, payloadBytes));
  }

  received(message: Message): void {
    const fields = message.fields;
    const command = fields.command ?? '';
    if (isDataIn(command)) {
      // The hot path: one compare and an increment while the same subscription streams.
      const sub = fields.subId ?? '-';
      if (sub === this.#streamingSub) this.#streamingCount++;
      else this.#switchStreamingSub(sub);
      if (this.#sampleEvery === 0 || !this.#takeSample()) return;
      const entry = entryOf(fields, 'in', this.#now(), message.size);
      entry.sampled = true;
      this.#push(entry);
      return;
    }
    if (command === 'heartbeat') {
      this.#heartbeatsIn++;
      return;
    }
    const at = this.#now();
    const entry = entryOf(fields, 'in', at, message.size);
    const cid = fields.commandId;
    if (command === 'ack' && cid !== undefined) {
      const sentAt = this.#pending.get(cid);
      if (sentAt !== undefined) entry.latencyMs = at - sentAt;
    }
    this.#push(entry);
  }

  /** Entries with a sequence number above `afterSeq`, oldest first (at most the ring's size). */
  entriesAfter(afterSeq: number): WireEntry[] {
    const out: WireEntry[] = [];
    const first = Math.max(afterSeq + 1, this.#seq - this.#capacity + 1, 1);
    for (let seq = first; seq <= this.#seq; seq++) {
      const entry = this.#ring[seq % this.#capacity];
      if (entry !== undefined && entry.seq === seq) out.push(entry);
    }
    return out;
  }

  /** The sequence number of the newest entry (0 when none). */
  get lastSeq(): number {
    return this.#seq;
  }

  /** A copy of the counters. */
  counters(): WireCounters {
    this.#switchStreamingSub(undefined);
    return {
      heartbeatsIn: this.#heartbeatsIn,
      heartbeatsOut: this.#heartbeatsOut,
      dataBySub: Object.fromEntries(this.#dataBySub),
      publishedByTopic: Object.fromEntries(this.#publishedByTopic),
      overwritten: Math.max(0, this.#seq - this.#capacity),
    };
  }

  /** Moves the running count of the subscription that was streaming into the map. */
  #switchStreamingSub(sub: string | undefined): void {
    const previous = this.#streamingSub;
    if (previous !== undefined && this.#streamingCount > 0) {
      this.#dataBySub.set(previous, (this.#dataBySub.get(previous) ?? 0) + this.#streamingCount);
    }
    this.#streamingSub = sub;
    this.#streamingCount = sub === undefined ? 0 : 1;
  }

  #takeSample(): boolean {
    if (this.#sampleEvery === 0) return false;
    if (--this.#sampleCountdown > 0) return false;
    this.#sampleCountdown = this.#sampleEvery;
    return true;
  }

  #push(entry: WireEntry): void {
    entry.seq = ++this.#seq;
    this.#ring[entry.seq % this.#capacity] = entry;
  }
}

/** The listed fields of a header, without the empty ones. */
function entryOf(
  fields: Readonly<HeaderFields>,
  direction: 'out' | 'in',
  at: number,
  bytes: number,
): WireEntry {
  const entry: WireEntry = { seq: 0, at, direction, command: fields.command ?? '', bytes };
  const copy = <K extends keyof WireEntry & keyof HeaderFields>(key: K): void => {
    const value = fields[key];
    if (value !== undefined) (entry as unknown as Record<string, string>)[key] = value;
  };
  copy('commandId');
  copy('subId');
  copy('queryId');
  copy('topic');
  copy('filter');
  copy('options');
  copy('ackType');
  copy('status');
  copy('reason');
  copy('bookmark');
  copy('orderBy');
  copy('topN');
  copy('batchSize');
  return entry;
}
