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
    // 1 000 msg/s, 25 ms flushes: the allowance holds at most 4 flushes' worth (100 messages).
    const b = make(1_000, clock, batches);
    b.add('s1', 'w1');
    for (let i = 0; i < 1_000; i++) b.push('s1', `m${i}`);
    b.flush();
    const delivered = batches.flatMap((x) => x.messages);
    expect(delivered).toHaveLength(100);
    expect(batches.every((x) => x.messages.length <= 40)).toBe(true);
    expect(delivered.at(-1)).toMatchObject({ index: 1_000, data: 'm999' });
    expect(delivered[0]).toMatchObject({ index: 10, data: 'm9' });
    // Indexes keep their place in the stream: the gaps show what was left out.
    expect(delivered.every((m, i) => i === 0 || m.index - (delivered[i - 1]?.index ?? 0) === 10)).toBe(true);
    expect(batches.at(-1)).toMatchObject({ received: 1_000, delivered: 100, dropped: 900, sampled: 900 });
    // Half a second later the allowance is full again (capped at 100), not 500.
    clock.now += 500;
    for (let i = 0; i < 300; i++) b.push('s1', `n${i}`);
    b.flush();
    expect(batches.at(-1)).toMatchObject({ received: 1_300, delivered: 200, dropped: 1_100, sampled: 1_100 });
    expect(b.remove('s1')).toEqual({ received: 1_300, delivered: 200, dropped: 1_100 });
  });

  it('delivers everything of a stream within the budget, late ticks included', () => {
    const clock = { now: 0 };
    const batches: SubscriptionBatch[] = [];
    const b = make(1_000, clock, batches);
    b.add('s1', 'w1');
    // 1 000 msg/s in uneven ticks: 25 ms, then a 75 ms stall, ...
    for (const ms of [25, 75, 25, 25, 50, 25, 75]) {
      clock.now += ms;
      for (let i = 0; i < ms; i++) b.push('s1', 'x');
      b.flush();
    }
    expect(batches.at(-1)).toMatchObject({ received: 300, delivered: 300, dropped: 0, sampled: 0 });
  });

  it('refuses a budget that is not positive', () => {
    expect(() => make(0, { now: 0 }, [])).toThrow(/maxPerSecond must be > 0/);
  });
});
