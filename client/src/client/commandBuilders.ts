/**
 * Builds the commands behind the convenience methods of Client and HAClient (subscribe,
 * bookmark subscribe, sow, sow-and-subscribe, sow_delete, publish), so both send exactly the
 * same commands and the HA subscription manager can keep and re-send them.
 */
import type {
  BookmarkSubscribeOptions,
  PublishOptions,
  SowAndSubscribeOptions,
  SowDeleteOptions,
  SubscribeOptions,
} from '../client.js';
import { UsageError } from '../errors.js';
import { Command, type CommandName } from '../protocol/command.js';
import type { HeaderFields } from '../protocol/fields.js';
import { MessageOptions, optionsText } from '../protocol/options.js';

function requireTopic(command: string, topic: string): string {
  if (typeof topic !== 'string' || topic === '')
    throw new UsageError(`${command} needs a topic`, { code: 'invalid argument' });
  return topic;
}

/** A `subscribe` / `delta_subscribe` command. @throws UsageError for an empty topic */
export function subscribeCommand(
  name: 'subscribe' | 'delta_subscribe',
  topic: string,
  filter: string | undefined,
  options: SubscribeOptions,
): Command {
  const cmd = new Command(name).setTopic(requireTopic(name, topic));
  if (filter !== undefined && filter !== '') cmd.setFilter(filter);
  if (options.subId !== undefined) cmd.setSubId(options.subId);
  if (options.options !== undefined) cmd.setOptions(options.options);
  if (options.timeoutMs !== undefined) cmd.setTimeout(options.timeoutMs);
  return cmd;
}

/** A bookmark `subscribe` command. @throws UsageError for an empty topic or bookmark */
export function bookmarkSubscribeCommand(
  topic: string,
  bookmark: string,
  filter: string | undefined,
  options: BookmarkSubscribeOptions,
): Command {
  if (typeof bookmark !== 'string' || bookmark.trim() === '')
    throw new UsageError('bookmarkSubscribe needs a bookmark', { code: 'invalid argument' });
  const cmd = subscribeCommand('subscribe', topic, filter, options).setBookmark(bookmark.trim());
  if (options.topN !== undefined) cmd.setTopN(options.topN);
  return cmd;
}

/** A `sow`, `sow_and_subscribe` or `sow_and_delta_subscribe` command. @throws UsageError for an empty topic */
export function queryCommand(
  name: Extract<CommandName, 'sow' | 'sow_and_subscribe' | 'sow_and_delta_subscribe'>,
  topic: string,
  filter: string | undefined,
  options: SowAndSubscribeOptions,
): Command {
  const cmd = new Command(name).setTopic(requireTopic(name, topic));
  if (filter !== undefined && filter !== '') cmd.setFilter(filter);
  cmd.setBatchSize(options.batchSize ?? 10);
  if (options.topN !== undefined) cmd.setTopN(options.topN);
  if (options.orderBy !== undefined) cmd.setOrderBy(options.orderBy);
  if (options.bookmark !== undefined) cmd.setBookmark(options.bookmark);
  if (options.queryId !== undefined) cmd.setQueryId(options.queryId);
  if (options.subId !== undefined) cmd.setSubId(options.subId);
  const opts = MessageOptions.parse(optionsText(options.options) ?? '');
  if (options.oof) opts.oof();
  if (options.sendEmpties === false) opts.noEmpties();
  if (!opts.isEmpty) cmd.setOptions(opts);
  if (options.timeoutMs !== undefined) cmd.setTimeout(options.timeoutMs);
  return cmd;
}

/** A `sow_delete` asking for the processed and stats acks; the caller adds filter, keys or data. */
export function sowDeleteCommand(topic: string, options: SowDeleteOptions): Command {
  const cmd = new Command('sow_delete')
    .setTopic(requireTopic('sow_delete', topic))
    .setAckType('processed,stats');
  if (options.options !== undefined) cmd.setOptions(options.options);
  if (options.timeoutMs !== undefined) cmd.setTimeout(options.timeoutMs);
  return cmd;
}

/**
 * The header and payload of a publish, as the Client sends it (before the publish store
 * adds `s` and `a=persisted`).
 * @throws UsageError for an empty topic or a bad expiration
 */
export function publishFields(
  command: 'publish' | 'delta_publish',
  topic: string,
  data: string | Uint8Array,
  options: PublishOptions,
): { fields: HeaderFields; payload: Buffer } {
  return { fields: publishHeader(command, topic, options), payload: payloadBytes(data) };
}

/**
 * The header of a publish (`c`, `t`, `e`, `x`, `k`).
 * @throws UsageError for an empty topic or a bad expiration
 */
export function publishHeader(
  command: 'publish' | 'delta_publish',
  topic: string,
  options: PublishOptions,
): HeaderFields {
  const fields: HeaderFields = { command, topic: requireTopic(command, topic) };
  if (options.expiration !== undefined) {
    if (!Number.isSafeInteger(options.expiration) || options.expiration < 0)
      throw new UsageError(`expiration must be a non-negative integer, got ${options.expiration}`, {
        code: 'invalid argument',
      });
    fields.expiration = String(options.expiration);
  }
  if (options.correlationId !== undefined) fields.correlationId = options.correlationId;
  if (options.sowKey !== undefined) fields.sowKey = options.sowKey;
  return fields;
}

/** A payload as bytes (a Uint8Array is viewed, not copied). */
export function payloadBytes(data: string | Uint8Array): Buffer {
  return typeof data === 'string'
    ? Buffer.from(data, 'utf8')
    : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}
