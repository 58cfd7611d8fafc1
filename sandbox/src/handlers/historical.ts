/** Historical SOW queries (spec §7.5): the SOW of transaction-logged topics as of a bookmark or time. */
import type { Broker } from '../broker.js';
import { parsePayload } from '../messageTypes.js';
import type { SowRecord } from '../sowStore.js';
import type { TopicInfo } from '../topics.js';

/**
 * Rebuilds each topic's records from the transaction log up to the given point.
 * @returns undefined when a topic is not transaction-logged
 * @throws BookmarkError for an unusable bookmark
 */
export function historicalSnapshot(
  broker: Broker,
  topics: readonly TopicInfo[],
  bookmark: string,
): Map<string, SowRecord[]> | undefined {
  if (topics.some((t) => !t.txlog)) return undefined;
  const end = broker.txlog.resolveStart(bookmark, 'now');
  const wanted = new Set(topics.map((t) => t.name));
  const state = new Map<string, Map<string, SowRecord>>();
  for (const t of topics) state.set(t.name, new Map());
  const entries = broker.txlog.entries;
  for (let i = 0; i < end && i < entries.length; i++) {
    const e = entries[i];
    if (!e || !wanted.has(e.topic) || e.key === undefined) continue;
    const records = state.get(e.topic) as Map<string, SowRecord>;
    if (e.kind === 'delete') {
      records.delete(e.key);
      continue;
    }
    const json = parsePayload(broker.topics.get(e.topic).messageType, e.data);
    const r: SowRecord = {
      topic: e.topic,
      key: e.key,
      data: e.data,
      json,
      timestampMicros: e.timestampMicros,
      bookmark: e.bookmark,
    };
    if (e.correlationId !== undefined) r.correlationId = e.correlationId;
    records.set(e.key, r);
  }
  const out = new Map<string, SowRecord[]>();
  for (const [name, records] of state) out.set(name, [...records.values()]);
  return out;
}
