/**
 * The parsed JSON payloads of a view's messages, kept for expression searches so each payload
 * is parsed once. A table indexed by the message's `index` (its position in the subscription,
 * so the messages a buffer holds take consecutive slots), with the message itself stored beside
 * its value: a slot only answers for the very message that filled it, and a later message
 * landing on the same slot replaces it. Measured faster than a WeakMap keyed by message
 * (bench/ui/search.ts), and bounded: the table has a power of two of slots at least the size
 * of the list searched, so it never holds more entries than that, and the warm-up drops the
 * payloads of messages that left the buffer after each look. Pure: no DOM, no Svelte.
 */
import type { MessageDto } from '../../../common/src/dto/subscriptions.js';

/** What the cache holds for a payload that is not a JSON object, or was cut: no expression matches it. */
export const NOT_JSON: unique symbol = Symbol('not JSON');

/** The payload of `m` as JSON, or {@link NOT_JSON}. */
export function parsePayload(m: MessageDto): unknown {
  if (m.truncated || !m.data.trimStart().startsWith('{')) return NOT_JSON;
  try {
    return JSON.parse(m.data) as unknown;
  } catch {
    return NOT_JSON;
  }
}

const MIN_SLOTS = 1024;

function slotsFor(count: number): number {
  let slots = MIN_SLOTS;
  while (slots < count) slots *= 2;
  return slots;
}

/** Parsed payloads of a view's messages. */
export class PayloadCache {
  #messages: (MessageDto | undefined)[];
  #values: unknown[];
  #mask: number;
  #filled = 0;

  constructor(count = 0) {
    const slots = slotsFor(count);
    this.#messages = new Array<MessageDto | undefined>(slots).fill(undefined);
    this.#values = new Array<unknown>(slots).fill(undefined);
    this.#mask = slots - 1;
  }

  /** Slots in the table. */
  get slots(): number {
    return this.#mask + 1;
  }

  /** Payloads held (at most {@link slots}). */
  get size(): number {
    return this.#filled;
  }

  /**
   * Sizes the table for a list of `count` messages: grows it (keeping what it holds) when the
   * list outgrew it, and starts a smaller one when the list shrank to under a quarter of it.
   */
  fit(count: number): void {
    const slots = slotsFor(count);
    if (slots === this.slots) return;
    if (slots < this.slots && slots * 4 > this.slots) return;
    const messages = this.#messages;
    const values = this.#values;
    this.#messages = new Array<MessageDto | undefined>(slots).fill(undefined);
    this.#values = new Array<unknown>(slots).fill(undefined);
    this.#mask = slots - 1;
    this.#filled = 0;
    if (slots < messages.length) return;
    for (let i = 0; i < messages.length; i++) {
      const m = messages[i];
      if (m !== undefined) this.#store(m, values[i]);
    }
  }

  /** True when the payload of `m` is held. */
  has(m: MessageDto): boolean {
    return this.#messages[m.index & this.#mask] === m;
  }

  /** The payload of `m` as JSON (or {@link NOT_JSON}), parsed on first use. */
  parsed(m: MessageDto): unknown {
    const slot = m.index & this.#mask;
    if (this.#messages[slot] === m) return this.#values[slot];
    const value = parsePayload(m);
    this.#store(m, value);
    return value;
  }

  /**
   * Forgets the payloads of messages older than `index` (a list's oldest message): those left
   * the buffer, whose ring evicts the oldest first.
   */
  dropBefore(index: number): void {
    const messages = this.#messages;
    for (let slot = 0; slot < messages.length; slot++) {
      const m = messages[slot];
      if (m !== undefined && m.index < index) {
        messages[slot] = undefined;
        this.#values[slot] = undefined;
        this.#filled--;
      }
    }
  }

  /** Forgets every payload (their memory is freed). */
  clear(): void {
    this.#messages.fill(undefined);
    this.#values.fill(undefined);
    this.#filled = 0;
  }

  #store(m: MessageDto, value: unknown): void {
    const slot = m.index & this.#mask;
    if (this.#messages[slot] === undefined) this.#filled++;
    this.#messages[slot] = m;
    this.#values[slot] = value;
  }
}
