import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryCipher } from '../main/platform/secretCipher.js';
import { EXPORT_FORMAT, exportProfiles, importProfiles } from '../main/services/profileTransfer.js';
import { CA_PEM, KEY_BODY, KEY_PEM, PASSWORD, leaks, makeStore, request } from './profileFixtures.js';

let dir: string;
let dir2: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'amps-profiles-x-'));
  dir2 = await mkdtemp(join(tmpdir(), 'amps-profiles-y-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
  await rm(dir2, { recursive: true, force: true });
});

async function twoProfiles() {
  const { s } = makeStore(dir);
  const a = await s.save({
    ...request,
    name: 'A',
    password: PASSWORD,
    servers: ['tcp://alice@a:9007/amps/json', 'tcp://alice@b:9007/amps/json'],
    tls: { verify: true, ca: { fileName: 'ca.pem', pem: CA_PEM }, key: { fileName: 'k.pem', pem: KEY_PEM } },
    production: true,
  });
  const b = await s.save({ ...request, name: 'B' });
  return { s, a, b };
}

describe('profile export and import', () => {
  it('exports without passwords or keys unless asked, and names the file by date', async () => {
    const { s } = await twoProfiles();
    const out = await exportProfiles(s, false, new Date('2026-12-07T01:02:03Z'));
    expect(out.fileName).toBe('amps-explorer-profiles-2026-12-07.json');
    expect(leaks(out.json, PASSWORD)).toBe(false);
    expect(leaks(out.json, KEY_BODY)).toBe(false);
    const parsed = JSON.parse(out.json) as {
      format: string;
      includesPasswords: boolean;
      profiles: Record<string, unknown>[];
    };
    expect(parsed).toMatchObject({ format: EXPORT_FORMAT, includesPasswords: false });
    expect(parsed.profiles.map((p) => p.name)).toEqual(['A', 'B']);
    expect(parsed.profiles[0]).toMatchObject({
      production: true,
      tls: { verify: true, ca: { fileName: 'ca.pem', pem: CA_PEM } },
    });
    expect(parsed.profiles[0]).not.toHaveProperty('id');

    const withSecrets = await exportProfiles(s, true);
    const secretEntry = (JSON.parse(withSecrets.json) as { profiles: Record<string, unknown>[] }).profiles[0];
    expect(secretEntry).toMatchObject({
      password: PASSWORD,
      tls: { key: { fileName: 'k.pem', pem: KEY_PEM } },
    });
  });

  it('imports into another store as new profiles, with passwords only when exported', async () => {
    const { s, a } = await twoProfiles();
    const target = makeStore(dir2).s;
    const plain = await importProfiles(target, (await exportProfiles(s, false)).json);
    expect(plain).toEqual({ added: 2, skipped: [] });
    const imported = (await target.state()).profiles;
    expect(imported.map((p) => p.name)).toEqual(['A', 'B']);
    expect(imported[0]).toMatchObject({
      servers: a.servers,
      hasPassword: false,
      production: true,
      tls: { ca: { fileName: 'ca.pem' } },
    });
    expect(imported[0]?.id).not.toBe(a.id);

    const other = makeStore(dir2, { cipher: createMemoryCipher() }).s;
    await other.delete(imported[0]?.id ?? '');
    await other.delete(imported[1]?.id ?? '');
    const secret = await importProfiles(other, (await exportProfiles(s, true)).json);
    expect(secret.added).toBe(2);
    const [withPw] = (await other.state()).profiles;
    expect(withPw).toMatchObject({ name: 'A', hasPassword: true, tls: { key: { fileName: 'k.pem' } } });
    expect((await other.resolve(withPw?.id ?? '')).password).toBe(PASSWORD);
  });

  it('never overwrites: an entry equal to an existing profile, and a bad entry, are skipped with why', async () => {
    const { s } = await twoProfiles();
    const file = JSON.parse((await exportProfiles(s, false)).json) as { profiles: unknown[] };
    file.profiles.push({ name: 'Bad', servers: 'tcp://x:1/amps/json' });
    file.profiles.push({ id: 'forced-id', name: 'New one', servers: ['tcp://n:1/amps/json'] });
    const result = await importProfiles(s, JSON.stringify(file));
    expect(result.added).toBe(1);
    expect(result.skipped).toEqual([
      { index: 0, reason: 'a profile named "A" with the same servers exists already' },
      { index: 1, reason: 'a profile named "B" with the same servers exists already' },
      { index: 2, reason: expect.stringMatching(/^profiles\[2\]\.servers: expected an array/) },
    ]);
    const names = (await s.state()).profiles.map((p) => p.name);
    expect(names).toEqual(['A', 'B', 'New one']);
    expect((await s.state()).profiles.some((p) => p.id === 'forced-id')).toBe(false);
  });

  it('refuses a file that is not an export, naming why', async () => {
    const { s } = makeStore(dir);
    await expect(importProfiles(s, 'not json')).rejects.toMatchObject({
      code: 'invalid-import',
      message: expect.stringMatching(/not JSON/),
    });
    await expect(importProfiles(s, JSON.stringify({ version: 3, profiles: [] }))).rejects.toMatchObject({
      message: expect.stringMatching(/not an AMPS Explorer profiles export/),
    });
    await expect(
      importProfiles(s, JSON.stringify({ format: EXPORT_FORMAT, version: 9, profiles: [] })),
    ).rejects.toMatchObject({
      message: expect.stringMatching(/version 9 is not supported/),
    });
  });
});
