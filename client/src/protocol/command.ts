/**
 * The Command builder (the seed's `Command`): every header a client may send, settable with
 * chaining `setXxx` methods. The client adds the defaults of spec §4.1 (command id, sub/query
 * id = command id, batch size 10, ack types) when the command is executed.
 */
import { UsageError } from '../errors.js';
import { formatAckTypes, parseAckTypes, type AckType } from './ack.js';
import type { HeaderFields } from './fields.js';
import { optionsText, type MessageOptions } from './options.js';

/** Commands a client sends (spec Appendix B). */
export const COMMAND_NAMES = [
  'logon',
  'publish',
  'delta_publish',
  'subscribe',
  'delta_subscribe',
  'sow',
  'sow_and_subscribe',
  'sow_and_delta_subscribe',
  'sow_delete',
  'unsubscribe',
  'heartbeat',
  'flush',
  'start_timer',
  'stop_timer',
] as const;

/** One client command name. */
export type CommandName = (typeof COMMAND_NAMES)[number];

const KNOWN: ReadonlySet<string> = new Set(COMMAND_NAMES);

/** Commands that create a subscription (deliveries routed by `sids`). */
export const SUBSCRIBE_COMMANDS: ReadonlySet<string> = new Set([
  'subscribe',
  'delta_subscribe',
  'sow_and_subscribe',
  'sow_and_delta_subscribe',
]);

/** Commands that run a SOW query (results routed by `query_id`). */
export const QUERY_COMMANDS: ReadonlySet<string> = new Set([
  'sow',
  'sow_and_subscribe',
  'sow_and_delta_subscribe',
]);

function nonNegative(name: string, value: number): string {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new UsageError(`${name} must be a non-negative integer, got ${String(value)}`, {
      code: 'invalid argument',
    });
  }
  return String(value);
}

/**
 * A command to send with `Client.execute` / `Client.executeAsync`.
 *
 * @example new Command('sow').setTopic('orders').setFilter('/qty > 5').setBatchSize(100)
 */
export class Command {
  private readonly header: HeaderFields = {};
  private payload: Buffer | undefined;
  private timeout: number | undefined;

  /**
   * @param command the command name; `p` is accepted for `publish`
   * @throws UsageError for an unknown command name
   */
  constructor(command: CommandName | 'p') {
    this.setCommand(command);
  }

  /** Sets the command name. @throws UsageError for an unknown name */
  setCommand(command: string): this {
    const name = command === 'p' ? 'publish' : command;
    if (!KNOWN.has(name)) {
      throw new UsageError(`unknown command "${command}" (expected one of ${COMMAND_NAMES.join(', ')})`, {
        code: 'invalid command',
      });
    }
    this.header.command = name;
    return this;
  }
  /** The command name. */
  get command(): CommandName {
    return this.header.command as CommandName;
  }
  /** Sets `t`. */
  setTopic(topic: string): this {
    this.header.topic = topic;
    return this;
  }
  /** Sets `filter`. */
  setFilter(filter: string): this {
    this.header.filter = filter;
    return this;
  }
  /** Sets `cid`. */
  setCommandId(commandId: string): this {
    this.header.commandId = commandId;
    return this;
  }
  /** Sets `sub_id`. */
  setSubId(subId: string): this {
    this.header.subId = subId;
    return this;
  }
  /** Sets `query_id`. */
  setQueryId(queryId: string): this {
    this.header.queryId = queryId;
    return this;
  }
  /** Sets `o` from a string or a {@link MessageOptions} builder. */
  setOptions(options: string | MessageOptions): this {
    const text = optionsText(options);
    if (text === undefined) delete this.header.options;
    else this.header.options = text;
    return this;
  }
  /** Sets `bookmark` (a bookmark, a comma list, a timestamp or a special value). */
  setBookmark(bookmark: string): this {
    this.header.bookmark = bookmark;
    return this;
  }
  /** Sets `batch_size`. */
  setBatchSize(batchSize: number): this {
    if (batchSize < 1)
      throw new UsageError(`batch size must be at least 1, got ${batchSize}`, { code: 'invalid argument' });
    this.header.batchSize = nonNegative('batch size', batchSize);
    return this;
  }
  /** Sets `top_n`. */
  setTopN(topN: number): this {
    this.header.topN = nonNegative('top_n', topN);
    return this;
  }
  /** Sets `orderby`, e.g. `/price DESC, /id`. */
  setOrderBy(orderBy: string): this {
    this.header.orderBy = orderBy;
    return this;
  }
  /** Sets `k` (explicit SOW key of a publish). */
  setSowKey(sowKey: string): this {
    this.header.sowKey = sowKey;
    return this;
  }
  /** Sets `sow_keys` from a comma list or an array. */
  setSowKeys(sowKeys: string | readonly string[]): this {
    this.header.sowKeys = typeof sowKeys === 'string' ? sowKeys : sowKeys.join(',');
    return this;
  }
  /** Sets `x`. */
  setCorrelationId(correlationId: string): this {
    this.header.correlationId = correlationId;
    return this;
  }
  /** Sets `s` (decimal text or bigint; kept exact). */
  setSequence(sequence: string | bigint | number): this {
    const text = String(sequence);
    if (!/^\d+$/.test(text))
      throw new UsageError(`sequence must be an unsigned integer, got ${text}`, { code: 'invalid argument' });
    this.header.sequence = text;
    return this;
  }
  /** The sequence `s`, if set. */
  getSequence(): string | undefined {
    return this.header.sequence;
  }
  /** Sets `e` (expiration in seconds). */
  setExpiration(seconds: number): this {
    this.header.expiration = nonNegative('expiration', seconds);
    return this;
  }
  /** Sets `client_name` (flush, logon). */
  setClientName(name: string): this {
    this.header.clientName = name;
    return this;
  }
  /** Sets `user_id`. */
  setUserId(userId: string): this {
    this.header.userId = userId;
    return this;
  }
  /** Sets `pw`. */
  setPassword(password: string): this {
    this.header.password = password;
    return this;
  }
  /** Sets `mt`. */
  setMessageType(messageType: string): this {
    this.header.messageType = messageType;
    return this;
  }
  /** Sets `version`. */
  setVersion(version: string): this {
    this.header.version = version;
    return this;
  }
  /** Replaces the requested ack types (`a`). @throws UsageError for an unknown type */
  setAckType(ackTypes: string | Iterable<AckType>): this {
    const set = typeof ackTypes === 'string' ? parseAckTypes(ackTypes) : new Set(ackTypes);
    const text = formatAckTypes(set);
    if (text === undefined) delete this.header.ackType;
    else this.header.ackType = text;
    return this;
  }
  /** Adds ack types to those already requested. */
  addAckType(...ackTypes: AckType[]): this {
    const set = parseAckTypes(this.header.ackType);
    for (const a of parseAckTypes(ackTypes.join(','))) set.add(a);
    return this.setAckType(set);
  }
  /** The requested ack types. */
  getAckTypes(): Set<AckType> {
    return parseAckTypes(this.header.ackType);
  }
  /** Sets the payload (a string is encoded as UTF-8). */
  setData(data: string | Uint8Array): this {
    this.payload =
      typeof data === 'string'
        ? Buffer.from(data, 'utf8')
        : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    return this;
  }
  /** The payload, if any. */
  get data(): Buffer | undefined {
    return this.payload;
  }
  /** Milliseconds `execute` waits for the command's ack; undefined uses the client default. */
  setTimeout(ms: number): this {
    if (!Number.isFinite(ms) || ms < 0)
      throw new UsageError(`timeout must be a non-negative number of ms, got ${ms}`, {
        code: 'invalid argument',
      });
    this.timeout = ms;
    return this;
  }
  /** The timeout set with {@link setTimeout}. */
  getTimeout(): number | undefined {
    return this.timeout;
  }
  /** Sets any header by logical name (for fields without a dedicated setter). */
  setHeader(name: keyof HeaderFields, value: string | undefined): this {
    if (name === 'command') {
      if (value === undefined) throw new UsageError('a command needs a name', { code: 'invalid command' });
      return this.setCommand(value);
    }
    if (value === undefined) delete this.header[name];
    else this.header[name] = value;
    return this;
  }
  /** A copy of the header fields as they stand. */
  get fields(): Readonly<HeaderFields> {
    return { ...this.header };
  }
  /** True for subscribe-family commands. */
  get isSubscribe(): boolean {
    return SUBSCRIBE_COMMANDS.has(this.header.command ?? '');
  }
  /** True for sow-family commands. */
  get isQuery(): boolean {
    return QUERY_COMMANDS.has(this.header.command ?? '');
  }
  /** Clears every header except the command name, the payload and the timeout (the seed's `reset`). */
  reset(command?: CommandName): this {
    const name = command ?? this.command;
    for (const key of Object.keys(this.header) as (keyof HeaderFields)[]) delete this.header[key];
    this.payload = undefined;
    this.timeout = undefined;
    return this.setCommand(name);
  }
  /** An independent copy. */
  clone(): Command {
    const c = new Command(this.command);
    Object.assign(c.header, this.header);
    c.payload = this.payload;
    c.timeout = this.timeout;
    return c;
  }
}
