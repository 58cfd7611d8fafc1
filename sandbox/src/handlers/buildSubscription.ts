/** Turns a subscribe-family command into a {@link Subscription} (spec §4.2, §4.6, §4.7, §4.9). */
import type { CommandContext } from '../context.js';
import { compileContentFilter, FilterCompileError, readTopicPattern } from '../filter.js';
import type { OptionMap } from '../options.js';
import { intOption, parseInterval, parseOptions } from '../options.js';
import { parseSelect, SelectError } from '../select.js';
import type { Subscription } from '../subscription.js';

/** A subscription ready to register, or the AMPS failure reason. */
export type BuildResult =
  { ok: true; sub: Subscription; options: OptionMap } | { ok: false; reason: string; detail: string };

/** Parses topic, filter and options of a subscribe / delta_subscribe / sow_and_* command. */
export function buildSubscription(ctx: CommandContext, delta: boolean): BuildResult {
  const { fields } = ctx;
  const topic = fields.topic;
  if (topic === undefined || topic === '') return { ok: false, reason: 'invalid topic', detail: 'no topic' };
  let options: OptionMap;
  try {
    options = parseOptions(fields.options);
  } catch (e) {
    return { ok: false, reason: 'invalid options', detail: (e as Error).message };
  }
  const subId = fields.subId ?? fields.commandId;
  if (subId === undefined || subId === '' || subId.includes(',')) {
    return { ok: false, reason: 'invalid subid', detail: `subscription id "${subId ?? ''}"` };
  }
  const pattern = readTopicPattern(topic, options);
  if (!pattern.ok) return pattern;
  const regex = pattern.regex;
  const sub: Subscription = {
    session: ctx.session,
    subId,
    topic,
    regex,
    delta,
    oof: options.has('oof'),
    noEmpties: options.has('no_empties'),
    timestamp: options.has('timestamp'),
    noSowkey: options.has('no_sowkey'),
    withBookmark: options.has('bookmark'),
    bookmarkReplay: false,
    persistedAcks: false,
    paused: options.has('pause'),
    conflationMs: 0,
  };
  if (fields.filter !== undefined && fields.filter.trim() !== '') {
    try {
      const filterText = fields.filter;
      sub.filter = compileContentFilter(filterText, (e) =>
        ctx.broker.log(
          'warn',
          `filter ${JSON.stringify(filterText)} of ${ctx.session.label} failed on a message: ${e.message}`,
        ),
      );
      sub.filterText = fields.filter;
    } catch (e) {
      if (e instanceof FilterCompileError) return { ok: false, reason: e.reason, detail: e.message };
      throw e;
    }
  }
  const select = options.get('select');
  if (select !== undefined) {
    try {
      sub.select = parseSelect(select);
    } catch (e) {
      if (e instanceof SelectError) return { ok: false, reason: e.reason, detail: e.message };
      throw e;
    }
  }
  const conflation = options.get('conflation');
  if (conflation !== undefined && conflation !== 'none') {
    const ms = conflation === 'auto' ? 100 : parseInterval(conflation);
    if (ms === undefined) return { ok: false, reason: 'invalid options', detail: `conflation=${conflation}` };
    sub.conflationMs = ms;
    const keys = options.get('conflation_key');
    if (keys !== undefined) {
      const list = keys
        .replace(/^\[|\]$/g, '')
        .split(',')
        .map((k) => k.trim())
        .filter((k) => k !== '');
      if (list.length === 0 || !list.every((k) => k.startsWith('/'))) {
        return { ok: false, reason: 'invalid options', detail: `conflation_key=${keys}` };
      }
      sub.conflationKeys = list;
    }
  }
  try {
    intOption(options, 'max_backlog');
    intOption(options, 'top_n');
    intOption(options, 'skip_n');
  } catch (e) {
    return { ok: false, reason: 'invalid options', detail: (e as Error).message };
  }
  return { ok: true, sub, options };
}
