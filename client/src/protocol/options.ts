/**
 * The `o` (options) header builder (spec §4.2): the seed's `Message.Options`. Options are a
 * comma-separated list; values that may contain commas are written in brackets
 * (`conflation_key=[/a,/b]`, `select=[-/,+/id]`).
 */
import { UsageError } from '../errors.js';

const INTERVAL = /^(?:\d+(?:\.\d+)?(?:ns|us|ms|s|m|h|d)?)$/;

function fail(option: string, value: unknown, expected: string): never {
  throw new UsageError(`option ${option}: ${JSON.stringify(value)} is not ${expected}`, {
    code: 'invalid options',
  });
}

function count(option: string, value: number): string {
  if (!Number.isSafeInteger(value) || value < 0) fail(option, value, 'a non-negative integer');
  return String(value);
}

function interval(option: string, value: string, extra: readonly string[] = []): string {
  const v = value.trim();
  if (!INTERVAL.test(v) && !extra.includes(v)) {
    fail(
      option,
      value,
      `an interval such as 250ms, 1s or 5m${extra.length ? ` or one of ${extra.join(', ')}` : ''}`,
    );
  }
  return v;
}

/** Writes a list value in brackets; a string already in brackets is kept, a bare string is bracketed. */
function bracketed(option: string, value: string | readonly string[]): string {
  const items = typeof value === 'string' ? [value] : value;
  if (items.length === 0) fail(option, value, 'a non-empty list');
  const joined = items.map((s) => s.trim()).join(',');
  if (joined === '') fail(option, value, 'a non-empty list');
  if (joined.startsWith('[') && joined.endsWith(']')) return joined;
  if (/[[\]]/.test(joined)) fail(option, value, 'a list without unbalanced brackets');
  return `[${joined}]`;
}

/**
 * Builds an options string. Each method appends one option and returns `this`; `toString()`
 * gives the `o` header value. Setting an option again replaces its earlier value.
 *
 * @example new MessageOptions().oof().conflation('5s').toString() // "oof,conflation=5s"
 */
export class MessageOptions {
  private readonly items = new Map<string, string | undefined>();

  /** Starts from an existing options string (items are kept verbatim). */
  static parse(text: string): MessageOptions {
    const out = new MessageOptions();
    for (const item of splitOptions(text)) {
      const eq = item.indexOf('=');
      if (eq < 0) out.items.set(item, undefined);
      else out.items.set(item.slice(0, eq), item.slice(eq + 1));
    }
    return out;
  }

  private flag(name: string): this {
    this.items.set(name, undefined);
    return this;
  }

  private value(name: string, value: string): this {
    this.items.set(name, value);
    return this;
  }

  /** Clears every option (the seed's `set_none`). */
  none(): this {
    this.items.clear();
    return this;
  }
  /** Send `oof` messages when records leave the result set. */
  oof(): this {
    return this.flag('oof');
  }
  /** Replace the filter/options of an existing subscription. */
  replace(): this {
    return this.flag('replace');
  }
  /** Bookmark subscription: deliver before persistence. */
  live(): this {
    return this.flag('live');
  }
  /** Bookmark subscription: deliver only after synchronous replication. */
  fullyDurable(): this {
    return this.flag('fully_durable');
  }
  /** Suppress deliveries with empty payload (e.g. deltas without changes). */
  noEmpties(): this {
    return this.flag('no_empties');
  }
  /** Include the SOW key fields in delta messages. */
  sendKeys(): this {
    return this.flag('send_keys');
  }
  /** Do not send the AMPS-generated `k` header. */
  noSowKey(): this {
    return this.flag('no_sowkey');
  }
  /** Add `ts` to each delivery. */
  timestamp(): this {
    return this.flag('timestamp');
  }
  /** Attach `bm` to each delivery of a non-bookmark subscription. */
  bookmark(): this {
    return this.flag('bookmark');
  }
  /** Pause the subscriptions named in `sub_id` (bookmark replay). */
  pause(): this {
    return this.flag('pause');
  }
  /** Resume the subscriptions named in `sub_id` (bookmark replay). */
  resume(): this {
    return this.flag('resume');
  }
  /** Queue acknowledgement: return the message to the queue. */
  cancel(): this {
    return this.flag('cancel');
  }
  /** Queue acknowledgement: expire the message now. */
  expire(): this {
    return this.flag('expire');
  }
  /** Treat the topic literally even if it has regex characters. */
  nonRegexTopic(): this {
    return this.flag('non_regex_topic');
  }
  /** Logon: human-readable rendering of binary message types. */
  pretty(): this {
    return this.flag('pretty');
  }
  /** Conflation interval (`250ms`, `1s`), `auto` or `none`. */
  conflation(value: string): this {
    return this.value('conflation', interval('conflation', value, ['auto', 'none']));
  }
  /** Key fields for conflation, e.g. `['/a', '/b']`. */
  conflationKey(value: string | readonly string[]): this {
    return this.value('conflation_key', bracketed('conflation_key', value));
  }
  /** Logon: conflation interval of persisted acks. */
  ackConflation(value: string): this {
    return this.value('ack_conflation', interval('ack_conflation', value));
  }
  /** Queue subscription: unacknowledged messages the client accepts. */
  maxBacklog(value: number): this {
    return this.value('max_backlog', count('max_backlog', value));
  }
  /** At most `value` records (same as the `top_n` header). */
  topN(value: number): this {
    return this.value('top_n', count('top_n', value));
  }
  /** Skip `value` records (pagination; with `top_n`). */
  skipN(value: number): this {
    return this.value('skip_n', count('skip_n', value));
  }
  /** Replay rate: messages/s (`1000`), bytes/s (`500KB`) or a multiple (`2X`). */
  rate(value: string): this {
    const v = value.trim();
    if (!/^(?:\d+(?:\.\d+)?|\.\d+)(?:KB|MB|GB|X)?$/i.test(v))
      fail('rate', value, 'a rate such as 1000, 500KB or 2X');
    return this.value('rate', v);
  }
  /** Longest wait between replayed messages under `rate`. */
  rateMaxGap(value: string): this {
    return this.value('rate_max_gap', interval('rate_max_gap', value));
  }
  /** What to do when no listed bookmark is found. */
  bookmarkNotFound(value: 'epoch' | 'now' | 'fail'): this {
    if (!['epoch', 'now', 'fail'].includes(value)) fail('bookmark_not_found', value, 'epoch, now or fail');
    return this.value('bookmark_not_found', value);
  }
  /** Group-by fields of an aggregated query or subscription. */
  grouping(value: string | readonly string[]): this {
    return this.value('grouping', bracketed('grouping', value));
  }
  /** Projected fields of an aggregated query or subscription. */
  projection(value: string | readonly string[]): this {
    return this.value('projection', bracketed('projection', value));
  }
  /** Fields to include/exclude, e.g. `['-/', '+/id']`. */
  select(value: string | readonly string[]): this {
    return this.value('select', bracketed('select', value));
  }
  /** Appends a raw option (`name` or `name=value`) not covered by a method. */
  add(option: string): this {
    for (const item of splitOptions(option)) {
      const eq = item.indexOf('=');
      if (eq < 0) this.items.set(item, undefined);
      else this.items.set(item.slice(0, eq), item.slice(eq + 1));
    }
    return this;
  }
  /** True when the option is present. */
  has(name: string): boolean {
    return this.items.has(name);
  }
  /** The value of `name=value` options, undefined for flags and absent options. */
  get(name: string): string | undefined {
    return this.items.get(name);
  }
  /** True when no option is set. */
  get isEmpty(): boolean {
    return this.items.size === 0;
  }
  /** The `o` header value (no trailing comma). */
  toString(): string {
    return [...this.items].map(([k, v]) => (v === undefined ? k : `${k}=${v}`)).join(',');
  }
}

/**
 * Splits an options string at top-level commas (commas inside `[...]` belong to the value).
 * Empty items (from leading/trailing/double commas) are dropped.
 * @throws UsageError when brackets do not balance
 */
export function splitOptions(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '[') depth++;
    else if (ch === ']') {
      depth--;
      if (depth < 0)
        throw new UsageError(`unbalanced "]" at character ${i} of options "${text}"`, {
          code: 'invalid options',
        });
    } else if (ch === ',' && depth === 0) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  if (depth !== 0) throw new UsageError(`unclosed "[" in options "${text}"`, { code: 'invalid options' });
  out.push(text.slice(start));
  return out.map((s) => s.trim()).filter((s) => s !== '');
}

/** Normalises an options argument (string or builder) to the header value; undefined when empty. */
export function optionsText(options: string | MessageOptions | undefined): string | undefined {
  if (options === undefined) return undefined;
  const text = typeof options === 'string' ? splitOptions(options).join(',') : options.toString();
  return text === '' ? undefined : text;
}
