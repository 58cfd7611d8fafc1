import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Message } from '../../client/src/protocol/message.js';
import { MessageStream } from '../../client/src/stream.js';
import type { SubscriptionBatch, SubscriptionEndedEvent } from '../../common/src/dto/subscriptions.js';
import { EventHub } from '../main/ipc/eventHub.js';
import { memoryLogger } from '../main/platform/logger.js';
import type { AmpsConnectionLike, AmpsSubscribeParams } from '../main/services/ampsAdapter.js';
import { toSubscription } from '../main/services/clientFactory.js';
import { ConnectionService } from '../main/services/connections.js';
import { SubscriptionService } from '../main/services/subscriptions.js';
import { fakeFactory, settle, type FakeConnection } from './fakes.js';

const setup = async (capacity = 1000, configure?: (c: FakeConnection) => void) => {
  const factory = fakeFactory(configure);
  const logger = memoryLogger();
  const hub: EventHub = new EventHub();
  const batches: Array<[string, SubscriptionBatch]> = [];
  const ended: Array<[string, SubscriptionEndedEvent]> = [];
  const connections = new ConnectionService({
    factory,
    logger,
    profiles: { resolve: () => Promise.reject(new Error('no profiles')) },
    emitStatus: () => undefined,
  });
  const subscriptions = new SubscriptionService({
    connections,
    logger,
    intervalMs: 20,
    capacity,
    maxDataBytes: 8,
    deliverBatch: (o, b) => batches.push([o, b]),
    deliverEnded: (o, e) => ended.push([o, e]),
    ownerAlive: (o) => hub.has(o),
    now: () => 1234,
  });
  hub.onClientGone((id) => void subscriptions.releaseOwner(id));
  hub.register('w1', { send: () => undefined });
  hub.register('w2', { send: () => undefined });
  const url = 'tcp://127.0.0.1:9007/amps/json';
  const { connectionId } = await connections.open({ connectionString: url }, 'w1');
  // A connection belongs to its window: w2 has its own.
  const { connectionId: w2ConnectionId } = await connections.open({ connectionString: url }, 'w2');
  const client = factory.built[0];
  if (client === undefined) throw new Error('no client');
  return { factory, client, connections, subscriptions, hub, batches, ended, connectionId, w2ConnectionId };
};

/**
 * The one batch both pump paths must produce from a SOW record `{"id":1}` (key k1) and a
 * 13-byte delivery with bookmark b1, for owner w1 with 8-byte previews.
 */
function expectSowRecordThenTruncatedDelivery(
  batches: Awaited<ReturnType<typeof setup>>['batches'],
  subscriptionId: string,
): void {
  expect(batches).toHaveLength(1);
  const [owner, batch] = batches[0] ?? [];
  expect(owner).toBe('w1');
  expect(batch).toMatchObject({ subscriptionId, received: 2, delivered: 2, dropped: 0 });
  expect(batch?.messages[0]).toEqual({
    index: 1,
    command: 'sow',
    topic: 'orders',
    data: '{"id":1}',
    size: 8,
    truncated: false,
    sowKey: 'k1',
    receivedAt: 1234,
  });
  expect(batch?.messages[1]).toMatchObject({ data: '01234567', size: 13, truncated: true, bookmark: 'b1' });
}

describe('SubscriptionService', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] }));
  afterEach(() => vi.useRealTimers());

  it('pumps client messages into batches for the owner, formatted as DTOs', async () => {
    const s = await setup();
    const { subscriptionId } = await s.subscriptions.subscribe(
      {
        connectionId: s.connectionId,
        topic: 'orders',
        filter: '/qty > 1',
        mode: 'sow_and_subscribe',
        options: { batchSize: 10 },
      },
      'w1',
    );
    const sub = s.client.subscriptions[0];
    expect(sub?.kind).toBe('sow_and_subscribe');
    expect(sub?.params).toEqual({ topic: 'orders', filter: '/qty > 1', batchSize: 10 });
    sub?.push('{"id":1}', { command: 'sow', sowKey: 'k1' });
    sub?.push('0123456789abc', { bookmark: 'b1' });
    await settle();
    vi.advanceTimersByTime(20);
    expectSowRecordThenTruncatedDelivery(s.batches, subscriptionId);
    await s.subscriptions.shutdown();
  });

  it('cleans up on unsubscribe: server unsubscribed, ended reported, no more batches', async () => {
    const s = await setup();
    const { subscriptionId } = await s.subscriptions.subscribe(
      { connectionId: s.connectionId, topic: 't', mode: 'subscribe' },
      'w1',
    );
    const sub = s.client.subscriptions[0];
    sub?.push('a');
    await settle();
    await s.subscriptions.unsubscribe(subscriptionId, 'w1');
    expect(sub?.unsubscribed).toBe(1);
    expect(s.ended).toEqual([
      ['w1', { subscriptionId, reason: 'unsubscribed', received: 1, delivered: 0, dropped: 1 }],
    ]);
    vi.advanceTimersByTime(100);
    expect(s.batches).toHaveLength(0);
    expect(s.subscriptions.size).toBe(0);
    expect(s.subscriptions.batcher.timerActive).toBe(false);
  });

  it("refuses to touch another window's subscription", async () => {
    const s = await setup();
    const { subscriptionId } = await s.subscriptions.subscribe(
      { connectionId: s.connectionId, topic: 't', mode: 'subscribe' },
      'w1',
    );
    await expect(s.subscriptions.unsubscribe(subscriptionId, 'w2')).rejects.toMatchObject({
      code: 'unknown-subscription',
    });
    expect(() => s.subscriptions.setPaused(subscriptionId, 'w2', true)).toThrow(/does not exist/);
    expect(s.subscriptions.size).toBe(1);
    await s.subscriptions.shutdown();
  });

  it('cleans up when the owning window closes, leaving other windows alone', async () => {
    const s = await setup();
    await s.subscriptions.subscribe({ connectionId: s.connectionId, topic: 'a', mode: 'subscribe' }, 'w1');
    await s.subscriptions.subscribe({ connectionId: s.w2ConnectionId, topic: 'b', mode: 'subscribe' }, 'w2');
    s.hub.unregister('w1');
    await settle();
    expect(s.factory.built.map((c) => c.subscriptions[0]?.unsubscribed)).toEqual([1, 0]);
    expect(s.ended.map(([o, e]) => [o, e.reason])).toEqual([['w1', 'unsubscribed']]);
    expect(s.subscriptions.size).toBe(1);
    await s.subscriptions.shutdown();
  });

  it('ends subscriptions when their connection closes', async () => {
    const s = await setup();
    await s.subscriptions.subscribe(
      { connectionId: s.connectionId, topic: 'a', mode: 'delta_subscribe' },
      'w1',
    );
    await s.connections.close(s.connectionId, 'w1');
    await settle();
    expect(s.ended.map(([, e]) => e.reason)).toEqual(['connection-closed']);
    expect(s.subscriptions.size).toBe(0);
  });

  it('reports a stream error and a server-side end', async () => {
    const s = await setup();
    await s.subscriptions.subscribe({ connectionId: s.connectionId, topic: 'a', mode: 'subscribe' }, 'w1');
    await s.subscriptions.subscribe({ connectionId: s.connectionId, topic: 'b', mode: 'subscribe' }, 'w1');
    s.client.subscriptions[0]?.fail(
      Object.assign(new Error('socket reset'), {
        name: 'DisconnectedError',
        code: 'disconnected',
        retriable: true,
      }),
    );
    s.client.subscriptions[1]?.end();
    await settle();
    expect(s.ended.map(([, e]) => [e.reason, e.error?.name])).toEqual([
      ['error', 'DisconnectedError'],
      ['server-ended', undefined],
    ]);
  });

  it('undoes a subscription whose window closed while the server was answering', async () => {
    const s = await setup();
    s.hub.unregister('w1');
    await expect(
      s.subscriptions.subscribe({ connectionId: s.connectionId, topic: 'a', mode: 'subscribe' }, 'w1'),
    ).rejects.toMatchObject({
      code: 'client-gone',
    });
    expect(s.client.subscriptions[0]?.unsubscribed).toBe(1);
    expect(s.subscriptions.size).toBe(0);
  });

  it('stops everything at shutdown', async () => {
    const s = await setup();
    await s.subscriptions.subscribe({ connectionId: s.connectionId, topic: 'a', mode: 'subscribe' }, 'w1');
    await s.subscriptions.subscribe(
      { connectionId: s.w2ConnectionId, topic: 'b', mode: 'bookmark', options: { bookmark: '0' } },
      'w2',
    );
    const w2Client = s.factory.built[1];
    expect(w2Client?.subscriptions[0]?.kind).toBe('bookmark_subscribe');
    await s.subscriptions.shutdown();
    const all = s.factory.built.flatMap((c) => c.subscriptions);
    expect(all).toHaveLength(2);
    expect(all.every((x) => x.unsubscribed === 1)).toBe(true);
    expect(s.subscriptions.size).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('rejects a bookmark subscription without a bookmark, and an unknown connection', async () => {
    const s = await setup();
    await expect(
      s.subscriptions.subscribe({ connectionId: s.connectionId, topic: 'a', mode: 'bookmark' }, 'w1'),
    ).rejects.toThrow(/options\.bookmark: required/);
    await expect(
      s.subscriptions.subscribe({ connectionId: 'conn-99', topic: 'a', mode: 'subscribe' }, 'w1'),
    ).rejects.toMatchObject({
      code: 'unknown-connection',
    });
  });

  it('passes the server error of a refused subscription through', async () => {
    const s = await setup();
    s.client.subscribeError = Object.assign(new Error('bad filter'), {
      name: 'BadFilterError',
      code: 'bad filter',
    });
    await expect(
      s.subscriptions.subscribe({ connectionId: s.connectionId, topic: 'a', mode: 'subscribe' }, 'w1'),
    ).rejects.toMatchObject({
      name: 'BadFilterError',
    });
    expect(s.subscriptions.size).toBe(0);
  });
});

/** Makes every subscription of `c` a client MessageStream behind the real adapter (which drains). */
const streamBacked =
  (streams: MessageStream[]) =>
  (fake: FakeConnection): void => {
    const c: AmpsConnectionLike = fake;
    const open = (kind: string) => (p: AmpsSubscribeParams) => {
      fake.calls.push(`${kind} ${p.topic}`);
      const stream = new MessageStream({ subId: `s${streams.length + 1}` });
      streams.push(stream);
      return Promise.resolve(toSubscription(stream));
    };
    c.subscribe = open('subscribe');
    c.deltaSubscribe = open('delta_subscribe');
    c.sowAndSubscribe = open('sow_and_subscribe');
    c.bookmarkSubscribe = open('bookmark_subscribe');
  };

const message = (command: string, data: string, extra: Record<string, string> = {}): Message =>
  new Message({ command, topic: 'orders', ...extra }, Buffer.from(data));

describe('SubscriptionService over a draining handle', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] }));
  afterEach(() => vi.useRealTimers());

  it('takes each message as it arrives, without queueing, into the same batches', async () => {
    const streams: MessageStream[] = [];
    const s = await setup(1000, streamBacked(streams));
    const { subscriptionId } = await s.subscriptions.subscribe(
      { connectionId: s.connectionId, topic: 'orders', mode: 'sow_and_subscribe' },
      'w1',
    );
    const stream = streams[0];
    if (stream === undefined) throw new Error('no stream');
    expect(stream.isDraining).toBe(true);
    stream.push(message('sow', '{"id":1}', { sowKey: 'k1' }));
    stream.push(new Message({ command: 'ack', ackType: 'completed' }));
    stream.push(message('publish', '0123456789abc', { bookmark: 'b1' }));
    // Handed over synchronously: already counted, nothing left in the stream.
    expect(s.subscriptions.batcher.counts(subscriptionId)?.received).toBe(2);
    expect(stream.depth).toBe(0);
    vi.advanceTimersByTime(20);
    expectSowRecordThenTruncatedDelivery(s.batches, subscriptionId);
    await s.subscriptions.shutdown();
    expect(stream.isEnded).toBe(true);
    expect(s.ended.map(([, e]) => e.reason)).toEqual(['connection-closed']);
  });

  it('reports a stream error and a server-side end as the iterating pump does', async () => {
    const streams: MessageStream[] = [];
    const s = await setup(1000, streamBacked(streams));
    await s.subscriptions.subscribe({ connectionId: s.connectionId, topic: 'a', mode: 'subscribe' }, 'w1');
    await s.subscriptions.subscribe({ connectionId: s.connectionId, topic: 'b', mode: 'subscribe' }, 'w1');
    streams[0]?.push(message('publish', 'x'));
    streams[0]?.end(
      Object.assign(new Error('socket reset'), { name: 'DisconnectedError', code: 'disconnected' }),
    );
    streams[1]?.end();
    await settle();
    expect(s.ended.map(([, e]) => [e.reason, e.received, e.error?.name])).toEqual([
      ['error', 1, 'DisconnectedError'],
      ['server-ended', 0, undefined],
    ]);
    expect(s.subscriptions.size).toBe(0);
  });

  it('closes the stream on unsubscribe and reports the end once', async () => {
    const streams: MessageStream[] = [];
    const s = await setup(1000, streamBacked(streams));
    const { subscriptionId } = await s.subscriptions.subscribe(
      { connectionId: s.connectionId, topic: 't', mode: 'bookmark', options: { bookmark: '0' } },
      'w1',
    );
    streams[0]?.push(message('publish', 'a'));
    await s.subscriptions.unsubscribe(subscriptionId, 'w1');
    await settle();
    expect(streams[0]?.isEnded).toBe(true);
    expect(streams[0]?.isDraining).toBe(false);
    expect(s.ended).toEqual([
      ['w1', { subscriptionId, reason: 'unsubscribed', received: 1, delivered: 0, dropped: 1 }],
    ]);
  });

  it('stops draining, closing the stream, at the first message after its subscription ended', async () => {
    const streams: MessageStream[] = [];
    const s = await setup(1000, streamBacked(streams));
    await s.subscriptions.subscribe(
      { connectionId: s.connectionId, topic: 'a', mode: 'delta_subscribe' },
      'w1',
    );
    // The fake connection's close leaves the stream open: the service ends the subscription only.
    await s.connections.close(s.connectionId, 'w1');
    expect(streams[0]?.isEnded).toBe(false);
    streams[0]?.push(message('publish', 'late'));
    await settle();
    expect(streams[0]?.isEnded).toBe(true);
    expect(s.ended.map(([, e]) => [e.reason, e.received])).toEqual([['connection-closed', 0]]);
  });
});
