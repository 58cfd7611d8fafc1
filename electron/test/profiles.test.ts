import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_HA } from '../../common/src/dto/profiles.js';
import { createMemoryCipher } from '../main/platform/secretCipher.js';
import type { FileOps } from '../main/services/atomicFile.js';
import { nodeFileOps } from '../main/services/atomicFile.js';
import type { BuiltInProfile } from '../main/services/profiles.js';
import {
  CA_PEM,
  CERT_PEM,
  KEY_BODY,
  KEY_PEM,
  PASSWORD,
  leaks,
  makeStore,
  profilesText,
  request,
} from './profileFixtures.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'amps-profiles-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});
const store = (extra: Parameters<typeof makeStore>[1] = {}) => makeStore(dir, extra);
const fileText = () => profilesText(dir);

describe('ProfileStore', () => {
  it('a first load that failed unexpectedly is tried again by the next call, not kept', async () => {
    // A temp file of an interrupted write makes the load log a warning; the first warning throws.
    await writeFile(join(dir, 'profiles.json.1234.tmp'), '{');
    let failOnce = true;
    const logger = {
      info: () => undefined,
      error: () => undefined,
      warn: () => {
        if (failOnce) {
          failOnce = false;
          throw new Error('the log stream is closed');
        }
      },
    };
    const { s } = store({ logger });
    await expect(s.state()).rejects.toThrow('the log stream is closed');
    expect(await s.state()).toEqual({ profiles: [], problems: [], secretsPersistent: true });
    expect((await s.save(request)).name).toBe('Prod');
  });

  it('starts empty without a file, then saves, updates and deletes', async () => {
    const { s } = store();
    expect(await s.state()).toEqual({ profiles: [], problems: [], secretsPersistent: true });
    const saved = await s.save({ ...request, password: PASSWORD });
    expect(saved).toMatchObject({
      name: 'Prod',
      servers: ['tcp://alice@prod:9007/amps/json'],
      hasPassword: true,
      builtIn: false,
      production: false,
      messageType: 'json',
      tls: { verify: true },
      ha: DEFAULT_HA,
      bookmarkStore: { kind: 'none' },
      publishStore: { kind: 'none' },
    });
    const updated = await s.save({
      ...request,
      id: saved.id,
      name: 'Prod 2',
      production: true,
      color: 'red',
    });
    expect(updated).toMatchObject({
      id: saved.id,
      name: 'Prod 2',
      hasPassword: true,
      production: true,
      color: 'red',
    });
    expect((await s.resolve(saved.id)).password).toBe(PASSWORD);
    const reread = store().s;
    expect((await reread.state()).profiles.map((p) => p.name)).toEqual(['Prod 2']);
    await reread.delete(saved.id);
    expect((await store().s.state()).profiles).toEqual([]);
    await expect(reread.delete(saved.id)).rejects.toMatchObject({ code: 'unknown-profile' });
  });

  it('keeps every setting of a profile with two HA servers across a restart', async () => {
    const { s } = store();
    const saved = await s.save({
      name: 'HA pair',
      servers: ['tcp://a:9007/amps/json', 'tcp://b:9007/amps/json'],
      user: 'trader',
      clientName: 'desk-1',
      heartbeatSeconds: 5,
      ha: { delay: { kind: 'fixed', delayMs: 250 }, giveUpMs: 60_000, resubscribe: false },
      bookmarkStore: { kind: 'file', path: '/var/tmp/desk.bm' },
      publishStore: { kind: 'memory' },
      adminUrl: 'http://a:8085/amps',
      color: 'teal',
    });
    const [again] = (await store().s.state()).profiles;
    expect(again).toEqual(saved);
    expect(again).toMatchObject({
      servers: ['tcp://a:9007/amps/json', 'tcp://b:9007/amps/json'],
      user: 'trader',
      clientName: 'desk-1',
      heartbeatSeconds: 5,
      ha: { delay: { kind: 'fixed', delayMs: 250 }, giveUpMs: 60_000, resubscribe: false },
    });
  });

  it('never writes a password in plain text, even one typed into a server string', async () => {
    const { s, logger } = store();
    await s.save({ ...request, password: PASSWORD });
    const second = await s.save({
      ...request,
      name: 'Inline',
      servers: [`tcp://bob:${PASSWORD}@h:1/amps/json`, `tcp://bob:${PASSWORD}@h2:1/amps/json`],
    });
    const text = await fileText();
    expect(leaks(text, PASSWORD)).toBe(false);
    expect(leaks(logger.lines.join('\n'), PASSWORD)).toBe(false);
    expect(second).toMatchObject({
      servers: ['tcp://bob@h:1/amps/json', 'tcp://bob@h2:1/amps/json'],
      hasPassword: true,
    });
    expect((await s.resolve(second.id)).password).toBe(PASSWORD);
    const cleared = await s.save({ ...request, id: second.id, password: null });
    expect(cleared.hasPassword).toBe(false);
  });

  it('keeps TLS files in main: CA and certificate as text, the key only encrypted', async () => {
    const { s } = store();
    const saved = await s.save({
      ...request,
      tls: {
        verify: true,
        ca: { fileName: 'ca.pem', pem: CA_PEM },
        cert: { fileName: 'client.pem', pem: CERT_PEM },
        key: { fileName: 'client.key', pem: KEY_PEM },
      },
    });
    expect(saved.tls).toEqual({
      verify: true,
      ca: { fileName: 'ca.pem', bytes: CA_PEM.length },
      cert: { fileName: 'client.pem', bytes: CERT_PEM.length },
      key: { fileName: 'client.key', bytes: KEY_PEM.length },
    });
    const text = await fileText();
    expect(leaks(text, KEY_BODY)).toBe(false);
    expect(text).not.toContain('PRIVATE KEY');
    expect(await store().s.resolve(saved.id)).toMatchObject({
      tls: { ca: CA_PEM, cert: CERT_PEM, key: KEY_PEM },
    });

    // Absent keeps, null clears, verification can be turned off.
    const kept = await s.save({ ...request, id: saved.id, tls: { verify: false, ca: null } });
    expect(kept.tls).toEqual({
      verify: false,
      cert: { fileName: 'client.pem', bytes: CERT_PEM.length },
      key: { fileName: 'client.key', bytes: KEY_PEM.length },
    });
    const renamed = await s.save({ ...request, id: saved.id, name: 'Renamed' });
    expect(renamed.tls).toEqual(kept.tls);
  });

  it('refuses a key picked as a certificate and a certificate picked as the key, naming the file', async () => {
    const { s } = store();
    await expect(
      s.save({ ...request, tls: { verify: true, cert: { fileName: 'oops.key', pem: KEY_PEM } } }),
    ).rejects.toMatchObject({
      code: 'invalid-pem',
      message: expect.stringMatching(/tls\.cert: oops\.key holds no PEM certificate/),
    });
    await expect(
      s.save({ ...request, tls: { verify: true, key: { fileName: 'ca.pem', pem: CA_PEM } } }),
    ).rejects.toMatchObject({
      code: 'invalid-pem',
      message: expect.stringMatching(/tls\.key: ca\.pem holds no PEM private key/),
    });
    expect((await s.state()).profiles).toEqual([]);
  });

  it('in memory mode keeps passwords and keys out of the file and reports persistent: false', async () => {
    const cipher = createMemoryCipher();
    const { s } = store({ cipher });
    const saved = await s.save({
      ...request,
      password: PASSWORD,
      tls: { verify: true, key: { fileName: 'k', pem: KEY_PEM } },
    });
    expect((await s.state()).secretsPersistent).toBe(false);
    expect((await s.resolve(saved.id)).password).toBe(PASSWORD);
    const text = await fileText();
    expect(leaks(text, PASSWORD)).toBe(false);
    expect(leaks(text, KEY_BODY)).toBe(false);
    const afterRestart = store({ cipher: createMemoryCipher() }).s;
    const [p] = (await afterRestart.state()).profiles;
    expect(p).toMatchObject({ id: saved.id, hasPassword: false, tls: { verify: true } });
    expect(p?.tls.key).toBeUndefined();
    await expect(afterRestart.resolve(saved.id)).rejects.toMatchObject({ code: 'secret-unavailable' });
  });

  it('duplicates a profile right after it, secrets included, under a new id', async () => {
    const { s } = store();
    const a = await s.save({ ...request, name: 'A', password: PASSWORD });
    const b = await s.save({ ...request, name: 'B' });
    const copy = await s.duplicate(a.id);
    expect(copy).toMatchObject({ name: 'A (copy)', hasPassword: true, servers: a.servers });
    expect(copy.id).not.toBe(a.id);
    expect((await s.state()).profiles.map((p) => p.id)).toEqual([a.id, copy.id, b.id]);
    expect((await store().s.resolve(copy.id)).password).toBe(PASSWORD);
    await expect(s.duplicate('p-missing')).rejects.toMatchObject({ code: 'unknown-profile' });
  });

  it('reorders the saved profiles, refusing an order that leaves one out or lists one twice', async () => {
    const { s } = store();
    const [a, b, c] = [
      await s.save({ ...request, name: 'A' }),
      await s.save({ ...request, name: 'B' }),
      await s.save({ ...request, name: 'C' }),
    ];
    await s.reorder([c.id, a.id, b.id]);
    expect((await store().s.state()).profiles.map((p) => p.name)).toEqual(['C', 'A', 'B']);
    await expect(s.reorder([a.id, b.id])).rejects.toMatchObject({ code: 'invalid-order' });
    await expect(s.reorder([a.id, a.id, b.id, c.id])).rejects.toMatchObject({ code: 'invalid-order' });
    await expect(s.reorder([a.id, b.id, c.id, 'p-nope'])).rejects.toMatchObject({ code: 'unknown-profile' });
    expect((await store().s.state()).profiles.map((p) => p.name)).toEqual(['C', 'A', 'B']);
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

  it('keeps an unreadable file as a backup, reports it, and does not replace it silently', async () => {
    await writeFile(join(dir, 'profiles.json'), '{"version": 3, "profiles": [ {"id": "x"', 'utf8');
    const { s } = store({ now: () => new Date('2026-11-23T10:20:30.456Z') });
    const state = await s.state();
    expect(state.profiles).toEqual([]);
    expect(state.problems).toEqual([
      expect.objectContaining({
        kind: 'corrupt',
        backupFile: join(dir, 'profiles.corrupt-2026-11-23T10-20-30-456Z.json'),
        message: expect.stringMatching(/could not be read/),
      }),
    ]);
    await s.save(request);
    expect((await readdir(dir)).sort()).toEqual([
      'profiles.corrupt-2026-11-23T10-20-30-456Z.json',
      'profiles.json',
    ]);
  });

  it('leaves a file from a newer version alone and refuses to save', async () => {
    const future = JSON.stringify({ version: 99, profiles: [], extra: true });
    await writeFile(join(dir, 'profiles.json'), future);
    const { s } = store();
    expect((await s.state()).problems).toEqual([expect.objectContaining({ kind: 'newer-version' })]);
    await expect(s.save(request)).rejects.toMatchObject({ code: 'profiles-read-only' });
    expect(await fileText()).toBe(future);
  });

  it('lists built-in profiles first, protects them, and duplicates one into a saved profile', async () => {
    const builtIn: BuiltInProfile = {
      profile: {
        id: 'local-sandbox',
        name: 'Local sandbox',
        servers: ['tcp://127.0.0.1:1/amps/json'],
        hasPassword: false,
        tls: { verify: true },
        ha: DEFAULT_HA,
        bookmarkStore: { kind: 'memory' },
        publishStore: { kind: 'memory' },
        production: false,
        builtIn: true,
        messageType: 'json',
      },
    };
    const { s } = store({ builtIns: () => [builtIn] });
    await s.save(request);
    expect((await s.state()).profiles.map((p) => p.id)[0]).toBe('local-sandbox');
    await expect(s.delete('local-sandbox')).rejects.toMatchObject({ code: 'read-only-profile' });
    await expect(s.save({ ...request, id: 'local-sandbox' })).rejects.toMatchObject({
      code: 'read-only-profile',
    });
    expect(await s.resolve('local-sandbox')).toEqual({ ...builtIn, tls: {} });
    const copy = await s.duplicate('local-sandbox');
    expect(copy).toMatchObject({
      name: 'Local sandbox (copy)',
      builtIn: false,
      servers: ['tcp://127.0.0.1:1/amps/json'],
    });
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
