/**
 * "Copy as" for a subscription view: the subscription (subscribe, delta_subscribe,
 * sow_and_subscribe, or a bookmark replay with its bookmark and rate options) as the AMPS
 * command it places, for the shared copy-as builder (`lib/copyAs.ts`).
 */
import type { SubscribeSpec } from '../../../common/src/dto/subscriptions.js';
import type { CopyCommand } from '../lib/copyAs.js';

const COMMAND_OF: Record<SubscribeSpec['mode'], CopyCommand['command']> = {
  subscribe: 'subscribe',
  delta_subscribe: 'delta_subscribe',
  sow_and_subscribe: 'sow_and_subscribe',
  // A bookmark replay is a subscribe with a bookmark header.
  bookmark: 'subscribe',
};

/** The AMPS command a subscription view places for `spec`. */
export function subscriptionCopyCommand(spec: SubscribeSpec): CopyCommand {
  const cmd: CopyCommand = { command: COMMAND_OF[spec.mode], topic: spec.topic, clientName: 'subscriber' };
  const o = spec.options ?? {};
  if (spec.filter !== undefined && spec.filter.trim() !== '') cmd.filter = spec.filter;
  if (spec.mode === 'sow_and_subscribe') {
    if (o.batchSize !== undefined) cmd.batchSize = o.batchSize;
    if (o.topN !== undefined) cmd.topN = o.topN;
    if (o.orderBy !== undefined && o.orderBy.trim() !== '') cmd.orderBy = o.orderBy;
  }
  if (spec.mode === 'bookmark' && o.bookmark !== undefined) cmd.bookmark = o.bookmark;
  if (o.options !== undefined && o.options.trim() !== '') cmd.options = o.options;
  if (o.replayCompleted === true) cmd.ackType = 'completed';
  return cmd;
}
