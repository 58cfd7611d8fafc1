/**
 * `sow`, `sow_and_subscribe`, `sow_and_delta_subscribe` (spec §4.8, §4.9, §7): query and
 * (optionally) subscribe in one turn, so no live message is missed or duplicated and none
 * is interleaved with the results.
 */
import type { AggregateSpec } from '../aggregate.js';
import { AggregateError, compileAggregate } from '../aggregate.js';
import { aggregateQuery } from '../aggregateQuery.js';
import type { CommandContext } from '../context.js';
import { ack, fail } from '../context.js';
import { deliver } from '../delivery.js';
import { compileContentFilter, FilterCompileError, readTopicPattern } from '../filter.js';
import type { CompiledFilter } from '../filter.js';
import type { OptionMap } from '../options.js';
import { intOption, parseOptions } from '../options.js';
import type { OrderTerm } from '../orderBy.js';
import { OrderByError, parseOrderBy } from '../orderBy.js';
import type { SelectList } from '../select.js';
import { parseSelect, SelectError } from '../select.js';
import { selectRecords, sendResults } from '../sowQuery.js';
import type { QueueEntry } from '../queue.js';
import type { SowRecord } from '../sowStore.js';
import type { Subscription } from '../subscription.js';
import { coversTopic, passesFilter } from '../subscription.js';
import type { TopicInfo } from '../topics.js';
import { BookmarkError } from '../txlog.js';
import { buildSubscription } from './buildSubscription.js';
import { historicalSnapshot } from './historical.js';
import { replayJournal } from './replay.js';

const MAX_BATCH = 10_000;

/** The NOW bookmark in its spellings (spec §8.2; `1|0|` from JS 5.2.2.2). */
const isNowBookmark = (bm: string): boolean => {
  const t = bm.trim();
  return t === '0|1|' || t === '1|0|' || t.toUpperCase() === 'NOW';
};

/** Query parameters read from the header and options. */
interface QuerySpec {
  topics: TopicInfo[];
  filter?: CompiledFilter;
  orderBy?: OrderTerm[];
  topN?: number;
  skipN?: number;
  batchSize: number;
  sowKeys?: Set<string>;
  options: OptionMap;
  select?: SelectList;
  aggregate?: AggregateSpec;
}

type SpecResult = { ok: true; spec: QuerySpec } | { ok: false; reason: string; detail: string };

function readSpec(ctx: CommandContext, subscribing: boolean): SpecResult {
  const { fields, broker } = ctx;
  const topic = fields.topic;
  if (topic === undefined || topic === '') return { ok: false, reason: 'invalid topic', detail: 'no topic' };
  let options: OptionMap;
  try {
    options = parseOptions(fields.options);
  } catch (e) {
    return { ok: false, reason: 'invalid options', detail: (e as Error).message };
  }
  const spec: QuerySpec = { topics: [], batchSize: 1, options };
  try {
    const topN = fields.topN !== undefined && fields.topN !== '' ? fields.topN : options.get('top_n');
    if (topN !== undefined) {
      if (!/^\d{1,9}$/.test(topN)) throw new Error(`top_n "${topN}" is not a non-negative integer`);
      spec.topN = Number(topN);
    }
    const skip = fields.skipN ?? options.get('skip_n');
    if (skip !== undefined) {
      if (!/^\d{1,9}$/.test(skip)) throw new Error(`skip_n "${skip}" is not a non-negative integer`);
      spec.skipN = Number(skip);
    }
    if (fields.batchSize !== undefined && fields.batchSize !== '') {
      if (!/^\d{1,9}$/.test(fields.batchSize))
        throw new Error(`batch size "${fields.batchSize}" is not an integer`);
      spec.batchSize = Math.min(MAX_BATCH, Math.max(1, Number(fields.batchSize)));
    }
    intOption(options, 'max_backlog');
  } catch (e) {
    return { ok: false, reason: 'invalid options', detail: (e as Error).message };
  }
  try {
    const select = options.get('select');
    if (select !== undefined) spec.select = parseSelect(select);
    const aggregate = compileAggregate(options.get('grouping'), options.get('projection'));
    if (aggregate) spec.aggregate = aggregate;
  } catch (e) {
    if (e instanceof SelectError || e instanceof AggregateError)
      return { ok: false, reason: e.reason, detail: e.message };
    throw e;
  }
  if (fields.filter !== undefined && fields.filter.trim() !== '') {
    try {
      const filterText = fields.filter;
      spec.filter = compileContentFilter(filterText, (e) =>
        ctx.broker.log(
          'warn',
          `filter ${JSON.stringify(filterText)} of ${ctx.session.label} failed on a record: ${e.message}`,
        ),
      );
    } catch (e) {
      if (e instanceof FilterCompileError) return { ok: false, reason: e.reason, detail: e.message };
      throw e;
    }
  }
  if (fields.orderBy !== undefined && fields.orderBy.trim() !== '') {
    try {
      spec.orderBy = parseOrderBy(fields.orderBy);
    } catch (e) {
      if (e instanceof OrderByError) return { ok: false, reason: e.reason, detail: e.message };
      throw e;
    }
  }
  if (fields.sowKeys !== undefined && fields.sowKeys !== '') {
    spec.sowKeys = new Set(fields.sowKeys.split(',').map((k) => k.trim()));
  }
  const pattern = readTopicPattern(topic, options);
  if (!pattern.ok) return pattern;
  const regex = pattern.regex;
  if (regex) {
    for (const info of broker.topics.all()) {
      if (info.sow && coversTopicPattern(topic, info.name)) spec.topics.push(info);
    }
  } else {
    const info = broker.topics.get(topic);
    if (info.sow || (info.queue && !subscribing)) spec.topics.push(info);
    else if (!subscribing) return { ok: false, reason: 'invalid topic', detail: `${topic} has no SOW` };
  }
  if (spec.aggregate && (regex || spec.topics.length !== 1 || !spec.topics[0]?.sow)) {
    return {
      ok: false,
      reason: 'invalid options',
      detail: 'aggregation needs one SOW topic (no regex, no queue)',
    };
  }
  if (spec.aggregate && subscribing && fields.bookmark !== undefined && fields.bookmark !== '') {
    return {
      ok: false,
      reason: 'invalid options',
      detail: 'aggregated subscriptions cannot replay from a bookmark',
    };
  }
  return { ok: true, spec };
}

function queueRecord(e: QueueEntry): SowRecord {
  const r: SowRecord = {
    topic: e.topic,
    key: e.key ?? '',
    data: e.data,
    json: e.json,
    timestampMicros: e.timestampMicros,
    bookmark: e.bookmark,
  };
  if (e.correlationId !== undefined) r.correlationId = e.correlationId;
  return r;
}

function coversTopicPattern(pattern: string, topic: string): boolean {
  const probe = { regex: true, topic: pattern } as Subscription;
  return coversTopic(probe, topic);
}

export function handleSow(
  ctx: CommandContext,
  mode: 'sow' | 'sow_and_subscribe' | 'sow_and_delta_subscribe',
): void {
  const { broker, fields, session } = ctx;
  const subscribing = mode !== 'sow';
  const read = readSpec(ctx, subscribing);
  if (!read.ok) {
    broker.log('info', `${mode} from ${session.label} refused: ${read.reason} (${read.detail})`);
    fail(ctx, read.reason);
    return;
  }
  const { spec } = read;
  let sub: Subscription | undefined;
  let replaced: Subscription | undefined;
  if (subscribing) {
    const built = buildSubscription(ctx, mode === 'sow_and_delta_subscribe');
    if (!built.ok) {
      fail(ctx, built.reason);
      return;
    }
    sub = built.sub;
    replaced = session.subs.get(sub.subId);
    if (replaced && !spec.options.has('replace')) {
      fail(ctx, 'subid in use');
      return;
    }
  }
  let snapshot: Map<string, SowRecord[]> | undefined;
  const queueInfo = !subscribing ? spec.topics.find((t) => t.queue) : undefined;
  if (queueInfo?.queue) {
    // sow on a queue: the messages currently in it, leased or not, keyed like their deliveries.
    snapshot = new Map([[queueInfo.name, [...queueInfo.queue.entries.values()].map((e) => queueRecord(e))]]);
  } else if (
    fields.bookmark !== undefined &&
    fields.bookmark !== '' &&
    !(isNowBookmark(fields.bookmark) && spec.topics.some((t) => !t.txlog))
  ) {
    // NOW on a topic without history is the current state: a plain query (spec §4.9, §7.5).
    try {
      snapshot = historicalSnapshot(broker, spec.topics, fields.bookmark);
    } catch (e) {
      if (e instanceof BookmarkError) {
        fail(ctx, e.reason);
        return;
      }
      throw e;
    }
    if (snapshot === undefined) {
      fail(ctx, 'invalid topic');
      return;
    }
  }
  broker.counters.sowQueries++;
  const queryId = fields.queryId ?? fields.commandId ?? sub?.subId ?? '';
  const queue = sub && !sub.regex ? broker.topics.get(sub.topic).queue : undefined;
  if (sub && queue) {
    // sow_and_subscribe to a queue: an empty result, then queue delivery (spec §11.1).
    const granted = queue.grant(intOption(spec.options, 'max_backlog'));
    sub.queue = { backlog: granted, outstanding: new Set() };
    sub.delta = false;
    ack(ctx, 'processed', 'success', { options: `max_backlog=${granted}` });
  } else {
    ack(ctx, 'processed');
  }
  const selection = {
    topics: spec.topics,
    filter: spec.filter,
    sowKeys: spec.sowKeys,
    orderBy: spec.orderBy,
    topN: spec.topN,
    skipN: spec.skipN,
    snapshot,
    now: Date.now(),
  };
  const aggregated = spec.aggregate ? aggregateQuery(spec.aggregate, selection, spec.orderBy) : undefined;
  const result = aggregated ?? selectRecords(selection);
  let records = result.records;
  if (sub && aggregated) {
    // Aggregated subscription (spec §7.5): every group is sent; the view follows later changes.
    sub.aggregate = aggregated.view;
    if (replaced) broker.removeSubscription(replaced);
  } else if (replaced && sub) {
    // Replace (spec §4.9): records that left the new filter get oof; only newly matching ones are sent.
    const old = replaced;
    broker.removeSubscription(old);
    records = records.filter((r) => !passesFilter(old, r.json));
    if (sub.oof) {
      for (const info of spec.topics) {
        for (const r of info.sow?.records.values() ?? []) {
          if (passesFilter(old, r.json) && !passesFilter(sub, r.json)) deliver(sub, 'oof', r, 'match');
        }
      }
    }
  }
  if (sub && !aggregated && spec.topN !== undefined && spec.topics.length === 1 && !sub.regex) {
    sub.page = {
      topN: spec.topN,
      skipN: spec.skipN ?? 0,
      orderBy: spec.orderBy,
      keys: new Set(result.records.map((r) => r.key)),
      first: result.records[0],
      last: result.records.at(-1),
    };
  }
  sendResults(broker, session, records, {
    queryId,
    batchSize: spec.batchSize,
    timestamp: spec.options.has('timestamp'),
    noSowkey: spec.options.has('no_sowkey'),
    withBookmark: snapshot !== undefined || spec.options.has('bookmark'),
    select: spec.select,
  });
  ack(ctx, 'stats', 'success', {
    matches: String(result.matches),
    topicMatches: String(result.topicMatches),
    recordsReturned: String(records.length),
  });
  ack(ctx, 'completed');
  if (sub && snapshot && !queueInfo && fields.bookmark) {
    // Historical SOW + subscribe (spec §4.9): replay what was logged after the snapshot point.
    sub.withBookmark = true;
    replayJournal(broker, sub, broker.txlog.resolveStart(fields.bookmark, 'now'), undefined);
  }
  // Registered in the same turn as the query: live messages follow the results, none is missed.
  if (sub) broker.addSubscription(sub);
}
