/**
 * The tuning layer of the Client: getters and setters of what a caller may change between
 * (or during) connections without touching the connection itself — queue ack batching and
 * auto-ack, the default stream depth and ack wait, the duplicate and failed-write handlers,
 * and the publish and bookmark stores. The public {@link Client} adds its convenience
 * commands on top of this class.
 */
import { UsageError } from '../errors.js';
import type { BookmarkStore } from '../stores/bookmark/bookmarkStore.js';
import type { PublishStore } from '../stores/publish/publishStore.js';
import { ClientCommands } from './commands.js';
import type { BookmarkStoreHook, FailedWriteHandler, MessageHandler, PublishStoreHook } from './hooks.js';
import { toBookmarkHook, toPublishHook } from './storeHooks.js';

/** Client settings: ack batching, defaults of streams and calls, handlers and stores. */
export class ClientSettings extends ClientCommands {
  /** Queue acks per batch (1 = unbatched). */
  getAckBatchSize(): number {
    return this.ackBatcher.size;
  }
  /** Sets the queue ack batch size. */
  setAckBatchSize(size: number): void {
    this.ackBatcher.setSize(size);
  }
  /** Milliseconds a partial ack batch waits. */
  getAckTimeout(): number {
    return this.ackBatcher.timeout;
  }
  /** Sets how long a partial ack batch waits. */
  setAckTimeout(ms: number): void {
    this.ackBatcher.setTimeout(ms);
  }
  /** Sends every pending queue ack now. */
  flushAcks(): void {
    this.ackBatcher.flush();
  }
  /** Whether queue messages are acknowledged automatically once handled. */
  getAutoAck(): boolean {
    return this.autoAck;
  }
  /** Turns auto-ack on or off. */
  setAutoAck(enabled: boolean): void {
    this.autoAck = enabled;
  }
  /** Default max depth of new streams. */
  getDefaultMaxDepth(): number | undefined {
    return this.defaultMaxDepth;
  }
  /** Sets the default max depth of new streams. */
  setDefaultMaxDepth(depth: number | undefined): void {
    if (depth !== undefined && !(depth >= 1))
      throw new UsageError(`max depth must be at least 1, got ${depth}`, { code: 'invalid argument' });
    this.defaultMaxDepth = depth;
  }
  /** Default milliseconds calls wait for acks. */
  getCommandTimeout(): number {
    return this.commandTimeoutMs;
  }
  /** Sets the default ack wait. */
  setCommandTimeout(ms: number): void {
    if (!(ms > 0))
      throw new UsageError(`command timeout must be > 0 ms, got ${ms}`, { code: 'invalid argument' });
    this.commandTimeoutMs = ms;
  }
  /** Receives deliveries the bookmark store reports as duplicates. */
  setDuplicateMessageHandler(handler: MessageHandler | undefined): void {
    this.duplicateHandler = handler;
  }
  /** The duplicate message handler. */
  getDuplicateMessageHandler(): MessageHandler | undefined {
    return this.duplicateHandler;
  }
  /** Receives publishes the server refused in persisted acks (spec §5.5). */
  setFailedWriteHandler(handler: FailedWriteHandler | undefined): void {
    this.failedWriteHandler = handler;
  }
  /** Sets the publish store (a `stores/` PublishStore or a hook). */
  setPublishStore(store: PublishStoreHook | PublishStore | undefined): void {
    this.publishStore = toPublishHook(store);
  }
  /** Sets the bookmark store (a `stores/` BookmarkStore or a hook). */
  setBookmarkStore(store: BookmarkStoreHook | BookmarkStore | undefined): void {
    this.bookmarkStore = toBookmarkHook(store);
  }
  /** Publishes not yet acknowledged as persisted (0 without a publish store). */
  getUnpersistedCount(): number {
    return this.publishStore?.unpersistedCount() ?? 0;
  }
}
