/** `publish` and `delta_publish` (spec §4.4, §4.5, §9.1). */
import type { CommandContext } from '../context.js';
import { ack, fail } from '../context.js';
import { sessionMessageType } from '../messageTypes.js';
import { checkSequence, persistedAck } from './sequence.js';

export function handlePublish(ctx: CommandContext, delta: boolean): void {
  const { fields, broker, session } = ctx;
  const topic = fields.topic;
  if (topic === undefined || topic === '') {
    fail(ctx, 'invalid topic');
    return;
  }
  const seq = checkSequence(ctx);
  if (seq === 'duplicate') return;
  if (seq === 'invalid') {
    fail(ctx, 'invalid options', { reason: 'invalid sequence' });
    return;
  }
  let expirationSec: number | undefined;
  if (fields.expiration !== undefined && fields.expiration !== '') {
    expirationSec = Number(fields.expiration);
    if (!Number.isFinite(expirationSec) || expirationSec < 0) {
      fail(ctx, 'invalid options');
      return;
    }
  }
  const result = broker.publish({
    topic,
    payload: ctx.payload,
    delta,
    explicitKey: fields.sowKey,
    correlationId: fields.correlationId,
    expirationSec,
    sequence: seq,
    publisherName: session.clientName,
    messageType: sessionMessageType(session),
  });
  if (!result.ok) {
    broker.log('warn', `publish to ${topic} from ${session.label} failed: ${result.message}`);
    fail(ctx, result.reason);
    return;
  }
  const s = seq === undefined ? {} : { sequence: seq.toString() };
  ack(ctx, 'processed', 'success', s);
  ack(ctx, 'completed', 'success', s);
  persistedAck(ctx, seq);
}
