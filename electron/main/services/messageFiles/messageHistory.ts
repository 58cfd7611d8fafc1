/**
 * The messages main holds of each subscription for export: every message received (also
 * those the view conflated or dropped), the newest first kept, bounded by count and bytes.
 */
import type { AmpsMessageLike } from '../ampsAdapter.js';

/** Most messages held per subscription (the view's default buffer). */
export const HISTORY_MESSAGES = 10_000;
/** Most payload bytes held per subscription. */
export const HISTORY_BYTES = 64 * 1024 * 1024;

/** Size of the shared buffers small payloads are copied into. */
const SLAB_BYTES = 1024 * 1024;

/** One message held: its index in the subscription, when main received it, headers and payload. */
export interface HeldMessage {
  index: number;
  receivedAt: number;
  header: Readonly<Partial<Record<string, string>>>;
  payload: Uint8Array;
}

/** A bounded ring of a subscription's newest messages, read by index in O(1). */
export class MessageHistory {
  readonly #slots: (HeldMessage | undefined)[];
  readonly #maxBytes: number;
  #head = 0;
  #size = 0;
  #bytes = 0;
  #firstIndex = 1;
  #slab: Uint8Array | undefined;
  #slabUsed = 0;

  constructor(maxMessages = HISTORY_MESSAGES, maxBytes = HISTORY_BYTES) {
    if (!Number.isInteger(maxMessages) || maxMessages < 1)
      throw new RangeError(`history size must be a positive integer, got ${maxMessages}`);
    this.#slots = new Array<HeldMessage | undefined>(maxMessages);
    this.#maxBytes = maxBytes;
  }

  get size(): number {
    return this.#size;
  }

  get bytes(): number {
    return this.#bytes;
  }

  /** Holds message `index` (one more than the last one added); evicts the oldest past the bounds. */
  add(index: number, message: AmpsMessageLike, receivedAt: number): void {
    const held: HeldMessage = {
      index,
      receivedAt,
      header: message.header,
      payload: this.#copy(message.payload),
    };
    if (this.#size === 0) this.#firstIndex = index;
    else if (index !== this.#firstIndex + this.#size)
      throw new RangeError(`message ${index} does not follow message ${this.#firstIndex + this.#size - 1}`);
    if (this.#size === this.#slots.length) this.#evict();
    this.#slots[(this.#head + this.#size) % this.#slots.length] = held;
    this.#size++;
    this.#bytes += held.payload.byteLength;
    while (this.#bytes > this.#maxBytes && this.#size > 1) this.#evict();
  }

  /** Message `index`, while held. */
  get(index: number): HeldMessage | undefined {
    const offset = index - this.#firstIndex;
    if (!Number.isInteger(offset) || offset < 0 || offset >= this.#size) return undefined;
    return this.#slots[(this.#head + offset) % this.#slots.length];
  }

  /** Every message held, oldest first (a copy of the references: later adds do not change it). */
  all(): HeldMessage[] {
    const out = new Array<HeldMessage>(this.#size);
    for (let i = 0; i < this.#size; i++)
      out[i] = this.#slots[(this.#head + i) % this.#slots.length] as HeldMessage;
    return out;
  }

  /**
   * A copy (the client may reuse its frame buffers): small payloads go into shared slabs, as
   * one small buffer each costs far more than the copy; a slab is freed with its last message.
   */
  #copy(payload: Uint8Array): Uint8Array {
    const n = payload.byteLength;
    if (n > SLAB_BYTES / 16) return payload.slice();
    if (this.#slab === undefined || this.#slabUsed + n > SLAB_BYTES) {
      this.#slab = new Uint8Array(SLAB_BYTES);
      this.#slabUsed = 0;
    }
    const view = this.#slab.subarray(this.#slabUsed, this.#slabUsed + n);
    view.set(payload);
    this.#slabUsed += n;
    return view;
  }

  #evict(): void {
    const oldest = this.#slots[this.#head];
    this.#slots[this.#head] = undefined;
    this.#head = (this.#head + 1) % this.#slots.length;
    this.#size--;
    this.#firstIndex++;
    this.#bytes -= oldest?.payload.byteLength ?? 0;
  }
}
