/**
 * Paginated sow_and_subscribe (spec §7.3, §9.3): a subscription with `top_n` (and optional
 * `skip_n`, `orderby`) keeps a live window over the ordered SOW; records pushed out of the
 * window get `oof` (reason `match`, or `deleted`/`expired` when they went away), records
 * that enter it or change inside it are delivered.
 */
import { deliver } from './delivery.js';
import { LiveOrder } from './liveOrder.js';
import type { OrderTerm } from './orderBy.js';
import { orderComparator } from './orderBy.js';
import { pageOf, totalOrder } from './pageSelect.js';
import type { SowRecord, SowStore } from './sowStore.js';
import type { Subscription } from './subscription.js';
import { passesFilter } from './subscription.js';

/** The window a paginated subscription maintains. */
export interface PageWindow {
  topN: number;
  skipN: number;
  orderBy?: readonly OrderTerm[] | undefined;
  /** SOW keys currently inside the window. */
  keys: Set<string>;
  /** The window's first and last records in its order (when it was last computed). */
  first?: SowRecord | undefined;
  last?: SowRecord | undefined;
  /** The matching records in the window's order, kept as the SOW changes (liveOrder.ts). */
  order?: LiveOrder | undefined;
}

/** The window's order made total by SOW key (as {@link computeWindow} uses it). */
function windowOrder(page: PageWindow): (a: SowRecord, b: SowRecord) => number {
  const cmp = page.orderBy && page.orderBy.length > 0 ? orderComparator(page.orderBy) : () => 0;
  return totalOrder<SowRecord>((a, b) => cmp(a.json, b.json));
}

/**
 * True when a publish of `changed` (which was `previous`) cannot change a full window: the
 * record is not in it, and both its old and new states sort on the same side of it (or do not
 * match), so no record of the window changes rank. Saves recomputing the window of a big SOW
 * on every publish.
 */
export function outsideWindow(
  sub: Subscription,
  page: PageWindow,
  changed: SowRecord,
  previous: SowRecord | undefined,
): boolean {
  const { first, last } = page;
  if (first === undefined || last === undefined || page.keys.size < page.topN || page.keys.has(changed.key))
    return false;
  const order = windowOrder(page);
  const side = (r: SowRecord | undefined): 'out' | 'before' | 'after' | 'inside' => {
    if (r === undefined || !passesFilter(sub, r.json)) return 'out';
    if (order(r, first) < 0) return 'before';
    if (order(r, last) > 0) return 'after';
    return 'inside';
  };
  const now = side(changed);
  const was = side(previous);
  if (now === 'inside' || was === 'inside') return false;
  // A record that appears, leaves or crosses the window before it shifts every rank by one.
  if (now === 'before' || was === 'before') return now === was;
  return true;
}

/** The records inside the window for the store's current state. */
export function computeWindow(
  sub: Subscription,
  page: PageWindow,
  store: SowStore,
  now = Date.now(),
): SowRecord[] {
  const matched: SowRecord[] = [];
  for (const r of store.records.values()) {
    if (r.expiresAt !== undefined && r.expiresAt <= now) continue;
    if (passesFilter(sub, r.json)) matched.push(r);
  }
  const window = pageOf(matched, page.skipN, page.topN, windowOrder(page));
  page.first = window[0];
  page.last = window.at(-1);
  return window;
}

/** The window read off its order (set by {@link syncOrder}). */
function windowOf(page: PageWindow): SowRecord[] {
  const window = page.order?.slice(page.skipN, page.topN) ?? [];
  page.first = window[0];
  page.last = window.at(-1);
  return window;
}

/**
 * Most records a window keeps in order (about 60 bytes each, per paginated subscription);
 * past it a publish that touches the window selects the page from the store, as it did before.
 */
export const ORDER_MAX_RECORDS = 400_000;

/** What {@link syncOrder} did: the order could not be kept, was made again, or moved one record. */
type Synced = { kind: 'unordered' } | { kind: 'rebuilt' } | { kind: 'moved'; was: number; now: number };

/**
 * Brings the window's order up to date with the store after `changed` was stored (or
 * `removed` went away). The order is made again from the store when it missed a change (the
 * store moved by more than this one), and not kept for a store with records that expire (an
 * expired record leaves every window at once, before the sweep removes it, which only a
 * selection over the whole store sees) or past {@link ORDER_MAX_RECORDS}.
 */
function syncOrder(
  sub: Subscription,
  page: PageWindow,
  store: SowStore,
  changed: SowRecord | undefined,
  removed: readonly SowRecord[],
): Synced {
  if (store.expiring > 0 || store.size > ORDER_MAX_RECORDS) {
    page.order = undefined;
    return { kind: 'unordered' };
  }
  const order = page.order;
  const steps = removed.length + (changed === undefined ? 0 : 1);
  if (order === undefined || order.version + steps !== store.version) {
    const matching: SowRecord[] = [];
    for (const r of store.records.values()) if (passesFilter(sub, r.json)) matching.push(r);
    page.order = new LiveOrder(page.orderBy ?? [], matching, store.version);
    return { kind: 'rebuilt' };
  }
  order.version = store.version;
  for (const r of removed) order.remove(r.key);
  if (changed === undefined) return { kind: 'moved', was: -1, now: -1 };
  if (passesFilter(sub, changed.json)) return { kind: 'moved', ...order.upsert(changed) };
  return { kind: 'moved', was: order.remove(changed.key), now: -1 };
}

/**
 * True when a record that moved from rank `was` to rank `now` (-1: not in the order) leaves
 * the window as it was: it is in the window neither before nor after, and it did not cross
 * the window's start (which would shift every rank of the window by one).
 */
function movedOutside(page: PageWindow, was: number, now: number): boolean {
  const start = page.skipN;
  const end = page.skipN + page.topN;
  const inside = (rank: number): boolean => rank >= start && rank < end;
  if (inside(was) || inside(now)) return false;
  return (was >= 0 && was < start) === (now >= 0 && now < start);
}

/**
 * Re-evaluates the window after a change to the record `changedKey` (or after `removed`
 * records went away) and sends what changed for this subscriber.
 * @returns deliveries sent
 */
export function refreshWindow(
  sub: Subscription,
  page: PageWindow,
  store: SowStore,
  changedKey: string | undefined,
  removed: readonly SowRecord[] = [],
  removedReason: 'deleted' | 'expired' = 'deleted',
  change?: { record: SowRecord; previous: SowRecord | undefined },
): number {
  const synced = syncOrder(sub, page, store, change?.record, removed);
  if (change !== undefined && removed.length === 0) {
    const outside =
      synced.kind === 'moved'
        ? movedOutside(page, synced.was, synced.now)
        : outsideWindow(sub, page, change.record, change.previous);
    if (outside) return 0;
  }
  const window = synced.kind === 'unordered' ? computeWindow(sub, page, store) : windowOf(page);
  const next = new Set(window.map((r) => r.key));
  let sent = 0;
  if (sub.oof) {
    const gone = new Map(removed.map((r) => [r.key, r]));
    for (const key of page.keys) {
      if (next.has(key)) continue;
      const dead = gone.get(key);
      const current = dead ?? store.get(key);
      if (!current) continue;
      deliver(sub, 'oof', current, dead ? removedReason : 'match');
      sent++;
    }
  }
  for (const r of window) {
    if (!page.keys.has(r.key) || r.key === changedKey) {
      deliver(sub, 'p', r);
      sent++;
    }
  }
  page.keys = next;
  return sent;
}
