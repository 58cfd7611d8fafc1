/**
 * Turns a {@link SowQuerySpec} into the AMPS command it places (sow, sow_and_subscribe or
 * sow_and_delta_subscribe), and a server's refusal into an error that names the part of the
 * query it is about.
 */
import { Command } from '../../../../client/src/protocol/command.js';
import type { SowMode, SowQuerySpec } from '../../../../common/src/dto/sow.js';
import { ExplorerError, serializeError } from '../../../../common/src/ipc/errors.js';

/** Default records per `sow` frame: fewer frames than the client's 10 for big results. */
export const DEFAULT_SOW_BATCH = 100;

const COMMAND_OF: Record<SowMode, 'sow' | 'sow_and_subscribe' | 'sow_and_delta_subscribe'> = {
  query: 'sow',
  live: 'sow_and_subscribe',
  live_delta: 'sow_and_delta_subscribe',
};

/**
 * `/a, /b/c` → `[-/,+/a,+/b/c]`: AMPS's select list that keeps only the given fields.
 * @throws ExplorerError naming `select` for a field that is not an XPath-like `/path`
 */
export function selectOption(select: string): string | undefined {
  const fields = select
    .split(',')
    .map((f) => f.trim())
    .filter((f) => f !== '');
  if (fields.length === 0) return undefined;
  for (const f of fields) {
    if (!/^\/[^\s,[\]]+$/.test(f)) {
      throw new ExplorerError({
        name: 'InvalidSelectError',
        message: `select: "${f}" is not a field path such as /id or /customer/name`,
        code: 'invalid-select',
      });
    }
  }
  return `select=[-/,${fields.map((f) => `+${f}`).join(',')}]`;
}

/**
 * `grouping=[…]` and `projection=[…]` of an aggregated query (AMPS needs both).
 * @throws ExplorerError naming `grouping` or `projection` when only one is given
 */
export function aggregateOptions(spec: Pick<SowQuerySpec, 'grouping' | 'projection'>): string[] {
  const grouping = spec.grouping?.trim() ?? '';
  const projection = spec.projection?.trim() ?? '';
  if (grouping === '' && projection === '') return [];
  if (grouping === '' || projection === '') {
    throw new ExplorerError({
      name: 'InvalidAggregateError',
      message: `${grouping === '' ? 'grouping' : 'projection'}: an aggregated query needs both grouping and projection`,
      code: 'invalid-aggregate',
    });
  }
  return [`grouping=[${grouping}]`, `projection=[${projection}]`];
}

/** The options text (`o`) of a view's command. */
export function optionsText(spec: SowQuerySpec, extra: readonly string[] = []): string {
  const parts: string[] = [];
  const live = spec.mode !== 'query';
  if (live && spec.oof !== false) parts.push('oof');
  if (spec.mode === 'live_delta' && spec.noEmpties === true) parts.push('no_empties');
  if (live && spec.conflation !== undefined) parts.push(`conflation=${spec.conflation}`);
  if (spec.skipN !== undefined && spec.skipN > 0) parts.push(`skip_n=${spec.skipN}`);
  if (spec.select !== undefined) {
    const select = selectOption(spec.select);
    if (select !== undefined) parts.push(select);
  }
  parts.push(...aggregateOptions(spec));
  parts.push(...extra);
  return parts.join(',');
}

/** The command a view places, asking for the stats ack (the total) and the completed ack. */
export function buildSowCommand(spec: SowQuerySpec, subId?: string, replace = false): Command {
  const cmd = new Command(COMMAND_OF[spec.mode]).setTopic(spec.topic);
  if (spec.filter !== undefined && spec.filter.trim() !== '') cmd.setFilter(spec.filter);
  cmd.setBatchSize(spec.batchSize ?? DEFAULT_SOW_BATCH);
  if (spec.topN !== undefined) cmd.setTopN(spec.topN);
  if (spec.orderBy !== undefined && spec.orderBy.trim() !== '') cmd.setOrderBy(spec.orderBy);
  if (spec.bookmark !== undefined && spec.bookmark !== '') cmd.setBookmark(spec.bookmark);
  if (subId !== undefined) cmd.setSubId(subId);
  const options = optionsText(spec, replace ? ['replace'] : []);
  if (options !== '') cmd.setOptions(options);
  cmd.setAckType('completed,stats');
  return cmd;
}

/** Client error names → the part of the query the server refused. */
const PART_OF: Readonly<Record<string, string>> = {
  BadFilterError: 'filter',
  InvalidTopicError: 'topic',
  BadRegexTopicError: 'topic',
  InvalidOrderByError: 'order_by',
  InvalidOptionsError: 'options (select, top_n, skip_n, conflation, grouping, projection)',
  InvalidBookmarkError: 'as-of bookmark',
  InvalidSubIdError: 'subscription id',
  SubidInUseError: 'subscription id',
};

/** The part of a query a server error is about, or undefined when it names none. */
export function partOfQuery(error: unknown): string | undefined {
  return error instanceof Error ? PART_OF[error.name] : undefined;
}

/** Rewrites a client error so its message starts with the part of the query it names. */
export function queryError(error: unknown, topic: string): ExplorerError {
  const s = serializeError(error);
  const part = partOfQuery(error);
  if (error instanceof Error && error.name === 'InvalidTopicError') {
    return notSowTopic(topic, error);
  }
  return new ExplorerError({
    name: s.name,
    message: part === undefined ? s.message : `${part}: the server refused the query: ${s.message}`,
    code: s.code,
    retriable: s.retriable,
    cause: error,
  });
}

/** The error for a SOW query on a topic the server keeps no SOW for. */
export function notSowTopic(topic: string, cause?: unknown): ExplorerError {
  return new ExplorerError({
    name: 'NotSowTopicError',
    message: `topic: "${topic}" is not a SOW topic (the server keeps no State of the World for it)`,
    code: 'not-sow-topic',
    ...(cause === undefined ? {} : { cause }),
  });
}
