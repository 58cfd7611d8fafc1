import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MessageDto, SubscriptionBatch } from '../../common/src/dto/subscriptions.js';
import { RingBuffer, SubscriptionBatcher } from '../main/services/subscriptionBuffer.js';

describe('RingBuffer', () => {
  it('keeps the newest items and reports evictions', () => {
    const ring = new RingBuffer<number>(3);
    expect([1, 2, 3].map((n) => ring.push(n))).toEqual([false, false, false]);
    expect(ring.push(4)).toBe(true);
    expect(ring.drain()).toEqual([2, 3, 4]);
    expect(ring.size).toBe(0);
  });

  it('drains in order across the wrap-around, in parts', () => {
    const ring = new RingBuffer<number>(4);
    for (let i = 1; i <= 6; i++) ring.push(i);
    expect(ring.drain(3)).toEqual([3, 4, 5]);
    ring.push(7);
    expect(ring.drain(10)).toEqual([6, 7]);
  });

  it('behaves like "the last N of everything pushed" (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.array(fc.integer(), { maxLength: 40 }), (cap, items) => {
        const ring = new RingBuffer<number>(cap);
        const evictions = items.filter((n) => ring.push(n)).length;
        expect(evictions).toBe(Math.max(0, items.length - cap));
        expect(ring.drain()).toEqual(items.slice(-cap));
      }),
    );
  });

  it('refuses a useless capacity', () => {
    expect(() => new RingBuffer(0)).toThrow(/positive integer/);
  });
});

describe('SubscriptionBatcher', () => {
  let batches: Array<{ owner: string; batch: SubscriptionBatch }>;
  const make = (capacity = 5, maxBatch = 100) =>
    new SubscriptionBatcher<string>({
      intervalMs: 25,
      capacity,
      maxBatch,
      format: (item, index): MessageDto => ({
        index,
        command: 'p',
        topic: 't',
        data: item,
        size: item.length,
        truncated: false,
        receivedAt: 0,
      }),
      deliver: (owner, batch) => batches.push({ owner, batch }),
    });

  beforeEach(() => {
    batches = [];
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('delivers buffered messages once per interval, not per message', () => {
    const b = make(100);
    b.add('s1', 'w1');
    for (let i = 0; i < 10; i++) b.push('s1', `m${i}`);
    expect(batches).toHaveLength(0);
    vi.advanceTimersByTime(24);
    expect(batches).toHaveLength(0);
    vi.advanceTimersByTime(1);
    expect(batches).toHaveLength(1);
    expect(batches[0]?.owner).toBe('w1');
    expect(batches[0]?.batch).toMatchObject({
      subscriptionId: 's1',
      received: 10,
      delivered: 10,
      dropped: 0,
    });
    expect(batches[0]?.batch.messages.map((m) => m.data)).toEqual(
      Array.from({ length: 10 }, (_, i) => `m${i}`),
    );
    vi.advanceTimersByTime(100);
    expect(batches).toHaveLength(1);
    b.dispose();
  });

  it('clamps the interval to 16..50 ms', () => {
    const fmt = { format: () => ({}) as MessageDto, deliver: () => undefined };
    expect(new SubscriptionBatcher<string>({ ...fmt, intervalMs: 1 }).intervalMs).toBe(16);
    expect(new SubscriptionBatcher<string>({ ...fmt, intervalMs: 1000 }).intervalMs).toBe(50);
  });

  it('drops the oldest when the ring is full, counts the drops and keeps indexes', () => {
    const b = make(3);
    b.add('s1', 'w1');
    for (let i = 1; i <= 8; i++) b.push('s1', `m${i}`);
    vi.advanceTimersByTime(25);
    const batch = batches[0]?.batch;
    expect(batch).toMatchObject({ received: 8, delivered: 3, dropped: 5 });
    expect(batch?.messages.map((m) => [m.index, m.data])).toEqual([
      [6, 'm6'],
      [7, 'm7'],
      [8, 'm8'],
    ]);
    b.dispose();
  });

  it('drains everything in one tick, in batches of at most maxBatch, in order', () => {
    const b = make(100, 4);
    b.add('s1', 'w1');
    for (let i = 0; i < 10; i++) b.push('s1', `m${i}`);
    vi.advanceTimersByTime(25);
    expect(batches.map((x) => x.batch.messages.length)).toEqual([4, 4, 2]);
    expect(batches.flatMap((x) => x.batch.messages.map((m) => m.index))).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
    ]);
    expect(batches.map((x) => x.batch.delivered)).toEqual([4, 8, 10]);
    expect(batches.at(-1)?.batch).toMatchObject({ received: 10, delivered: 10, dropped: 0 });
    vi.advanceTimersByTime(25);
    expect(batches).toHaveLength(3);
    b.dispose();
  });

  it('holds deliveries while paused and reports drops on resume', () => {
    const b = make(2);
    b.add('s1', 'w1');
    b.setPaused('s1', true);
    for (let i = 1; i <= 5; i++) b.push('s1', `m${i}`);
    vi.advanceTimersByTime(100);
    expect(batches).toHaveLength(0);
    b.setPaused('s1', false);
    vi.advanceTimersByTime(25);
    expect(batches[0]?.batch).toMatchObject({ received: 5, delivered: 2, dropped: 3 });
    b.dispose();
  });

  it('sends each subscription to its own owner', () => {
    const b = make();
    b.add('s1', 'w1');
    b.add('s2', 'w2');
    b.push('s1', 'a');
    b.push('s2', 'b');
    vi.advanceTimersByTime(25);
    expect(batches.map((x) => [x.owner, x.batch.subscriptionId])).toEqual([
      ['w1', 's1'],
      ['w2', 's2'],
    ]);
    expect(b.ownedBy('w2')).toEqual(['s2']);
    b.dispose();
  });

  it('on removal discards pending messages as dropped and stops the timer when empty', () => {
    const b = make();
    b.add('s1', 'w1');
    expect(b.timerActive).toBe(true);
    b.push('s1', 'a');
    b.push('s1', 'b');
    expect(b.remove('s1')).toEqual({ received: 2, delivered: 0, dropped: 2 });
    expect(b.timerActive).toBe(false);
    b.push('s1', 'late');
    vi.advanceTimersByTime(100);
    expect(batches).toHaveLength(0);
    expect(vi.getTimerCount()).toBe(0);
  });
});
