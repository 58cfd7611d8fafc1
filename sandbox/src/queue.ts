/**
 * Message queue model (spec §11.3): a FIFO of entries leased to subscriptions up to their
 * granted backlog, acknowledged (or cancelled / expired) by `sow_delete` with bookmarks,
 * returned to the queue on lease expiry, unsubscribe or disconnect.
 */
import { deliver } from './delivery.js';
import type { Subscription } from './subscription.js';
import { passesFilter } from './subscription.js';

/** One queued message. */
export interface QueueEntry {
  bookmark: string;
  topic: string;
  data: Buffer;
  json: unknown;
  key?: string;
  correlationId?: string;
  timestampMicros: number;
  leasedTo?: Subscription;
  /** Lease expiry, epoch ms (when leased). */
  leaseExpiry: number;
  deliveries: number;
  /** `sow_delete o=cancel` count. */
  cancels?: number;
  /** Message expiration instant, epoch ms. */
  expiresAt?: number;
}

/** Redelivery limits of a queue (AMPS `MaxDeliveries`, `MaxCancels`). */
export interface QueueLimits {
  maxDeliveries?: number | undefined;
  maxCancels?: number | undefined;
}

/** What a queue acknowledgement does (spec §11.2). */
export type QueueAckMode = 'ack' | 'cancel' | 'expire';

/** One queue topic. */
export class Queue {
  readonly entries = new Map<string, QueueEntry>();
  private readonly subscribers: Subscription[] = [];
  private next = 0;
  /** Messages acknowledged (consumed) so far. */
  acked = 0;
  /** Messages expired from the queue so far (limits, expiration, `o=expire`). */
  expired = 0;
  /** Called for every message that leaves the queue for good (journaling). */
  onRemoved: ((bookmark: string) => void) | undefined;
  /** Called for every message that expires from the queue (dead-letter action). */
  onExpired: ((entry: QueueEntry) => void) | undefined;

  constructor(
    readonly topic: string,
    readonly leasePeriodMs: number,
    readonly maxBacklog: number,
    readonly limits: QueueLimits = {},
  ) {}

  /** Granted backlog for a requested one (default 1, never above the queue's maximum). */
  grant(requested: number | undefined): number {
    return Math.max(1, Math.min(requested ?? 1, this.maxBacklog));
  }

  enqueue(entry: QueueEntry): void {
    this.entries.set(entry.bookmark, entry);
    this.dispatch();
  }

  addSubscriber(sub: Subscription): void {
    this.subscribers.push(sub);
    this.dispatch();
  }

  /** Removes a subscriber and returns its leased messages to the queue. */
  removeSubscriber(sub: Subscription): void {
    const i = this.subscribers.indexOf(sub);
    if (i < 0) return;
    this.subscribers.splice(i, 1);
    for (const e of [...this.entries.values()]) {
      if (e.leasedTo === sub) this.returned(e);
    }
    sub.queue?.outstanding.clear();
    this.dispatch();
  }

  /**
   * Applies acknowledgements.
   * @returns how many of the bookmarks named a message of this queue
   */
  acknowledge(bookmarks: readonly string[], mode: QueueAckMode): number {
    let n = 0;
    for (const bm of bookmarks) {
      const e = this.entries.get(bm);
      if (!e) continue;
      n++;
      e.leasedTo?.queue?.outstanding.delete(bm);
      if (mode === 'cancel') {
        e.cancels = (e.cancels ?? 0) + 1;
        const max = this.limits.maxCancels;
        if (max !== undefined && e.cancels >= max) this.expire(e);
        else this.returned(e);
      } else if (mode === 'expire') {
        this.expire(e);
      } else {
        this.entries.delete(bm);
        this.acked++;
        this.onRemoved?.(bm);
      }
    }
    if (n > 0) this.dispatch();
    return n;
  }

  /** Removes the messages matching a filter (acknowledge by filter). */
  acknowledgeWhere(test: (e: QueueEntry) => boolean): number {
    const hits: string[] = [];
    for (const e of this.entries.values()) if (test(e)) hits.push(e.bookmark);
    return this.acknowledge(hits, 'ack');
  }

  /**
   * Returns messages whose lease ran out to the queue and expires messages past their
   * expiration time (leased or not).
   */
  expireLeases(now: number): void {
    let any = false;
    for (const e of [...this.entries.values()]) {
      if (e.expiresAt !== undefined && e.expiresAt <= now) {
        e.leasedTo?.queue?.outstanding.delete(e.bookmark);
        this.expire(e);
        any = true;
      } else if (e.leasedTo && e.leaseExpiry <= now) {
        e.leasedTo.queue?.outstanding.delete(e.bookmark);
        this.returned(e);
        any = true;
      }
    }
    if (any) this.dispatch();
  }

  /** A leased message came back unprocessed: redeliverable, unless it used up MaxDeliveries. */
  private returned(e: QueueEntry): void {
    e.leasedTo = undefined;
    const max = this.limits.maxDeliveries;
    if (max !== undefined && e.deliveries >= max) this.expire(e);
  }

  /** Removes a message as expired and runs the expiration action. */
  private expire(e: QueueEntry): void {
    e.leasedTo = undefined;
    if (!this.entries.delete(e.bookmark)) return;
    this.expired++;
    this.onRemoved?.(e.bookmark);
    this.onExpired?.(e);
  }

  /** Leases waiting messages to subscriptions with free backlog, round-robin. */
  dispatch(): void {
    if (!this.subscribers.some(hasRoom)) return;
    for (const e of this.entries.values()) {
      if (e.leasedTo) continue;
      const sub = this.pick(e);
      if (!sub) {
        if (!this.subscribers.some(hasRoom)) return;
        continue;
      }
      const now = Date.now();
      e.leasedTo = sub;
      e.leaseExpiry = now + this.leasePeriodMs;
      e.deliveries++;
      sub.queue?.outstanding.add(e.bookmark);
      deliver(sub, 'p', {
        topic: e.topic,
        data: e.data,
        key: e.key,
        correlationId: e.correlationId,
        bookmark: e.bookmark,
        timestampMicros: e.timestampMicros,
        leaseExpiryMs: e.leaseExpiry,
      });
    }
  }

  private pick(e: QueueEntry): Subscription | undefined {
    const n = this.subscribers.length;
    for (let i = 0; i < n; i++) {
      const sub = this.subscribers[(this.next + i) % n] as Subscription;
      if (!hasRoom(sub) || sub.session.closed || sub.paused) continue;
      if (!passesFilter(sub, e.json)) continue;
      this.next = (this.next + i + 1) % n;
      return sub;
    }
    return undefined;
  }

  /** Messages currently leased. */
  get leased(): number {
    let n = 0;
    for (const e of this.entries.values()) if (e.leasedTo) n++;
    return n;
  }
}

function hasRoom(sub: Subscription): boolean {
  return sub.queue !== undefined && sub.queue.outstanding.size < sub.queue.backlog;
}
