import { describe, expect, it } from 'vitest';
import type { ConnectionStatusEvent } from '../../common/src/dto/connections.js';
import type { Profile } from '../../common/src/dto/profiles.js';
import { memoryLogger } from '../main/platform/logger.js';
import { ConnectionService } from '../main/services/connections.js';
import { redact, splitPassword, withPassword } from '../main/services/connectionStrings.js';
import { fakeFactory } from './fakes.js';

const profile: Profile = {
  id: 'p1',
  name: 'Prod',
  connectionString: 'tcp://alice@prod:9007/amps/json',
  messageType: 'json',
  options: {
    clientName: 'me',
    heartbeatSeconds: 10,
    failoverConnectionStrings: ['tcp://alice@backup:9007/amps/json'],
  },
  hasPassword: true,
  builtIn: false,
};

const setup = (factory = fakeFactory()) => {
  const events: ConnectionStatusEvent[] = [];
  const logger = memoryLogger();
  const service = new ConnectionService({
    factory,
    logger,
    profiles: {
      resolve: async (id) => {
        if (id !== 'p1') throw new Error(`unknown ${id}`);
        return { profile, password: 's3cr:t' };
      },
    },
    emitStatus: (e) => events.push(e),
    now: () => 42,
  });
  return { factory, service, events, logger };
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
  it('opens a profile with its password in the URI for the client only, HA when failover servers exist', async () => {
    const s = setup();
    const info = await s.service.open({ profileId: 'p1' });
    const client = s.factory.built[0];
    expect(client?.options).toEqual({
      clientName: 'me',
      heartbeatSeconds: 10,
      uris: ['tcp://alice:s3cr%3At@prod:9007/amps/json', 'tcp://alice:s3cr%3At@backup:9007/amps/json'],
    });
    expect(client?.calls).toEqual(['connect tcp://alice:s3cr%3At@prod:9007/amps/json', 'logon']);
    expect(info).toMatchObject({ connectionId: 'conn-1', profileId: 'p1', name: 'Prod', state: 'loggedOn' });
    expect(JSON.stringify([info, s.events, s.logger.lines, s.service.list()])).not.toContain('s3cr');
    expect(s.events.map((e) => e.state)).toEqual(['connecting', 'connecting', 'loggedOn']);
  });

  it('forwards client status changes, redacting the URI', async () => {
    const s = setup();
    const { connectionId } = await s.service.open({ connectionString: 'tcp://u:pw@h:1/amps/json' });
    s.factory.built[0]?.emit({ state: 'failedOver', uri: 'tcp://u:pw@h2:1/amps/json' });
    expect(s.events.at(-1)).toEqual({
      connectionId,
      state: 'failedOver',
      connectionString: 'tcp://u@h2:1/amps/json',
      at: 42,
    });
    expect(s.service.list()[0]).toMatchObject({
      state: 'failedOver',
      connectionString: 'tcp://u@h2:1/amps/json',
    });
  });

  it('reports a failed open, closes the client and forgets the connection', async () => {
    const factory = fakeFactory((c) => {
      c.connectError = Object.assign(new Error('refused'), {
        name: 'ConnectionRefusedError',
        code: 'refused',
        retriable: true,
      });
    });
    const s = setup(factory);
    await expect(s.service.open({ connectionString: 'tcp://h:1/amps/json' })).rejects.toMatchObject({
      name: 'ConnectionRefusedError',
    });
    expect(s.events.at(-1)).toMatchObject({
      state: 'failed',
      error: { name: 'ConnectionRefusedError', retriable: true },
    });
    expect(factory.built[0]?.closed).toBe(true);
    expect(s.service.list()).toEqual([]);
  });

  it('closes, tells listeners, and rejects unknown ids', async () => {
    const s = setup();
    const closed: string[] = [];
    s.service.onClosed((id) => closed.push(id));
    const { connectionId } = await s.service.open({ connectionString: 'tcp://h:1/amps/json' });
    await s.service.close(connectionId);
    expect(closed).toEqual([connectionId]);
    expect(s.factory.built[0]?.closed).toBe(true);
    expect(s.events.at(-1)?.state).toBe('closed');
    await expect(s.service.close(connectionId)).rejects.toMatchObject({ code: 'unknown-connection' });
    expect(() => s.service.client(connectionId)).toThrow(/not open/);
  });

  it('closes every connection at shutdown', async () => {
    const s = setup();
    await s.service.open({ connectionString: 'tcp://h:1/amps/json' });
    await s.service.open({ profileId: 'p1' });
    await s.service.shutdown();
    expect(s.factory.built.every((c) => c.closed)).toBe(true);
    expect(s.service.list()).toEqual([]);
  });
});
