import { describe, expect, it } from 'vitest';
import { RateMeter } from '../src/lib/rateMeter.js';

describe('RateMeter', () => {
  it('computes messages per second over the window', () => {
    const meter = new RateMeter(1000, 10);
    meter.add(100, 10_000);
    meter.add(150, 10_500);
    expect(meter.rate(10_900)).toBe(250);
  });

  it('forgets samples older than the window', () => {
    const meter = new RateMeter(2000, 20);
    meter.add(400, 0);
    expect(meter.rate(1000)).toBe(200);
    meter.add(100, 2500);
    expect(meter.rate(2500)).toBe(50);
    expect(meter.rate(10_000)).toBe(0);
  });

  it('does not mix up buckets that share a slot across windows', () => {
    const meter = new RateMeter(1000, 4);
    meter.add(10, 0);
    meter.add(20, 1000); // same slot index as t=0, one full window later
    expect(meter.rate(1000)).toBe(20);
  });

  it('resets and validates its arguments', () => {
    const meter = new RateMeter();
    meter.add(5, 100);
    meter.reset();
    expect(meter.rate(100)).toBe(0);
    expect(() => new RateMeter(0)).toThrow(RangeError);
    expect(() => new RateMeter(1000, 0)).toThrow(/buckets >= 1/);
  });
});
