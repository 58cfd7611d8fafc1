/** What every command handler receives, and the ack helper (spec §5). */
import type { HeaderFields } from '../../client/src/protocol/fields.js';
import type { Broker } from './broker.js';
import type { Session } from './session.js';
import { serverHeader } from './wire.js';

/** One command being executed. */
export interface CommandContext {
  session: Session;
  broker: Broker;
  /** The decoded header (logical names; `c=p` already normalised to `publish`). */
  fields: HeaderFields;
  payload: Buffer;
  /** Requested ack types. */
  acks: Set<string>;
}

/**
 * Sends an ack of `type` when the command requested it; echoes `cid`, `sub_id` and `query_id`.
 * @returns whether an ack was sent
 */
export function ack(
  ctx: CommandContext,
  type: string,
  status: 'success' | 'failure' | 'retry' = 'success',
  extra: HeaderFields = {},
): boolean {
  if (!ctx.acks.has(type)) return false;
  const f = ctx.fields;
  ctx.session.send(
    serverHeader({
      command: 'ack',
      commandId: f.commandId,
      ackType: type,
      status,
      subId: f.subId,
      queryId: f.queryId,
      ...extra,
    }),
  );
  return true;
}

/** Sends a failure for the first of `processed`, `completed`, `stats`, `persisted` the command requested. */
export function fail(ctx: CommandContext, reason: string, extra: HeaderFields = {}): void {
  for (const type of ['processed', 'completed', 'stats', 'persisted']) {
    if (ack(ctx, type, 'failure', { reason, ...extra })) return;
  }
}
