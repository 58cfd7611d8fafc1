import { describe, expect, it } from 'vitest';
import { parseSparkArgs } from '../../cli/args.js';
import { needsHAClient, sparkDelayStrategy, storeClientName, storeSubId } from '../../cli/haRun.js';
import { RetryLimitExceededError } from '../../src/ha/delayStrategy.js';

describe('spark CLI HA choices', () => {
  it('uses the HA client for several servers or a store, the plain client otherwise', () => {
    expect(needsHAClient(parseSparkArgs(['ping', '-server', 'a:1']))).toBe(false);
    expect(needsHAClient(parseSparkArgs(['ping', '-server', 'a:1,b:2']))).toBe(true);
    expect(
      needsHAClient(parseSparkArgs(['subscribe', '-server', 'a:1', '-topic', 't', '-bookmark-store', 'f'])),
    ).toBe(true);
    expect(
      needsHAClient(parseSparkArgs(['publish', '-server', 'a:1', '-topic', 't', '-publish-store', 'f'])),
    ).toBe(true);
  });

  it('keys the bookmark store by topic and filter, and names the publisher after its store', () => {
    expect(storeSubId('orders', '/qty > 5')).toBe(storeSubId('orders', '/qty > 5'));
    expect(storeSubId('orders', '/qty > 5')).not.toBe(storeSubId('orders', '/qty > 6'));
    expect(storeSubId('orders', undefined)).not.toBe(storeSubId('order', 's'));
    expect(storeClientName('a/b.pub')).toBe(storeClientName('./a/../a/b.pub'));
    expect(storeClientName('a/b.pub')).not.toBe(storeClientName('a/c.pub'));
  });

  it('backs off from 100 ms and gives up once an outage lasts -timeout', () => {
    let now = 0;
    const strategy = sparkDelayStrategy(1000, () => now);
    const uri = 'tcp://a:1/amps/json';
    const waits = [0, 1, 2].map(() => strategy.getConnectWaitDuration(uri));
    for (const w of waits) expect(w).toBeLessThanOrEqual(1000);
    expect(Math.max(...waits)).toBeGreaterThanOrEqual(100);
    now = 5000;
    expect(() => strategy.getConnectWaitDuration(uri)).toThrow(RetryLimitExceededError);
  });
});
