/** The command table: one handler per AMPS command (spec Appendix B). */
import type { CommandContext } from '../context.js';
import { handleFlush } from './flush.js';
import { handleHeartbeat } from './heartbeat.js';
import { handleLogon } from './logon.js';
import { handlePublish } from './publish.js';
import { handleSow } from './sow.js';
import { handleSowDelete } from './sowDelete.js';
import { handleSubscribe } from './subscribe.js';
import { handleTimer } from './timer.js';
import { handleUnsubscribe } from './unsubscribe.js';

/** Executes one command. */
export type CommandHandler = (ctx: CommandContext) => void;

/** Every command the sandbox understands, by its full name. */
export const HANDLERS: ReadonlyMap<string, CommandHandler> = new Map<string, CommandHandler>([
  ['logon', handleLogon],
  ['publish', (ctx) => handlePublish(ctx, false)],
  ['delta_publish', (ctx) => handlePublish(ctx, true)],
  ['subscribe', (ctx) => handleSubscribe(ctx, false)],
  ['delta_subscribe', (ctx) => handleSubscribe(ctx, true)],
  ['sow', (ctx) => handleSow(ctx, 'sow')],
  ['sow_and_subscribe', (ctx) => handleSow(ctx, 'sow_and_subscribe')],
  ['sow_and_delta_subscribe', (ctx) => handleSow(ctx, 'sow_and_delta_subscribe')],
  ['sow_delete', handleSowDelete],
  ['unsubscribe', handleUnsubscribe],
  ['heartbeat', handleHeartbeat],
  ['flush', handleFlush],
  ['start_timer', handleTimer],
  ['stop_timer', handleTimer],
]);
