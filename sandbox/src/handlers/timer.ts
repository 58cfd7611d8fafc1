/** Legacy `start_timer` / `stop_timer` (spec §4.14): acknowledged, otherwise ignored. */
import type { CommandContext } from '../context.js';
import { ack } from '../context.js';

export function handleTimer(ctx: CommandContext): void {
  ack(ctx, 'processed');
  ack(ctx, 'completed');
}
