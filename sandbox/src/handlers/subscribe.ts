/**
 * `subscribe` / `delta_subscribe` (spec §4.6, §4.7): plain, queue (§11) and bookmark
 * (§8.5) subscriptions; `replace`, `pause`/`resume`.
 */
import type { CommandContext } from '../context.js';
import { ack, fail } from '../context.js';
import { intOption } from '../options.js';
import { BookmarkError, isBookmarkRange } from '../txlog.js';
import type { NotFoundPolicy, ResolvedRange } from '../txlog.js';
import { buildSubscription } from './buildSubscription.js';
import { PacedReplay, pacedReplayOf, parseMaxGap, parseRate } from './pacedReplay.js';
import type { ReplayRate } from './pacedReplay.js';
import { replayJournal } from './replay.js';
import type { Subscription } from '../subscription.js';

export function handleSubscribe(ctx: CommandContext, delta: boolean): void {
  const { broker, fields, session } = ctx;
  const built = buildSubscription(ctx, delta);
  if (!built.ok) {
    broker.log('info', `subscribe from ${session.label} refused: ${built.reason} (${built.detail})`);
    fail(ctx, built.reason);
    return;
  }
  const { sub, options } = built;
  if (options.has('grouping') || options.has('projection')) {
    // Aggregation needs a SOW query (sow, sow_and_subscribe, sow_and_delta_subscribe).
    broker.log('info', `subscribe from ${session.label} refused: grouping/projection need a sow command`);
    fail(ctx, 'invalid options');
    return;
  }
  if (options.has('resume')) {
    resume(ctx, fields.subId ?? '');
    return;
  }
  const existing = session.subs.get(sub.subId);
  if (existing && options.has('pause') && !options.has('replace')) {
    // `pause` naming a running subscription pauses it (a replay stops where it is).
    pause(ctx, existing);
    return;
  }
  if (existing) {
    if (!options.has('replace')) {
      fail(ctx, 'subid in use');
      return;
    }
    broker.removeSubscription(existing);
  }
  const info = sub.regex ? undefined : broker.topics.get(sub.topic);
  const bookmark = fields.bookmark;
  let start: number | undefined;
  let range: ResolvedRange | undefined;
  let rate: ReplayRate | undefined;
  let maxGapMs: number | undefined;
  if (bookmark !== undefined && bookmark !== '') {
    if (info && !info.txlog) {
      fail(ctx, 'invalid topic');
      return;
    }
    const policy = (options.get('bookmark_not_found') ?? 'now').toLowerCase();
    if (policy !== 'now' && policy !== 'epoch' && policy !== 'fail') {
      fail(ctx, 'invalid options');
      return;
    }
    try {
      if (isBookmarkRange(bookmark)) range = broker.txlog.resolveRange(bookmark);
      start = range ? range.start : broker.txlog.resolveStart(bookmark, policy as NotFoundPolicy);
    } catch (e) {
      if (e instanceof BookmarkError) {
        fail(ctx, e.reason);
        return;
      }
      throw e;
    }
    const rateText = options.get('rate');
    const gapText = options.get('rate_max_gap');
    rate = rateText === undefined ? undefined : parseRate(rateText);
    maxGapMs = gapText === undefined ? undefined : parseMaxGap(gapText);
    if ((rateText !== undefined && rate === undefined) || (gapText !== undefined && maxGapMs === undefined)) {
      broker.log('info', `subscribe from ${session.label} refused: rate=${rateText ?? ''} rate_max_gap=${gapText ?? ''}`);
      fail(ctx, 'invalid options');
      return;
    }
    sub.bookmarkReplay = true;
    sub.withBookmark = true;
    sub.delta = false;
    sub.oof = false;
    sub.persistedAcks = ctx.acks.has('persisted');
  } else if (info?.queue) {
    const granted = info.queue.grant(intOption(options, 'max_backlog'));
    sub.queue = { backlog: granted, outstanding: new Set() };
    sub.delta = false;
    ack(ctx, 'processed', 'success', { options: `max_backlog=${granted}` });
    broker.addSubscription(sub);
    return;
  }
  ack(ctx, 'processed');
  if (start === undefined) {
    broker.addSubscription(sub);
    return;
  }
  const topN = fields.topN !== undefined ? Number(fields.topN) : intOption(options, 'top_n');
  if (rate !== undefined) {
    // Rate-controlled replay: paced by timers, live once it reaches the log's end.
    const done = { ...ctx };
    const paced = new PacedReplay({
      broker,
      sub,
      start,
      rate,
      maxGapMs,
      topN,
      end: range?.end,
      done: (last) => goLive(done, sub, range, last),
    });
    if (!sub.paused) paced.run();
    return;
  }
  if (sub.paused) {
    sub.resumeFrom = start;
    broker.addSubscription(sub);
    return;
  }
  // Replay and registration happen in one turn: nothing is missed, nothing is duplicated.
  goLive(ctx, sub, range, replayJournal(broker, sub, start, topN, range?.end));
}

/** After the replay: the completed ack, and live delivery unless a range ended inside the log. */
function goLive(ctx: CommandContext, sub: Subscription, range: ResolvedRange | undefined, last: string | undefined): void {
  const { broker } = ctx;
  if (range?.end !== undefined) {
    // A range that ends inside the log: delivery stops there, the completed ack marks the end.
    if (sub.session.subs.get(sub.subId) === sub) sub.session.subs.delete(sub.subId);
    ack(ctx, 'completed', 'success', {
      bookmark: last ?? broker.txlog.entries[range.end - 1]?.bookmark ?? '0',
    });
    return;
  }
  broker.addSubscription(sub);
  if (range?.stopAfterMicros !== undefined) {
    const stopAt = range.stopAfterMicros;
    const inclusive = range.stopInclusive === true;
    const done = { ...ctx };
    sub.stopAfter = {
      micros: stopAt,
      inclusive,
      finish: (bm) => {
        broker.removeSubscription(sub);
        ack(done, 'completed', 'success', { bookmark: bm ?? '0' });
      },
    };
    return;
  }
  ack(ctx, 'completed', 'success', { bookmark: last ?? broker.txlog.lastBookmark ?? '0' });
  sub.lastPersistedBookmark = broker.txlog.lastBookmark;
}

/** `o=resume` with a comma list of paused subscription ids. */
function resume(ctx: CommandContext, ids: string): void {
  const { broker, session } = ctx;
  for (const id of ids.split(',')) {
    const sub = session.subs.get(id.trim());
    if (!sub || !sub.paused) continue;
    sub.paused = false;
    const paced = pacedReplayOf(sub);
    if (paced !== undefined) {
      paced.resume();
      continue;
    }
    if (sub.resumeFrom !== undefined) {
      replayJournal(broker, sub, sub.resumeFrom, undefined);
      sub.resumeFrom = undefined;
    }
  }
  ack(ctx, 'processed');
}

/** `pause` with the sub_id of a running subscription: a paced replay stops where it is; a live bookmark subscription resumes from the log position it paused at. */
function pause(ctx: CommandContext, sub: Subscription): void {
  const paced = pacedReplayOf(sub);
  sub.paused = true;
  if (paced !== undefined) paced.pause();
  else if (sub.bookmarkReplay && sub.resumeFrom === undefined) sub.resumeFrom = ctx.broker.txlog.entries.length;
  ack(ctx, 'processed');
}
