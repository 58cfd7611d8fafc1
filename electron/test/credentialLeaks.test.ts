import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConnectionStatusEvent } from '../../common/src/dto/connections.js';
import { memoryLogger } from '../main/platform/logger.js';
import { createSafeStorageCipher, type SafeStorageLike } from '../main/platform/safeStorage.js';
import { ConnectionService } from '../main/services/connections.js';
import { redact, splitPassword, withPassword } from '../main/services/connectionStrings.js';
import { ProfileStore } from '../main/services/profiles.js';
import { fakeFactory, type FakeConnection } from './fakes.js';

/** A password holding "@": the client reads it up to the LAST "@" of the authority. */
const TEXT = 'tcp://bob:pa@SECRET@host:9007/amps/json';
const SECRET = 'SECRET';

const xorStorage: SafeStorageLike = {
  isEncryptionAvailable: () => true,
  encryptString: (plain) => Buffer.from([...Buffer.from(plain, 'utf8')].map((b) => b ^ 0x5a)),
  decryptString: (enc) => Buffer.from([...enc].map((b) => b ^ 0x5a)).toString('utf8'),
};

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'amps-leaks-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('a password containing "@" never leaks', () => {
  it('the main process splits it where the client does', () => {
    expect(splitPassword(TEXT)).toEqual({
      connectionString: 'tcp://bob@host:9007/amps/json',
      password: 'pa@SECRET',
    });
    expect(redact(TEXT)).toBe('tcp://bob@host:9007/amps/json');
    expect(withPassword(redact(TEXT), 'pa@SECRET')).toBe('tcp://bob:pa%40SECRET@host:9007/amps/json');
  });

  it('saving and opening a profile keeps it out of profiles.json, logs, ConnectionInfo and status events', async () => {
    const logger = memoryLogger();
    const profiles = new ProfileStore({ dir, cipher: createSafeStorageCipher(xorStorage), logger });
    // The request in both the current and the reworked profile shapes (one server list or one
    // connection string plus failover strings), so this guard holds across the rework.
    const request = {
      name: 'With @',
      connectionString: TEXT,
      messageType: 'json',
      options: { failoverConnectionStrings: ['tcp://bob:pa@SECRET@backup:9007/amps/json'] },
      servers: [TEXT, 'tcp://bob:pa@SECRET@backup:9007/amps/json'],
    } as unknown as Parameters<ProfileStore['save']>[0];
    const saved = await profiles.save(request);
    expect(JSON.stringify(saved)).not.toContain(SECRET);
    expect(JSON.stringify(saved)).toContain('tcp://bob@host:9007/amps/json');
    const file = await readFile(join(dir, 'profiles.json'), 'utf8');
    expect(file).not.toContain(SECRET);

    const events: ConnectionStatusEvent[] = [];
    const factory = fakeFactory();
    const service = new ConnectionService({
      factory,
      logger,
      profiles,
      emitStatus: (_owner, e) => events.push(e),
    });
    const info = await service.open({ profileId: saved.id }, 'w1');
    // The client alone gets the password, whole.
    const client = factory.built[0];
    expect(JSON.stringify(client?.options)).toContain('tcp://bob:pa%40SECRET@host:9007/amps/json');
    const status = { state: 'disconnected', serverIndex: 0, error: new Error('lost tcp://bob:pa@SECRET@host') };
    client?.emit(status as Parameters<FakeConnection['emit']>[0]);
    await service.close(info.connectionId, 'w1');

    const shown = JSON.stringify({ info, list: service.list('w1'), events, log: logger.lines });
    expect(events.length).toBeGreaterThan(0);
    expect(shown).not.toContain(SECRET);
  });

  it('opening the string directly keeps it out of the name, ConnectionInfo, events and logs', async () => {
    const logger = memoryLogger();
    const events: ConnectionStatusEvent[] = [];
    const factory = fakeFactory();
    const service = new ConnectionService({
      factory,
      logger,
      profiles: { resolve: () => Promise.reject(new Error('no profiles')) },
      emitStatus: (_owner, e) => events.push(e),
    });
    const info = await service.open({ connectionString: TEXT }, 'w1');
    expect(info.name).toBe('tcp://bob@host:9007/amps/json');
    expect(JSON.stringify(factory.built[0])).toContain('tcp://bob:pa%40SECRET@host:9007/amps/json');
    const shown = JSON.stringify({ info, list: service.list('w1'), events, log: logger.lines });
    expect(shown).not.toContain(SECRET);
  });
});
