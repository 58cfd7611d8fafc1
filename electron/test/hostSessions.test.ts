import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { SubscriptionBatch, SubscriptionEndedEvent } from '../../common/src/dto/subscriptions.js';
import type { ExplorerApi } from '../../common/src/ipc/contract.js';
import { createApi } from '../../common/src/ipc/createApi.js';
import { createWireClient } from '../../common/src/ipc/wire.js';
import { createBackend } from '../main/backend.js';
import type { Backend } from '../main/backend.js';
import { memoryLogger } from '../main/platform/logger.js';
import { createMemoryCipher } from '../main/platform/secretCipher.js';
import {
  CLOSE_REPLACED,
  MAX_PENDING_SOCKETS,
  PRE_AUTH_MAX_PAYLOAD,
  startHostServer,
} from '../host/server.js';
import type { HostServer } from '../host/server.js';
import { fakeFactory } from './fakes.js';

const GRACE_MS = 400;
const ATTACH_MS = 400;
const URL_ = 'tcp://127.0.0.1:9007/amps/json';

let dir: string;
let host: HostServer;
let backend: Backend;
let factory: ReturnType<typeof fakeFactory>;
const sockets: WebSocket[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'amps-host-sessions-'));
  factory = fakeFactory();
  let origins: string[] = [];
  backend = createBackend({
    mode: 'browser',
    version: '0.0.0-test',
    userDataDir: dir,
    cipher: createMemoryCipher(),
    factory,
    logger: memoryLogger(),
    allowedOrigins: () => origins,
    batchIntervalMs: 16,
    ownerGraceMs: GRACE_MS,
    attachDeadlineMs: ATTACH_MS,
  });
  host = await startHostServer({
    hub: backend.hub,
    wrapper: backend.wrapper,
    logger: memoryLogger(),
    authTimeoutMs: 1500,
  });
  origins = [host.origin];
});

afterEach(async () => {
  for (const ws of sockets.splice(0)) ws.terminate();
  await host.close();
  await backend.shutdown();
  await rm(dir, { recursive: true, force: true });
});

const within = <T>(promise: Promise<T>, what: string, ms = 3000): Promise<T> =>
  Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`timed out: ${what}`)), ms).unref()),
  ]);

const until = (check: () => boolean, what: string): Promise<void> =>
  within(
    (async () => {
      while (!check()) await new Promise((r) => setTimeout(r, 10));
    })(),
    what,
  );

const closed = (ws: WebSocket): Promise<number> =>
  within(new Promise<number>((resolve) => ws.once('close', (code) => resolve(code))), 'socket close');

/** A page: a socket with the token and a session id in the query, and the API over it. */
async function page(session: string): Promise<{ ws: WebSocket; api: ExplorerApi }> {
  const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ws?token=${host.token}&session=${session}`, {
    origin: host.origin,
  });
  sockets.push(ws);
  const client = createWireClient({ send: (t) => ws.send(t) });
  ws.on('message', (data) => client.receive(String(data)));
  ws.on('close', (code) => client.closed(`code ${code}`));
  await within(new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject)), 'open');
  await within(client.ready, 'ready');
  return { ws, api: createApi(client.transport) };
}

/** A socket that never shows the token. */
const stranger = (): Promise<WebSocket> =>
  within(
    new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ws`);
      sockets.push(ws);
      ws.once('open', () => resolve(ws));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      ws.once('error', reject);
    }),
    'stranger open',
  );

describe('browser host: limits before the token', () => {
  it('closes unauthenticated sockets that send big frames, and registers none of them', async () => {
    // The audit's case: 8 sockets, each sending a big frame before any token.
    const big = 'x'.repeat(1024 * 1024);
    expect(big.length).toBeGreaterThan(PRE_AUTH_MAX_PAYLOAD);
    const strangers = await Promise.all(Array.from({ length: 8 }, () => stranger()));
    const codes = strangers.map((ws) => closed(ws));
    for (const ws of strangers) ws.send(big);
    // 1009: the frame is over the pre-authentication limit; the host drops the socket.
    expect(await Promise.all(codes)).toEqual(Array(8).fill(1009));
    expect(backend.hub.clientIds).toEqual([]);

    // An authenticated page may still send a big publish.
    const { api } = await page('session-big-frame');
    const { connectionId } = await api.openConnection({ connectionString: URL_ });
    const payload = 'y'.repeat(3 * 1024 * 1024);
    await api.publish({ connectionId, topic: 'big', data: payload });
    expect(factory.built[0]?.published[0]?.data.length).toBe(payload.length);
  });

  it('closes a socket that shows no token in time, and refuses sockets beyond the pending limit', async () => {
    const waiting = await Promise.all(Array.from({ length: MAX_PENDING_SOCKETS }, () => stranger()));
    await expect(stranger()).rejects.toThrow('HTTP 503');
    const codes = await Promise.all(waiting.map((ws) => closed(ws)));
    expect(codes.every((c) => c === 4408)).toBe(true);
    // Once they are gone, a new socket is accepted again.
    const again = await stranger();
    expect(again.readyState).toBe(WebSocket.OPEN);
  });
});

describe('browser host: connections belong to the page session that opened them', () => {
  it("refuses another session's use of a connection", async () => {
    const a = await page('session-aaaa');
    const b = await page('session-bbbb');
    const { connectionId } = await a.api.openConnection({ connectionString: URL_ });
    await expect(b.api.closeConnection({ connectionId })).rejects.toMatchObject({ code: 'not-owner' });
    await expect(b.api.publish({ connectionId, topic: 't', data: '{}' })).rejects.toMatchObject({
      code: 'not-owner',
    });
    await expect(b.api.subscribe({ connectionId, topic: 't', mode: 'subscribe' })).rejects.toMatchObject({
      code: 'not-owner',
    });
    await expect(b.api.listConnections()).resolves.toEqual([]);
    await expect(a.api.listConnections()).resolves.toHaveLength(1);
    expect(factory.built[0]?.published).toEqual([]);
  });

  it('keeps a reloaded page its connection and subscription: it attaches again and batches flow', async () => {
    const first = await page('session-reload');
    const { connectionId } = await first.api.openConnection({ connectionString: URL_ });
    const { subscriptionId } = await first.api.subscribe({
      connectionId,
      topic: 'orders',
      mode: 'subscribe',
    });
    first.ws.close();
    await closed(first.ws);
    // Messages that arrive while the page is away wait in the ring.
    await until(() => factory.built[0]?.subscriptions[0] !== undefined, 'subscription placed');
    factory.built[0]?.subscriptions[0]?.push('{"while":"away"}');

    const second = await page('session-reload');
    const connections = await second.api.listConnections();
    expect(connections.map((c) => [c.connectionId, c.state])).toEqual([[connectionId, 'loggedOn']]);
    const running = await second.api.listSubscriptions();
    expect(running).toMatchObject([
      { subscriptionId, connectionId, spec: { topic: 'orders', mode: 'subscribe' }, attached: false },
    ]);
    const batch = new Promise<SubscriptionBatch>((resolve) => second.api.onSubscriptionBatch(resolve));
    await expect(second.api.attachSubscription({ subscriptionId })).resolves.toMatchObject({
      attached: true,
    });
    expect(await within(batch, 'batch after attach')).toMatchObject({
      subscriptionId,
      received: 1,
      delivered: 1,
      messages: [{ index: 1, data: '{"while":"away"}' }],
    });
    await new Promise((r) => setTimeout(r, GRACE_MS + ATTACH_MS + 100));
    expect(backend.connections.size).toBe(1);
    expect(backend.subscriptions.size).toBe(1);
  });

  it('ends the subscriptions a reloaded page does not attach again', async () => {
    const first = await page('session-forget');
    const { connectionId } = await first.api.openConnection({ connectionString: URL_ });
    await first.api.subscribe({ connectionId, topic: 'orders', mode: 'subscribe' });
    first.ws.close();
    await closed(first.ws);
    const second = await page('session-forget');
    const ended = new Promise<SubscriptionEndedEvent>((resolve) => second.api.onSubscriptionEnded(resolve));
    await until(() => backend.subscriptions.size === 0, 'unattached subscription ended');
    expect(factory.built[0]?.subscriptions[0]?.unsubscribed).toBe(1);
    // The connection stays: the page lists it and may keep using it.
    await expect(second.api.listConnections()).resolves.toHaveLength(1);
    void ended;
  });

  it('lets a newer socket of the session take over from one still open', async () => {
    const first = await page('session-takeover');
    const { connectionId } = await first.api.openConnection({ connectionString: URL_ });
    const firstClosed = closed(first.ws);
    const second = await page('session-takeover');
    expect(await firstClosed).toBe(CLOSE_REPLACED);
    await expect(second.api.listConnections()).resolves.toMatchObject([{ connectionId }]);
    await new Promise((r) => setTimeout(r, GRACE_MS + 100));
    expect(backend.connections.size).toBe(1);
  });

  it('closes every connection of a session that does not come back within the grace period', async () => {
    const gone = await page('session-gone');
    const { connectionId } = await gone.api.openConnection({ connectionString: URL_ });
    await gone.api.subscribe({ connectionId, topic: 'orders', mode: 'subscribe' });
    gone.ws.close();
    await closed(gone.ws);
    // Still there during the grace period.
    expect(backend.connections.size).toBe(1);
    await until(() => backend.connections.size === 0 && backend.subscriptions.size === 0, 'released');
    expect(factory.built[0]?.closed).toBe(true);
    const back = await page('session-gone');
    await expect(back.api.listConnections()).resolves.toEqual([]);
  });

  it('serves the HA view and its actions to the owner', async () => {
    const { api } = await page('session-ha-view');
    const { connectionId } = await api.openConnection({
      connectionString: 'tcp://u:pw@127.0.0.1:9007/amps/json',
    });
    const ha = await api.getHaStatus({ connectionId });
    expect(ha).toMatchObject({
      connectionId,
      state: 'loggedOn',
      currentIndex: 0,
      servers: [
        { index: 0, server: 'tcp://u@127.0.0.1:9007/amps/json', current: true, logons: 1, failures: 0 },
      ],
      delay: { kind: 'exponential', initialMs: 200, maxMs: 20_000 },
      giveUpMs: 0,
      resubscribe: true,
      publishStore: { kind: 'none', unpersisted: 0, messages: [] },
      bookmarkStore: { kind: 'memory', subscriptions: [] },
    });
    expect(ha.timeline.map((t) => t.kind)).toEqual(['connecting', 'loggedOn']);
    await api.simulateFailover({ connectionId });
    await expect(api.reconnectConnection({ connectionId })).resolves.toMatchObject({ connectionId });
    expect(factory.built[0]?.calls).toEqual(['connectAndLogon', 'simulateFailover', 'reconnectNow']);
    await expect(api.getHaStatus({ connectionId: 'conn-999' })).rejects.toMatchObject({
      code: 'unknown-connection',
    });
    await expect(api.getHaStatus({ connectionId: 'bad id!' } as never)).rejects.toMatchObject({
      code: 'invalid-payload',
    });
    expect(JSON.stringify(ha)).not.toContain('pw');
  });
});
