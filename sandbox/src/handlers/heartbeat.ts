/** `heartbeat` (spec §4.12, §10.2): `start,<seconds>`, `beat`, `stop`. */
import type { CommandContext } from '../context.js';
import { ack, fail } from '../context.js';

export function handleHeartbeat(ctx: CommandContext): void {
  const { fields, session } = ctx;
  const parts = (fields.options ?? fields.heartbeat ?? '').split(',').map((p) => p.trim().toLowerCase());
  const verb = parts[0] ?? '';
  if (verb === 'start') {
    const seconds = Number(parts[1] ?? fields.timeoutInterval);
    if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 86_400) {
      fail(ctx, 'invalid options');
      return;
    }
    session.heartbeatMs = seconds * 1000;
  } else if (verb === 'stop') {
    session.heartbeatMs = 0;
  } else if (verb !== 'beat' && verb !== '') {
    fail(ctx, 'invalid options');
    return;
  }
  ack(ctx, 'processed');
}
