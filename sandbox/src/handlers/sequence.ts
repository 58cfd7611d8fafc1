/** Publisher sequence numbers and duplicate detection per client name (spec §12.6). */
import type { CommandContext } from '../context.js';
import { ack } from '../context.js';
import { serverHeader } from '../wire.js';

/**
 * Reads `s` and rejects duplicates.
 * @returns the sequence (undefined when absent) or `'duplicate'` after answering the duplicate
 */
export function checkSequence(ctx: CommandContext): bigint | undefined | 'duplicate' | 'invalid' {
  const text = ctx.fields.sequence;
  if (text === undefined || text === '') return undefined;
  if (!/^\d{1,20}$/.test(text)) return 'invalid';
  const seq = BigInt(text);
  const name = ctx.session.clientName;
  if (name === undefined) return seq;
  if (seq <= ctx.broker.lastSequence(name)) {
    ack(ctx, 'processed', 'success', { reason: 'duplicate', sequence: text });
    persistedAck(ctx, seq, 'duplicate');
    return 'duplicate';
  }
  return seq;
}

/**
 * A persisted ack for a stored publish. With a sequence it is conflated (spec §5.1): no `cid`,
 * one ack per interval of the connection carrying the highest sequence, which covers every
 * earlier publish of the client.
 */
export function persistedAck(ctx: CommandContext, seq: bigint | undefined, reason?: string): void {
  if (!ctx.acks.has('persisted')) return;
  if (seq === undefined) {
    ack(ctx, 'persisted', 'success', reason ? { reason } : {});
    return;
  }
  if (reason === undefined) {
    const session = ctx.session;
    const first = session.pendingPersisted === undefined;
    if (first || seq > (session.pendingPersisted as bigint)) session.pendingPersisted = seq;
    if (!first) return;
    const send = (): void => {
      const s = session.pendingPersisted;
      session.pendingPersisted = undefined;
      if (s === undefined || session.closed) return;
      session.send(
        serverHeader({ command: 'ack', ackType: 'persisted', status: 'success', sequence: s.toString() }),
      );
    };
    if (session.ackConflationMs > 0) setTimeout(send, session.ackConflationMs).unref();
    else setImmediate(send);
    return;
  }
  const fields = { ...ctx.fields, commandId: undefined, subId: undefined, queryId: undefined };
  ack({ ...ctx, fields }, 'persisted', 'success', {
    sequence: seq.toString(),
    ...(reason ? { reason } : {}),
  });
}
