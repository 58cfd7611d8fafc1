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
import { replayJournal } from './replay.js';

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
  if (sub.paused) {
    sub.resumeFrom = start;
    broker.addSubscription(sub);
    return;
  }
  // Replay and registration happen in one turn: nothing is missed, nothing is duplicated.
  const last = replayJournal(broker, sub, start, topN, range?.end);
  if (range?.end !== undefined) {
    // A range that ends inside the log: delivery stops there, the completed ack marks the end.
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
    if (sub.resumeFrom !== undefined) {
      replayJournal(broker, sub, sub.resumeFrom, undefined);
      sub.resumeFrom = undefined;
    }
  }
  ack(ctx, 'processed');
}
