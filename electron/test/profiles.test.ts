import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { memoryLogger } from '../main/platform/logger.js';
import { createSafeStorageCipher } from '../main/platform/safeStorage.js';
import type { SafeStorageLike } from '../main/platform/safeStorage.js';
import { createMemoryCipher } from '../main/platform/secretCipher.js';
import type { FileOps } from '../main/services/atomicFile.js';
import { nodeFileOps } from '../main/services/atomicFile.js';
import { ProfileStore } from '../main/services/profiles.js';
import type { ProfileStoreOptions } from '../main/services/profiles.js';

/** A stand-in for Electron safeStorage: XOR "encryption", enough to prove no plain text is written. */
const fakeSafeStorage: SafeStorageLike = {
  isEncryptionAvailable: () => true,
  encryptString: (plain) => Buffer.from([...Buffer.from(plain, 'utf8')].map((b) => b ^ 0x5a)),
  decryptString: (enc) => Buffer.from([...enc].map((b) => b ^ 0x5a)).toString('utf8'),
};

const PASSWORD = 'correct-horse-battery';
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'amps-profiles-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const store = (extra: Partial<ProfileStoreOptions> = {}) => {
  const logger = memoryLogger();
  const s = new ProfileStore({ dir, cipher: createSafeStorageCipher(fakeSafeStorage), logger, ...extra });
  return { s, logger };
};
const fileText = () => readFile(join(dir, 'profiles.json'), 'utf8');
const request = {
  name: 'Prod',
  connectionString: 'tcp://alice@prod:9007/amps/json',
  messageType: 'json' as const,
  options: {},
};

describe('ProfileStore', () => {
  it('starts empty without a file, then saves, updates and deletes', async () => {
    const { s } = store();
    expect(await s.state()).toEqual({ profiles: [], secretsPersistent: true });
    const saved = await s.save({ ...request, password: PASSWORD });
    expect(saved).toMatchObject({ name: 'Prod', hasPassword: true, builtIn: false });
    const updated = await s.save({ ...request, id: saved.id, name: 'Prod 2' });
    expect(updated).toMatchObject({ id: saved.id, name: 'Prod 2', hasPassword: true });
    expect((await s.resolve(saved.id)).password).toBe(PASSWORD);
    const reread = store().s;
    expect((await reread.state()).profiles.map((p) => p.name)).toEqual(['Prod 2']);
    await reread.delete(saved.id);
    expect((await store().s.state()).profiles).toEqual([]);
    await expect(reread.delete(saved.id)).rejects.toMatchObject({ code: 'unknown-profile' });
  });

  it('never writes a password in plain text, even one typed into the connection string', async () => {
    const { s, logger } = store();
    await s.save({ ...request, password: PASSWORD });
    const second = await s.save({
      ...request,
      name: 'Inline',
      connectionString: `tcp://bob:${PASSWORD}@h:1/amps/json`,
    });
    const text = await fileText();
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain(Buffer.from(PASSWORD).toString('base64'));
    expect(logger.lines.join('\n')).not.toContain(PASSWORD);
    expect(second).toMatchObject({ connectionString: 'tcp://bob@h:1/amps/json', hasPassword: true });
    expect((await s.resolve(second.id)).password).toBe(PASSWORD);
    const cleared = await s.save({ ...request, id: second.id, password: null });
    expect(cleared.hasPassword).toBe(false);
  });

  it('in memory mode keeps passwords out of the file and reports persistent: false', async () => {
    const cipher = createMemoryCipher();
    const { s } = store({ cipher });
    const saved = await s.save({ ...request, password: PASSWORD });
    expect((await s.state()).secretsPersistent).toBe(false);
    expect((await s.resolve(saved.id)).password).toBe(PASSWORD);
    expect(await fileText()).not.toContain(PASSWORD);
    const afterRestart = store({ cipher: createMemoryCipher() }).s;
    const [p] = (await afterRestart.state()).profiles;
    expect(p).toMatchObject({ id: saved.id, hasPassword: false });
    expect((await afterRestart.resolve(saved.id)).password).toBeUndefined();
  });

  it('survives a crash between write and rename: old file intact, temp file cleaned up', async () => {
    const { s } = store();
    await s.save({ ...request, name: 'Before' });
    const before = await fileText();
    // The "crash": the temp file is written and synced, then the process dies before the rename
    // (and so cannot remove its temp file).
    const crashing: FileOps = {
      ...nodeFileOps,
      rename: () => Promise.reject(new Error('simulated crash before rename')),
      rm: () => Promise.resolve(),
    };
    const doomed = store({ fs: crashing }).s;
    await expect(doomed.save({ ...request, name: 'After' })).rejects.toThrow(/simulated crash/);
    expect(await fileText()).toBe(before);
    expect((await readdir(dir)).some((n) => n.endsWith('.tmp'))).toBe(true);
    const { s: restarted, logger } = store();
    expect((await restarted.state()).profiles.map((p) => p.name)).toEqual(['Before']);
    expect((await readdir(dir)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    expect(logger.lines.some((l) => l.includes('interrupted write'))).toBe(true);
  });

  it('keeps a corrupt file as a backup, reports it, and does not replace it silently', async () => {
    await writeFile(join(dir, 'profiles.json'), '{"version": 2, "profiles": [ {"id": "x"', 'utf8');
    const { s } = store({ now: () => new Date('2026-11-23T10:20:30.456Z') });
    const state = await s.state();
    expect(state.profiles).toEqual([]);
    expect(state.problem).toMatchObject({
      kind: 'corrupt',
      backupFile: join(dir, 'profiles.corrupt-2026-11-23T10-20-30-456Z.json'),
    });
    expect(state.problem?.message).toMatch(/could not be read/);
    expect(await readFile(join(dir, 'profiles.corrupt-2026-11-23T10-20-30-456Z.json'), 'utf8')).toBe(
      '{"version": 2, "profiles": [ {"id": "x"',
    );
    await s.save(request);
    expect((await readdir(dir)).sort()).toEqual([
      'profiles.corrupt-2026-11-23T10-20-30-456Z.json',
      'profiles.json',
    ]);
  });

  it('treats a file that fails the schema as corrupt, naming the bad field', async () => {
    await writeFile(
      join(dir, 'profiles.json'),
      JSON.stringify({ version: 2, profiles: [{ id: 'a', name: 'n' }] }),
    );
    const state = await store().s.state();
    expect(state.problem?.kind).toBe('corrupt');
    expect(state.problem?.message).toMatch(/profiles file\.profiles\[0\]\.connectionString: missing/);
  });

  it('migrates version 1 to 2: password out of the URI and encrypted, message type from the path', async () => {
    const v1 = {
      version: 1,
      profiles: [
        { id: 'old-1', name: 'Old', uri: `tcp://carol:${PASSWORD}@old:9007/amps/fix`, clientName: 'legacy' },
        { id: 'old-2', name: 'NoPw', uri: 'ws://old:9008/amps/json' },
      ],
    };
    await writeFile(join(dir, 'profiles.json'), JSON.stringify(v1));
    const { s } = store();
    const state = await s.state();
    expect(state.problem).toBeUndefined();
    expect(state.profiles).toEqual([
      {
        id: 'old-1',
        name: 'Old',
        connectionString: 'tcp://carol@old:9007/amps/fix',
        messageType: 'fix',
        options: { clientName: 'legacy' },
        hasPassword: true,
        builtIn: false,
      },
      {
        id: 'old-2',
        name: 'NoPw',
        connectionString: 'ws://old:9008/amps/json',
        messageType: 'json',
        options: {},
        hasPassword: false,
        builtIn: false,
      },
    ]);
    const text = await fileText();
    expect(JSON.parse(text)).toMatchObject({ version: 2 });
    expect(text).not.toContain(PASSWORD);
    expect((await store().s.resolve('old-1')).password).toBe(PASSWORD);
  });

  it('leaves a file from a newer version alone and refuses to save', async () => {
    const future = JSON.stringify({ version: 99, profiles: [], extra: true });
    await writeFile(join(dir, 'profiles.json'), future);
    const { s } = store();
    expect((await s.state()).problem).toMatchObject({ kind: 'newer-version' });
    await expect(s.save(request)).rejects.toMatchObject({ code: 'profiles-read-only' });
    expect(await fileText()).toBe(future);
  });

  it('lists built-in profiles first and protects them', async () => {
    const builtIn = {
      profile: {
        id: 'local-sandbox',
        name: 'Local sandbox',
        connectionString: 'tcp://127.0.0.1:1/amps/json',
        messageType: 'json' as const,
        options: {},
        hasPassword: false,
        builtIn: true,
      },
    };
    const { s } = store({ builtIns: () => [builtIn] });
    await s.save(request);
    expect((await s.state()).profiles.map((p) => p.id)[0]).toBe('local-sandbox');
    await expect(s.delete('local-sandbox')).rejects.toMatchObject({ code: 'read-only-profile' });
    await expect(s.save({ ...request, id: 'local-sandbox' })).rejects.toMatchObject({
      code: 'read-only-profile',
    });
    expect(await s.resolve('local-sandbox')).toEqual(builtIn);
  });

  it('serializes concurrent saves so none is lost', async () => {
    const { s } = store();
    await Promise.all(Array.from({ length: 5 }, (_, i) => s.save({ ...request, name: `P${i}` })));
    expect((await store().s.state()).profiles.map((p) => p.name).sort()).toEqual([
      'P0',
      'P1',
      'P2',
      'P3',
      'P4',
    ]);
  });
});
