/** `sow_delete` (spec §4.10, §11.2): by filter, by sow_keys, by data, or queue acknowledgement by bookmarks. */
import type { CommandContext } from '../context.js';
import { ack, fail } from '../context.js';
import { compileContentFilter, FilterCompileError, readTopicPattern } from '../filter.js';
import { parsePayload } from '../messageTypes.js';
import type { CompiledFilter } from '../filter.js';
import { parseOptions } from '../options.js';
import type { QueueAckMode } from '../queue.js';
import type { SowRecord } from '../sowStore.js';
import { SowKeyError } from '../sowStore.js';
import type { Subscription } from '../subscription.js';
import { coversTopic, passesFilter } from '../subscription.js';
import type { TopicInfo } from '../topics.js';
import { checkSequence, persistedAck } from './sequence.js';

const ONE_FORM = 'sow_delete command only supports one of: filter, sow_keys, bookmark, or data';

export function handleSowDelete(ctx: CommandContext): void {
  const { broker, fields, session } = ctx;
  const topic = fields.topic;
  if (topic === undefined || topic === '') {
    fail(ctx, 'invalid topic');
    return;
  }
  const hasFilter = fields.filter !== undefined && fields.filter.trim() !== '';
  const hasKeys = fields.sowKeys !== undefined && fields.sowKeys !== '';
  const hasData = ctx.payload.length > 0;
  const hasBookmark = fields.bookmark !== undefined && fields.bookmark !== '';
  const forms = Number(hasFilter) + Number(hasKeys) + Number(hasData) + Number(hasBookmark);
  if (forms > 1) {
    fail(ctx, ONE_FORM);
    return;
  }
  if (forms === 0) {
    fail(ctx, 'no filter or bookmark');
    return;
  }
  let options;
  try {
    options = parseOptions(fields.options);
  } catch {
    fail(ctx, 'invalid options');
    return;
  }
  const seq = checkSequence(ctx);
  if (seq === 'duplicate') return;
  if (seq === 'invalid') {
    fail(ctx, 'invalid options');
    return;
  }
  if (seq !== undefined && session.clientName !== undefined) broker.sequences.set(session.clientName, seq);
  let filter: CompiledFilter | undefined;
  if (hasFilter) {
    try {
      filter = compileContentFilter(fields.filter as string);
    } catch (e) {
      if (e instanceof FilterCompileError) {
        fail(ctx, e.reason);
        return;
      }
      throw e;
    }
  }
  const pattern = readTopicPattern(topic, options);
  if (!pattern.ok) {
    fail(ctx, pattern.reason);
    return;
  }
  const targets: TopicInfo[] = [];
  if (pattern.regex) {
    const probe = { regex: true, topic } as Subscription;
    for (const info of broker.topics.all())
      if ((info.sow || info.queue) && coversTopic(probe, info.name)) targets.push(info);
  } else {
    const info = broker.topics.get(topic);
    if (!info.sow && !info.queue) {
      fail(ctx, 'invalid topic');
      return;
    }
    targets.push(info);
  }
  let deleted = 0;
  let matches = 0;
  let topicMatches = 0;
  for (const info of targets) {
    if (info.queue) {
      const q = info.queue;
      topicMatches += q.entries.size;
      let n: number;
      if (hasBookmark) {
        const mode: QueueAckMode = options.has('cancel')
          ? 'cancel'
          : options.has('expire')
            ? 'expire'
            : 'ack';
        n = q.acknowledge(
          (fields.bookmark as string).split(',').map((b) => b.trim()),
          mode,
        );
      } else if (hasKeys) {
        const keys = new Set((fields.sowKeys as string).split(','));
        n = q.acknowledgeWhere((e) => e.key !== undefined && keys.has(e.key));
      } else if (filter) {
        const f = filter;
        n = q.acknowledgeWhere((e) => passesFilter({ filter: f }, e.json));
      } else {
        n = 0;
      }
      matches += n;
      deleted += n;
      continue;
    }
    const sow = info.sow;
    if (!sow) continue;
    if (hasBookmark) {
      fail(ctx, 'invalid topic');
      return;
    }
    topicMatches += sow.size;
    const victims: SowRecord[] = [];
    if (filter) {
      for (const r of sow.records.values()) if (passesFilter({ filter }, r.json)) victims.push(r);
    } else if (hasKeys) {
      for (const k of (fields.sowKeys as string).split(',')) {
        const r = sow.get(k.trim());
        if (r) victims.push(r);
      }
    } else {
      const json = sow.keyPaths.length > 0 ? parsePayload(info.messageType, ctx.payload) : undefined;
      try {
        const r = sow.get(sow.keyOf(json, fields.sowKey));
        if (r) victims.push(r);
      } catch (e) {
        if (e instanceof SowKeyError) {
          fail(ctx, e.reason);
          return;
        }
        throw e;
      }
    }
    matches += victims.length;
    deleted += victims.length;
    broker.removeRecords(info, victims, 'deleted');
  }
  const s = seq === undefined ? {} : { sequence: seq.toString() };
  ack(ctx, 'processed', 'success', s);
  ack(ctx, 'completed', 'success', s);
  ack(ctx, 'stats', 'success', {
    recordsDeleted: String(deleted),
    matches: String(matches),
    topicMatches: String(topicMatches),
  });
  persistedAck(ctx, seq);
}
