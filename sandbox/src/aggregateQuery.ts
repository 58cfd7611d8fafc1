/** Runs an aggregated SOW query (spec §7.5): select source records, group, order and page the groups. */
import type { AggregateSpec } from './aggregate.js';
import { AggregateView } from './aggregateView.js';
import type { OrderTerm } from './orderBy.js';
import { orderComparator } from './orderBy.js';
import type { SowRecord } from './sowStore.js';
import type { SowResult, SowSelection } from './sowQuery.js';
import { selectRecords } from './sowQuery.js';

/** The groups to send and the view that keeps them current for a subscription. */
export interface AggregateResult extends SowResult {
  view: AggregateView;
}

/**
 * Groups the records `sel` matches (filter and sow keys apply to the source records; `orderby`,
 * `skip_n` and `top_n` to the synthetic group records).
 */
export function aggregateQuery(
  spec: AggregateSpec,
  sel: SowSelection,
  orderBy: readonly OrderTerm[] | undefined,
): AggregateResult {
  const source = selectRecords({ ...sel, orderBy: undefined, topN: undefined, skipN: undefined });
  const view = new AggregateView(spec);
  view.load(source.records);
  const topic = sel.topics[0]?.name ?? '';
  let records: SowRecord[] = view.records().map((g) => ({ topic, ...g }));
  if (orderBy && orderBy.length > 0) {
    const cmp = orderComparator(orderBy);
    records.sort((a, b) => cmp(a.json, b.json));
  }
  const skip = sel.skipN ?? 0;
  if (skip > 0 || sel.topN !== undefined) {
    records = records.slice(skip, sel.topN === undefined ? undefined : skip + sel.topN);
  }
  return { records, topicMatches: source.topicMatches, matches: source.matches, view };
}
