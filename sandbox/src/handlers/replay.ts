/** Bookmark replay from the transaction log (spec §8.5, §8.7). */
import type { Broker } from '../broker.js';
import { deliver } from '../delivery.js';
import { parsePayload } from '../messageTypes.js';
import type { Subscription } from '../subscription.js';
import { coversTopic, passesFilter } from '../subscription.js';

/**
 * Sends the logged messages in `[start, end)` (end defaults to the log's end) that the subscription covers.
 * @returns the bookmark of the last replayed message, if any
 */
export function replayJournal(
  broker: Broker,
  sub: Subscription,
  start: number,
  topN: number | undefined,
  end?: number,
): string | undefined {
  const entries = broker.txlog.entries;
  let sent = 0;
  let last: string | undefined;
  const stop = end === undefined ? entries.length : Math.min(end, entries.length);
  for (let i = start; i < stop; i++) {
    if (topN !== undefined && sent >= topN) break;
    const e = entries[i];
    if (!e || e.kind !== 'publish' || !coversTopic(sub, e.topic)) continue;
    if (sub.filter) {
      const json = parsePayload(broker.topics.get(e.topic).messageType, e.data);
      if (!passesFilter(sub, json)) continue;
    }
    deliver(sub, 'p', e);
    broker.counters.delivered++;
    sent++;
    last = e.bookmark;
  }
  return last;
}
