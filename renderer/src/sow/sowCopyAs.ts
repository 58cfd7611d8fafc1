/**
 * "Copy as" for a SOW view: the query as a `spark` command line, as TypeScript with our client
 * and as Python with the AMPS Python client, each of which would run the same command. Pure:
 * a spec and a connection string in, text out. A password in the connection string is never
 * copied (it is shown as `***`).
 */
import type { SowQuerySpec } from '../../../common/src/dto/sow.js';
import { redactUri } from '../../../client/src/uri/credentials.js';

/** The forms a query can be copied as. */
export const COPY_AS_KINDS = ['spark', 'typescript', 'python'] as const;
export type CopyAsKind = (typeof COPY_AS_KINDS)[number];

/** What a person reads for each form. */
export const COPY_AS_LABELS: Record<CopyAsKind, string> = {
  spark: 'spark command',
  typescript: 'TypeScript (our client)',
  python: 'Python (AMPS client)',
};

const COMMAND_OF: Record<SowQuerySpec['mode'], string> = {
  query: 'sow',
  live: 'sow_and_subscribe',
  live_delta: 'sow_and_delta_subscribe',
};

const present = (v: string | undefined): v is string => v !== undefined && v.trim() !== '';

/** The options (`o`) the view's command carries, as AMPS writes them. */
export function commandOptions(spec: SowQuerySpec): string {
  const parts: string[] = [];
  const live = spec.mode !== 'query';
  if (live && spec.oof !== false) parts.push('oof');
  if (spec.mode === 'live_delta' && spec.noEmpties === true) parts.push('no_empties');
  if (live && present(spec.conflation)) parts.push(`conflation=${spec.conflation.trim()}`);
  if (spec.skipN !== undefined && spec.skipN > 0) parts.push(`skip_n=${spec.skipN}`);
  if (present(spec.select)) {
    const fields = spec.select
      .split(',')
      .map((f) => f.trim())
      .filter((f) => f !== '');
    if (fields.length > 0) parts.push(`select=[-/,${fields.map((f) => `+${f}`).join(',')}]`);
  }
  if (present(spec.grouping) && present(spec.projection)) {
    parts.push(`grouping=[${spec.grouping.trim()}]`, `projection=[${spec.projection.trim()}]`);
  }
  return parts.join(',');
}

/** Quotes a word for a POSIX shell (single quotes; a quote inside becomes '\''). */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The query as a `spark` command line. */
export function asSpark(spec: SowQuerySpec, uri: string): string {
  const args: string[] = ['npm', 'run', 'spark', '--', spec.mode === 'query' ? 'sow' : 'sow_and_subscribe'];
  const add = (flag: string, value: string | number | undefined): void => {
    if (value === undefined || (typeof value === 'string' && value.trim() === '')) return;
    args.push(`-${flag}`, shellQuote(String(value).trim()));
  };
  add('uri', redactUri(uri));
  add('topic', spec.topic);
  add('filter', spec.filter);
  add('orderby', spec.orderBy);
  add('topn', spec.topN);
  add('batchsize', spec.batchSize);
  add('opts', commandOptions(spec));
  if (spec.mode === 'live_delta') args.push('-delta');
  const lines: string[] = [];
  if (present(spec.bookmark)) {
    if (spec.mode === 'query') add('bookmark', spec.bookmark);
    else lines.push(`# spark's sow_and_subscribe takes no -bookmark: the as-of point ${spec.bookmark} is left out`);
  }
  lines.push(args.join(' '));
  return lines.join('\n');
}

/** The query as TypeScript with our client. */
export function asTypeScript(spec: SowQuerySpec, uri: string): string {
  const q = (s: string): string => JSON.stringify(s);
  const setters: string[] = [`.setTopic(${q(spec.topic)})`];
  if (present(spec.filter)) setters.push(`.setFilter(${q(spec.filter.trim())})`);
  if (present(spec.orderBy)) setters.push(`.setOrderBy(${q(spec.orderBy.trim())})`);
  if (spec.topN !== undefined) setters.push(`.setTopN(${spec.topN})`);
  if (spec.batchSize !== undefined) setters.push(`.setBatchSize(${spec.batchSize})`);
  if (present(spec.bookmark)) setters.push(`.setBookmark(${q(spec.bookmark.trim())})`);
  const options = commandOptions(spec);
  if (options !== '') setters.push(`.setOptions(${q(options)})`);
  return [
    `import { Client, Command } from './client/src/index.js';`,
    ``,
    `const client = new Client('sow-query');`,
    `await client.connect(${q(redactUri(uri))});`,
    `await client.logon();`,
    `const command = new Command(${q(COMMAND_OF[spec.mode])})`,
    ...setters.map((s) => `  ${s}`),
    `  .setAckType('completed,stats');`,
    `const stream = await client.execute(command);`,
    `for await (const message of stream) {`,
    `  console.log(message.command, message.fields.sowKey ?? '', message.text);`,
    `}`,
    `await client.close();`,
    ``,
  ].join('\n');
}

/** The query as Python with the AMPS Python client. */
export function asPython(spec: SowQuerySpec, uri: string): string {
  const q = (s: string): string => JSON.stringify(s);
  const setters: string[] = [`.set_topic(${q(spec.topic)})`];
  if (present(spec.filter)) setters.push(`.set_filter(${q(spec.filter.trim())})`);
  if (present(spec.orderBy)) setters.push(`.set_order_by(${q(spec.orderBy.trim())})`);
  if (spec.topN !== undefined) setters.push(`.set_top_n(${spec.topN})`);
  if (spec.batchSize !== undefined) setters.push(`.set_batch_size(${spec.batchSize})`);
  if (present(spec.bookmark)) setters.push(`.set_bookmark(${q(spec.bookmark.trim())})`);
  const options = commandOptions(spec);
  if (options !== '') setters.push(`.set_options(${q(options)})`);
  return [
    `import AMPS`,
    ``,
    `client = AMPS.Client("sow-query")`,
    `client.connect(${q(redactUri(uri))})`,
    `client.logon()`,
    `command = AMPS.Command(${q(COMMAND_OF[spec.mode])}) \\`,
    ...setters.map((s, i) => `    ${s}${i === setters.length - 1 ? '' : ' \\'}`),
    `for message in client.execute(command):`,
    `    print(message.get_command(), message.get_sow_key(), message.get_data())`,
    `client.close()`,
    ``,
  ].join('\n');
}

/** The query in the chosen form. */
export function copyAs(kind: CopyAsKind, spec: SowQuerySpec, uri: string): string {
  switch (kind) {
    case 'spark':
      return asSpark(spec, uri);
    case 'typescript':
      return asTypeScript(spec, uri);
    case 'python':
      return asPython(spec, uri);
  }
}
