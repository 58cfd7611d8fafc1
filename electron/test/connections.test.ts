import { describe, expect, it } from 'vitest';
import type { ConnectionStatusEvent } from '../../common/src/dto/connections.js';
import { DEFAULT_HA, type Profile } from '../../common/src/dto/profiles.js';
import { memoryLogger } from '../main/platform/logger.js';
import { ConnectionService } from '../main/services/connections.js';
import { redact, splitPassword, withPassword } from '../main/services/connectionStrings.js';
import { publishMessage } from '../main/services/publish.js';
import { fakeFactory } from './fakes.js';

const profile: Profile = {
  id: 'p1',
  name: 'Prod',
  servers: ['tcp://alice@prod:9007/amps/json', 'tcp://backup:9007/amps/json'],
  user: 'alice',
  hasPassword: true,
  clientName: 'me',
  heartbeatSeconds: 10,
  tls: { verify: true },
  ha: { delay: { kind: 'fixed', delayMs: 500 }, giveUpMs: 60_000, resubscribe: true },
  bookmarkStore: { kind: 'memory' },
  publishStore: { kind: 'none' },
  production: true,
  color: 'red',
  builtIn: false,
  messageType: 'json',
};

const setup = (factory = fakeFactory(), maxPerOwner?: number) => {
  const events: Array<[string, ConnectionStatusEvent]> = [];
  const logger = memoryLogger();
  let clock = 1000;
  const service = new ConnectionService({
    factory,
    logger,
    profiles: {
      resolve: async (id) => {
        if (id !== 'p1') throw new Error(`unknown ${id}`);
        return { profile, password: 's3cr:t' };
      },
    },
    emitStatus: (owner, e) => events.push([owner, e]),
    now: () => clock,
    ...(maxPerOwner === undefined ? {} : { maxPerOwner }),
  });
  return { factory, service, events, logger, tick: (ms: number) => (clock += ms) };
};

describe('connection strings', () => {
  it('moves passwords in and out', () => {
    expect(splitPassword('tcp://bob:pw%40x@h:1/amps/json')).toEqual({
      connectionString: 'tcp://bob@h:1/amps/json',
      password: 'pw@x',
    });
    expect(splitPassword('tcp://h:1/amps/json')).toEqual({ connectionString: 'tcp://h:1/amps/json' });
    expect(withPassword('tcp://bob@h:1/amps/json', 'p@ss')).toBe('tcp://bob:p%40ss@h:1/amps/json');
    expect(withPassword('tcp://h:1/amps/json', 'p')).toBe('tcp://:p@h:1/amps/json');
    expect(redact('ws://u:secret@h:1/amps/json')).toBe('ws://u@h:1/amps/json');
  });
});

describe('ConnectionService', () => {
  it("builds an HA client from the profile: every server with the profile's user and password, its HA settings and stores", async () => {
    const s = setup();
    const info = await s.service.open({ profileId: 'p1' }, 'w1');
    const client = s.factory.built[0];
    expect(client?.options).toEqual({
      clientName: 'me',
      heartbeatSeconds: 10,
      uris: ['tcp://alice:s3cr%3At@prod:9007/amps/json', 'tcp://alice:s3cr%3At@backup:9007/amps/json'],
      ha: { delay: { kind: 'fixed', delayMs: 500 }, giveUpMs: 60_000, resubscribe: true },
      bookmarkStore: { kind: 'memory' },
      publishStore: { kind: 'none' },
      tls: { verify: true },
    });
    expect(client?.calls).toEqual(['connectAndLogon']);
    expect(info).toMatchObject({
      connectionId: 'conn-1',
      profileId: 'p1',
      name: 'Prod',
      state: 'loggedOn',
      servers: ['tcp://alice@prod:9007/amps/json', 'tcp://alice@backup:9007/amps/json'],
      serverIndex: 0,
      production: true,
      color: 'red',
    });
    expect(JSON.stringify([info, s.events, s.logger.lines, s.service.list('w1')])).not.toContain('s3cr');
    expect(s.events.map(([owner, e]) => [owner, e.state])).toEqual([
      ['w1', 'connecting'],
      ['w1', 'connecting'],
      ['w1', 'loggedOn'],
    ]);
  });

  it('a typed connection string is an HA list of one with the default HA settings', async () => {
    const s = setup();
    await s.service.open({ connectionString: 'tcp://u:pw@h:1/amps/json' }, 'w1');
    expect(s.factory.built[0]?.options).toMatchObject({
      uris: ['tcp://u:pw@h:1/amps/json'],
      ha: { delay: DEFAULT_HA.delay, giveUpMs: 0, resubscribe: true },
      publishStore: { kind: 'none' },
    });
    expect(s.service.list('w1')[0]?.servers).toEqual(['tcp://u@h:1/amps/json']);
  });

  it('shows each state the UI names: disconnected with the error, reconnecting in T (attempt K), failed over to server M', async () => {
    const s = setup();
    const { connectionId } = await s.service.open({ profileId: 'p1' }, 'w1');
    const client = s.factory.built[0];
    s.events.length = 0;
    const drop = Object.assign(new Error('connection reset'), {
      name: 'DisconnectedError',
      code: 'ECONNRESET',
    });
    client?.emit({ state: 'disconnected', serverIndex: 0, error: drop });
    client?.emit({ state: 'reconnecting', serverIndex: 0, error: drop });
    client?.emit({ state: 'retryScheduled', serverIndex: 0, attempt: 1, retryInMs: 0 });
    client?.emit({ state: 'connecting', serverIndex: 0 });
    client?.emit({ state: 'attemptFailed', serverIndex: 0, error: new Error('refused') });
    client?.emit({ state: 'retryScheduled', serverIndex: 1, attempt: 2, retryInMs: 500 });
    client?.emit({ state: 'connecting', serverIndex: 1 });
    client?.emit({ state: 'loggedOn', serverIndex: 1 });
    client?.emit({ state: 'failedOver', serverIndex: 1 });
    const seen = s.events.map(([, e]) => e);
    expect(seen[0]).toMatchObject({
      state: 'disconnected',
      serverIndex: 0,
      error: { message: 'connection reset' },
    });
    expect(seen.find((e) => e.retryInMs !== undefined)).toMatchObject({
      state: 'reconnecting',
      attempt: 2,
      retryInMs: 500,
      nextAttemptAt: 1500,
      serverIndex: 1,
      connectionString: 'tcp://alice@backup:9007/amps/json',
    });
    expect(seen.at(-1)).toMatchObject({ state: 'failedOver', serverIndex: 1 });
    expect(seen.at(-1)?.error).toBeUndefined();

    const ha = s.service.haStatus(connectionId, 'w1');
    expect(ha.servers.map((h) => [h.index, h.current, h.failures, h.logons])).toEqual([
      [0, false, 2, 1],
      [1, true, 0, 1],
    ]);
    expect(ha.servers[0]?.lastError?.message).toBe('refused');
    expect(ha.delay).toEqual({ kind: 'fixed', delayMs: 500 });
    expect(ha.timeline.map((t) => t.kind)).toEqual([
      'connecting',
      'loggedOn',
      'disconnected',
      'reconnecting',
      'connecting',
      'attemptFailed',
      'retryScheduled',
      'connecting',
      'loggedOn',
      'failedOver',
    ]);
  });

  it('reconnect now and simulate failover reach the client, and are in the timeline', async () => {
    const s = setup();
    const { connectionId } = await s.service.open({ profileId: 'p1' }, 'w1');
    s.service.simulateFailover(connectionId, 'w1');
    await s.service.reconnect(connectionId, 'w1');
    expect(s.factory.built[0]?.calls).toEqual(['connectAndLogon', 'simulateFailover', 'reconnectNow']);
    const kinds = s.service.haStatus(connectionId, 'w1').timeline.map((t) => t.kind);
    expect(kinds.slice(-2)).toEqual(['simulatedFailover', 'reconnectNow']);
  });

  it('after the HA client gave up, reconnect builds a new one on the same servers', async () => {
    const s = setup();
    const { connectionId } = await s.service.open({ profileId: 'p1' }, 'w1');
    s.factory.built[0]?.emit({ state: 'closed', error: new Error('Maximum Retry Time Exceeded') });
    expect(s.service.list('w1')[0]).toMatchObject({
      state: 'failed',
      error: { message: 'Maximum Retry Time Exceeded' },
    });
    const info = await s.service.reconnect(connectionId, 'w1');
    expect(info.state).toBe('loggedOn');
    expect(s.factory.built).toHaveLength(2);
    expect(s.factory.built[0]?.closed).toBe(true);
  });

  it('belongs to its owner: another window cannot see, use, close or publish on it', async () => {
    const s = setup();
    const { connectionId } = await s.service.open({ profileId: 'p1' }, 'w1');
    expect(s.service.list('w2')).toEqual([]);
    const refused = { code: 'not-owner', message: expect.stringMatching(/belongs to another window/) };
    await expect(s.service.close(connectionId, 'w2')).rejects.toMatchObject(refused);
    await expect(s.service.reconnect(connectionId, 'w2')).rejects.toMatchObject(refused);
    expect(() => s.service.simulateFailover(connectionId, 'w2')).toThrow(/belongs to another window/);
    expect(() => s.service.haStatus(connectionId, 'w2')).toThrow(/belongs to another window/);
    await expect(
      publishMessage(s.service, { connectionId, topic: 't', data: '{}' }, 'w2'),
    ).rejects.toMatchObject(refused);
    expect(s.factory.built[0]?.published).toEqual([]);
    expect(s.events.every(([owner]) => owner === 'w1')).toBe(true);
    expect(s.service.list('w1')).toHaveLength(1);
  });

  it('caps the connections of one owner, with a clear error', async () => {
    const s = setup(fakeFactory(), 2);
    await s.service.open({ connectionString: 'tcp://h:1/amps/json' }, 'w1');
    await s.service.open({ connectionString: 'tcp://h:1/amps/json' }, 'w1');
    await expect(s.service.open({ connectionString: 'tcp://h:1/amps/json' }, 'w1')).rejects.toMatchObject({
      code: 'too-many-connections',
      message: expect.stringMatching(/already has 2 open connections \(at most 2\)/),
    });
    await s.service.open({ connectionString: 'tcp://h:1/amps/json' }, 'w2');
    expect(s.factory.built).toHaveLength(3);
    // Opens racing each other cannot pass the cap either.
    const racing = await Promise.allSettled([
      s.service.open({ profileId: 'p1' }, 'w3'),
      s.service.open({ profileId: 'p1' }, 'w3'),
      s.service.open({ profileId: 'p1' }, 'w3'),
    ]);
    expect(racing.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    expect(s.service.list('w3')).toHaveLength(2);
  });

  it('closes every connection of an owner that went away, and only those', async () => {
    const s = setup();
    await s.service.open({ connectionString: 'tcp://h:1/amps/json' }, 'w1');
    await s.service.open({ connectionString: 'tcp://h:1/amps/json' }, 'w2');
    await s.service.releaseOwner('w1');
    expect(s.factory.built.map((c) => c.closed)).toEqual([true, false]);
    expect(s.service.list('w1')).toEqual([]);
    expect(s.service.list('w2')).toHaveLength(1);
  });

  it('publishes with the ack the caller asked for, and reports a refusal with its reason', async () => {
    const s = setup();
    const { connectionId } = await s.service.open({ profileId: 'p1' }, 'w1');
    const client = s.factory.built[0];
    if (client === undefined) throw new Error('no client');
    client.publishOutcome = { serverIndex: 0, ack: { status: 'failure', reason: 'not entitled' } };
    const result = await publishMessage(
      s.service,
      { connectionId, topic: 'orders', data: '{"a":1}', ack: 'processed', deltaPublish: true, sowKey: 'k1' },
      'w1',
    );
    expect(result).toEqual({
      ack: { status: 'failure', reason: 'not entitled' },
      server: 'tcp://alice@prod:9007/amps/json',
    });
    expect(client.published[0]?.params).toEqual({ delta: true, ack: 'processed', sowKey: 'k1' });
  });

  it('reports a failed open once every server failed, closes the client and forgets the connection', async () => {
    const factory = fakeFactory((c) => {
      c.connectError = Object.assign(new Error('refused'), {
        name: 'ConnectionRefusedError',
        code: 'refused',
        retriable: true,
      });
    });
    const s = setup(factory);
    await expect(s.service.open({ profileId: 'p1' }, 'w1')).rejects.toMatchObject({
      name: 'ConnectionRefusedError',
      message: expect.stringMatching(/prod:9007.*refused.*backup:9007.*refused/),
    });
    expect(s.events.at(-1)?.[1]).toMatchObject({
      state: 'failed',
      error: { name: 'ConnectionRefusedError', retriable: true },
    });
    expect(factory.built[0]?.closed).toBe(true);
    expect(s.service.list('w1')).toEqual([]);
  });

  it('closes, tells listeners, and rejects unknown ids', async () => {
    const s = setup();
    const closed: string[] = [];
    s.service.onClosed((id) => closed.push(id));
    const { connectionId } = await s.service.open({ connectionString: 'tcp://h:1/amps/json' }, 'w1');
    await s.service.close(connectionId, 'w1');
    expect(closed).toEqual([connectionId]);
    expect(s.factory.built[0]?.closed).toBe(true);
    expect(s.events.at(-1)?.[1].state).toBe('closed');
    await expect(s.service.close(connectionId, 'w1')).rejects.toMatchObject({ code: 'unknown-connection' });
    expect(() => s.service.client(connectionId, 'w1')).toThrow(/not open/);
  });

  it('closes every connection at shutdown', async () => {
    const s = setup();
    await s.service.open({ connectionString: 'tcp://h:1/amps/json' }, 'w1');
    await s.service.open({ profileId: 'p1' }, 'w2');
    await s.service.shutdown();
    expect(s.factory.built.every((c) => c.closed)).toBe(true);
    expect(s.service.size).toBe(0);
  });
});
