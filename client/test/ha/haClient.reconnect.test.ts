/** HAClient after a drop: resubscription into the same streams, publish-store replay, the order of §12.4. */
import { afterEach, describe, expect, it } from 'vitest';
import { DisconnectedError } from '../../src/errors.js';
import { FixedDelayStrategy } from '../../src/ha/delayStrategy.js';
import type { HAClient } from '../../src/ha/haClient.js';
import type { HAConnectionState } from '../../src/ha/haClient.js';
import { MemoryPublishStore } from '../../src/stores/publish/memoryPublishStore.js';
import { closeOpened, scriptedServer, testHAClient, waitFor } from './haClientHelpers.js';

afterEach(closeOpened);

const server = scriptedServer;

const haClient = testHAClient;

/** Counts the times `state` was reported. */
function counter(ha: HAClient, state: HAConnectionState): () => number {
  let n = 0;
  ha.addConnectionStateListener((s) => {
    if (s.state === state) n++;
  });
  return () => n;
}

describe('HAClient reconnect', () => {
  it('re-places every subscription after a drop and the same stream keeps yielding', async () => {
    const srv = await server();
    const ha = haClient('resub', [srv.uri]);
    const resubscribed = counter(ha, 'resubscribed');
    await ha.connectAndLogon();
    const orders = await ha.subscribe('orders', '/qty > 5');
    const fills = await ha.sowAndSubscribe('fills', undefined, { subId: 'my-fills' });
    srv.emit('orders', '{"n":1}');
    expect((await orders.read(2000))?.text).toBe('{"n":1}');

    srv.dropAll();
    await waitFor('resubscription', () => resubscribed() === 1);
    srv.emit('orders', '{"n":2}');
    expect((await orders.read(2000))?.text).toBe('{"n":2}');
    expect(orders.isEnded).toBe(false);

    const subs = srv.commands('subscribe');
    expect(subs).toHaveLength(2);
    expect(subs.map((s) => [s.connection, s.fields.subId, s.fields.filter])).toEqual([
      [1, orders.subId, '/qty > 5'],
      [2, orders.subId, '/qty > 5'],
    ]);
    expect(subs[0]?.fields.commandId).toBeDefined();
    const sows = srv.commands('sow_and_subscribe');
    expect(sows.map((s) => [s.connection, s.fields.subId, s.fields.batchSize])).toEqual([
      [1, 'my-fills', '10'],
      [2, 'my-fills', '10'],
    ]);
    fills.close();
    await waitFor('unsubscribe', () => srv.commands('unsubscribe').length === 1);
    expect(srv.commands('unsubscribe')[0]?.fields.subId).toBe('my-fills');
  });

  it('fails over to the next server and resubscribes there', async () => {
    const a = await server();
    const b = await server();
    const ha = haClient('failover', [a.uri, b.uri]);
    const failedOver = counter(ha, 'failedOver');
    await ha.connectAndLogon();
    const seen: string[] = [];
    const subId = await ha.subscribe('orders', undefined, { handler: (m) => seen.push(m.text) });
    await a.close();
    await waitFor('failover', () => failedOver() === 1 && ha.isConnected);
    b.emit('orders', 'from b');
    await waitFor('delivery from b', () => seen.length === 1);
    expect(seen).toEqual(['from b']);
    expect(b.commands('subscribe')[0]?.fields.subId).toBe(subId);
  });

  it('replays unacknowledged publishes after reconnect, in order, with their sequence numbers', async () => {
    const srv = await server();
    const store = new MemoryPublishStore();
    const ha = haClient('publisher', [srv.uri], { publishStore: store });
    const resubscribed = counter(ha, 'resubscribed');
    ha.setHeartbeat(30);
    await ha.connectAndLogon();
    await ha.subscribe('orders');
    const seqs = [1, 2, 3].map((n) => ha.publish('orders', `{"n":${n}}`));
    await waitFor('three publishes', () => srv.commands('publish').length === 3);
    expect(ha.getUnpersistedCount()).toBe(3);

    srv.dropAll();
    await waitFor('resubscription', () => resubscribed() === 1);
    await waitFor('heartbeat start', () =>
      srv.seen.some((s) => s.connection === 2 && s.fields.command === 'heartbeat'),
    );
    const second = srv.seen.filter((s) => s.connection === 2);
    // §12.4: logon, heartbeat start, resubscription; the publish store is replayed by the
    // logon itself, as the C-family client does.
    expect(second.map((s) => s.fields.command)).toEqual([
      'logon',
      'publish',
      'publish',
      'publish',
      'heartbeat',
      'subscribe',
    ]);
    const replayed = second.filter((s) => s.fields.command === 'publish');
    expect(replayed.map((s) => s.fields.sequence)).toEqual(seqs);
    expect(replayed.map((s) => s.payload)).toEqual(['{"n":1}', '{"n":2}', '{"n":3}']);
    expect(replayed.every((s) => s.fields.ackType === 'persisted')).toBe(true);
    expect(second.find((s) => s.fields.command === 'heartbeat')?.fields.options).toBe('start,30');

    // Once the server acknowledges, the store empties.
    srv.ackPublishes = true;
    ha.publish('orders', '{"n":4}');
    await waitFor('store emptied', () => ha.getUnpersistedCount() === 0);
  });

  it('keeps publishes made while disconnected and sends them after the next logon', async () => {
    const srv = await server();
    srv.ackPublishes = true;
    const ha = haClient('offline-publisher', [srv.uri], { publishStore: new MemoryPublishStore() });
    const s1 = ha.publish('orders', 'early-1');
    const s2 = ha.deltaPublish('orders', 'early-2');
    expect(ha.getUnpersistedCount()).toBe(2);
    await ha.connectAndLogon();
    await waitFor('replay', () => srv.seen.filter((s) => s.fields.sequence !== undefined).length === 2);
    const sent = srv.seen.filter((s) => s.fields.sequence !== undefined);
    expect(sent.map((s) => [s.fields.command, s.fields.sequence, s.payload])).toEqual([
      ['publish', s1, 'early-1'],
      ['delta_publish', s2, 'early-2'],
    ]);
    await ha.publishFlush(2000);
    expect(ha.getUnpersistedCount()).toBe(0);
    // The server acknowledged up to s2: a reconnect replays nothing.
    srv.dropAll();
    await waitFor('reconnect', () => srv.connectionCount === 2 && ha.isConnected);
    expect(srv.seen.filter((s) => s.connection === 2 && s.fields.command !== 'logon')).toEqual([]);
  });

  it('without a publish store, publishing while disconnected throws DisconnectedError', async () => {
    const srv = await server();
    const ha = haClient('no-store', [srv.uri]);
    expect(() => ha.publish('orders', 'x')).toThrow(DisconnectedError);
    await expect(ha.sow('orders')).rejects.toBeInstanceOf(DisconnectedError);
    await ha.connectAndLogon();
    ha.publish('orders', 'y');
    await waitFor('publish', () => srv.commands('publish').length === 1);
    expect(srv.commands('publish')[0]?.fields.sequence).toBeUndefined();
  });

  it('places subscriptions made while disconnected once connected', async () => {
    const srv = await server();
    const ha = haClient('early-sub', [srv.uri]);
    const stream = await ha.subscribe('orders');
    expect(srv.commands('subscribe')).toHaveLength(0);
    await ha.connectAndLogon();
    expect(srv.commands('subscribe')).toHaveLength(1);
    srv.emit('orders', 'hello');
    expect((await stream.read(2000))?.text).toBe('hello');
  });

  it('gives up after the delay strategy limit: streams end with the error and the client is closed', async () => {
    const srv = await server();
    const uri = srv.uri;
    const ha = haClient('gives-up', [uri], { delayStrategy: new FixedDelayStrategy(20, 200) });
    const closed = counter(ha, 'closed');
    await ha.connectAndLogon();
    const stream = await ha.subscribe('orders');
    await srv.close();
    await waitFor('give-up', () => closed() === 1);
    await expect(stream.read(1000)).rejects.toThrow(/could not connect.*Maximum Retry Time Exceeded/);
    expect(ha.currentStatus?.state).toBe('closed');
    expect(ha.currentStatus?.error?.message).toContain(uri);
  });

  it('replaces a connection whose heartbeats stop', async () => {
    const srv = await server(); // never sends heartbeats
    const ha = haClient('heartbeats', [srv.uri]);
    const states: string[] = [];
    ha.addConnectionStateListener((s) => states.push(s.state));
    expect(() => ha.setHeartbeat(1.5)).toThrow(/whole number of seconds/);
    expect(() => ha.setHeartbeat(2, 1)).toThrow(/at least the interval/);
    ha.setHeartbeat(1, 1);
    await ha.connectAndLogon();
    const stream = await ha.subscribe('orders');
    await waitFor('heartbeat loss and recovery', () => states.includes('resubscribed'), 5000);
    expect(states.slice(0, 6)).toEqual([
      'connecting',
      'loggedOn',
      'heartbeatMissed',
      'disconnected',
      'reconnecting',
      'connecting',
    ]);
    expect(srv.commands('heartbeat')[0]?.fields.options).toBe('start,1');
    srv.emit('orders', 'still here');
    expect((await stream.read(2000))?.text).toBe('still here');
  });

  it('ends only the subscription the server refuses on resubscription', async () => {
    const srv = await server();
    const ha = haClient('refused-resub', [srv.uri]);
    const errors: unknown[] = [];
    ha.setExceptionListener((e) => errors.push(e));
    const resubscribed = counter(ha, 'resubscribed');
    await ha.connectAndLogon();
    const good = await ha.subscribe('orders');
    const doomed = await ha.subscribe('fills', '/px > 0');
    await expect(ha.subscribe('other', undefined, { subId: good.subId ?? '' })).rejects.toThrow(
      /already exists/,
    );
    srv.refuseSubscribe = (f) => (f.topic === 'fills' ? 'bad filter' : undefined);
    srv.dropAll();
    await waitFor('resubscription', () => resubscribed() === 1);
    await expect(doomed.read(1000)).rejects.toThrow(/bad filter/);
    expect(errors.some((e) => e instanceof Error && /bad filter/.test(e.message))).toBe(true);
    srv.emit('orders', 'ok');
    expect((await good.read(2000))?.text).toBe('ok');
    // A refusal of a new subscription rejects the call and keeps nothing.
    await expect(ha.subscribe('fills')).rejects.toThrow(/bad filter/);
  });

  it('close() ends the streams cleanly and stops reconnecting', async () => {
    const srv = await server();
    const ha = haClient('closing', [srv.uri]);
    await ha.connectAndLogon();
    const stream = await ha.subscribe('orders');
    await ha.close();
    expect(await stream.read(500)).toBeUndefined();
    expect(ha.isConnected).toBe(false);
    await waitFor('server sees the close', () => srv.openConnections === 0);
    await new Promise((r) => setTimeout(r, 50));
    expect(srv.connectionCount).toBe(1);
  });
});
