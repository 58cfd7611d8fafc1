/**
 * Whole payloads of messages shown cut in the list (over the display limit), kept so the
 * detail pane can load one whole on demand. Bounded per subscription by count and bytes
 * (oldest first out); a payload no longer kept is reported as such, never silently cut.
 */

/** Most whole payloads kept per subscription. */
export const KEPT_PAYLOADS = 32;
/** Most bytes of whole payloads kept per subscription. */
export const KEPT_BYTES = 256 * 1024 * 1024;

interface Kept {
  byIndex: Map<number, Uint8Array>;
  bytes: number;
}

/** Whole payloads by subscription and message index. */
export class PayloadStore {
  readonly #subs = new Map<string, Kept>();
  readonly #maxCount: number;
  readonly #maxBytes: number;

  constructor(maxCount = KEPT_PAYLOADS, maxBytes = KEPT_BYTES) {
    this.#maxCount = maxCount;
    this.#maxBytes = maxBytes;
  }

  /** Keeps `payload` of message `index` (a payload larger than the byte bound is not kept). */
  keep(subscriptionId: string, index: number, payload: Uint8Array): void {
    if (payload.byteLength > this.#maxBytes) return;
    let kept = this.#subs.get(subscriptionId);
    if (kept === undefined) {
      kept = { byIndex: new Map(), bytes: 0 };
      this.#subs.set(subscriptionId, kept);
    }
    // A copy: the client's buffers may be reused once the message is delivered.
    kept.byIndex.set(index, payload.slice());
    kept.bytes += payload.byteLength;
    for (const [oldest, bytes] of kept.byIndex) {
      if (kept.byIndex.size <= this.#maxCount && kept.bytes <= this.#maxBytes) break;
      kept.byIndex.delete(oldest);
      kept.bytes -= bytes.byteLength;
    }
  }

  /** The whole payload of message `index`, when still kept. */
  get(subscriptionId: string, index: number): Uint8Array | undefined {
    return this.#subs.get(subscriptionId)?.byIndex.get(index);
  }

  /** Forgets a subscription's payloads (it ended). */
  drop(subscriptionId: string): void {
    this.#subs.delete(subscriptionId);
  }
}
