/**
 * "Copy as" for any view that places one AMPS command (a SOW query, a subscription, a bookmark
 * replay): the command as a `spark` command line, as TypeScript with our client and as Python
 * with the AMPS Python client, each of which would place the same command. Pure: a
 * {@link CopyCommand} and a connection string in, text out. A password in the connection
 * string is never copied (it is shown as `***`).
 */
import { redactUri } from '../../../client/src/uri/credentials.js';

/** The forms a command can be copied as. */
export const COPY_AS_KINDS = ['spark', 'typescript', 'python'] as const;
export type CopyAsKind = (typeof COPY_AS_KINDS)[number];

/** What a person reads for each form. */
export const COPY_AS_LABELS: Record<CopyAsKind, string> = {
  spark: 'spark command',
  typescript: 'TypeScript (our client)',
  python: 'Python (AMPS client)',
};

/** The AMPS commands a view can be copied as. */
export type CopyCommandName =
  | 'sow'
  | 'sow_and_subscribe'
  | 'sow_and_delta_subscribe'
  | 'subscribe'
  | 'delta_subscribe';

/** One AMPS command with the headers a view sets. */
export interface CopyCommand {
  command: CopyCommandName;
  topic: string;
  filter?: string;
  orderBy?: string;
  topN?: number;
  batchSize?: number;
  /** A bookmark, a timestamp, `0` (EPOCH) or `0|1|` (NOW): replay point or as-of point. */
  bookmark?: string;
  /** The options header (`oof,timestamp,rate=2X`). */
  options?: string;
  /** The acks the code asks for (`completed,stats`); absent = none. */
  ackType?: string;
  /** The client name the code logs on with. */
  clientName: string;
}

const present = (v: string | undefined): v is string => v !== undefined && v.trim() !== '';

/** Quotes a word for a POSIX shell (single quotes; a quote inside becomes '\''). */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** spark's command for each AMPS command, and whether it needs `-delta`. */
const SPARK_OF: Record<CopyCommandName, { command: string; delta: boolean }> = {
  sow: { command: 'sow', delta: false },
  sow_and_subscribe: { command: 'sow_and_subscribe', delta: false },
  sow_and_delta_subscribe: { command: 'sow_and_subscribe', delta: true },
  subscribe: { command: 'subscribe', delta: false },
  delta_subscribe: { command: 'subscribe', delta: true },
};

/**
 * The command as a `spark` command line. What spark cannot carry (the as-of point of a
 * sow_and_subscribe, or a delta bookmark replay) is named on a `#` line above it, never
 * silently dropped.
 */
export function asSpark(cmd: CopyCommand, uri: string): string {
  const spark = SPARK_OF[cmd.command];
  const args: string[] = ['npm', 'run', 'spark', '--', spark.command];
  const add = (flag: string, value: string | number | undefined): void => {
    if (value === undefined || (typeof value === 'string' && value.trim() === '')) return;
    args.push(`-${flag}`, shellQuote(String(value).trim()));
  };
  const notes: string[] = [];
  add('uri', redactUri(uri));
  add('topic', cmd.topic);
  add('filter', cmd.filter);
  add('orderby', cmd.orderBy);
  add('topn', cmd.topN);
  add('batchsize', cmd.batchSize);
  add('opts', cmd.options);
  let delta = spark.delta;
  if (present(cmd.bookmark)) {
    if (spark.command === 'sow_and_subscribe') {
      notes.push(`# spark's sow_and_subscribe takes no -bookmark: the as-of point ${cmd.bookmark} is left out`);
    } else {
      add('bookmark', cmd.bookmark);
      if (delta) {
        notes.push(`# spark replays a bookmark as a plain subscribe: -delta is left out`);
        delta = false;
      }
    }
  }
  if (delta) args.push('-delta');
  return [...notes, args.join(' ')].join('\n');
}

/** The command as TypeScript with our client. */
export function asTypeScript(cmd: CopyCommand, uri: string): string {
  const q = (s: string): string => JSON.stringify(s);
  const setters: string[] = [`.setTopic(${q(cmd.topic)})`];
  if (present(cmd.filter)) setters.push(`.setFilter(${q(cmd.filter.trim())})`);
  if (present(cmd.orderBy)) setters.push(`.setOrderBy(${q(cmd.orderBy.trim())})`);
  if (cmd.topN !== undefined) setters.push(`.setTopN(${cmd.topN})`);
  if (cmd.batchSize !== undefined) setters.push(`.setBatchSize(${cmd.batchSize})`);
  if (present(cmd.bookmark)) setters.push(`.setBookmark(${q(cmd.bookmark.trim())})`);
  if (present(cmd.options)) setters.push(`.setOptions(${q(cmd.options.trim())})`);
  if (present(cmd.ackType)) setters.push(`.setAckType(${q(cmd.ackType)})`);
  const last = setters.length - 1;
  return [
    `import { Client, Command } from './client/src/index.js';`,
    ``,
    `const client = new Client(${q(cmd.clientName)});`,
    `await client.connect(${q(redactUri(uri))});`,
    `await client.logon();`,
    `const command = new Command(${q(cmd.command)})`,
    ...setters.map((s, i) => `  ${s}${i === last ? ';' : ''}`),
    `const stream = await client.execute(command);`,
    `for await (const message of stream) {`,
    `  console.log(message.command, message.fields.sowKey ?? '', message.text);`,
    `}`,
    `await client.close();`,
    ``,
  ].join('\n');
}

/** The command as Python with the AMPS Python client. */
export function asPython(cmd: CopyCommand, uri: string): string {
  const q = (s: string): string => JSON.stringify(s);
  const setters: string[] = [`.set_topic(${q(cmd.topic)})`];
  if (present(cmd.filter)) setters.push(`.set_filter(${q(cmd.filter.trim())})`);
  if (present(cmd.orderBy)) setters.push(`.set_order_by(${q(cmd.orderBy.trim())})`);
  if (cmd.topN !== undefined) setters.push(`.set_top_n(${cmd.topN})`);
  if (cmd.batchSize !== undefined) setters.push(`.set_batch_size(${cmd.batchSize})`);
  if (present(cmd.bookmark)) setters.push(`.set_bookmark(${q(cmd.bookmark.trim())})`);
  if (present(cmd.options)) setters.push(`.set_options(${q(cmd.options.trim())})`);
  return [
    `import AMPS`,
    ``,
    `client = AMPS.Client(${q(cmd.clientName)})`,
    `client.connect(${q(redactUri(uri))})`,
    `client.logon()`,
    `command = AMPS.Command(${q(cmd.command)}) \\`,
    ...setters.map((s, i) => `    ${s}${i === setters.length - 1 ? '' : ' \\'}`),
    `for message in client.execute(command):`,
    `    print(message.get_command(), message.get_sow_key(), message.get_data())`,
    `client.close()`,
    ``,
  ].join('\n');
}

/** The command in the chosen form. */
export function copyCommandAs(kind: CopyAsKind, cmd: CopyCommand, uri: string): string {
  switch (kind) {
    case 'spark':
      return asSpark(cmd, uri);
    case 'typescript':
      return asTypeScript(cmd, uri);
    case 'python':
      return asPython(cmd, uri);
  }
}
