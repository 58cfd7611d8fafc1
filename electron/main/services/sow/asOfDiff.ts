/**
 * "As of" compare: a topic's SOW as of T1 and as of T2, each read by a historical `sow` query
 * (the `bookmark` header holds a bookmark or a timestamp), matched by SowKey into the records
 * added, removed and changed between them. Bounded: at most a set number of records of each
 * point are read (the compare says so when it stops there), and at most a set number of the
 * differing records are listed (all are counted).
 */
import {
  SOW_AS_OF_DIFF_MAX_CHANGES,
  SOW_AS_OF_DIFF_MAX_RECORDS,
} from '../../../../common/src/dto/sowAsOf.js';
import type {
  SowAsOfDiff,
  SowAsOfDiffRequest,
  SowAsOfRecordChange,
} from '../../../../common/src/dto/sowAsOf.js';
import { ExplorerError } from '../../../../common/src/ipc/errors.js';
import type { AmpsCommandStream, AmpsConnectionLike } from '../ampsAdapter.js';
import { buildSowCommand, queryError } from './sowCommand.js';

/** Limits of one compare. */
export interface AsOfDiffLimits {
  /** Records read per point in time. */
  maxRecords?: number;
  /** Differing records listed. */
  maxChanges?: number;
  /** Longest each query may take, ms (default 15 000). */
  timeoutMs?: number;
}

type Executor = AmpsConnectionLike & Required<Pick<AmpsConnectionLike, 'execute'>>;

/** The records of a historical query, by SowKey, and whether the bound stopped the read. */
interface Snapshot {
  records: Map<string, string>;
  capped: boolean;
}

function noHistory(topic: string, cause: unknown): ExplorerError {
  return new ExplorerError({
    name: 'NoHistoryError',
    message: `topic: "${topic}" is not a SOW topic kept in the transaction log, so the server cannot answer a query as of a past time`,
    code: 'no-history',
    cause,
  });
}

/** Reads the SOW of `request.topic` as of `point` (at most `max` records). */
async function snapshotAt(
  client: Executor,
  request: SowAsOfDiffRequest,
  point: string,
  max: number,
  timeoutMs: number,
): Promise<Snapshot> {
  // One record past the bound tells whether the bound cut the result.
  const spec = {
    connectionId: request.connectionId,
    topic: request.topic,
    mode: 'query' as const,
    bookmark: point,
    topN: max + 1,
    batchSize: 500,
    ...(request.filter !== undefined && request.filter.trim() !== '' ? { filter: request.filter } : {}),
  };
  let command: AmpsCommandStream;
  try {
    command = await client.execute(buildSowCommand(spec));
  } catch (error) {
    if (error instanceof Error && error.name === 'InvalidTopicError') throw noHistory(request.topic, error);
    throw queryError(error, request.topic);
  }
  const records = new Map<string, string>();
  let capped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  const read = new Promise<'done'>((resolve, reject) => {
    command.stream
      .drain((message) => {
        if (message.command === 'sow') {
          const key = message.fields.sowKey;
          if (key === undefined) return;
          if (records.size >= max && !records.has(key)) capped = true;
          else records.set(key, message.text);
        } else if (message.command === 'ack' && message.ackType === 'completed') resolve('done');
      })
      .then(() => resolve('done'))
      .catch((error: unknown) => reject(queryError(error, request.topic)));
  });
  try {
    if ((await Promise.race([read, timedOut])) === 'timeout') {
      throw new ExplorerError({
        name: 'TimeoutError',
        message: `the query of ${request.topic} as of ${point} did not end within ${Math.round(timeoutMs / 1000)} s`,
        code: 'timeout',
        retriable: true,
      });
    }
  } finally {
    clearTimeout(timer);
    await command.stop().catch(() => undefined);
  }
  return { records, capped };
}

const ORDER: Record<SowAsOfRecordChange['kind'], number> = { added: 0, removed: 1, changed: 2 };

/** What differs between two snapshots keyed by SowKey (pure). */
export function diffSnapshots(
  before: ReadonlyMap<string, string>,
  after: ReadonlyMap<string, string>,
  maxChanges = SOW_AS_OF_DIFF_MAX_CHANGES,
): Omit<SowAsOfDiff, 'recordLimit'> {
  const all: SowAsOfRecordChange[] = [];
  let added = 0;
  let removed = 0;
  let changed = 0;
  let unchanged = 0;
  for (const [key, data] of after) {
    const old = before.get(key);
    if (old === undefined) {
      added++;
      all.push({ key, kind: 'added', after: data });
    } else if (old !== data) {
      changed++;
      all.push({ key, kind: 'changed', before: old, after: data });
    } else unchanged++;
  }
  for (const [key, data] of before) {
    if (!after.has(key)) {
      removed++;
      all.push({ key, kind: 'removed', before: data });
    }
  }
  all.sort((a, b) => ORDER[a.kind] - ORDER[b.kind] || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return {
    fromRecords: before.size,
    toRecords: after.size,
    added,
    removed,
    changed,
    unchanged,
    changes: all.slice(0, maxChanges),
    changesTruncated: all.length > maxChanges,
  };
}

/**
 * Compares the SOW of a topic as of `request.from` and as of `request.to`.
 * @throws ExplorerError `no-history` when the topic is not in the transaction log, naming the
 *   part of the query the server refused (filter, as-of bookmark), or `timeout`
 */
export async function asOfDiff(
  client: Executor,
  request: SowAsOfDiffRequest,
  limits: AsOfDiffLimits = {},
): Promise<SowAsOfDiff> {
  const max = Math.min(SOW_AS_OF_DIFF_MAX_RECORDS, limits.maxRecords ?? SOW_AS_OF_DIFF_MAX_RECORDS);
  const timeoutMs = limits.timeoutMs ?? 15_000;
  const from = await snapshotAt(client, request, request.from, max, timeoutMs);
  const to = await snapshotAt(client, request, request.to, max, timeoutMs);
  const diff: SowAsOfDiff = diffSnapshots(from.records, to.records, limits.maxChanges);
  if (from.capped || to.capped) diff.recordLimit = max;
  return diff;
}

/** The compare on a connection the owner holds. */
export async function asOfDiffFor(
  connections: { client(connectionId: string, ownerId: string): AmpsConnectionLike },
  request: SowAsOfDiffRequest,
  ownerId: string,
  limits?: AsOfDiffLimits,
): Promise<SowAsOfDiff> {
  const client = connections.client(request.connectionId, ownerId);
  if (client.execute === undefined) {
    throw new ExplorerError({
      name: 'UnsupportedError',
      message: 'this connection cannot run a historical SOW query (its client has no raw command support)',
      code: 'unsupported',
    });
  }
  return asOfDiff(client as Executor, request, limits);
}
