import type { MessageFeed } from './messageFeed.js';
import { DeltaMerger } from './deltaViewModel.js';
import type { DeltaViewSnapshot, MergedRecord } from './deltaViewModel.js';

/**
 * The subscription view's "merged by key" mode (delta subscriptions): while on, every list
 * snapshot's new messages are merged into one record per SowKey; the records, the selected
 * one and whether its raw delta is shown are reactive.
 */
export class DeltaView {
  /** The merged view is shown (in place of the message list). */
  on = $state(false);
  /** The records and counts (replaced whole on each change). */
  snapshot: DeltaViewSnapshot = $state.raw(new DeltaMerger().snapshot());
  /** The SowKey whose record the detail shows. */
  selectedKey: string | undefined = $state();
  /** The detail shows the last message's raw payload (the delta as received). */
  showRaw = $state(false);
  readonly #feed: MessageFeed;
  readonly #merger: DeltaMerger;
  #stop: (() => void) | undefined;

  constructor(feed: MessageFeed, capacity?: number) {
    this.#feed = feed;
    this.#merger = new DeltaMerger(capacity);
  }

  /** The selected record, if still held. */
  get selected(): MergedRecord | undefined {
    const key = this.selectedKey;
    // Read through the snapshot, so the detail follows each merge.
    const rows = this.snapshot.rows;
    return key === undefined || rows.length === 0 ? undefined : this.#merger.get(key);
  }

  /** Shows (merging what the list holds, then each new message) or hides the merged view. */
  setOn(on: boolean): void {
    if (on === this.on) return;
    this.on = on;
    this.#stop?.();
    this.#stop = undefined;
    this.#merger.clear();
    if (on) {
      this.#observe();
      this.#stop = this.#feed.watch(() => this.#observe());
    } else {
      this.selectedKey = undefined;
    }
    this.snapshot = this.#merger.snapshot();
  }

  select(key: string | undefined): void {
    this.selectedKey = key;
  }

  /** Forgets the merged records (the next messages start them afresh). */
  clear(): void {
    this.#merger.clear();
    this.selectedKey = undefined;
    this.snapshot = this.#merger.snapshot();
  }

  dispose(): void {
    this.#stop?.();
    this.#stop = undefined;
  }

  #observe(): void {
    this.#merger.observe(this.#feed.state);
    const next = this.#merger.snapshot();
    if (next !== this.snapshot) this.snapshot = next;
  }
}
