/** SOW query execution (spec §4.8, §7): select, order, page and send result batches. */
import type { Broker } from './broker.js';
import type { CompiledFilter } from './filter.js';
import type { OrderTerm } from './orderBy.js';
import type { SelectList } from './select.js';
import { selectPayload } from './select.js';
import { orderComparator } from './orderBy.js';
import { pageOf, totalOrder } from './pageSelect.js';
import { orderedRecords, pageFromOrdered } from './sowOrderIndex.js';
import type { Session } from './session.js';
import type { SowRecord } from './sowStore.js';
import { passesFilter } from './subscription.js';
import { formatTimestamp } from './timestamp.js';
import type { TopicInfo } from './topics.js';
import { recordHeader, serverHeader } from './wire.js';

/** What to select. */
export interface SowSelection {
  topics: readonly TopicInfo[];
  filter?: CompiledFilter | undefined;
  sowKeys?: ReadonlySet<string> | undefined;
  orderBy?: readonly OrderTerm[] | undefined;
  topN?: number | undefined;
  skipN?: number | undefined;
  /** Historical state per topic (bookmark queries) instead of the current SOW. */
  snapshot?: Map<string, SowRecord[]> | undefined;
  now: number;
}

/** Selected records and the statistics of the stats ack. */
export interface SowResult {
  records: SowRecord[];
  topicMatches: number;
  matches: number;
}

/** Runs the selection. */
export function selectRecords(sel: SowSelection): SowResult {
  // A page of one topic's current SOW: read off its sorted index (in SOW key order, only a page
  // past the first: sorting every key costs more than selecting the first page).
  const only = sel.topics.length === 1 ? sel.topics[0] : undefined;
  const ordered = sel.orderBy !== undefined && sel.orderBy.length > 0;
  const deep = (sel.skipN ?? 0) > 0 || (ordered && sel.topN !== undefined);
  if (deep && sel.snapshot === undefined && only?.sow) {
    const index = orderedRecords(only.sow, sel.orderBy ?? [], sel.now);
    if (index !== undefined) return pageFromOrdered(index, sel);
  }
  let topicMatches = 0;
  let matched: SowRecord[] = [];
  for (const info of sel.topics) {
    const source: Iterable<SowRecord> = sel.snapshot?.get(info.name) ?? info.sow?.records.values() ?? [];
    for (const r of source) {
      if (r.expiresAt !== undefined && r.expiresAt <= sel.now) continue;
      topicMatches++;
      if (sel.sowKeys && !sel.sowKeys.has(r.key)) continue;
      if (!passesFilter(sel, r.json)) continue;
      matched.push(r);
    }
  }
  const matches = matched.length;
  const skip = sel.skipN ?? 0;
  if (skip > 0 || sel.topN !== undefined) {
    // A page: only its records are sorted; without orderby, by SOW key (spec §7.3).
    const cmp = ordered ? orderComparator(sel.orderBy ?? []) : () => 0;
    matched = pageOf(
      matched,
      skip,
      sel.topN,
      totalOrder<SowRecord>((a, b) => cmp(a.json, b.json)),
    );
  } else if (ordered) {
    const cmp = orderComparator(sel.orderBy ?? []);
    matched.sort((a, b) => cmp(a.json, b.json));
  }
  return { records: matched, topicMatches, matches };
}

/** How result records are written. */
export interface BatchStyle {
  queryId: string;
  batchSize: number;
  timestamp: boolean;
  noSowkey: boolean;
  withBookmark: boolean;
  /** `select=[...]` applied to each record's payload. */
  select?: SelectList | undefined;
}

/**
 * Sends `group_begin`, the `sow` batches (≤ batchSize records, all of one topic, `bs` = exact
 * count) and `group_end` (spec §7.1, §7.2).
 */
export function sendResults(
  broker: Broker,
  session: Session,
  records: readonly SowRecord[],
  style: BatchStyle,
): void {
  session.send(serverHeader({ command: 'group_begin', queryId: style.queryId }));
  let i = 0;
  while (i < records.length) {
    const topic = (records[i] as SowRecord).topic;
    const parts: Buffer[] = [];
    let n = 0;
    while (i < records.length && n < style.batchSize && (records[i] as SowRecord).topic === topic) {
      const r = records[i] as SowRecord;
      const data = style.select ? selectPayload(style.select, r.data) : r.data;
      parts.push(
        Buffer.from(
          recordHeader(
            style.noSowkey || r.key === '' ? undefined : r.key,
            data.length,
            r.correlationId,
            style.timestamp ? formatTimestamp(r.timestampMicros) : undefined,
            style.withBookmark ? r.bookmark : undefined,
          ),
          'utf8',
        ),
        data,
      );
      n++;
      i++;
    }
    session.send(
      serverHeader({ command: 'sow', topic, queryId: style.queryId, batchSize: String(n) }),
      Buffer.concat(parts),
    );
    broker.counters.delivered += n;
  }
  session.send(serverHeader({ command: 'group_end', queryId: style.queryId }));
}
