/**
 * Adapters from the store interfaces of `stores/` to the Client's store hooks, so a
 * MemoryPublishStore, FilePublishStore, MemoryBookmarkStore, ... can be handed to the Client.
 */
import type { BookmarkStore } from '../stores/bookmark/bookmarkStore.js';
import type { PublishStore } from '../stores/publish/publishStore.js';
import type { BookmarkStoreHook, PublishStoreHook } from './hooks.js';

/** Wraps a {@link PublishStore} as the Client's publish store hook. */
export function publishStoreHook(store: PublishStore): PublishStoreHook {
  return {
    store: (fields, data) =>
      store.store({ header: { ...fields }, ...(data ? { payload: data } : {}) }).toString(),
    discardUpTo: (sequence) => store.discardUpTo(BigInt(sequence)),
    unpersistedCount: () => store.unpersistedCount(),
    replay: (send) =>
      store.replay((m) => {
        send(
          m.header,
          m.payload.length > 0
            ? Buffer.from(m.payload.buffer, m.payload.byteOffset, m.payload.byteLength)
            : undefined,
        );
      }),
    flush: (timeoutMs) => store.flush(timeoutMs),
  };
}

/** Wraps a {@link BookmarkStore} as the Client's bookmark store hook. */
export function bookmarkStoreHook(store: BookmarkStore): BookmarkStoreHook {
  return {
    log: (subId, bookmark) => {
      const message = { subId, bookmark };
      if (store.isDiscarded(message)) return false;
      store.log(message);
      return true;
    },
    persisted: (subId, bookmark) => store.persisted(subId, bookmark),
    mostRecent: (subId) => store.getMostRecent(subId),
    discard: (subId, bookmark) => store.discardMessage({ subId, bookmark }),
  };
}

/** True for a full PublishStore (as opposed to a hook). */
export function isPublishStore(value: PublishStore | PublishStoreHook): value is PublishStore {
  return typeof (value as PublishStore).replaySingle === 'function';
}

/** True for a full BookmarkStore (as opposed to a hook). */
export function isBookmarkStore(value: BookmarkStore | BookmarkStoreHook): value is BookmarkStore {
  return typeof (value as BookmarkStore).getMostRecent === 'function';
}

/** Normalises a publish store or hook to a hook. */
export function toPublishHook(
  store: PublishStoreHook | PublishStore | undefined,
): PublishStoreHook | undefined {
  return store === undefined ? undefined : isPublishStore(store) ? publishStoreHook(store) : store;
}

/** Normalises a bookmark store or hook to a hook. */
export function toBookmarkHook(
  store: BookmarkStoreHook | BookmarkStore | undefined,
): BookmarkStoreHook | undefined {
  return store === undefined ? undefined : isBookmarkStore(store) ? bookmarkStoreHook(store) : store;
}
