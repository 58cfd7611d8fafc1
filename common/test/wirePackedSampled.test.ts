import { describe, expect, it } from 'vitest';
import type { SubscriptionBatch } from '../src/dto/subscriptions.js';
import { packBatch, unpackBatch } from '../src/ipc/wire.js';

describe('packed batches and the display budget', () => {
  it("carries main's sampled-out count across the browser host's socket", () => {
    const batch: SubscriptionBatch = {
      subscriptionId: 's1',
      received: 1_000,
      delivered: 1,
      dropped: 999,
      sampled: 999,
      messages: [{ index: 1_000, command: 'p', topic: 't', data: 'a', size: 1, truncated: false, receivedAt: 1 }],
    };
    const wire = JSON.parse(JSON.stringify(packBatch(batch))) as ReturnType<typeof packBatch>;
    expect(unpackBatch(wire)).toEqual(batch);
  });

  it('leaves the count out when nothing was sampled out', () => {
    const batch: SubscriptionBatch = { subscriptionId: 's1', received: 0, delivered: 0, dropped: 0, sampled: 0, messages: [] };
    expect(packBatch(batch)).not.toHaveProperty('sampled');
    expect(unpackBatch(packBatch(batch))).not.toHaveProperty('sampled');
  });
});
