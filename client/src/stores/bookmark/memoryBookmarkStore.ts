/**
 * MemoryBookmarkStore (seed): bookmark state in memory only, optionally saving each
 * subscription's resume point through a {@link RecoveryPointAdapter}.
 */
import type { RecoveryPointAdapter } from './recoveryPoint.js';
import { TrackingBookmarkStore } from './trackingBookmarkStore.js';

/** Options of {@link MemoryBookmarkStore}. */
export interface MemoryBookmarkStoreOptions {
  /** Receives each subscription's new resume point after every change. */
  adapter?: RecoveryPointAdapter;
}

/** A bookmark store kept in memory; lost when the process ends unless an adapter saves it. */
export class MemoryBookmarkStore extends TrackingBookmarkStore {
  private readonly adapter: RecoveryPointAdapter | undefined;

  constructor(options: MemoryBookmarkStoreOptions = {}) {
    super();
    this.adapter = options.adapter;
  }

  /**
   * Creates a store and reads every recovery point from `adapter` into it: each becomes its
   * subscription's resume point, and the bookmarks in it count as seen.
   */
  static async recover(adapter: RecoveryPointAdapter): Promise<MemoryBookmarkStore> {
    const store = new MemoryBookmarkStore({ adapter });
    for (let point = await adapter.next(); point !== undefined; point = await adapter.next()) {
      store.sub(point.subId).recover(point.bookmark);
    }
    return store;
  }

  /** Closes the store and its adapter (which saves anything pending). */
  async closeAndFlush(): Promise<void> {
    this.close();
    await this.adapter?.close();
  }

  private tell(subId: string): void {
    this.adapter?.update({ subId, bookmark: this.getMostRecent(subId) });
  }

  protected onLogged(subId: string, _bookmark: string, index: bigint): void {
    if (index === 0n) this.tell(subId);
  }

  protected onDiscarded(subId: string): void {
    this.tell(subId);
  }

  protected onPersisted(subId: string): void {
    this.tell(subId);
  }

  protected onPurged(subId: string | undefined): void {
    this.adapter?.purge(subId).catch(() => undefined);
  }

  protected onClose(): void {}
}
