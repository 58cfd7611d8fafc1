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
import { fakeFactory } from './fakes.js';

/** A password holding "@": the client reads it up to the LAST "@" of the authority. */
const TEXT = 'tcp://bob:pa@SECRET@host:9007/amps/json';
const SECRET = 'SECRET';
const OWNER = 'window-1';

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
    const saved = await profiles.save({
      name: 'With @',
      servers: [TEXT, 'tcp://bob:pa@SECRET@backup:9007/amps/json'],
    });
    expect(saved.servers).toEqual(['tcp://bob@host:9007/amps/json', 'tcp://bob@backup:9007/amps/json']);
    expect(JSON.stringify(saved)).not.toContain(SECRET);
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
    const info = await service.open({ profileId: saved.id }, OWNER);
    // The client alone gets the password, whole.
    expect(factory.built[0]?.options.uris).toEqual([
      'tcp://bob:pa%40SECRET@host:9007/amps/json',
      'tcp://bob:pa%40SECRET@backup:9007/amps/json',
    ]);
    const listed = service.list(OWNER);
    await service.close(info.connectionId, OWNER);

    expect(events.length).toBeGreaterThan(0);
    expect(JSON.stringify({ info, listed, events, log: logger.lines })).not.toContain(SECRET);
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
    const info = await service.open({ connectionString: TEXT }, OWNER);
    expect(info.name).toBe('tcp://bob@host:9007/amps/json');
    expect(factory.built[0]?.options.uris).toEqual(['tcp://bob:pa%40SECRET@host:9007/amps/json']);
    const listed = service.list(OWNER);
    await service.close(info.connectionId, OWNER);
    expect(JSON.stringify({ info, listed, events, log: logger.lines })).not.toContain(SECRET);
  });
});
