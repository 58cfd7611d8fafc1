/** `unsubscribe` (spec §4.11): by sub_id (one, a comma list or `all`) and/or query_id. */
import type { CommandContext } from '../context.js';
import { ack } from '../context.js';

export function handleUnsubscribe(ctx: CommandContext): void {
  const { broker, fields, session } = ctx;
  const ids = [fields.subId, fields.queryId]
    .filter((v): v is string => v !== undefined && v !== '')
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
  if (ids.includes('all')) {
    for (const sub of [...session.subs.values()]) broker.removeSubscription(sub);
  } else {
    for (const id of ids) {
      const sub = session.subs.get(id);
      if (sub) broker.removeSubscription(sub);
    }
  }
  ack(ctx, 'processed');
}
