/** Builds and sends `p` and `oof` deliveries (spec §4.6, §9.3, Appendix A). */
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
  if (
    kind === 'p' &&
    !sub.withBookmark &&
    !sub.timestamp &&
    m.correlationId === undefined &&
    m.leaseExpiryMs === undefined
  ) {
    // Fast path for the common delivery: the same bytes encodeHeader writes (c, t, sids, k, l).
    let prefix = sub.headerPrefix;
    if (prefix?.topic !== m.topic) {
      prefix = sub.headerPrefix = {
        topic: m.topic,
        text: `{"c":"p","t":${JSON.stringify(m.topic)},"sids":${JSON.stringify(sub.subId)}`,
      };
    }
    const key = sub.noSowkey || !m.key ? '' : `,"k":${JSON.stringify(m.key)}`;
    sub.session.send(`${prefix.text}${key},"l":${m.data.length}}`, m.data);
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

/**
 * Delivers through the subscription's conflation (spec §4.2 `conflation=`): within an
 * interval only the latest message per key is kept, flushed at the end of the interval
 * in first-arrival order. `oof` drops a pending message for its key and goes out at once.
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
  pending.set(conflationKey, () => deliver(sub, 'p', m));
  if (first) {
    setTimeout(() => {
      const sends = [...pending.values()];
      pending.clear();
      if (sub.session.closed || sub.session.subs.get(sub.subId) !== sub) return;
      try {
        for (const send of sends) send();
      } catch (e) {
        sub.session.close(`conflated delivery failed: ${(e as Error).message}`, 'error');
      }
    }, sub.conflationMs).unref();
  }
}
