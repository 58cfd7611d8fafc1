/** A live subscription of one session (subscribe, delta_subscribe, sow_and_*), spec §4.6–§4.9. */
import type { AggregateView } from './aggregateView.js';
import type { Deliverable } from './delivery.js';
import type { CompiledFilter } from './filter.js';
import type { PageWindow } from './pagination.js';
import { topicMatches } from './filter.js';
import type { SelectList } from './select.js';
import type { HeaderStart, Session } from './session.js';

/** Queue-delivery state of a subscription to a queue topic (spec §11.3). */
export interface QueueSubscriptionState {
  backlog: number;
  /** Bookmarks leased to this subscription and not yet acknowledged. */
  outstanding: Set<string>;
}

/** One subscription. */
export interface Subscription {
  session: Session;
  subId: string;
  topic: string;
  regex: boolean;
  filterText?: string;
  filter?: CompiledFilter;
  delta: boolean;
  oof: boolean;
  noEmpties: boolean;
  timestamp: boolean;
  noSowkey: boolean;
  /** Attach `bm` to deliveries (bookmark subscriptions and the `bookmark` option). */
  withBookmark: boolean;
  /** Bookmark (replay) subscription: no queue semantics, no OOF. */
  bookmarkReplay: boolean;
  /** Send periodic persisted acks (bookmark subscriptions that requested them). */
  persistedAcks: boolean;
  lastPersistedBookmark?: string;
  paused: boolean;
  /** Paused bookmark subscription: log position to replay from on `resume`. */
  resumeFrom?: number | undefined;
  /** Conflation interval in ms (0 = none); pending messages per SOW key. */
  conflationMs: number;
  conflated?: Map<string, Deliverable>;
  /** `conflation_key=[/a,/b]` fields. */
  conflationKeys?: string[];
  queue?: QueueSubscriptionState;
  /** Paginated sow_and_subscribe window (top_n / skip_n / orderby). */
  page?: PageWindow;
  /** Bookmark range ending in the future: stop live delivery after this time, then send completed. */
  stopAfter?: {
    micros: number;
    inclusive: boolean;
    finish: (lastBookmark: string | undefined) => void;
    last?: string;
  };
  /** `select=[...]`: the fields of each delivered payload (spec §4.2). */
  select?: SelectList;
  /** Aggregated sow_and_subscribe (`grouping` + `projection`): the groups sent so far (spec §7.5). */
  aggregate?: AggregateView;
  /** Cached start of this subscription's delivery header for its last topic. */
  headerPrefix?: HeaderStart & { topic: string };
  /** Topic match cache for regex subscriptions. */
  matchCache?: Map<string, boolean>;
}

/** Whether the subscription's topic (literal or regex) covers `topic`. */
export function coversTopic(sub: Subscription, topic: string): boolean {
  if (!sub.regex) return sub.topic === topic;
  const cache = (sub.matchCache ??= new Map());
  let hit = cache.get(topic);
  if (hit === undefined) {
    try {
      hit = topicMatches(sub.topic, topic);
    } catch {
      hit = false;
    }
    if (cache.size > 10_000) cache.clear();
    cache.set(topic, hit);
  }
  return hit;
}

/** Whether a parsed record passes the subscription's content filter. */
export function passesFilter(sub: { filter?: CompiledFilter }, json: unknown): boolean {
  return sub.filter === undefined || (json !== undefined && sub.filter(json));
}

/** All subscriptions of the server, indexed by literal topic with a list of regex ones. */
export class SubscriptionIndex {
  private readonly literal = new Map<string, Set<Subscription>>();
  private readonly regex = new Set<Subscription>();
  private count = 0;

  add(sub: Subscription): void {
    this.count++;
    if (sub.regex) {
      this.regex.add(sub);
      return;
    }
    let set = this.literal.get(sub.topic);
    if (!set) this.literal.set(sub.topic, (set = new Set()));
    set.add(sub);
  }

  remove(sub: Subscription): void {
    if (sub.regex) {
      if (this.regex.delete(sub)) this.count--;
      return;
    }
    const set = this.literal.get(sub.topic);
    if (set?.delete(sub)) {
      this.count--;
      if (set.size === 0) this.literal.delete(sub.topic);
    }
  }

  get size(): number {
    return this.count;
  }

  /** Subscriptions covering a concrete topic (a fresh array: safe against changes while delivering). */
  matching(topic: string): Subscription[] {
    const out: Subscription[] = [];
    const set = this.literal.get(topic);
    if (set) for (const s of set) out.push(s);
    for (const s of this.regex) if (coversTopic(s, topic)) out.push(s);
    return out;
  }
}
