import { createServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandboxServer, silentLogger, type SandboxServer } from '../../sandbox/src/index.js';
import type { AmpsStatusLike } from '../main/services/ampsAdapter.js';
import type { AmpsConnectionOptions } from '../main/services/ampsAdapter.js';
import { clientConnectionFactory } from '../main/services/clientFactory.js';
import { DEFAULT_HA_OPTIONS } from '../main/services/connections.js';

const optionsFor = (clientName: string, uris: string[]): AmpsConnectionOptions => ({
  clientName,
  uris,
  ha: DEFAULT_HA_OPTIONS,
  bookmarkStore: { kind: 'memory' },
  publishStore: { kind: 'none' },
  timeoutMs: 5000,
});

let server: SandboxServer;
let uri: string;

beforeAll(async () => {
  server = await createSandboxServer({
    port: 0,
    wsPort: null,
    adminPort: null,
    logger: silentLogger,
    topics: [{ name: 'orders', sow: true, keys: ['/id'] }],
  });
  uri = `tcp://127.0.0.1:${server.ports.tcp}/amps/json`;
});
afterAll(() => server.close());

describe('the AmpsConnectionFactory over client/', () => {
  it('connects, reports its states, and hands on SOW records then live messages with headers', async () => {
    const connection = clientConnectionFactory.create(optionsFor('factory-test', [uri]));
    const states: AmpsStatusLike['state'][] = [];
    connection.onStatus((s) => states.push(s.state));
    await connection.connectAndLogon();
    await connection.publish('orders', '{"id":1,"qty":10}');

    const sub = await connection.sowAndSubscribe({ topic: 'orders', filter: '/qty > 5' });
    expect(sub.subId).not.toBe('');
    await connection.publish('orders', '{"id":2,"qty":1}');
    await connection.publish('orders', '{"id":3,"qty":30}');

    const seen: { command?: string; topic?: string; data: string }[] = [];
    for await (const m of sub) {
      seen.push({
        command: m.header['command'],
        topic: m.header['topic'],
        data: Buffer.from(m.payload).toString(),
      });
      if (m.header['command'] === 'publish') break;
    }
    await sub.unsubscribe();
    expect(seen).toEqual([
      { command: 'group_begin', topic: undefined, data: '' },
      { command: 'sow', topic: 'orders', data: '{"id":1,"qty":10}' },
      { command: 'group_end', topic: undefined, data: '' },
      { command: 'publish', topic: 'orders', data: '{"id":3,"qty":30}' },
    ]);
    await connection.close();
    expect(states).toContain('loggedOn');
    expect(states.at(-1)).toBe('closed');
  });

  it('drains a subscription: the same messages as iterating it, and unsubscribe ends the drain', async () => {
    const connection = clientConnectionFactory.create(optionsFor('factory-drain', [uri]));
    await connection.connectAndLogon();
    await connection.publish('orders', '{"id":11,"qty":10}');
    const sub = await connection.sowAndSubscribe({ topic: 'orders', filter: '/id > 10' });
    if (sub.drain === undefined) throw new Error('the adapter offers no drain');
    const seen: { command?: string; data: string }[] = [];
    let live!: () => void;
    const gotLive = new Promise<void>((resolve) => (live = resolve));
    const drained = sub.drain((m) => {
      seen.push({ command: m.header['command'], data: Buffer.from(m.payload).toString() });
      if (m.header['command'] === 'publish') live();
    });
    await connection.publish('orders', '{"id":12,"qty":20}');
    await gotLive;
    await sub.unsubscribe();
    await expect(drained).resolves.toBeUndefined();
    expect(seen).toEqual([
      { command: 'group_begin', data: '' },
      { command: 'sow', data: '{"id":11,"qty":10}' },
      { command: 'group_end', data: '' },
      { command: 'publish', data: '{"id":12,"qty":20}' },
    ]);
    await connection.close();
  });

  it('walks several servers through an HA client: a dead first server, then the sandbox', async () => {
    const dead = createServer();
    await new Promise<void>((resolve) => dead.listen(0, '127.0.0.1', resolve));
    const deadPort = (dead.address() as AddressInfo).port;
    await new Promise<void>((resolve) => dead.close(() => resolve()));
    const deadUri = `tcp://127.0.0.1:${deadPort}/amps/json`;

    const connection = clientConnectionFactory.create(optionsFor('factory-ha', [deadUri, uri]));
    const states: AmpsStatusLike['state'][] = [];
    connection.onStatus((s) => states.push(s.state));
    await connection.connectAndLogon();
    const sub = await connection.subscribe({ topic: 'ha-topic' });
    await connection.publish('ha-topic', '{"n":1}');
    for await (const m of sub) {
      expect(Buffer.from(m.payload).toString()).toBe('{"n":1}');
      break;
    }
    await connection.close();
    expect(states).toContain('loggedOn');
  });
});
