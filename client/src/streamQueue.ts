/**
 * The queue behind a {@link MessageStream}: messages in arrival order, taken from the front,
 * with optional conflation by SOW key (a message for a key still queued replaces the queued
 * one in place, keeping its position).
 */
import type { Message } from './protocol/message.js';

/** Commands whose messages conflate by SOW key. */
const CONFLATABLE = new Set(['publish', 'sow', 'oof', 'delta_publish']);

/** One queued message; conflation swaps the message inside its slot. */
interface Slot {
  message: Message;
}

/** Taken slots kept at the front before the array is compacted. */
const COMPACT_AFTER = 1024;

/** A FIFO of messages with optional conflation by SOW key. */
export class ConflatingQueue {
  private slots: Slot[] = [];
  private head = 0;
  private byKey: Map<string, Slot> | undefined;

  /** Messages queued and not yet taken. */
  get length(): number {
    return this.slots.length - this.head;
  }

  /** True once {@link conflate} was called. */
  get conflating(): boolean {
    return this.byKey !== undefined;
  }

  /** Starts conflating by SOW key, indexing what is queued already. */
  conflate(): void {
    if (this.byKey) return;
    this.byKey = new Map();
    for (let i = this.head; i < this.slots.length; i++) {
      const slot = this.slots[i] as Slot;
      const key = conflationKey(slot.message);
      if (key !== undefined) this.byKey.set(key, slot);
    }
  }

  /**
   * With conflation on, replaces the queued message of the same SOW key by `message`.
   * @returns true when it did (the message is queued), false when the caller must add it
   */
  replace(message: Message): boolean {
    if (!this.byKey) return false;
    const key = conflationKey(message);
    const existing = key === undefined ? undefined : this.byKey.get(key);
    if (!existing) return false;
    existing.message = message;
    return true;
  }

  /** Adds a message at the back. */
  push(message: Message): void {
    const slot: Slot = { message };
    this.slots.push(slot);
    if (this.byKey) {
      const key = conflationKey(message);
      if (key !== undefined) this.byKey.set(key, slot);
    }
  }

  /** Takes the oldest message (the queue must not be empty). */
  shift(): Message {
    const slot = this.slots[this.head] as Slot;
    this.slots[this.head] = undefined as unknown as Slot;
    this.head++;
    if (this.head > COMPACT_AFTER && this.head * 2 > this.slots.length) {
      this.slots = this.slots.slice(this.head);
      this.head = 0;
    }
    if (this.byKey) {
      const key = conflationKey(slot.message);
      if (key !== undefined && this.byKey.get(key) === slot) this.byKey.delete(key);
    }
    return slot.message;
  }

  /** Drops every queued message (conflation stays on if it was). */
  clear(): void {
    this.slots = [];
    this.head = 0;
    this.byKey?.clear();
  }
}

function conflationKey(message: Message): string | undefined {
  const key = message.sowKey;
  if (key === undefined || !CONFLATABLE.has(message.command ?? '')) return undefined;
  return `${message.topic ?? ''}\u0000${key}`;
}
