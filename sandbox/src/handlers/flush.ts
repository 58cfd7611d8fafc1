/**
 * `flush` (spec §4.13): commands of a connection run in order and synchronously, so every
 * earlier command is processed (and persisted) by the time this one runs.
 */
import type { CommandContext } from '../context.js';
import { ack } from '../context.js';

export function handleFlush(ctx: CommandContext): void {
  const name = ctx.session.clientName;
  const last = name === undefined ? undefined : ctx.broker.sequences.get(name);
  ack(ctx, 'processed');
  ack(ctx, 'completed');
  ack(ctx, 'persisted', 'success', last === undefined ? {} : { sequence: last.toString() });
}
