import { describe, expect, it } from 'vitest';
import { RingBuffer } from '../src/lib/ringBuffer.js';

describe('RingBuffer', () => {
  it('keeps items oldest first until full', () => {
    const ring = new RingBuffer<number>(3);
    expect(ring.push(1)).toBe(0);
    expect(ring.push(2)).toBe(0);
    expect(ring.toArray()).toEqual([1, 2]);
    expect(ring.size).toBe(2);
    expect(ring.at(0)).toBe(1);
    expect(ring.at(1)).toBe(2);
    expect(ring.at(2)).toBeUndefined();
  });

  it('overwrites the oldest item when full and counts evictions', () => {
    const ring = new RingBuffer<number>(3);
    for (const n of [1, 2, 3]) ring.push(n);
    expect(ring.push(4)).toBe(1);
    expect(ring.push(5)).toBe(1);
    expect(ring.toArray()).toEqual([3, 4, 5]);
    expect(ring.at(0)).toBe(3);
    expect(ring.at(2)).toBe(5);
    expect(ring.evicted).toBe(2);
  });

  it('pushAll keeps only the newest capacity items and reports every eviction', () => {
    const ring = new RingBuffer<number>(4);
    ring.pushAll([1, 2]);
    expect(ring.pushAll([3, 4, 5, 6, 7, 8, 9])).toBe(5);
    expect(ring.toArray()).toEqual([6, 7, 8, 9]);
    expect(ring.evicted).toBe(5);
    expect(ring.pushAll([10])).toBe(1);
    expect(ring.toArray()).toEqual([7, 8, 9, 10]);
  });

  it('matches a plain array model for any sequence of pushes', () => {
    const ring = new RingBuffer<number>(5);
    const model: number[] = [];
    let evicted = 0;
    for (let i = 0; i < 37; i++) {
      const chunk = Array.from({ length: i % 7 }, (_, k) => i * 10 + k);
      evicted += ring.pushAll(chunk);
      model.push(...chunk);
    }
    expect(ring.toArray()).toEqual(model.slice(-5));
    expect(evicted).toBe(model.length - 5);
  });

  it('rejects out-of-range indexes and clears', () => {
    const ring = new RingBuffer<string>(2);
    ring.pushAll(['a', 'b', 'c']);
    expect(ring.at(-1)).toBeUndefined();
    expect(ring.at(1.5)).toBeUndefined();
    ring.clear();
    expect(ring.size).toBe(0);
    expect(ring.evicted).toBe(0);
    expect(ring.toArray()).toEqual([]);
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new RingBuffer(0)).toThrow(/positive integer, got 0/);
    expect(() => new RingBuffer(2.5)).toThrow(RangeError);
  });
});
