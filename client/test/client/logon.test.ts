import { afterEach, describe, expect, it } from 'vitest';
import { Client } from '../../src/client.js';
import type { Authenticator } from '../../src/authenticator.js';
import {
  AuthenticationError,
  DisconnectedError,
  NameInUseError,
  TimedOutError,
  UsageError,
} from '../../src/errors.js';
import type { ConnectionStatus } from '../../src/status.js';
import { FakeServer, ackFor } from './fakeServer.js';
import { TEST_URI } from './helpers.js';

const clients: Client[] = [];
function make(server: FakeServer, name = 'viewer-1'): Client {
  const c = new Client(name, { transportFactory: server.factory, commandTimeoutMs: 500 });
  clients.push(c);
  return c;
}
afterEach(async () => {
  for (const c of clients.splice(0)) await c.disconnect();
});

describe('logon', () => {
  it('sends the spec fields and reads the server version', async () => {
    const server = new FakeServer('5.3.5.1');
    const client = make(server);
    const states: string[] = [];
    client.addConnectionStateListener((s) => states.push(s.state));
    await client.connect(TEST_URI);
    const cid = await client.logon();
    const logon = server.commands('logon')[0];
    expect(logon?.header).toBe(
      `{"c":"logon","cid":"${cid}","client_name":"viewer-1","user_id":"alice","mt":"json","a":"processed","version":"0.1.0:typescript","pw":"secret"}`,
    );
    expect(client.getServerVersion()).toBe(5030501);
    expect(client.getServerVersionInfo().getVersionNumber()).toBe(500030000500001n);
    expect(client.isLoggedOn).toBe(true);
    expect(states).toEqual(['connecting', 'connected', 'loggedOn']);
    expect(client.getName()).toBe('viewer-1');
    expect(client.getUri()).toBe(TEST_URI);
  });

  it('maps a failed logon to the error class of its reason', async () => {
    const server = new FakeServer();
    server.on('logon', (cmd, s) =>
      s.reply(ackFor(cmd, 'processed', { status: 'failure', reason: 'auth failure' })),
    );
    const client = make(server);
    await client.connect(TEST_URI);
    const err = await client.logon().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthenticationError);
    expect((err as Error).message).toContain('auth failure');
    expect(client.isLoggedOn).toBe(false);
  });

  it('maps name in use', async () => {
    const server = new FakeServer();
    server.on('logon', (cmd, s) =>
      s.reply(ackFor(cmd, 'processed', { status: 'failure', reason: 'name in use' })),
    );
    const client = make(server);
    await client.connect(TEST_URI);
    await expect(client.logon()).rejects.toBeInstanceOf(NameInUseError);
  });

  it('answers retry challenges through the authenticator', async () => {
    const server = new FakeServer();
    let round = 0;
    server.on('logon', (cmd, s) => {
      round++;
      if (round === 1)
        s.reply(ackFor(cmd, 'processed', { status: 'retry', userId: 'alice2', password: 'challenge-1' }));
      else s.reply(ackFor(cmd, 'processed', { version: '5.3.4.0', reason: 'ok' }));
    });
    const calls: string[] = [];
    const auth: Authenticator = {
      authenticate: (u, p) => {
        calls.push(`authenticate ${u} ${p}`);
        return Promise.resolve(`token(${p})`);
      },
      retry: (u, c) => {
        calls.push(`retry ${u} ${c}`);
        return `answer(${c})`;
      },
      completed: (u, p, r) => {
        calls.push(`completed ${u} ${p} ${r}`);
      },
    };
    const client = make(server);
    await client.connect(TEST_URI);
    await client.logon({ authenticator: auth });
    const logons = server.commands('logon');
    expect(logons.map((l) => [l.fields.userId, l.fields.password])).toEqual([
      ['alice', 'token(secret)'],
      ['alice2', 'answer(challenge-1)'],
    ]);
    expect(logons[0]?.fields.commandId).not.toBe(logons[1]?.fields.commandId);
    expect(calls).toEqual([
      'authenticate alice secret',
      'retry alice2 challenge-1',
      'completed alice2 answer(challenge-1) ok',
    ]);
    expect(client.getServerVersion()).toBe(5030400);
  });

  it('times out when no ack arrives', async () => {
    const server = new FakeServer();
    server.on('logon', () => {});
    const client = make(server);
    await client.connect(TEST_URI);
    const err = await client.logon({ timeoutMs: 50 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TimedOutError);
    expect((err as Error).message).toMatch(/logon timed out after 50 ms/);
  });

  it('needs a connection', async () => {
    const client = make(new FakeServer());
    await expect(client.logon()).rejects.toBeInstanceOf(DisconnectedError);
  });

  it('sends correlation data, logon options and pretty from the URI', async () => {
    const server = new FakeServer();
    const client = make(server);
    client.setLogonCorrelationData('YWJj');
    await client.connect('tcp://127.0.0.1:9007/amps/json?pretty=true');
    await client.logon({ options: 'ack_conflation=100ms' });
    const f = server.commands('logon')[0]?.fields;
    expect(f?.correlationId).toBe('YWJj');
    expect(f?.options).toBe('pretty,ack_conflation=100ms');
    expect(f?.userId).toBeUndefined();
    expect(f?.password).toBeUndefined();
    expect(() => client.setLogonCorrelationData('not base64!')).toThrow(UsageError);
  });

  it('takes the name hash from the logon ack bookmark, else FNV-1a 64 of the name', async () => {
    const server = new FakeServer();
    server.on('logon', (cmd, s) =>
      s.reply(ackFor(cmd, 'processed', { version: '5.3.5.1', bookmark: '5934099655320710513|7|' })),
    );
    const client = make(server, 'Test');
    expect(client.getNameHash()).toBe('2626979548338364165');
    await client.connect(TEST_URI);
    await client.logon();
    expect(client.getNameHash()).toBe('5934099655320710513');
  });

  it('validates the client name', () => {
    expect(() => new Client('')).toThrow(UsageError);
    expect(() => new Client('   ')).toThrow(/non-empty/);
    expect(() => new Client('a\nb')).toThrow(/control character \(code 10\) at position 1/);
  });

  it('reports status changes as an async iterable', async () => {
    const server = new FakeServer();
    const client = make(server);
    const iter = client.status()[Symbol.asyncIterator]();
    await client.connect(TEST_URI);
    await client.logon();
    await client.disconnect();
    const seen: ConnectionStatus[] = [];
    for (let i = 0; i < 4; i++) seen.push((await iter.next()).value as ConnectionStatus);
    expect(seen.map((s) => s.state)).toEqual(['connecting', 'connected', 'loggedOn', 'closed']);
    expect(seen[0]?.uri).toBe('tcp://alice:***@127.0.0.1:9007/amps/json');
  });
});
