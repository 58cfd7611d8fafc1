import { describe, expect, it } from 'vitest';
import type { MessageDto, SubscriptionBatch } from '../../common/src/dto/subscriptions.js';
import { RingBuffer, SubscriptionBatcher } from '../main/services/subscriptionBuffer.js';

describe('display budget', () => {
  const make = (perSecond: number, clock: { now: number }, batches: SubscriptionBatch[]) =>
    new SubscriptionBatcher<string>({
      intervalMs: 25,
      capacity: 100_000,
      maxBatch: 40,
      maxPerSecond: perSecond,
      now: () => clock.now,
      format: (item, index): MessageDto => ({
        index,
        command: 'p',
        topic: 't',
        data: item,
        size: item.length,
        truncated: false,
        receivedAt: 0,
      }),
      deliver: (_owner, batch) => batches.push(batch),
    });

  it('spreads a sample evenly over the ring, always keeping the newest', () => {
    const ring = new RingBuffer<number>(20);
    for (let i = 1; i <= 10; i++) ring.push(i);
    expect(ring.drainSample(3, (n, i) => [n, i])).toEqual([
      [3, 2],
      [6, 5],
      [10, 9],
    ]);
    expect(ring.size).toBe(0);
    for (let i = 1; i <= 4; i++) ring.push(i);
    expect(ring.drainSample(10, (n) => n)).toEqual([1, 2, 3, 4]);
  });

  it('delivers a stream faster than the budget sampled, and counts the rest as dropped and sampled', () => {
    const clock = { now: 0 };
    const batches: SubscriptionBatch[] = [];
    // 1 000 msg/s: the allowance holds at most 250 ms worth (250 messages).
    const b = make(1_000, clock, batches);
    b.add('s1', 'w1');
    for (let i = 0; i < 1_000; i++) b.push('s1', `m${i}`);
    b.flush();
    const delivered = batches.flatMap((x) => x.messages);
    expect(delivered).toHaveLength(250);
    expect(batches.every((x) => x.messages.length <= 40)).toBe(true);
    expect(delivered.at(-1)).toMatchObject({ index: 1_000, data: 'm999' });
    expect(delivered[0]).toMatchObject({ index: 4, data: 'm3' });
    // Indexes keep their place in the stream: the gaps show what was left out.
    expect(delivered.every((m, i) => i === 0 || m.index - (delivered[i - 1]?.index ?? 0) === 4)).toBe(true);
    expect(batches.at(-1)).toMatchObject({ received: 1_000, delivered: 250, dropped: 750, sampled: 750 });
    // A second later the allowance is full again (capped at 250), not 1 000.
    clock.now += 1_000;
    for (let i = 0; i < 500; i++) b.push('s1', `n${i}`);
    b.flush();
    expect(batches.at(-1)).toMatchObject({ received: 1_500, delivered: 500, dropped: 1_000, sampled: 1_000 });
    expect(b.remove('s1')).toEqual({ received: 1_500, delivered: 500, dropped: 1_000 });
  });

  it('delivers everything of a stream within the budget, late ticks included', () => {
    const clock = { now: 0 };
    const batches: SubscriptionBatch[] = [];
    const b = make(1_000, clock, batches);
    b.add('s1', 'w1');
    // 1 000 msg/s in uneven ticks: 25 ms, then a 200 ms stall, ...
    for (const ms of [25, 200, 25, 25, 50, 25, 150]) {
      clock.now += ms;
      for (let i = 0; i < ms; i++) b.push('s1', 'x');
      b.flush();
    }
    expect(batches.at(-1)).toMatchObject({ received: 500, delivered: 500, dropped: 0, sampled: 0 });
  });

  it('refuses a budget that is not positive', () => {
    expect(() => make(0, { now: 0 }, [])).toThrow(/maxPerSecond must be > 0/);
  });
});
