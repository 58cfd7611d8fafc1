/**
 * Rate-controlled bookmark replay (spec §8.5, AMPS "Delivery Rate Control"): `rate=<n>`
 * messages/s, `rate=<n>KB|MB` bytes/s, or `rate=<x>X` a multiple of the original pace (the gaps
 * between the logged messages' times, divided by x); `rate_max_gap=<interval>` caps any wait.
 * A paced replay can be paused (`subscribe` with `pause` and the sub_id) and resumed (`resume`).
 *
 * While it replays, the subscription is known to its session (unsubscribe and pause find it)
 * but takes no live messages: the replayer reads the log up to its current end, so messages
 * logged meanwhile are replayed in order, and once it reaches the end it registers the
 * subscription for live delivery in the same turn (no gap, no duplicate) and the caller sends
 * `completed`.
 */
import type { Broker } from '../broker.js';
import { deliver } from '../delivery.js';
import { parsePayload } from '../messageTypes.js';
import { parseInterval } from '../options.js';
import type { Subscription } from '../subscription.js';
import { coversTopic, passesFilter } from '../subscription.js';
import type { LogEntry } from '../txlog.js';

/** How fast a replay goes. */
export type ReplayRate =
  | { kind: 'messages'; perSecond: number }
  | { kind: 'bytes'; perSecond: number }
  | { kind: 'multiple'; factor: number };

/** Reads a `rate` option value; undefined when it is not one of AMPS's forms. */
export function parseRate(text: string): ReplayRate | undefined {
  const t = text.trim();
  const multiple = /^(\d*\.?\d+)[xX]$/.exec(t);
  if (multiple) {
    const factor = Number(multiple[1]);
    return factor > 0 && Number.isFinite(factor) ? { kind: 'multiple', factor } : undefined;
  }
  const bytes = /^(\d*\.?\d+)(KB|MB|GB)$/i.exec(t);
  if (bytes) {
    const unit = { KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 }[(bytes[2] as string).toUpperCase() as 'KB' | 'MB' | 'GB'];
    const perSecond = Number(bytes[1]) * unit;
    return perSecond > 0 ? { kind: 'bytes', perSecond } : undefined;
  }
  if (/^\d*\.?\d+$/.test(t)) {
    const perSecond = Number(t);
    return perSecond > 0 ? { kind: 'messages', perSecond } : undefined;
  }
  return undefined;
}

/** Reads `rate_max_gap` (an interval such as `10s`, `500ms`); undefined when invalid. */
export function parseMaxGap(text: string): number | undefined {
  const ms = parseInterval(text);
  return ms !== undefined && ms >= 0 ? ms : undefined;
}

/** The wait (ms) before sending `entry`, the previous replayed one being `previous`. */
export function replayGapMs(
  rate: ReplayRate,
  entry: LogEntry,
  previous: LogEntry | undefined,
  maxGapMs: number | undefined,
): number {
  // The first message of a replay goes at once; the pace applies between messages.
  if (previous === undefined) return 0;
  let gap: number;
  switch (rate.kind) {
    case 'messages':
      gap = 1000 / rate.perSecond;
      break;
    case 'bytes':
      gap = (entry.data.length / rate.perSecond) * 1000;
      break;
    case 'multiple':
      gap = Math.max(0, entry.timestampMicros - previous.timestampMicros) / 1000 / rate.factor;
      break;
  }
  return maxGapMs === undefined ? gap : Math.min(gap, maxGapMs);
}

/** What a paced replay needs from its subscribe command. */
export interface PacedReplayOptions {
  broker: Broker;
  sub: Subscription;
  start: number;
  rate: ReplayRate;
  maxGapMs: number | undefined;
  topN: number | undefined;
  /** Range end inside the log (exclusive): stop there instead of going live. */
  end: number | undefined;
  /** Called once when the replay reached its end (with the last replayed bookmark). */
  done: (last: string | undefined) => void;
  /** Clock (ms) and timers, injectable for tests. */
  now?: () => number;
}

const replays = new WeakMap<Subscription, PacedReplay>();

/** The paced replay of a subscription still replaying, if any. */
export function pacedReplayOf(sub: Subscription): PacedReplay | undefined {
  return replays.get(sub);
}

/** One rate-controlled replay. */
export class PacedReplay {
  readonly #o: PacedReplayOptions;
  readonly #now: () => number;
  #position: number;
  #sent = 0;
  #last: string | undefined;
  #previous: LogEntry | undefined;
  /** When the next entry is due (ms, on `now`). */
  #due: number;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #finished = false;

  constructor(options: PacedReplayOptions) {
    this.#o = options;
    this.#now = options.now ?? (() => performance.now());
    this.#position = options.start;
    this.#due = this.#now();
    replays.set(options.sub, this);
    // Known to the session (unsubscribe / pause / resume), not yet to live fan-out.
    options.sub.session.subs.set(options.sub.subId, options.sub);
  }

  /** Starts (or continues after a resume). */
  run(): void {
    if (this.#timer !== undefined || this.#finished) return;
    this.#due = Math.max(this.#due, this.#now());
    this.#step();
  }

  /** Stops sending until {@link resume}. */
  pause(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** Continues a paused replay from where it stopped. */
  resume(): void {
    this.#due = this.#now();
    this.run();
  }

  #alive(): boolean {
    const { sub } = this.#o;
    return !sub.session.closed && sub.session.subs.get(sub.subId) === sub;
  }

  #finish(): void {
    this.#finished = true;
    this.#timer = undefined;
    replays.delete(this.#o.sub);
    this.#o.done(this.#last);
  }

  #step(): void {
    this.#timer = undefined;
    const { broker, sub, rate, maxGapMs, topN, end } = this.#o;
    if (!this.#alive()) {
      this.#finished = true;
      replays.delete(sub);
      return;
    }
    if (sub.paused) return;
    const entries = broker.txlog.entries;
    const now = this.#now();
    for (;;) {
      const stop = end === undefined ? entries.length : Math.min(end, entries.length);
      if (this.#position >= stop || (topN !== undefined && this.#sent >= topN)) {
        this.#finish();
        return;
      }
      const entry = entries[this.#position];
      if (entry === undefined || entry.kind !== 'publish' || !coversTopic(sub, entry.topic) || !this.#passes(entry)) {
        this.#position++;
        continue;
      }
      const due = this.#due + replayGapMs(rate, entry, this.#previous, maxGapMs);
      if (due > now) {
        this.#timer = setTimeout(() => this.#step(), Math.max(1, Math.ceil(due - now)));
        return;
      }
      this.#due = due;
      deliver(sub, 'p', entry);
      broker.counters.delivered++;
      this.#sent++;
      this.#last = entry.bookmark;
      this.#previous = entry;
      this.#position++;
    }
  }

  #passes(entry: LogEntry): boolean {
    const { broker, sub } = this.#o;
    if (!sub.filter) return true;
    return passesFilter(sub, parsePayload(broker.topics.get(entry.topic).messageType, entry.data));
  }
}
