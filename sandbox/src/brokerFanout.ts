/**
 * Fan-out of SOW record changes to the subscriptions of a topic: a new record state goes to
 * every covering subscription (delta, conflation, paging, aggregate views and bookmark-replay
 * stops applied) with OOF for those it left; removed records go as OOF (spec §9.2, §9.3).
 */
import type { Broker } from './broker.js';
import { diffRecord, valueAt } from './delta.js';
import { deliver, deliverConflated } from './delivery.js';
import { codecFor, MessageParseError } from './messageTypes.js';
import { deliverGroupChanges } from './aggregateView.js';
import type { SowRecord, SowStore } from './sowStore.js';
import { refreshWindow } from './pagination.js';
import { applySelect } from './select.js';
import type { Subscription } from './subscription.js';
import { passesFilter } from './subscription.js';
import type { TopicInfo } from './topics.js';

/** The part of the broker that fan-out reads (subscriptions, clock) and counts into. */
export type FanoutBroker = Pick<Broker, 'subs' | 'counters' | 'clock'>;

/** Conflation key: the `conflation_key` fields when given, else the SOW key, else the topic. */
function conflationKey(sub: Subscription, rec: SowRecord, json: unknown): string {
  if (sub.conflationMs <= 0) return '';
  if (sub.conflationKeys)
    return sub.conflationKeys.map((p) => JSON.stringify(valueAt(json, p) ?? null)).join('\u0001');
  return rec.key !== '' ? rec.key : rec.topic;
}

/** Whether fan-out to a subscription reads the message content (filter, aggregate, delta, conflation keys). */
function readsContent(sub: Subscription): boolean {
  return (
    sub.filter !== undefined || sub.aggregate !== undefined || sub.delta || sub.conflationKeys !== undefined
  );
}

/** Delivers a new record state to every covering subscription, with OOF for those it left. */
export function fanout(
  broker: FanoutBroker,
  info: TopicInfo,
  old: SowRecord | undefined,
  rec: SowRecord,
  getJson: () => unknown,
): void {
  const subs = broker.subs.matching(info.name);
  if (subs.length === 0) return;
  // The payload is parsed only when a subscription reads its content.
  const json = subs.some(readsContent) ? getJson() : undefined;
  let deltaCache: { data: Buffer; changed: boolean } | undefined;
  for (const sub of subs) {
    if (sub.paused || sub.session.closed) continue;
    if (sub.bookmarkReplay) {
      if (!info.txlog) continue;
      const stop = sub.stopAfter;
      if (
        stop &&
        (rec.timestampMicros > stop.micros || (!stop.inclusive && rec.timestampMicros === stop.micros))
      ) {
        stop.finish(stop.last);
        continue;
      }
      if (stop && passesFilter(sub, json)) stop.last = rec.bookmark;
    } else if (info.queue) {
      continue;
    }
    if (sub.aggregate) {
      const changes = sub.aggregate.apply(
        rec.key,
        passesFilter(sub, json) ? json : undefined,
        rec.timestampMicros,
      );
      broker.counters.delivered += deliverGroupChanges(sub, info.name, changes, 'match');
      continue;
    }
    if (sub.page && info.sow) {
      broker.counters.delivered += refreshWindow(sub, sub.page, info.sow, rec.key, [], 'deleted', {
        record: rec,
        previous: old,
      });
      continue;
    }
    const nowIn = passesFilter(sub, json);
    const wasIn = old !== undefined && !sub.bookmarkReplay && passesFilter(sub, old.json);
    if (nowIn) {
      let data = rec.data;
      if (sub.delta && wasIn && info.sow && old) {
        if (!deltaCache) {
          deltaCache = deltaFor(info, old, rec, json);
        }
        if (!deltaCache.changed && sub.noEmpties) continue;
        if (
          sub.noEmpties &&
          sub.select &&
          info.messageType === 'json' &&
          !selectedChange(sub, old.json, json)
        )
          continue;
        data = deltaCache.data;
      }
      broker.counters.delivered++;
      // Conflation keeps what it is given for later: a copy. Direct delivery reads the record as is.
      if (sub.conflationMs > 0) deliverConflated(sub, 'p', { ...rec, data }, conflationKey(sub, rec, json));
      else deliver(sub, 'p', data === rec.data ? rec : { ...rec, data });
    } else if (wasIn && sub.oof) {
      broker.counters.delivered++;
      deliverConflated(sub, 'oof', rec, conflationKey(sub, rec, json), 'match');
    }
  }
}

/** Whether anything but objects (a changed value) is left in a document. */
function hasValue(doc: unknown): boolean {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return true;
  return Object.values(doc).some(hasValue);
}

/**
 * Whether a change survives the subscription's select list: with `no_empties`, only changes to
 * selected fields trigger a message (spec §9.2).
 */
function selectedChange(sub: Subscription, old: unknown, next: unknown): boolean {
  const d = diffRecord(old, next, []);
  return d.changed && sub.select !== undefined && hasValue(applySelect(sub.select, d.delta));
}

/** The delta a delta subscriber receives, in the topic's message type (spec §9.2). */
function deltaFor(
  info: TopicInfo,
  old: SowRecord,
  rec: SowRecord,
  json: unknown,
): { data: Buffer; changed: boolean } {
  const keyPaths = info.sow?.keyPaths ?? [];
  if (info.messageType === 'json') {
    const d = diffRecord(old.json, json, keyPaths);
    return { data: Buffer.from(JSON.stringify(d.delta), 'utf8'), changed: d.changed };
  }
  const diff = codecFor(info.messageType).diff;
  if (!diff) return { data: rec.data, changed: true };
  try {
    return diff(old.data, rec.data, keyPaths);
  } catch (e) {
    if (!(e instanceof MessageParseError)) throw e;
    return { data: rec.data, changed: true };
  }
}

/**
 * Tells the subscriptions of a topic that records left its SOW store `sow` (sow_delete,
 * expiration): `oof` with the previous state to those with `oof` that matched them, and
 * refreshed pages and aggregate groups to paginated and aggregate subscriptions (spec §9.3).
 */
export function fanoutRemoved(
  broker: FanoutBroker,
  info: TopicInfo,
  sow: SowStore,
  records: readonly SowRecord[],
  reason: 'deleted' | 'expired',
): void {
  const subs = broker.subs
    .matching(info.name)
    .filter((s) => (s.oof || s.page || s.aggregate) && !s.bookmarkReplay);
  for (const sub of subs) {
    if (sub.aggregate) {
      const now = broker.clock.next();
      for (const r of records) {
        if (sub.session.closed) break;
        const changes = sub.aggregate.apply(r.key, undefined, now);
        broker.counters.delivered += deliverGroupChanges(sub, info.name, changes, reason);
      }
      continue;
    }
    if (sub.page) {
      if (!sub.session.closed)
        broker.counters.delivered += refreshWindow(sub, sub.page, sow, undefined, records, reason);
      continue;
    }
    for (const r of records) {
      if (sub.session.closed || !passesFilter(sub, r.json)) continue;
      broker.counters.delivered++;
      deliver(sub, 'oof', r, reason);
    }
  }
}
