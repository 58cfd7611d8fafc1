/**
 * The publish handler: one message to a connection the caller owns, with the server's ack
 * when one is asked for. A message the server refuses resolves with `ack.status: 'failure'`
 * and the server's reason, never as sent.
 */
import type { PublishRequest, PublishResult } from '../../../common/src/dto/publish.js';
import type { ConnectionService } from './connections.js';
import { encodeBinary } from './publish/binaryPayload.js';

/** Publishes `request` on the caller's connection. */
export async function publishMessage(
  connections: Pick<ConnectionService, 'client' | 'serverOf'>,
  request: PublishRequest,
  ownerId: string,
): Promise<PublishResult> {
  const client = connections.client(request.connectionId, ownerId);
  const legacy = request.options ?? {};
  const delta = request.deltaPublish ?? legacy.delta ?? false;
  const correlationId = request.correlationId ?? legacy.correlationId;
  const expiration = request.expiration ?? legacy.expiration;
  const data = request.encodeAs === undefined ? request.data : encodeBinary(request.encodeAs, request.data);
  const outcome = await client.publish(request.topic, data, {
    delta,
    ack: request.ack ?? 'none',
    ...(correlationId === undefined ? {} : { correlationId }),
    ...(expiration === undefined ? {} : { expiration }),
    ...(request.sowKey === undefined ? {} : { sowKey: request.sowKey }),
  });
  const server = connections.serverOf(request.connectionId);
  return {
    ...(outcome.ack === undefined ? {} : { ack: outcome.ack }),
    ...(server === undefined ? {} : { server }),
    ...(outcome.stored === true ? { stored: true } : {}),
  };
}
