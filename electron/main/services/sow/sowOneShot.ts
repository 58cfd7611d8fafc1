/**
 * The one-shot SOW commands the grid sends, answered by their acks alone: the count of a
 * topic's records (the stats ack of a `sow` with top_n 0), `sow_delete` by keys or filter,
 * and the probe that asks whether a topic has a SOW at all.
 */
import { Command } from '../../../../client/src/protocol/command.js';
import type {
  SowCountRequest,
  SowCountResult,
  SowDeleteRequest,
  SowDeleteResult,
} from '../../../../common/src/dto/sow.js';
import { ExplorerError } from '../../../../common/src/ipc/errors.js';
import type { AmpsCommandStream, AmpsConnectionLike } from '../ampsAdapter.js';
import { notSowTopic, queryError } from './sowCommand.js';

/** A connection's client that can run raw commands. */
export type SowCommandClient = AmpsConnectionLike & Required<Pick<AmpsConnectionLike, 'execute'>>;

const noRawCommands = (): ExplorerError =>
  new ExplorerError({
    name: 'UnsupportedError',
    message: 'this connection cannot run SOW queries (its client has no raw command support)',
    code: 'unsupported',
  });

/** The client itself when it runs raw commands; throws UnsupportedError when it does not. */
export function sowCommandClient(client: AmpsConnectionLike): SowCommandClient {
  if (client.execute === undefined) throw noRawCommands();
  return client as SowCommandClient;
}

/** A live query on a topic without a SOW would silently show nothing: ask first. */
export async function requireSowTopic(client: SowCommandClient, topic: string): Promise<void> {
  const probe = new Command('sow').setTopic(topic).setTopN(0).setBatchSize(1).setAckType('completed');
  try {
    await acksOf(client, probe, topic);
  } catch (error) {
    if (error instanceof ExplorerError && error.code === 'not-sow-topic') throw error;
    if (error instanceof Error && error.name === 'InvalidTopicError') throw notSowTopic(topic, error);
    throw queryError(error, topic);
  }
}

/** Records of a topic matching a filter, from the server's stats ack (a `sow` with top_n 0). */
export async function countRecords(
  client: SowCommandClient,
  request: SowCountRequest,
): Promise<SowCountResult> {
  const cmd = new Command('sow')
    .setTopic(request.topic)
    .setTopN(0)
    .setBatchSize(1)
    .setAckType('completed,stats');
  if (request.filter !== undefined && request.filter.trim() !== '') cmd.setFilter(request.filter);
  const acks = await acksOf(client, cmd, request.topic);
  const stats = acks.find((m) => m.ackType === 'stats');
  const count = Number(stats?.fields.matches);
  if (!Number.isFinite(count)) {
    throw new ExplorerError({
      name: 'NoCountError',
      message: 'the server sent no match count',
      code: 'no-count',
    });
  }
  return { count };
}

/** sow_delete by keys or by filter; the server's count of deleted records. */
export async function deleteRecords(
  client: SowCommandClient,
  request: SowDeleteRequest,
): Promise<SowDeleteResult> {
  const cmd = new Command('sow_delete').setTopic(request.topic).setAckType('processed,stats');
  if ('keys' in request) {
    if (request.keys.length === 0) {
      throw new ExplorerError({
        name: 'ValidationError',
        message: 'payload.keys: no key to delete',
        code: 'invalid-payload',
      });
    }
    cmd.setSowKeys(request.keys.join(','));
  } else {
    cmd.setFilter(request.filter);
  }
  const acks = await acksOf(client, cmd, request.topic);
  const stats = acks.find((m) => m.ackType === 'stats');
  const deleted = Number(stats?.fields.recordsDeleted ?? 0);
  return { deleted: Number.isFinite(deleted) ? deleted : 0 };
}

/** Runs a command to its end and keeps its acks; a refusal names the topic. */
async function acksOf(client: SowCommandClient, cmd: Command, topic: string) {
  let command: AmpsCommandStream;
  try {
    command = await client.execute(cmd);
  } catch (error) {
    throw queryError(error, topic);
  }
  const all = await command.stream.toArray();
  return all.filter((m) => m.command === 'ack');
}
