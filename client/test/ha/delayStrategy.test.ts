import { describe, expect, it } from 'vitest';
import {
  ExponentialDelayStrategy,
  FixedDelayStrategy,
  RetryLimitExceededError,
} from '../../src/ha/delayStrategy.js';
import { ReconnectMaximumExceededError } from '../../src/errors.js';

/** A clock the test moves by hand. */
function fakeClock(start = 10_000): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => (t += ms) };
}

const A = 'tcp://user:secret@a.example:9007/amps/json';
const B = 'tcp://b.example:9007/amps/json';

describe('FixedDelayStrategy (spec §12.3)', () => {
  it('tries each server once without delay, then waits the fixed delay', () => {
    const strategy = new FixedDelayStrategy(300);
    expect(strategy.getConnectWaitDuration(A)).toBe(0);
    expect(strategy.getConnectWaitDuration(B)).toBe(0);
    expect(strategy.getConnectWaitDuration(A)).toBe(300);
    expect(strategy.getConnectWaitDuration(B)).toBe(300);
    expect(strategy.getConnectWaitDuration(B)).toBe(300);
  });

  it('waits before retrying a single server, and reset starts a new outage', () => {
    const strategy = new FixedDelayStrategy();
    expect(strategy.getConnectWaitDuration(A)).toBe(0);
    expect(strategy.getConnectWaitDuration(A)).toBe(200);
    strategy.reset();
    expect(strategy.getConnectWaitDuration(A)).toBe(0);
  });

  it('gives up once another wait would reach the maximum retry time', () => {
    const clock = fakeClock();
    const strategy = new FixedDelayStrategy(400, 1_000, { now: clock.now });
    expect(strategy.getConnectWaitDuration(A)).toBe(0);
    clock.advance(500);
    expect(strategy.getConnectWaitDuration(A)).toBe(400);
    clock.advance(400);
    expect(strategy.getConnectWaitDuration(B)).toBe(0);
    let caught: unknown;
    try {
      strategy.getConnectWaitDuration(A);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(RetryLimitExceededError);
    expect(caught).toBeInstanceOf(ReconnectMaximumExceededError);
    expect((caught as Error).message).toMatch(/^Maximum Retry Time Exceeded/);
    expect((caught as RetryLimitExceededError).elapsedMs).toBe(900);
    clock.advance(100);
    expect(() => strategy.getConnectWaitDuration('tcp://new:1/amps/json')).toThrow(RetryLimitExceededError);
    strategy.reset();
    expect(strategy.getConnectWaitDuration(A)).toBe(0);
  });

  it('rejects negative settings', () => {
    expect(() => new FixedDelayStrategy(-1)).toThrow(/delayMs/);
    expect(() => new FixedDelayStrategy(10, Number.NaN)).toThrow(/maximumRetryTimeMs/);
  });
});

describe('ExponentialDelayStrategy (spec §12.3)', () => {
  it('has the official defaults: 200 ms, x2, at most 20 s, jitter of one initial delay', () => {
    const strategy = new ExponentialDelayStrategy({ random: () => 0 });
    const waits = [A, A, A, A, A, A, A, A, A, A].map((uri) => strategy.getConnectWaitDuration(uri));
    expect(waits).toEqual([0, 200, 400, 800, 1600, 3200, 6400, 12800, 20000, 20000]);
    const jittered = new ExponentialDelayStrategy({ random: () => 0.5 });
    expect([A, A, A].map((uri) => jittered.getConnectWaitDuration(uri))).toEqual([0, 300, 500]);
  });

  it('keeps a separate backoff per URI and skips the wait on the first pass', () => {
    const strategy = new ExponentialDelayStrategy({ initialDelayMs: 100, jitter: 0 });
    const order = [A, B, A, B, A, B];
    expect(order.map((uri) => strategy.getConnectWaitDuration(uri))).toEqual([0, 0, 100, 100, 200, 200]);
    strategy.reset();
    expect(strategy.getConnectWaitDuration(B)).toBe(0);
    expect(strategy.getConnectWaitDuration(B)).toBe(100);
  });

  it('mirrors a jittered delay that would exceed the maximum', () => {
    const strategy = new ExponentialDelayStrategy({
      initialDelayMs: 1_000,
      maximumDelayMs: 4_000,
      jitter: 2,
      random: () => 0.75,
    });
    // bases 1000, 2000, 4000; jitter adds 1500 -> 2500, 3500, 5500 -> mirrored to 2500
    expect([A, A, A, A].map((uri) => strategy.getConnectWaitDuration(uri))).toEqual([0, 2500, 3500, 2500]);
    const floor = new ExponentialDelayStrategy({
      initialDelayMs: 1_000,
      maximumDelayMs: 1_000,
      jitter: 5,
      random: () => 0.99,
    });
    expect([A, A].map((uri) => floor.getConnectWaitDuration(uri))).toEqual([0, 1_000]);
  });

  it('caps the last wait at the time left and then throws RetryLimitExceededError', () => {
    const clock = fakeClock();
    const capped = new ExponentialDelayStrategy({
      initialDelayMs: 1_000,
      maximumRetryTimeMs: 1_500,
      jitter: 0,
      now: clock.now,
    });
    expect(capped.getConnectWaitDuration(A)).toBe(0);
    clock.advance(1_000);
    expect(capped.getConnectWaitDuration(A)).toBe(500);
    clock.advance(500);
    expect(() => capped.getConnectWaitDuration(B)).toThrow(RetryLimitExceededError);
  });

  it('throws RetryLimitExceededError after the maximum retry time', () => {
    const clock = fakeClock();
    const strategy = new ExponentialDelayStrategy({ maximumRetryTimeMs: 5_000, jitter: 0, now: clock.now });
    let elapsed = 0;
    let attempts = 0;
    expect(() => {
      for (;;) {
        const wait = strategy.getConnectWaitDuration(A);
        attempts++;
        clock.advance(wait + 50);
        elapsed += wait + 50;
        if (attempts > 100) break;
      }
    }).toThrow(RetryLimitExceededError);
    expect(attempts).toBeLessThan(10);
    expect(elapsed).toBeGreaterThanOrEqual(5_000);
  });

  it('rejects inconsistent settings', () => {
    expect(() => new ExponentialDelayStrategy({ backoffExponent: 0.5 })).toThrow(/backoffExponent/);
    expect(() => new ExponentialDelayStrategy({ initialDelayMs: 500, maximumDelayMs: 100 })).toThrow(
      /maximumDelayMs/,
    );
    expect(() => new ExponentialDelayStrategy({ jitter: -1 })).toThrow(/jitter/);
  });
});
