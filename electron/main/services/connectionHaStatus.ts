/**
 * The HA view's data for one open connection: its state, server health and failover timeline
 * from its tracker, its reconnect settings, and what its publish and bookmark stores hold.
 */
import type { HaStatus } from '../../../common/src/dto/ha.js';
import type { Logger } from '../platform/logger.js';
import type { AmpsConnectionLike, AmpsConnectionOptions } from './ampsAdapter.js';
import type { HaTracker } from './haTracker.js';

/** The parts of an open connection the HA view reads. */
export interface HaStatusSource {
  connectionId: string;
  tracker: HaTracker;
  options: AmpsConnectionOptions;
  client: AmpsConnectionLike;
}

/** The publish store's refused writes, for the HA view (nothing when there were none). */
function failedWritesOf(client: AmpsConnectionLike): {
  failedWrites?: number;
  lastFailedWrite?: { sequence?: string; reason: string; at: number };
} {
  const { count, last } = client.failedWrites();
  return count === 0 ? {} : { failedWrites: count, ...(last === undefined ? {} : { lastFailedWrite: last }) };
}

/**
 * The HA view's data (a copy). A publish store that cannot be read (closed with a client that
 * gave up) is logged and shown empty.
 */
export function haStatusOf(
  source: HaStatusSource,
  bookmarks: HaStatus['bookmarkStore']['subscriptions'],
  logger: Logger,
  now: () => number,
): HaStatus {
  const { connectionId, tracker, options, client } = source;
  const { info } = tracker;
  let unpersisted: ReturnType<AmpsConnectionLike['unpersisted']> = { count: 0, messages: [] };
  try {
    unpersisted = client.unpersisted(100);
  } catch (error) {
    // A store closed with a client that gave up has nothing left to show.
    logger.warn(`connection ${connectionId}: publish store unreadable: ${tracker.errorOf(error).message}`);
  }
  return structuredClone({
    connectionId,
    state: info.state,
    servers: tracker.health,
    ...(info.serverIndex === undefined ? {} : { currentIndex: info.serverIndex }),
    timeline: tracker.timeline,
    timelineDropped: tracker.timelineDropped,
    delay: options.ha.delay,
    giveUpMs: options.ha.giveUpMs,
    resubscribe: options.ha.resubscribe,
    ...(info.attempt === undefined ? {} : { attempt: info.attempt }),
    ...(info.nextAttemptAt === undefined ? {} : { nextAttemptAt: info.nextAttemptAt }),
    publishStore: {
      kind: options.publishStore.kind,
      ...(options.publishStore.kind === 'file' ? { path: options.publishStore.path } : {}),
      unpersisted: unpersisted.count,
      messages: unpersisted.messages,
      ...failedWritesOf(client),
    },
    bookmarkStore: {
      kind: options.bookmarkStore.kind,
      ...(options.bookmarkStore.kind === 'file' ? { path: options.bookmarkStore.path } : {}),
      subscriptions: options.bookmarkStore.kind === 'none' ? [] : bookmarks,
    },
    at: now(),
  });
}
