/**
 * A fixed-capacity ring of items, oldest overwritten first. Indexes are 0 = oldest. Pushing
 * is O(1) and never allocates once the ring is full, so a fast stream costs no garbage here.
 */
export class RingBuffer<T> {
  readonly capacity: number;
  #items: (T | undefined)[];
  #start = 0;
  #size = 0;
  #evicted = 0;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`RingBuffer capacity must be a positive integer, got ${capacity}`);
    }
    this.capacity = capacity;
    this.#items = new Array<T | undefined>(capacity);
  }

  /** Items held now. */
  get size(): number {
    return this.#size;
  }

  /** Items overwritten because the ring was full, since creation or the last clear. */
  get evicted(): number {
    return this.#evicted;
  }

  /** Appends one item; returns how many items were evicted to make room (0 or 1). */
  push(item: T): number {
    if (this.#size < this.capacity) {
      this.#items[(this.#start + this.#size) % this.capacity] = item;
      this.#size++;
      return 0;
    }
    this.#items[this.#start] = item;
    this.#start = (this.#start + 1) % this.capacity;
    this.#evicted++;
    return 1;
  }

  /** Appends many items; returns how many were evicted. */
  pushAll(items: readonly T[]): number {
    let evicted = 0;
    // Only the last `capacity` items can survive: skip the rest without touching the ring.
    const skip = Math.max(0, items.length - this.capacity);
    if (skip > 0) {
      evicted += skip + this.#size;
      this.#evicted += skip + this.#size;
      this.#start = 0;
      this.#size = 0;
    }
    for (let i = skip; i < items.length; i++) evicted += this.push(items[i] as T);
    return evicted;
  }

  /** The item at `index` (0 = oldest), or undefined when out of range. */
  at(index: number): T | undefined {
    if (!Number.isInteger(index) || index < 0 || index >= this.#size) return undefined;
    return this.#items[(this.#start + index) % this.capacity];
  }

  /** Copy of the items, oldest first. */
  toArray(): T[] {
    const out: T[] = [];
    for (let i = 0; i < this.#size; i++) out.push(this.#items[(this.#start + i) % this.capacity] as T);
    return out;
  }

  /** Removes every item and resets the eviction count. */
  clear(): void {
    this.#items = new Array<T | undefined>(this.capacity);
    this.#start = 0;
    this.#size = 0;
    this.#evicted = 0;
  }
}
