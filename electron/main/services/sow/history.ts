/**
 * The history of one record: a bookmark subscription from EPOCH on its topic, filtered on the
 * record's key fields, read until the server's `completed` ack marks the end of the replay,
 * then stopped. Bounded in versions kept and in time.
 */
import { Command } from '../../../../client/src/protocol/command.js';
import { SOW_HISTORY_MAX_VERSIONS } from '../../../../common/src/dto/sow.js';
import type {
  SowRecordHistory,
  SowRecordHistoryRequest,
  SowRecordVersion,
} from '../../../../common/src/dto/sow.js';
import { ExplorerError } from '../../../../common/src/ipc/errors.js';
import type { AmpsCommandStream, AmpsConnectionLike } from '../ampsAdapter.js';
import { queryError } from './sowCommand.js';

/** Limits of one history read. */
export interface HistoryLimits {
  maxVersions?: number;
  /** Longest the replay may take, ms (default 15 000). */
  timeoutMs?: number;
}

const PUBLISHES = new Set(['p', 'publish', 'delta_publish']);

function notInTxlog(topic: string, cause: unknown): ExplorerError {
  return new ExplorerError({
    name: 'NoHistoryError',
    message: `topic: "${topic}" is not in the transaction log, so the server keeps no history of its records`,
    code: 'no-history',
    cause,
  });
}

/**
 * Reads the past versions of the record `request.filter` selects, oldest first.
 * @throws ExplorerError `no-history` when the topic is not in the transaction log, or naming
 *   the filter the server refused, or `timeout` when the replay does not end in time
 */
export async function recordHistory(
  client: AmpsConnectionLike & Required<Pick<AmpsConnectionLike, 'execute'>>,
  request: SowRecordHistoryRequest,
  limits: HistoryLimits = {},
): Promise<SowRecordHistory> {
  const max = Math.min(SOW_HISTORY_MAX_VERSIONS, limits.maxVersions ?? SOW_HISTORY_MAX_VERSIONS);
  const cmd = new Command('subscribe')
    .setTopic(request.topic)
    .setFilter(request.filter)
    .setBookmark('0')
    .setOptions('timestamp')
    .setAckType('completed');
  let command: AmpsCommandStream;
  try {
    command = await client.execute(cmd);
  } catch (error) {
    if (error instanceof Error && error.name === 'InvalidTopicError') throw notInTxlog(request.topic, error);
    throw queryError(error, request.topic);
  }
  const versions: SowRecordVersion[] = [];
  let truncated = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), limits.timeoutMs ?? 15_000);
  });
  const replayed = new Promise<'done'>((resolve, reject) => {
    command.stream
      .drain((message) => {
        const kind = message.command ?? '';
        if (PUBLISHES.has(kind)) {
          const version: SowRecordVersion = { data: message.text };
          if (message.fields.bookmark !== undefined) version.bookmark = message.fields.bookmark;
          if (message.fields.timestamp !== undefined) version.timestamp = message.fields.timestamp;
          versions.push(version);
          if (versions.length > max) {
            versions.shift();
            truncated = true;
          }
        } else if (kind === 'ack' && message.ackType === 'completed') {
          resolve('done');
        }
      })
      .then(() => resolve('done'))
      .catch((error: unknown) => reject(queryError(error, request.topic)));
  });
  try {
    const outcome = await Promise.race([replayed, timedOut]);
    if (outcome === 'timeout') {
      throw new ExplorerError({
        name: 'TimeoutError',
        message: `the replay of ${request.topic} did not end within ${Math.round((limits.timeoutMs ?? 15_000) / 1000)} s`,
        code: 'timeout',
        retriable: true,
      });
    }
  } finally {
    clearTimeout(timer);
    await command.stop().catch(() => undefined);
  }
  return { versions, truncated };
}

/** The history of a record on a connection the owner holds. */
export async function recordHistoryFor(
  connections: { client(connectionId: string, ownerId: string): AmpsConnectionLike },
  request: SowRecordHistoryRequest,
  ownerId: string,
  limits?: HistoryLimits,
): Promise<SowRecordHistory> {
  const client = connections.client(request.connectionId, ownerId);
  if (client.execute === undefined) {
    throw new ExplorerError({
      name: 'UnsupportedError',
      message: 'this connection cannot replay a record history (its client has no raw command support)',
      code: 'unsupported',
    });
  }
  return recordHistory(
    client as AmpsConnectionLike & Required<Pick<AmpsConnectionLike, 'execute'>>,
    request,
    limits,
  );
}
