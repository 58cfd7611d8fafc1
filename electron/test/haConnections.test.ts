/**
 * HA connections end to end in the main process: the real client factory (HAClient) against
 * in-process sandboxes on loopback, with the connection and subscription services as the app
 * wires them. A server is stopped and started again; the subscription must keep receiving.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Client } from '../../client/src/client.js';
import type { ConnectionStatusEvent } from '../../common/src/dto/connections.js';
import type { Profile } from '../../common/src/dto/profiles.js';
import type { SubscriptionBatch, SubscriptionEndedEvent } from '../../common/src/dto/subscriptions.js';
import { createSandboxServer, silentLogger, type SandboxServer } from '../../sandbox/src/index.js';
import { memoryLogger } from '../main/platform/logger.js';
import { clientConnectionFactory } from '../main/services/clientFactory.js';
import { ConnectionService } from '../main/services/connections.js';
import { publishMessage } from '../main/services/publish.js';
import { SubscriptionService } from '../main/services/subscriptions.js';

const OWNER = 'window:1';
const running = new Set<SandboxServer>();
const cleanups: Array<() => Promise<unknown>> = [];

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  for (const s of [...running]) await stop(s);
});

async function sandbox(port = 0, journalDir?: string): Promise<SandboxServer> {
  const server = await createSandboxServer({
    port,
    wsPort: null,
    adminPort: null,
    logger: silentLogger,
    topics: [{ name: 'keyed', sow: true, keys: ['/id'] }],
    ...(journalDir === undefined ? {} : { journalDir, txlogPatterns: ['^ticks$'] }),
  });
  running.add(server);
  return server;
}

async function stop(server: SandboxServer): Promise<void> {
  running.delete(server);
  await server.close();
}

function portOf(server: SandboxServer): number {
  const port = server.ports.tcp;
  if (port === undefined) throw new Error('the sandbox has no TCP listener');
  return port;
}

const uriOf = (server: SandboxServer | number): string =>
  `tcp://127.0.0.1:${typeof server === 'number' ? server : portOf(server)}/amps/json`;

function profileFor(servers: string[], delayMs = 100): Profile {
  return {
    id: 'ha',
    name: 'HA pair',
    servers,
    hasPassword: false,
    tls: { verify: true },
    ha: { delay: { kind: 'fixed', delayMs }, resubscribe: true },
    bookmarkStore: { kind: 'memory' },
    publishStore: { kind: 'memory' },
    production: false,
    builtIn: false,
    messageType: 'json',
  };
}

function services(profile: Profile) {
  const events: ConnectionStatusEvent[] = [];
  const batches: SubscriptionBatch[] = [];
  const ended: SubscriptionEndedEvent[] = [];
  const connections = new ConnectionService({
    factory: clientConnectionFactory,
    logger: memoryLogger(),
    logonTimeoutMs: 2000,
    profiles: { resolve: async () => ({ profile }) },
    emitStatus: (_owner, e) => events.push(e),
  });
  const subscriptions = new SubscriptionService({
    connections,
    logger: memoryLogger(),
    intervalMs: 16,
    deliverBatch: (_owner, b) => batches.push(b),
    deliverEnded: (_owner, e) => ended.push(e),
  });
  cleanups.push(
    () => connections.shutdown(),
    () => subscriptions.shutdown(),
  );
  const received = (): string[] => batches.flatMap((b) => b.messages.map((m) => m.data));
  return { connections, subscriptions, events, ended, received, batches };
}

/** Publishes one message straight to a server with a plain client. */
async function publishTo(server: SandboxServer, topic: string, data: string): Promise<void> {
  const client = new Client(`publisher-${Math.random().toString(36).slice(2, 8)}`);
  await client.connect(uriOf(server));
  await client.logon({ timeoutMs: 2000 });
  client.publish(topic, data);
  await client.publishFlush(2000);
  await client.disconnect();
}

const until = async (check: () => boolean, what: string, ms = 8000): Promise<void> => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('an HA connection in the main process', () => {
  it('fails over to the second server when the first stops, and the subscription keeps receiving', async () => {
    const a = await sandbox();
    const b = await sandbox();
    const s = services(profileFor([uriOf(a), uriOf(b)]));
    const { connectionId } = await s.connections.open({ profileId: 'ha' }, OWNER);
    const { subscriptionId } = await s.subscriptions.subscribe(
      { connectionId, topic: 'orders', mode: 'subscribe' },
      OWNER,
    );
    await publishTo(a, 'orders', '{"n":1}');
    await until(() => s.received().includes('{"n":1}'), 'first message');

    s.events.length = 0;
    await stop(a);
    await until(() => s.events.some((e) => e.state === 'failedOver'), 'failover');
    await until(
      () => s.connections.haStatus(connectionId, OWNER).timeline.some((t) => t.kind === 'resubscribed'),
      'resubscribed',
    );
    await publishTo(b, 'orders', '{"n":2}');
    await until(() => s.received().includes('{"n":2}'), 'message from the second server');

    // States in the order the UI shows them.
    const states = s.events.map((e) => e.state);
    const order: Array<ConnectionStatusEvent['state']> = [
      'disconnected',
      'reconnecting',
      'connecting',
      'loggedOn',
      'failedOver',
    ];
    let at = -1;
    for (const state of order) {
      const next = states.indexOf(state, at + 1);
      expect(
        next,
        `${state} after ${order[order.indexOf(state) - 1] ?? 'start'} in ${states.join(',')}`,
      ).toBeGreaterThan(at);
      at = next;
    }
    expect(s.events.find((e) => e.state === 'disconnected')?.error).toBeDefined();
    expect(s.events.at(-1)).toMatchObject({ serverIndex: 1, connectionString: uriOf(b) });
    const ha = s.connections.haStatus(connectionId, OWNER);
    expect(ha.currentIndex).toBe(1);
    expect(ha.servers[0]?.failures).toBeGreaterThan(0);
    expect(ha.servers[1]).toMatchObject({ current: true, logons: 1 });
    expect(ha.timeline.some((t) => t.kind === 'failedOver' && t.serverIndex === 1)).toBe(true);
    // The same subscription, never ended.
    expect(s.ended).toEqual([]);
    expect(s.subscriptions.list(OWNER).map((x) => x.subscriptionId)).toEqual([subscriptionId]);
  });

  it('reconnects by itself when its only server comes back, and the subscription resumes', async () => {
    const a = await sandbox();
    const port = portOf(a);
    const s = services(profileFor([uriOf(port)], 150));
    const { connectionId } = await s.connections.open({ profileId: 'ha' }, OWNER);
    await s.subscriptions.subscribe({ connectionId, topic: 'orders', mode: 'subscribe' }, OWNER);
    s.events.length = 0;
    await stop(a);
    // Waiting between attempts: "reconnecting in T (attempt K)".
    await until(
      () => s.events.some((e) => e.retryInMs !== undefined && (e.attempt ?? 0) >= 2),
      'a scheduled retry',
    );
    const waiting = s.events.find((e) => e.retryInMs !== undefined);
    expect(waiting).toMatchObject({ state: 'reconnecting', retryInMs: 150, serverIndex: 0 });
    expect(waiting?.nextAttemptAt).toBe((waiting?.at ?? 0) + 150);

    const back = await sandbox(port);
    await until(() => s.connections.list(OWNER)[0]?.state === 'loggedOn', 'logged on again');
    await until(
      () => s.connections.haStatus(connectionId, OWNER).timeline.some((t) => t.kind === 'resubscribed'),
      'resubscribed',
    );
    await publishTo(back, 'orders', '{"back":true}');
    await until(() => s.received().includes('{"back":true}'), 'message after the restart');
    expect(s.ended).toEqual([]);
  });

  it('"reconnect now" skips a long wait', async () => {
    const a = await sandbox();
    const port = portOf(a);
    const s = services(profileFor([uriOf(port)], 60_000));
    const { connectionId } = await s.connections.open({ profileId: 'ha' }, OWNER);
    await stop(a);
    await until(() => s.events.some((e) => e.retryInMs === 60_000), 'the long wait');
    await sandbox(port);
    const started = Date.now();
    await s.connections.reconnect(connectionId, OWNER);
    await until(() => s.connections.list(OWNER)[0]?.state === 'loggedOn', 'logged on after reconnect now');
    expect(Date.now() - started).toBeLessThan(30_000);
    const kinds = s.connections.haStatus(connectionId, OWNER).timeline.map((t) => t.kind);
    expect(kinds.indexOf('reconnectNow')).toBeLessThan(kinds.lastIndexOf('loggedOn'));
  });

  it('"simulate failover" drops the live server and moves on to the next one', async () => {
    const a = await sandbox();
    const b = await sandbox();
    const s = services(profileFor([uriOf(a), uriOf(b)]));
    const { connectionId } = await s.connections.open({ profileId: 'ha' }, OWNER);
    await s.subscriptions.subscribe({ connectionId, topic: 'orders', mode: 'subscribe' }, OWNER);
    s.connections.simulateFailover(connectionId, OWNER);
    await until(
      () => s.connections.list(OWNER)[0]?.serverIndex === 1 && s.events.at(-1)?.state === 'failedOver',
      'failover',
    );
    await until(
      () => s.connections.haStatus(connectionId, OWNER).timeline.some((t) => t.kind === 'resubscribed'),
      'resubscribed',
    );
    await publishTo(b, 'orders', '{"after":"simulated"}');
    await until(() => s.received().includes('{"after":"simulated"}'), 'message from the second server');
    const kinds = s.connections.haStatus(connectionId, OWNER).timeline.map((t) => t.kind);
    expect(kinds.slice(kinds.indexOf('simulatedFailover'))).toEqual(
      expect.arrayContaining(['disconnected', 'loggedOn', 'failedOver']),
    );
  });

  it('reports the ack of a publish: success with the server, and a refusal with its reason', async () => {
    const a = await sandbox();
    const s = services({ ...profileFor([uriOf(a)]), publishStore: { kind: 'none' } });
    const { connectionId } = await s.connections.open({ profileId: 'ha' }, OWNER);
    const ok = await publishMessage(
      s.connections,
      { connectionId, topic: 'keyed', data: '{"id":1,"qty":2}', ack: 'processed' },
      OWNER,
    );
    expect(ok).toEqual({ ack: { status: 'success' }, server: uriOf(a) });
    // A SOW topic keyed on /id refuses a message without one: reported, not "sent".
    const refused = await publishMessage(
      s.connections,
      { connectionId, topic: 'keyed', data: '{"qty":2}', ack: 'processed' },
      OWNER,
    );
    expect(refused.ack?.status).toBe('failure');
    expect(refused.ack?.reason).toMatch(/sow key|key/i);
    const persisted = await publishMessage(
      s.connections,
      { connectionId, topic: 'keyed', data: '{"id":2}', ack: 'persisted', correlationId: 'Y29ycg' },
      OWNER,
    );
    expect(persisted.ack?.status).toBe('success');
  });

  it('counts a publish sent without an ack that the server refuses, with its reason, in the HA view', async () => {
    const a = await sandbox();
    const s = services(profileFor([uriOf(a)]));
    const { connectionId } = await s.connections.open({ profileId: 'ha' }, OWNER);
    await publishMessage(s.connections, { connectionId, topic: 'keyed', data: '{"qty":1}' }, OWNER);
    await until(
      () => s.connections.haStatus(connectionId, OWNER).publishStore.failedWrites === 1,
      'failed write',
    );
    const store = s.connections.haStatus(connectionId, OWNER).publishStore;
    expect(store.lastFailedWrite?.reason).toMatch(/key/i);
    expect(store.lastFailedWrite?.at).toBeGreaterThan(0);
  });

  it('shows the unpersisted messages of the publish store while the server is away', async () => {
    const a = await sandbox();
    const port = portOf(a);
    const s = services(profileFor([uriOf(port)], 60_000));
    const { connectionId } = await s.connections.open({ profileId: 'ha' }, OWNER);
    await stop(a);
    await until(() => s.events.some((e) => e.retryInMs === 60_000), 'the long wait');
    const result = await publishMessage(
      s.connections,
      { connectionId, topic: 'orders', data: '{"kept":1}' },
      OWNER,
    );
    expect(result.stored).toBe(true);
    const ha = s.connections.haStatus(connectionId, OWNER);
    expect(ha.publishStore).toMatchObject({
      kind: 'memory',
      unpersisted: 1,
      messages: [{ topic: 'orders', size: 10 }],
    });
    // Back: the store is replayed and emptied.
    const back = await sandbox(port);
    await s.connections.reconnect(connectionId, OWNER);
    await until(() => s.connections.haStatus(connectionId, OWNER).publishStore.unpersisted === 0, 'replayed');
    void back;
  });

  it('resumes a bookmark subscription from the file bookmark store after the server restarts: no gap, no duplicate', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'amps-ha-bm-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const journal = join(dir, 'journal');
    const a = await sandbox(0, journal);
    const port = portOf(a);
    const profile: Profile = {
      ...profileFor([uriOf(port)], 100),
      bookmarkStore: { kind: 'file', path: join(dir, 'ticks.bm') },
    };
    const s = services(profile);
    const { connectionId } = await s.connections.open({ profileId: 'ha' }, OWNER);
    const { subscriptionId } = await s.subscriptions.subscribe(
      { connectionId, topic: 'ticks', mode: 'bookmark', options: { bookmark: '0' } },
      OWNER,
    );
    for (let n = 1; n <= 3; n++) await publishTo(a, 'ticks', `{"n":${n}}`);
    await until(() => s.received().length === 3, 'the first three');
    // The HA view's "most recent bookmark": the store's resume point, the last message's bookmark.
    const lastBookmark = s.batches.flatMap((b) => b.messages).at(-1)?.bookmark;
    expect(lastBookmark).toBeDefined();
    const [bookmarked] = s.subscriptions.bookmarkSubscriptions(connectionId);
    expect(bookmarked).toMatchObject({ subscriptionId, topic: 'ticks' });
    const client = s.connections.client(connectionId, OWNER);
    await until(() => client.mostRecentBookmark(bookmarked?.subId ?? '') === lastBookmark, 'store caught up');

    await stop(a);
    const back = await sandbox(port, journal);
    await until(
      () => s.connections.haStatus(connectionId, OWNER).timeline.some((t) => t.kind === 'resubscribed'),
      'resubscribed',
    );
    for (let n = 4; n <= 5; n++) await publishTo(back, 'ticks', `{"n":${n}}`);
    await until(() => s.received().length >= 5, 'the rest');
    await new Promise((r) => setTimeout(r, 100));
    expect(s.received()).toEqual(['{"n":1}', '{"n":2}', '{"n":3}', '{"n":4}', '{"n":5}']);
    expect(s.subscriptions.list(OWNER)[0]?.subscriptionId).toBe(subscriptionId);
  });
});
