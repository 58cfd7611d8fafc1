/**
 * What the client does with a `persisted` ack that no command is waiting for (spec §5.5): a
 * failed or refused write goes to the application's failed-write handler; otherwise the ack
 * releases stored publishes up to its sequence, or marks a subscription's bookmark as
 * persisted in the bookmark store.
 */
import type { Message } from '../protocol/message.js';
import type { BookmarkStoreHook, FailedWriteHandler, PublishStoreHook } from './hooks.js';

/** The handler and stores a persisted ack may be given to. */
export interface PersistedAckTargets {
  failedWriteHandler: FailedWriteHandler | undefined;
  publishStore: PublishStoreHook | undefined;
  bookmarkStore: BookmarkStoreHook | undefined;
}

/**
 * Hands an unrouted persisted ack to the first target that takes it; what the failed-write
 * handler throws goes to `reportException`. Returns false when none took it.
 */
export function routePersistedAck(
  message: Message,
  targets: PersistedAckTargets,
  reportException: (error: unknown) => void,
): boolean {
  const reason = message.reason ?? '';
  if (message.status === 'failure' || reason === 'not entitled' || reason === 'duplicate') {
    if (targets.failedWriteHandler) {
      try {
        targets.failedWriteHandler(message, reason);
      } catch (e) {
        reportException(e);
      }
      return true;
    }
    return false;
  }
  const seq = message.sequence;
  if (seq !== undefined && /^\d+$/.test(seq) && BigInt(seq) > 0n && targets.publishStore) {
    targets.publishStore.discardUpTo(seq);
    return true;
  }
  if (message.subId !== undefined && message.bookmark !== undefined && targets.bookmarkStore) {
    targets.bookmarkStore.persisted(message.subId, message.bookmark);
    return true;
  }
  return false;
}
