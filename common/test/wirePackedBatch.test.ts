import { describe, expect, it } from 'vitest';
import type { SubscriptionBatch } from '../src/dto/subscriptions.js';
import { createWireClient, packBatch, unpackBatch } from '../src/ipc/wire.js';

const batch: SubscriptionBatch = {
  subscriptionId: 's1',
  received: 3,
  delivered: 3,
  dropped: 0,
  messages: [
    { index: 1, command: 'p', topic: 't', data: 'a', size: 1, truncated: false, receivedAt: 1 },
    { index: 2, command: 'oof', topic: 't', data: '', size: 0, truncated: false, receivedAt: 2, sowKey: 'k' },
    {
      index: 3,
      command: 'p',
      topic: 't',
      data: 'b…',
      size: 9,
      truncated: true,
      receivedAt: 3,
      timestamp: 'T',
    },
  ],
};

describe('packed subscription batches', () => {
  it('round-trips every field, optional headers only where present', () => {
    const packed = packBatch(batch);
    expect(packed.messages[0]).toEqual([1, 'p', 't', 'a', 1, 0, 1]);
    expect(packed.messages[1]).toEqual([2, 'oof', 't', '', 0, 0, 2, { sowKey: 'k' }]);
    const back = unpackBatch(JSON.parse(JSON.stringify(packed)) as typeof packed);
    expect(back).toEqual(batch);
    expect('sowKey' in (back.messages[0] ?? {})).toBe(false);
  });

  it('the wire client delivers batch frames to the channel listeners, unpacked', () => {
    const wire = createWireClient({ send: () => undefined });
    const seen: unknown[] = [];
    const stop = wire.transport.subscribe('amps:onSubscriptionBatch', (p) => seen.push(p));
    wire.receive(
      JSON.stringify({ type: 'batch', channel: 'amps:onSubscriptionBatch', payload: packBatch(batch) }),
    );
    expect(seen).toEqual([batch]);
    stop();
  });

  it('drops a malformed batch frame instead of throwing, and names the bad message when unpacking', () => {
    const wire = createWireClient({ send: () => undefined });
    const seen: unknown[] = [];
    wire.transport.subscribe('amps:onSubscriptionBatch', (p) => seen.push(p));
    const bad = { ...packBatch(batch), messages: [[1, 'p', 't', 'a', 1, 0, 1], { index: 2 }] };
    expect(() =>
      wire.receive(JSON.stringify({ type: 'batch', channel: 'amps:onSubscriptionBatch', payload: bad })),
    ).not.toThrow();
    wire.receive(JSON.stringify({ type: 'batch', channel: 'amps:onSubscriptionBatch', payload: 'nope' }));
    expect(seen).toEqual([]);
    expect(() => unpackBatch(bad as never)).toThrow(/messages\[1\] is not a packed message/);
  });
});
