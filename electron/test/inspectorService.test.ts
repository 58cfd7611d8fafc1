/**
 * The wire inspector in main: the real client factory against an in-process sandbox on
 * loopback, with the connection, subscription and inspector services as the app wires them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { SubscriptionBatch } from '../../common/src/dto/subscriptions.js';
import type { WireEntryDto } from '../../common/src/dto/inspector.js';
import { createSandboxServer, silentLogger, type SandboxServer } from '../../sandbox/src/index.js';
import { memoryLogger } from '../main/platform/logger.js';
import { clientConnectionFactory } from '../main/services/clientFactory.js';
import { ConnectionService } from '../main/services/connections.js';
import { InspectorService } from '../main/services/inspector/inspectorService.js';
import {
  ServerOverviews,
  overviewOfAmps,
  uptimeSecondsOf,
} from '../main/services/inspector/serverOverview.js';
import { SubscriptionService } from '../main/services/subscriptions.js';
import type { CommandTap } from '../../client/src/client/hooks.js';
import { fakeFactory } from './fakes.js';

const OWNER = 'window:1';
const cleanups: Array<() => Promise<unknown>> = [];

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup() {
  const server: SandboxServer = await createSandboxServer({
    port: 0,
    wsPort: null,
    adminPort: 0,
    logger: silentLogger,
    topics: [{ name: 'orders', sow: true, keys: ['/id'] }],
  });
  cleanups.push(() => server.close());
  const batches: SubscriptionBatch[] = [];
  const connections = new ConnectionService({
    factory: clientConnectionFactory,
    logger: memoryLogger(),
    logonTimeoutMs: 2000,
    profiles: { resolve: () => Promise.reject(new Error('no profiles here')) },
    emitStatus: () => undefined,
  });
  const subscriptions = new SubscriptionService({
    connections,
    logger: memoryLogger(),
    deliverBatch: (_o, b) => batches.push(b),
    deliverEnded: () => undefined,
  });
  let clock = 1_000_000;
  const inspector = new InspectorService({
    connections,
    subscriptions,
    now: () => clock,
    rss: () => 64 * 1024 * 1024,
  });
  cleanups.push(async () => {
    inspector.dispose();
    await subscriptions.shutdown();
    await connections.shutdown();
  });
  const uri = `tcp://127.0.0.1:${server.ports.tcp}/amps/json`;
  const info = await connections.open({ connectionString: uri }, OWNER);
  return {
    server,
    connections,
    subscriptions,
    inspector,
    info,
    uri,
    batches,
    tick: (ms: number) => (clock += ms),
  };
}

async function until<T>(read: () => T | undefined, what: string, ms = 3000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const ackOf = (entries: WireEntryDto[], cid: string | undefined): WireEntryDto | undefined =>
  entries.find(
    (e) => e.direction === 'in' && e.command === 'ack' && e.commandId === cid && e.ackType === 'processed',
  );

describe('InspectorService', () => {
  it('lists the logon, a subscribe and its processed ack with a latency; data is counted, not listed', async () => {
    const s = await setup();
    const id = s.info.connectionId;
    const logon = s.inspector.wireLog(id, OWNER, 0).entries.find((e) => e.command === 'logon');
    expect(logon?.direction).toBe('out');

    await s.subscriptions.subscribe(
      { connectionId: id, topic: 'orders', filter: '/qty > 1', mode: 'subscribe' },
      OWNER,
    );
    const log = s.inspector.wireLog(id, OWNER, 0);
    const sub = log.entries.find((e) => e.command === 'subscribe');
    expect(sub).toMatchObject({ direction: 'out', topic: 'orders', filter: '/qty > 1' });
    expect(sub?.commandId).toBeTruthy();
    const ack = ackOf(log.entries, sub?.commandId);
    expect(ack?.status).toBe('success');
    expect(ack?.latencyMs).toBeGreaterThanOrEqual(0);

    const publisher = await s.connections.open({ connectionString: s.uri }, 'window:2');
    const pub = s.connections.client(publisher.connectionId, 'window:2');
    for (let i = 0; i < 5; i++) await pub.publish('orders', JSON.stringify({ id: i, qty: 5 }));
    const counted = await until(() => {
      const c = s.inspector.wireLog(id, OWNER, log.lastSeq).counters.dataBySub;
      const n = Object.values(c).reduce((a, b) => a + b, 0);
      return n >= 5 ? n : undefined;
    }, 'five data messages counted');
    expect(counted).toBe(5);
    const after = s.inspector.wireLog(id, OWNER, log.lastSeq);
    expect(after.entries.filter((e) => e.command === 'p' || e.command === 'publish')).toEqual([]);
    // The publisher's own inspector counts what it sent per topic.
    expect(s.inspector.wireLog(publisher.connectionId, 'window:2', 0).counters.publishedByTopic.orders).toBe(
      5,
    );
  });

  it('shows a failed ack with the server reason for a filter the server refuses', async () => {
    const s = await setup();
    const id = s.info.connectionId;
    await expect(
      s.subscriptions.subscribe(
        { connectionId: id, topic: 'orders', filter: '/qty >', mode: 'subscribe' },
        OWNER,
      ),
    ).rejects.toThrow();
    const entries = s.inspector.wireLog(id, OWNER, 0).entries;
    const sub = entries.find((e) => e.command === 'subscribe');
    const ack = ackOf(entries, sub?.commandId);
    expect(ack?.status).toBe('failure');
    expect(ack?.reason).toBeTruthy();
  });

  it('lists one data message in N when sampling, and exports NDJSON', async () => {
    const s = await setup();
    const id = s.info.connectionId;
    s.inspector.setSampling(id, OWNER, 2);
    await s.subscriptions.subscribe({ connectionId: id, topic: 'orders', mode: 'subscribe' }, OWNER);
    const pub = s.connections.client(id, OWNER);
    for (let i = 0; i < 4; i++) await pub.publish('orders', JSON.stringify({ id: i }));
    const sampled = await until(() => {
      const list = s.inspector
        .wireLog(id, OWNER, 0)
        .entries.filter((e) => e.sampled === true && e.direction === 'in');
      return list.length >= 2 ? list : undefined;
    }, 'two sampled deliveries');
    expect(sampled).toHaveLength(2);
    expect(s.inspector.wireLog(id, OWNER, 0).sampleEvery).toBe(2);

    const exported = s.inspector.export(id, OWNER);
    const lines = exported.ndjson
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(exported.entries + 1);
    expect(lines.at(-1)).toHaveProperty('counters');
    expect(exported.fileName).toMatch(/^wire-conn-\d+-.*\.ndjson$/);
  });

  it('answers only the owner and forgets a closed connection', async () => {
    const s = await setup();
    const id = s.info.connectionId;
    expect(() => s.inspector.wireLog(id, 'window:other', 0)).toThrow(/another window/);
    expect(s.inspector.size).toBe(1);
    await s.connections.close(id, OWNER);
    expect(s.inspector.size).toBe(0);
    expect(() => s.inspector.wireLog(id, OWNER, 0)).toThrow(/not open/);
  });

  it('reports the message rate since the previous call and each subscription buffer against its budget', async () => {
    const s = await setup();
    const id = s.info.connectionId;
    const ref = await s.subscriptions.subscribe(
      { connectionId: id, topic: 'orders', mode: 'subscribe' },
      OWNER,
    );
    expect(s.inspector.performance(OWNER).messagesInPerSec).toBe(0);
    const pub = s.connections.client(id, OWNER);
    for (let i = 0; i < 10; i++) await pub.publish('orders', JSON.stringify({ id: i }));
    await until(
      () => (s.batches.reduce((n, b) => n + b.messages.length, 0) >= 10 ? true : undefined),
      'delivery',
    );
    s.tick(2000);
    const perf = s.inspector.performance(OWNER);
    expect(perf.messagesInPerSec).toBe(5);
    expect(perf.mainRssMiB).toBe(64);
    expect(perf.perSubscription).toEqual([
      expect.objectContaining({
        subscriptionId: ref.subscriptionId,
        topic: 'orders',
        buffered: 0,
        budget: 50_000,
        dropped: 0,
        received: 10,
      }),
    ]);
  });
});

describe('InspectorService over a new HA loop', () => {
  it('keeps one recorder per connection: a client built by reconnect feeds the same log', async () => {
    const taps: (CommandTap | undefined)[] = [];
    const factory = fakeFactory((c) => {
      Object.assign(c, { setCommandTap: (tap: CommandTap | undefined) => taps.push(tap) });
    });
    const connections = new ConnectionService({
      factory,
      logger: memoryLogger(),
      profiles: { resolve: () => Promise.reject(new Error('no profiles here')) },
      emitStatus: () => undefined,
    });
    const subscriptions = new SubscriptionService({
      connections,
      logger: memoryLogger(),
      deliverBatch: () => undefined,
      deliverEnded: () => undefined,
    });
    const inspector = new InspectorService({ connections, subscriptions });
    cleanups.push(async () => {
      inspector.dispose();
      await subscriptions.shutdown();
      await connections.shutdown();
    });
    const { connectionId } = await connections.open(
      { connectionString: 'tcp://127.0.0.1:1/amps/json' },
      OWNER,
    );
    taps[0]?.sent({ command: 'logon', commandId: '1' }, 0);
    factory.built[0]?.emit({ state: 'closed', error: new Error('Maximum Retry Time Exceeded') });
    await connections.reconnect(connectionId, OWNER);
    expect(taps).toHaveLength(2);
    expect(taps[1]).toBe(taps[0]);
    taps[1]?.sent({ command: 'logon', commandId: '2' }, 0);
    expect(inspector.wireLog(connectionId, OWNER, 0).entries.map((e) => e.commandId)).toEqual(['1', '2']);
  });
});

describe('server overview', () => {
  it('reads the sandbox admin endpoint: instance, version, uptime, clients and topics with counts', async () => {
    const s = await setup();
    const pub = s.connections.client(s.info.connectionId, OWNER);
    await pub.publish('orders', JSON.stringify({ id: 1 }), { ack: 'processed' });
    const overviews = new ServerOverviews({
      sandbox: {
        adminUrl: () => `http://127.0.0.1:${s.server.ports.admin}`,
        connectionStrings: () => [s.uri],
      },
      profileOf: () => Promise.resolve(undefined),
    });
    const o = await overviews.read(s.info);
    expect(o).toMatchObject({ source: 'sandbox', instance: 'amps-explorer-sandbox', clients: 1 });
    expect(o.version).not.toBe('unknown');
    expect(o.uptimeSeconds).toBeGreaterThanOrEqual(0);
    expect(o.topics.find((t) => t.name === 'orders')).toMatchObject({ messages: 1, sowRecords: 1 });
  });

  it('refuses a connection that is neither the sandbox nor has an admin URL, saying what to add', async () => {
    const overviews = new ServerOverviews({ profileOf: () => Promise.resolve(undefined) });
    await expect(
      overviews.read({
        connectionId: 'c',
        name: 'prod',
        connectionString: 'tcp://h:1/amps/json',
        servers: [],
        state: 'loggedOn',
        openedAt: 0,
      }),
    ).rejects.toThrow(/no admin URL/);
  });

  it('maps an AMPS admin instance answer', () => {
    const o = overviewOfAmps(
      {
        amps: {
          instance: {
            name: 'prod-1',
            version: '5.3.4.1',
            uptime: '1 days 02:03:04',
            clients: { a: { name: 'x' }, b: { name: 'y' } },
            sow: [{ topic: 'orders', message_type: 'json', valid_keys: '42' }],
          },
        },
      },
      5,
    );
    expect(o).toEqual({
      source: 'admin',
      instance: 'prod-1',
      version: '5.3.4.1',
      uptimeSeconds: 93_784,
      clients: 2,
      topics: [{ name: 'orders', kind: 'sow', messageType: 'json', sowRecords: 42 }],
      at: 5,
    });
    expect(uptimeSecondsOf('n/a')).toBeUndefined();
    expect(() => overviewOfAmps({}, 0)).toThrow(/amps.instance/);
  });
});
