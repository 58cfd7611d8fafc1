/**
 * Messages per second over a sliding window, fed with batch sizes and their arrival times.
 * Samples live in a small ring of time buckets, so a fast stream costs O(1) per batch.
 */
export class RateMeter {
  readonly windowMs: number;
  readonly bucketMs: number;
  #counts: number[];
  #stamps: number[];

  constructor(windowMs = 2000, buckets = 20) {
    if (!(windowMs > 0) || !Number.isInteger(buckets) || buckets < 1) {
      throw new RangeError(`RateMeter needs windowMs > 0 and buckets >= 1, got ${windowMs}, ${buckets}`);
    }
    this.windowMs = windowMs;
    this.bucketMs = windowMs / buckets;
    this.#counts = new Array<number>(buckets).fill(0);
    this.#stamps = new Array<number>(buckets).fill(-1);
  }

  /** Records `count` messages arriving at `now` (ms). */
  add(count: number, now: number): void {
    const slot = Math.floor(now / this.bucketMs);
    const i = slot % this.#counts.length;
    if (this.#stamps[i] !== slot) {
      this.#stamps[i] = slot;
      this.#counts[i] = 0;
    }
    this.#counts[i] = (this.#counts[i] ?? 0) + count;
  }

  /** Messages per second over the window ending at `now`. */
  rate(now: number): number {
    const current = Math.floor(now / this.bucketMs);
    const oldest = current - this.#counts.length + 1;
    let total = 0;
    for (let i = 0; i < this.#counts.length; i++) {
      const stamp = this.#stamps[i] ?? -1;
      if (stamp >= oldest && stamp <= current) total += this.#counts[i] ?? 0;
    }
    return (total * 1000) / this.windowMs;
  }

  /** Forgets every sample. */
  reset(): void {
    this.#counts.fill(0);
    this.#stamps.fill(-1);
  }
}
