/**
 * The bookmark and publish stores (spec §8.6, §12.5): one interface each, with memory, file
 * and ring (bookmark) or hybrid (publish) implementations.
 */
export { StoreCorruptError, type StoreRecoveryReport } from './storeErrors.js';
export type { StoreSyncPolicy } from './recordFile.js';
export { StoreLock, parseStoreLock, storeLockPath, type StoreLockOwner } from './storeLock.js';
export {
  Bookmarks,
  BookmarkFormatError,
  LEGACY_NOW,
  classifyBookmark,
  formatBookmark,
  isBookmarkTimestamp,
  isNow,
  parseBookmark,
  splitBookmarkList,
  type BookmarkKind,
  type ParsedBookmark,
} from './bookmark/bookmark.js';
export type { BookmarkStore, BookmarkedMessage, RecoverableBookmarkStore } from './bookmark/bookmarkStore.js';
export { MemoryBookmarkStore, type MemoryBookmarkStoreOptions } from './bookmark/memoryBookmarkStore.js';
export {
  FileBookmarkStore,
  bookmarkTimestamp,
  type FileBookmarkStoreOptions,
} from './bookmark/fileBookmarkStore.js';
export { RingBookmarkStore, type RingBookmarkStoreOptions } from './bookmark/ringBookmarkStore.js';
export {
  ConflatingRecoveryPointAdapter,
  type AdapterTimers,
  type ConflatingOptions,
  type RecoveryPoint,
  type RecoveryPointAdapter,
} from './bookmark/recoveryPoint.js';
export {
  SowRecoveryPointAdapter,
  type SowRecoveryClient,
  type SowRecoveryPointAdapterOptions,
} from './bookmark/sowRecoveryPointAdapter.js';
export type {
  PublishReplaySink,
  PublishStore,
  PublishStoreOptions,
  PublishToStore,
  RecoverablePublishStore,
  StoredPublish,
} from './publish/publishStore.js';
export { MemoryPublishStore } from './publish/memoryPublishStore.js';
export { FilePublishStore, type FilePublishStoreOptions } from './publish/filePublishStore.js';
export { HybridPublishStore, type HybridPublishStoreOptions } from './publish/hybridPublishStore.js';
