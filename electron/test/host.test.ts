import { request } from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { SubscriptionBatch } from '../../common/src/dto/subscriptions.js';
import { createApi } from '../../common/src/ipc/createApi.js';
import { createWireClient } from '../../common/src/ipc/wire.js';
import type { WireClient } from '../../common/src/ipc/wire.js';
import { createBackend } from '../main/backend.js';
import type { Backend } from '../main/backend.js';
import { memoryLogger } from '../main/platform/logger.js';
import { createMemoryCipher } from '../main/platform/secretCipher.js';
import { CONTENT_SECURITY_POLICY } from '../main/window.js';
import { startHostServer } from '../host/server.js';
import type { HostServer } from '../host/server.js';
import { fakeFactory } from './fakes.js';

let dir: string;
let host: HostServer;
let backend: Backend;
let factory: ReturnType<typeof fakeFactory>;
const sockets: WebSocket[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'amps-host-'));
  await writeFile(join(dir, 'index.html'), '<!doctype html><title>AMPS Explorer</title>');
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
    // A page session's resources outlive its socket this long (a reload comes back sooner).
    ownerGraceMs: 300,
  });
  host = await startHostServer({
    hub: backend.hub,
    wrapper: backend.wrapper,
    logger: memoryLogger(),
    rendererDir: dir,
    authTimeoutMs: 300,
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

/**
 * Opens a socket with its wire client attached from the start (as a page would); resolves when
 * open, rejects with the HTTP status of a refused upgrade.
 */
const open = (query = '', origin?: string, token?: string): Promise<{ ws: WebSocket; client: WireClient }> =>
  within(
    new Promise<{ ws: WebSocket; client: WireClient }>((resolve, reject) => {
      const ws = new WebSocket(
        `ws://127.0.0.1:${host.port}/ws${query}`,
        origin === undefined ? {} : { origin },
      );
      sockets.push(ws);
      const client = createWireClient({
        send: (t) => (ws.readyState === WebSocket.OPEN ? ws.send(t) : ws.once('open', () => ws.send(t))),
        ...(token === undefined ? {} : { token }),
      });
      ws.on('message', (data) => client.receive(String(data)));
      ws.on('close', (code) => client.closed(`code ${code}`));
      ws.once('open', () => resolve({ ws, client }));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      ws.once('error', reject);
    }),
    'socket open',
  );

const closed = (ws: WebSocket): Promise<number> =>
  within(new Promise<number>((resolve) => ws.once('close', (code) => resolve(code))), 'socket close');

const httpGet = (path: string, host_ = `127.0.0.1:${host.port}`) =>
  within(
    new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: host.port, path, headers: { host: host_ } }, (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      });
      req.on('error', reject);
      req.end();
    }),
    'http get',
  );

describe('browser host', () => {
  it('serves the API to a client presenting the token in its first frame', async () => {
    const { client } = await open('', undefined, host.token);
    await within(client.ready, 'ready');
    const api = createApi(client.transport);
    await expect(api.getAppInfo()).resolves.toEqual({
      mode: 'browser',
      version: '0.0.0-test',
      secretStorage: { persistent: false, backend: 'memory' },
    });
    await expect(api.listProfiles()).resolves.toEqual({ profiles: [], problems: [], secretsPersistent: false });
  });

  it('accepts the token in the URL query and a same-origin Origin header', async () => {
    const { client } = await open(`?token=${host.token}`, host.origin);
    await within(client.ready, 'ready');
    await expect(createApi(client.transport).getSandboxInfo()).resolves.toEqual({
      state: 'disabled',
      connectionStrings: [],
    });
  });

  it('refuses a wrong token in the first frame and closes the socket', async () => {
    const { ws, client } = await open('', undefined, 'not-the-token');
    const code = closed(ws);
    await expect(client.ready).rejects.toMatchObject({ code: 'refused' });
    expect(await code).toBe(4401);
  });

  it('refuses a wrong token in the URL query with HTTP 401', async () => {
    await expect(open('?token=wrong')).rejects.toThrow('HTTP 401');
  });

  it('refuses a foreign Origin with HTTP 403, even with the right token', async () => {
    await expect(open(`?token=${host.token}`, 'http://evil.example')).rejects.toThrow('HTTP 403');
    await expect(open(`?token=${host.token}`, `http://127.0.0.1:${host.port + 1}`)).rejects.toThrow(
      'HTTP 403',
    );
  });

  it('closes a socket that never authenticates', async () => {
    const { ws } = await open();
    expect(await closed(ws)).toBe(4408);
  });

  it('rejects an invalid payload with a clear error, and an unknown channel', async () => {
    const { client } = await open('', undefined, host.token);
    await within(client.ready, 'ready');
    const bad = await client.transport.invoke('amps:subscribe', {
      connectionId: 'conn-1',
      topic: 'orders',
      mode: 'sow',
      extra: 1,
    });
    expect(bad).toMatchObject({ ok: false, error: { name: 'ValidationError', code: 'invalid-payload' } });
    expect(bad.ok === false && bad.error.message).toMatch(/^payload\.extra: unknown key/);
    const api = createApi(client.transport);
    await expect(api.deleteProfile({ id: 'has spaces' })).rejects.toMatchObject({
      name: 'ValidationError',
      code: 'invalid-payload',
    });
    await expect(client.transport.invoke('amps:onSubscriptionBatch', undefined)).resolves.toMatchObject({
      ok: false,
      error: { code: 'unknown-channel' },
    });
  });

  it('streams connection status and subscription batches to the owning socket, and cleans up when it closes', async () => {
    const { ws, client } = await open('', undefined, host.token);
    await within(client.ready, 'ready');
    const api = createApi(client.transport);
    const states: string[] = [];
    api.onConnectionStatus((e) => states.push(e.state));
    const { connectionId } = await api.openConnection({ connectionString: 'tcp://127.0.0.1:9007/amps/json' });
    expect(states).toContain('loggedOn');
    const firstBatch = new Promise<SubscriptionBatch>((resolve) => api.onSubscriptionBatch(resolve));
    const { subscriptionId } = await api.subscribe({ connectionId, topic: 'orders', mode: 'subscribe' });
    factory.built[0]?.subscriptions[0]?.push('{"id":1}');
    const batch = await within(firstBatch, 'first batch');
    expect(batch).toMatchObject({
      subscriptionId,
      received: 1,
      delivered: 1,
      dropped: 0,
      messages: [{ data: '{"id":1}', topic: 'orders' }],
    });
    ws.close();
    await closed(ws);
    await within(
      (async () => {
        while (backend.subscriptions.size > 0) await new Promise((r) => setTimeout(r, 10));
      })(),
      'cleanup after close',
    );
    expect(factory.built[0]?.subscriptions[0]?.unsubscribed).toBe(1);
    // Its connection closes with it: nobody else may use it.
    expect(factory.built[0]?.closed).toBe(true);
    expect(backend.connections.size).toBe(0);
  });

  it('serves the renderer with the CSP and refuses traversal and foreign Host headers', async () => {
    const index = await httpGet('/');
    expect(index.status).toBe(200);
    expect(index.body).toContain('AMPS Explorer');
    expect(index.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect((await httpGet('/%2e%2e/etc/passwd')).status).toBe(403);
    expect((await httpGet('/missing.js')).status).toBe(404);
    expect((await httpGet('/', 'evil.example')).status).toBe(403);
    expect(host.url).toBe(`${host.origin}/#token=${host.token}`);
    expect(host.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});
