/**
 * Command-line arguments of the spark-compatible CLI: spark's single-dash options
 * (`-server host:port -topic orders -filter "/qty > 5"`), validated into one typed value.
 */
import { redactUri } from '../src/uri/credentials.js';

/** The commands spark offers, plus `ping`. */
export const SPARK_COMMANDS = [
  'publish',
  'subscribe',
  'sow',
  'sow_and_subscribe',
  'sow_delete',
  'ping',
] as const;
export type SparkCommand = (typeof SPARK_COMMANDS)[number];

/** Output format: the payload alone (spark's default) or one JSON object per message. */
export type OutputFormat = 'payload' | 'json';

/** Parsed and validated CLI arguments. */
export interface SparkArgs {
  command: SparkCommand;
  /** Connection strings; more than one means an HA connection. */
  uris: string[];
  topic?: string;
  filter?: string;
  messageType: string;
  orderBy?: string;
  topN?: number;
  batchSize?: number;
  file?: string;
  /** Publish rate in messages per second (publish only). */
  rate?: number;
  delta: boolean;
  bookmark?: string;
  /** sow_delete by SOW keys, comma-separated. */
  keys?: string;
  /** Extra subscribe options (`oof,timestamp`). */
  options?: string;
  format: OutputFormat;
  /** Stop after this many messages (subscribe, sow_and_subscribe). */
  count?: number;
  /** Milliseconds to wait for acks, and the idle limit of a bounded run. */
  timeoutMs: number;
  clientName?: string;
  bookmarkStore?: string;
  publishStore?: string;
}

/** A usage error: what was wrong with the command line. */
export class SparkUsageError extends Error {
  override name = 'SparkUsageError';
}

const VALUE_OPTIONS = new Set([
  'server',
  'uri',
  'topic',
  'filter',
  'type',
  'orderby',
  'topn',
  'batchsize',
  'file',
  'rate',
  'bookmark',
  'keys',
  'opts',
  'format',
  'count',
  'timeout',
  'name',
  'bookmark-store',
  'publish-store',
]);
const FLAG_OPTIONS = new Set(['delta']);

const NEEDS_TOPIC: ReadonlySet<SparkCommand> = new Set([
  'publish',
  'subscribe',
  'sow',
  'sow_and_subscribe',
  'sow_delete',
]);

/**
 * Builds a connection string from spark's `-server [user:pw@]host:port`. The credentials end
 * at the last `@` (a password may hold `@` and `:`), as in every connection string.
 */
export function serverToUri(server: string, messageType: string): string {
  if (!/^(?:[^/\s]+@)?(?:\[[0-9a-fA-F:.]+\]|[^:/\s@[\]]+):\d+$/.test(server)) {
    // Never echo a password, even in a usage error.
    const shown = redactUri(`tcp://${server}`).slice('tcp://'.length);
    throw new SparkUsageError(`-server must be [user:password@]host:port, got "${shown}"`);
  }
  return `tcp://${server}/amps/${messageType}`;
}

function positiveInt(name: string, value: string, allowZero = false): number {
  if (!/^\d+$/.test(value) || (!allowZero && Number(value) === 0)) {
    throw new SparkUsageError(
      `-${name} must be a ${allowZero ? 'non-negative' : 'positive'} integer, got "${value}"`,
    );
  }
  return Number(value);
}

/** Parses `argv` (without node and script); throws SparkUsageError naming the problem. */
export function parseSparkArgs(argv: readonly string[]): SparkArgs {
  const [command, ...rest] = argv;
  if (command === undefined)
    throw new SparkUsageError(`missing command: one of ${SPARK_COMMANDS.join(', ')}`);
  if (!(SPARK_COMMANDS as readonly string[]).includes(command)) {
    throw new SparkUsageError(`unknown command "${command}": expected one of ${SPARK_COMMANDS.join(', ')}`);
  }
  const values = new Map<string, string[]>();
  const flags = new Set<string>();
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] as string;
    if (!arg.startsWith('-') || arg === '-') throw new SparkUsageError(`unexpected argument "${arg}"`);
    const name = arg.replace(/^--?/, '');
    if (FLAG_OPTIONS.has(name)) {
      flags.add(name);
      continue;
    }
    if (!VALUE_OPTIONS.has(name)) throw new SparkUsageError(`unknown option "${arg}"`);
    const value = rest[i + 1];
    if (value === undefined) throw new SparkUsageError(`option "${arg}" needs a value`);
    i++;
    values.set(name, [...(values.get(name) ?? []), value]);
  }
  const one = (name: string): string | undefined => {
    const all = values.get(name);
    if (all && all.length > 1) throw new SparkUsageError(`option -${name} given more than once`);
    return all?.[0];
  };

  const messageType = one('type') ?? 'json';
  if (!/^[A-Za-z0-9_-]+$/.test(messageType))
    throw new SparkUsageError(`-type "${messageType}" is not a message type name`);
  const uris = [...(values.get('uri') ?? [])];
  for (const server of values.get('server') ?? []) {
    for (const s of server.split(',')) uris.push(serverToUri(s.trim(), messageType));
  }
  if (uris.length === 0) throw new SparkUsageError('missing -server host:port or -uri URI');

  const format = one('format') ?? 'payload';
  if (format !== 'payload' && format !== 'json') {
    throw new SparkUsageError(`-format must be "json" or "payload", got "${format}"`);
  }
  const spark: SparkArgs = {
    command: command as SparkCommand,
    uris,
    messageType,
    delta: flags.has('delta'),
    format,
    timeoutMs: one('timeout') === undefined ? 10_000 : positiveInt('timeout', one('timeout') as string),
  };
  const set = <K extends keyof SparkArgs>(key: K, value: SparkArgs[K] | undefined): void => {
    if (value !== undefined) spark[key] = value;
  };
  set('topic', one('topic'));
  set('filter', one('filter'));
  set('orderBy', one('orderby'));
  set('file', one('file'));
  set('bookmark', one('bookmark'));
  set('keys', one('keys'));
  set('options', one('opts'));
  set('clientName', one('name'));
  set('bookmarkStore', one('bookmark-store'));
  set('publishStore', one('publish-store'));
  const topn = one('topn');
  if (topn !== undefined) spark.topN = positiveInt('topn', topn);
  const batch = one('batchsize');
  if (batch !== undefined) spark.batchSize = positiveInt('batchsize', batch);
  const count = one('count');
  if (count !== undefined) spark.count = positiveInt('count', count);
  const rate = one('rate');
  if (rate !== undefined) {
    if (!/^\d+(\.\d+)?$/.test(rate) || Number(rate) <= 0)
      throw new SparkUsageError(`-rate must be a positive number, got "${rate}"`);
    spark.rate = Number(rate);
  }

  if (NEEDS_TOPIC.has(spark.command) && spark.topic === undefined) {
    throw new SparkUsageError(`${spark.command} needs -topic`);
  }
  if (spark.command === 'sow_delete') {
    const ways = [spark.filter, spark.keys, spark.file].filter((v) => v !== undefined).length;
    if (ways !== 1) throw new SparkUsageError('sow_delete needs exactly one of -filter, -keys or -file');
  }
  if (spark.rate !== undefined && spark.command !== 'publish') {
    throw new SparkUsageError('-rate applies to publish only');
  }
  if (spark.bookmarkStore !== undefined && spark.command !== 'subscribe') {
    throw new SparkUsageError(`-bookmark-store applies to subscribe only, not ${spark.command}`);
  }
  if (spark.bookmarkStore !== undefined && spark.delta) {
    throw new SparkUsageError('-bookmark-store makes a bookmark subscription, which cannot be -delta');
  }
  if (spark.publishStore !== undefined && spark.command !== 'publish') {
    throw new SparkUsageError(`-publish-store applies to publish only, not ${spark.command}`);
  }
  if (spark.bookmarkStore !== undefined && spark.bookmarkStore === spark.publishStore) {
    throw new SparkUsageError('-bookmark-store and -publish-store must be different files');
  }
  for (const [flag, value] of [
    ['bookmark-store', spark.bookmarkStore],
    ['publish-store', spark.publishStore],
  ]) {
    if (value !== undefined && value.trim() === '')
      throw new SparkUsageError(`-${flag as string} needs a file name`);
  }
  if (spark.delta && !['publish', 'subscribe', 'sow_and_subscribe'].includes(spark.command)) {
    throw new SparkUsageError(`-delta does not apply to ${spark.command}`);
  }
  return spark;
}

/** One-screen usage text. */
export const SPARK_USAGE = `usage: npm run spark -- <command> (-server [user:pw@]host:port[,host2:port2] | -uri URI [-uri URI2]) [options]
commands: publish, subscribe, sow, sow_and_subscribe, sow_delete, ping
options:
  -topic T          topic (regular expressions allowed for subscribe and sow)
  -filter F         content filter, e.g. "/qty > 5"
  -type json        message type used with -server (default json)
  -orderby O        sow ordering, e.g. "/price DESC"
  -topn N           at most N records
  -batchsize N      records per sow batch
  -file F           publish: messages one per line (default stdin); sow_delete: data to delete
  -keys K1,K2       sow_delete by SOW keys
  -rate R           publish at most R messages per second
  -delta            delta_publish / delta_subscribe / sow_and_delta_subscribe
  -bookmark B       subscribe from a bookmark: 0 (EPOCH), 0|1| (NOW), recent, a bookmark or a timestamp
  -opts O           subscription options, e.g. oof,timestamp
  -format json      print one JSON object per message (headers and data) instead of the payload
  -count N          stop after N messages
  -timeout MS       command timeout in milliseconds (default 10000)
  -name NAME        client name (default spark-<pid>-<time>)
  -bookmark-store F subscribe from a file bookmark store: a re-run resumes after the last message
                    printed (-bookmark is the starting point of the first run, default EPOCH)
  -publish-store F  publish through a file publish store: what a previous run left unacknowledged
                    is replayed first (the client name defaults to one derived from F)
With several servers, or a store, the CLI uses the HA client: it fails over between the servers
in order and gives up once an outage lasts -timeout ms.`;
