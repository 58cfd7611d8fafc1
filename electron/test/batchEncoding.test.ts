import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MessageDto, SubscriptionBatch } from '../../common/src/dto/subscriptions.js';
import { CHANNELS } from '../../common/src/ipc/contract.js';
import { createWireClient } from '../../common/src/ipc/wire.js';
import { eventFrameText } from '../host/wsBridge.js';
import { RingBuffer, SubscriptionBatcher } from '../main/services/subscriptionBuffer.js';

describe('RingBuffer.drainMap', () => {
  it('maps the oldest items in order across the wrap-around and removes them', () => {
    const ring = new RingBuffer<number>(4);
    for (let i = 1; i <= 6; i++) ring.push(i); // holds 3..6, wrapped
    expect(ring.drainMap(3, (item, i) => `${i}:${item}`)).toEqual(['0:3', '1:4', '2:5']);
    expect(ring.size).toBe(1);
    ring.push(7);
    expect(ring.drainMap(10, (item) => item * 10)).toEqual([60, 70]);
    expect(ring.size).toBe(0);
  });
});

describe('SubscriptionBatcher message indexes', () => {
  let batches: SubscriptionBatch[];
  beforeEach(() => {
    batches = [];
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('numbers messages by arrival, also after the ring dropped the oldest and across batches', () => {
    const b = new SubscriptionBatcher<string>({
      intervalMs: 20,
      capacity: 4,
      maxBatch: 3,
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
    b.add('s1', 'w1');
    for (let i = 1; i <= 7; i++) b.push('s1', `m${i}`); // m1..m3 dropped
    b.flush();
    expect(batches.map((x) => x.messages.map((m) => [m.index, m.data]))).toEqual([
      [
        [4, 'm4'],
        [5, 'm5'],
        [6, 'm6'],
      ],
      [[7, 'm7']],
    ]);
    expect(batches[1]).toMatchObject({ received: 7, delivered: 4, dropped: 3 });
    b.push('s1', 'm8');
    b.flush();
    expect(batches[2]?.messages.map((m) => m.index)).toEqual([8]);
    b.dispose();
  });
});

describe('eventFrameText', () => {
  it('is exactly the JSON of the event frame', () => {
    const payload = { subscriptionId: 's1', messages: [{ index: 1, data: '{"a":"\\u0001"}' }] };
    for (const [channel, body] of [
      ['amps:onConnectionStatus', payload],
      ['x"y', 'text'],
      ['c', 42],
      ['c', null],
      ['c', undefined],
    ] as const) {
      const text = eventFrameText(channel, body);
      expect(text).toBe(JSON.stringify({ type: 'event', channel, payload: body }));
      expect(JSON.parse(text)).toEqual(
        body === undefined ? { type: 'event', channel } : { type: 'event', channel, payload: body },
      );
    }
  });

  it('sends subscription batches packed, and the wire client gives back the same batch', () => {
    const batch: SubscriptionBatch = {
      subscriptionId: 'sub-1',
      received: 12,
      delivered: 10,
      dropped: 2,
      messages: [
        {
          index: 11,
          command: 'p',
          topic: 'orders',
          data: '{"id":"a\u0001"}',
          size: 14,
          truncated: false,
          receivedAt: 5,
        },
        {
          index: 12,
          command: 'sow',
          topic: 'orders',
          data: 'x'.repeat(8),
          size: 70_000,
          truncated: true,
          receivedAt: 6,
          sowKey: 'k1',
          bookmark: '1|2|',
          timestamp: '20260101T000000',
          correlationId: 'c',
        },
      ],
    };
    const text = eventFrameText(CHANNELS.onSubscriptionBatch, batch);
    expect(text.length).toBeLessThan(
      JSON.stringify({ type: 'event', channel: CHANNELS.onSubscriptionBatch, payload: batch }).length,
    );
    expect(JSON.parse(text)).toMatchObject({ type: 'batch', channel: CHANNELS.onSubscriptionBatch });
    const wire = createWireClient({ send: () => undefined });
    const seen: unknown[] = [];
    wire.transport.subscribe(CHANNELS.onSubscriptionBatch, (p) => seen.push(p));
    wire.receive(text);
    expect(seen).toEqual([batch]);
  });

  it('encodes one payload once however many sockets it goes to', () => {
    const payload = { n: 1 };
    const first = eventFrameText('c', payload);
    payload.n = 2; // an object is never changed after it is emitted; the cache shows it is reused
    expect(eventFrameText('c', payload)).toBe(first);
    expect(eventFrameText('other', payload)).toBe(
      JSON.stringify({ type: 'event', channel: 'other', payload }),
    );
  });
});
