/**
 * MemoryPublishStore (seed): held publishes live in memory; lost when the process ends.
 */
import { BasePublishStore } from './basePublishStore.js';
import type { PublishStoreOptions, StoredPublish } from './publishStore.js';

/** A publish store kept in memory. */
export class MemoryPublishStore extends BasePublishStore {
  /** Held messages in sequence order; `head` is the first live one. */
  private held: StoredPublish[] = [];
  private head = 0;

  constructor(options: PublishStoreOptions = {}) {
    super(options);
  }

  protected hold(message: StoredPublish): void {
    this.held.push(message);
  }

  protected drop(seq: bigint): void {
    while (this.head < this.held.length && (this.held[this.head] as StoredPublish).sequence <= seq)
      this.head++;
    if (this.head === this.held.length) {
      this.held = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.held.length) {
      this.held = this.held.slice(this.head);
      this.head = 0;
    }
  }

  protected forEachHeld(visit: (message: StoredPublish) => void): void {
    for (let i = this.head; i < this.held.length; i++) visit(this.held[i] as StoredPublish);
  }

  protected getHeld(seq: bigint): StoredPublish | undefined {
    let lo = this.head;
    let hi = this.held.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const message = this.held[mid] as StoredPublish;
      if (message.sequence === seq) return message;
      if (message.sequence < seq) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  }

  /** {@inheritDoc PublishStore.unpersistedCount} */
  unpersistedCount(): number {
    return this.held.length - this.head;
  }

  /** {@inheritDoc PublishStore.getLowestUnpersisted} */
  getLowestUnpersisted(): bigint | undefined {
    return this.held[this.head]?.sequence;
  }

  protected onClose(): void {
    this.held = [];
    this.head = 0;
  }
}
