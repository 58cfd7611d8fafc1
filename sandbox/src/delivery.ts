/** Builds and sends `p` and `oof` deliveries (spec §4.6, §9.3, Appendix A). */
import { mergeDelta } from './delta.js';
import { selectPayload } from './select.js';
import type { Subscription } from './subscription.js';
import { formatTimestamp } from './timestamp.js';
import { serverHeader } from './wire.js';

/** The message being delivered. */
export interface Deliverable {
  topic: string;
  data: Buffer;
  key?: string | undefined;
  correlationId?: string | undefined;
  bookmark?: string | undefined;
  timestampMicros: number;
  /** Queue deliveries: lease expiry (epoch ms) → `lp`. */
  leaseExpiryMs?: number;
}

/** Sends one delivery to one subscription. */
export function deliver(sub: Subscription, kind: 'p' | 'oof', m: Deliverable, reason?: string): void {
  if (sub.select) m = { ...m, data: selectPayload(sub.select, m.data) };
  if (
    kind === 'p' &&
    !sub.withBookmark &&
    !sub.timestamp &&
    m.correlationId === undefined &&
    m.leaseExpiryMs === undefined
  ) {
    // Fast path for the common delivery: the same bytes encodeHeader writes (c, t, sids, k, l),
    // from a start encoded once per subscription and topic.
    let start = sub.headerPrefix;
    if (start?.topic !== m.topic) {
      const text = `{"c":"p","t":${JSON.stringify(m.topic)},"sids":${JSON.stringify(sub.subId)}`;
      start = sub.headerPrefix = { topic: m.topic, text, bytes: Buffer.from(text, 'utf8') };
    }
    sub.session.sendWithLength(start, sub.noSowkey || !m.key ? '' : `,"k":${JSON.stringify(m.key)}`, m.data);
    return;
  }
  const header = serverHeader({
    command: kind === 'p' ? 'publish' : 'oof',
    topic: m.topic,
    subIds: sub.subId,
    bookmark: sub.withBookmark || m.leaseExpiryMs !== undefined ? m.bookmark : undefined,
    correlationId: m.correlationId,
    sowKey: sub.noSowkey || !m.key ? undefined : m.key,
    reason,
    timestamp: sub.timestamp ? formatTimestamp(m.timestampMicros) : undefined,
    leasePeriod: m.leaseExpiryMs !== undefined ? formatTimestamp(m.leaseExpiryMs * 1000) : undefined,
    length: String(m.data.length),
  });
  sub.session.send(header, m.data);
}

/** Merges two pending delta payloads (later fields win, nested objects merge); undefined if not JSON. */
function mergePendingDeltas(earlier: Buffer, later: Buffer): Buffer | undefined {
  try {
    const merged = mergeDelta(JSON.parse(earlier.toString('utf8')), JSON.parse(later.toString('utf8')));
    return Buffer.from(JSON.stringify(merged), 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * Delivers through the subscription's conflation (spec §4.2 `conflation=`): within an
 * interval one message per key is kept, flushed at the end of the interval in first-arrival
 * order. A plain subscription keeps the latest message; a delta subscription merges every delta
 * of the interval into one (the fields any of them carried, with their latest values).
 * `oof` drops a pending message for its key and goes out at once.
 */
export function deliverConflated(
  sub: Subscription,
  kind: 'p' | 'oof',
  m: Deliverable,
  conflationKey: string,
  reason?: string,
): void {
  if (sub.conflationMs <= 0) {
    deliver(sub, kind, m, reason);
    return;
  }
  const pending = (sub.conflated ??= new Map());
  if (kind === 'oof') {
    pending.delete(conflationKey);
    deliver(sub, kind, m, reason);
    return;
  }
  const first = pending.size === 0;
  const earlier = pending.get(conflationKey);
  if (earlier && sub.delta) {
    const data = mergePendingDeltas(earlier.data, m.data);
    pending.set(conflationKey, data ? { ...m, data } : m);
  } else {
    // A conflated delivery carries the bookmark of the first message of its interval (spec §8.5).
    pending.set(conflationKey, earlier?.bookmark !== undefined ? { ...m, bookmark: earlier.bookmark } : m);
  }
  if (first) {
    setTimeout(() => {
      const messages = [...pending.values()];
      pending.clear();
      if (sub.session.closed || sub.session.subs.get(sub.subId) !== sub) return;
      try {
        for (const message of messages) deliver(sub, 'p', message);
      } catch (e) {
        sub.session.close(`conflated delivery failed: ${(e as Error).message}`, 'error');
      }
    }, sub.conflationMs).unref();
  }
}
