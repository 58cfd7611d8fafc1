import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../../client/src/client.js';
import type { ConnectionInfo } from '../../common/src/dto/connections.js';
import type { Profile } from '../../common/src/dto/profiles.js';
import { createSandboxServer, silentLogger } from '../../sandbox/src/index.js';
import type { SandboxServer } from '../../sandbox/src/index.js';
import { SeenTopics } from '../main/services/seenTopics.js';
import { TopicDiscovery, ampsAdminRoot } from '../main/services/topicDiscovery.js';
import type { TopicDiscoveryOptions } from '../main/services/topicDiscovery.js';

const connection = (extra: Partial<ConnectionInfo> = {}): ConnectionInfo => ({
  connectionId: 'conn-1',
  name: 'c',
  connectionString: 'tcp://elsewhere:9007/amps/json',
  servers: ['tcp://elsewhere:9007/amps/json'],
  state: 'loggedOn',
  openedAt: 0,
  ...extra,
});

describe('topic discovery from the sandbox admin endpoint', () => {
  let sandbox: SandboxServer;
  let tcpUri: string;
  let adminUrl: string;
  beforeAll(async () => {
    sandbox = await createSandboxServer({
      port: 0,
      wsPort: 0,
      adminPort: 0,
      logger: silentLogger,
      topics: [
        { name: 'orders', keys: ['/id'], txlog: true },
        { name: 'jobs', queue: true },
      ],
    });
    tcpUri = `tcp://127.0.0.1:${sandbox.ports.tcp}/amps/json`;
    adminUrl = `http://127.0.0.1:${sandbox.ports.admin}`;
    const client = new Client('discovery-test');
    await client.connect(tcpUri);
    await client.logon();
    client.publish('orders', '{"id":1,"qty":5}');
    client.publish('orders', '{"id":2,"qty":6}');
    client.publish('orders', '{"id":1,"qty":7}');
    client.publish('ticks', '{"px":1}');
    await client.flush(5000);
    await client.close();
  });
  afterAll(() => sandbox.close());

  const discovery = (extra: Partial<TopicDiscoveryOptions> = {}) =>
    new TopicDiscovery({
      seen: new SeenTopics(),
      sandbox: { adminUrl: () => adminUrl, connectionStrings: () => [tcpUri] },
      profileOf: () => Promise.resolve(undefined),
      ...extra,
    });

  it('lists the sandbox topics with their kind and counts for the built-in profile', async () => {
    const list = await discovery().list(connection({ profileId: 'local-sandbox' }));
    expect(list.source).toBe('sandbox');
    expect(list.error).toBeUndefined();
    const byName = new Map(list.topics.map((t) => [t.name, t]));
    expect(byName.get('orders')).toEqual({
      name: 'orders',
      messageType: 'json',
      sow: { keyFields: ['/id'] },
      txlog: true,
      messageCount: 3,
      sowCount: 2,
    });
    expect(byName.get('jobs')).toMatchObject({ name: 'jobs', queue: true });
    expect(byName.get('ticks')).toMatchObject({ name: 'ticks', messageCount: 1 });
    expect(byName.get('ticks')?.sow).toBeUndefined();
    expect(list.topics.map((t) => t.name)).toEqual([...list.topics.map((t) => t.name)].sort());
  });

  it('knows a connection to the sandbox address (typed, or a copied profile) is the sandbox', async () => {
    const list = await discovery().list(connection({ connectionString: tcpUri, servers: [tcpUri] }));
    expect(list.source).toBe('sandbox');
    const copied = await discovery().list(connection({ profileId: 'p-copy', servers: [tcpUri] }));
    expect(copied.source).toBe('sandbox');
  });

  it('falls back to the seen topics, saying why, when the admin endpoint does not answer', async () => {
    const seen = new SeenTopics();
    seen.record('conn-1', 'orders');
    const list = await discovery({
      seen,
      sandbox: { adminUrl: () => 'http://127.0.0.1:1', connectionStrings: () => [tcpUri] },
    }).list(connection({ profileId: 'local-sandbox' }));
    expect(list).toMatchObject({ source: 'seen', topics: [{ name: 'orders', messageCount: 1 }] });
    expect(list.error).toMatch(/^sandbox admin endpoint: cannot reach 127\.0\.0\.1:1/);
  });
});

describe('topics seen on a connection', () => {
  it('counts messages per topic, per connection, and forgets a closed connection', async () => {
    const seen = new SeenTopics();
    for (const t of ['b', 'a', 'b', 'b']) seen.record('conn-1', t);
    seen.record('conn-2', 'z');
    const discovery = new TopicDiscovery({ seen, profileOf: () => Promise.resolve(undefined) });
    expect(await discovery.list(connection())).toEqual({
      source: 'seen',
      topics: [
        { name: 'a', messageCount: 1 },
        { name: 'b', messageCount: 3 },
      ],
    });
    seen.forget('conn-1');
    expect((await discovery.list(connection())).topics).toEqual([]);
    expect((await discovery.list(connection({ connectionId: 'conn-2' }))).topics).toEqual([
      { name: 'z', messageCount: 1 },
    ]);
  });
});

describe('topic discovery from an AMPS admin interface', () => {
  let server: Server;
  let base: string;
  let handler: (req: IncomingMessage, res: ServerResponse) => void = () => undefined;
  const requests: string[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      requests.push(req.url ?? '');
      handler(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(() => {
    requests.length = 0;
    server.closeAllConnections();
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const json = (res: ServerResponse, body: unknown) =>
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  const profile = (adminUrl: string) => ({ id: 'p-1', adminUrl }) as Profile;
  const discovery = (adminUrl: string, limits?: TopicDiscoveryOptions['limits']) =>
    new TopicDiscovery({
      seen: new SeenTopics(),
      profileOf: (id) => Promise.resolve(id === 'p-1' ? profile(adminUrl) : undefined),
      ...(limits === undefined ? {} : { limits }),
    });

  it('reads SOW topics and queues from /amps/instance/{sow,queues}.json', async () => {
    handler = (req, res) => {
      if (req.url === '/amps/instance/sow.json') {
        json(res, {
          amps: {
            instance: {
              sow: [
                { id: 'orders', topic: 'orders', message_type: 'json', valid_keys: '1200' },
                { id: 'positions', topic: 'positions', message_type: 'nvfix', valid_keys: 7 },
              ],
            },
          },
        });
      } else if (req.url === '/amps/instance/queues.json') {
        json(res, { amps: { instance: { queues: { work: { message_type: 'json' } } } } });
      } else {
        res.writeHead(404).end();
      }
    };
    const list = await discovery(`${base}/amps`).list(connection({ profileId: 'p-1' }));
    expect(list).toEqual({
      source: 'admin',
      topics: [
        { name: 'orders', sow: { keyFields: [] }, messageType: 'json', sowCount: 1200 },
        { name: 'positions', sow: { keyFields: [] }, messageType: 'nvfix', sowCount: 7 },
        { name: 'work', queue: true, txlog: true, messageType: 'json' },
      ],
    });
    expect(requests).toEqual(['/amps/instance/sow.json', '/amps/instance/queues.json']);
  });

  it('reports an HTTP error, a redirect, an oversized body and a silent server, with the seen topics', async () => {
    handler = (_req, res) => res.writeHead(503).end();
    expect(await discovery(base).list(connection({ profileId: 'p-1' }))).toEqual({
      source: 'seen',
      topics: [],
      error: 'admin interface: /amps/instance/sow.json answered HTTP 503',
    });
    handler = (_req, res) => res.writeHead(302, { location: 'file:///etc/passwd' }).end();
    expect((await discovery(base).list(connection({ profileId: 'p-1' }))).error).toBe(
      'admin interface: /amps/instance/sow.json answered HTTP 302',
    );
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`[${'1,'.repeat(4000)}1]`);
    };
    expect(
      (await discovery(base, { timeoutMs: 2000, maxBytes: 1000 }).list(connection({ profileId: 'p-1' })))
        .error,
    ).toBe('admin interface: /amps/instance/sow.json is larger than 1000 bytes');
    handler = () => undefined;
    expect(
      (await discovery(base, { timeoutMs: 200, maxBytes: 1000 }).list(connection({ profileId: 'p-1' })))
        .error,
    ).toMatch(/no answer from 127\.0\.0\.1:\d+ within 200 ms/);
  });

  it('takes the root of the admin URL the user gave', () => {
    expect(ampsAdminRoot('http://h:8085')).toBe('http://h:8085/amps');
    expect(ampsAdminRoot('http://h:8085/')).toBe('http://h:8085/amps');
    expect(ampsAdminRoot('https://h:8085/amps/')).toBe('https://h:8085/amps');
    expect(ampsAdminRoot('http://h:8085/amps.json?x=1')).toBe('http://h:8085/amps');
  });
});
