import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_HA } from '../../common/src/dto/profiles.js';
import { createMemoryCipher } from '../main/platform/secretCipher.js';
import { PASSWORD, leaks, makeStore, profilesText, request } from './profileFixtures.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'amps-profiles-mig-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});
const store = (extra: Parameters<typeof makeStore>[1] = {}) => makeStore(dir, extra);
const writeProfiles = (content: unknown): Promise<void> =>
  writeFile(
    join(dir, 'profiles.json'),
    typeof content === 'string' ? content : JSON.stringify(content, null, 2),
  );

const V1 = {
  version: 1,
  profiles: [
    { id: 'old-1', name: 'Old', uri: `tcp://carol:${PASSWORD}@old:9007/amps/fix`, clientName: 'legacy' },
    { id: 'old-2', name: 'NoPw', uri: 'ws://old:9008/amps/json' },
  ],
};

describe('profiles file migration', () => {
  it('migrates version 1 with a key store: password out of the URI, encrypted, the old file gone', async () => {
    await writeProfiles(V1);
    const state = await store().s.state();
    expect(state.problems).toEqual([]);
    expect(state.profiles).toEqual([
      {
        id: 'old-1',
        name: 'Old',
        servers: ['tcp://carol@old:9007/amps/fix'],
        clientName: 'legacy',
        hasPassword: true,
        tls: { verify: true },
        ha: DEFAULT_HA,
        bookmarkStore: { kind: 'none' },
        publishStore: { kind: 'none' },
        production: false,
        builtIn: false,
        messageType: 'fix',
      },
      expect.objectContaining({ id: 'old-2', servers: ['ws://old:9008/amps/json'], hasPassword: false }),
    ]);
    const text = await profilesText(dir);
    expect(JSON.parse(text)).toMatchObject({ version: 3 });
    expect(leaks(text, PASSWORD)).toBe(false);
    expect(await readdir(dir)).toEqual(['profiles.json']);
    expect((await store().s.resolve('old-1')).password).toBe(PASSWORD);
  });

  it('without a key store keeps the version 1 file (the only copy of the password) until the user confirms', async () => {
    const original = JSON.stringify(V1, null, 2);
    await writeProfiles(original);
    const first = store({ cipher: createMemoryCipher() }).s;
    const state = await first.state();
    expect(state.secretsPersistent).toBe(false);
    expect(state.problems).toEqual([
      expect.objectContaining({ kind: 'migration-backup', backupFile: join(dir, 'profiles.v1.json') }),
    ]);
    expect(await readFile(join(dir, 'profiles.v1.json'), 'utf8')).toBe(original);
    expect(leaks(await profilesText(dir), PASSWORD)).toBe(false);
    expect((await first.resolve('old-1')).password).toBe(PASSWORD);

    // A restart (memory lost): the password is read again from the kept file.
    const second = store({ cipher: createMemoryCipher() }).s;
    expect((await second.state()).profiles[0]).toMatchObject({ id: 'old-1', hasPassword: true });
    expect((await second.resolve('old-1')).password).toBe(PASSWORD);
    expect((await second.state()).problems.map((p) => p.kind)).toEqual(['migration-backup']);

    // Confirmed: the old file goes, and with it the plain-text password.
    const confirmed = await second.confirmMigration();
    expect(confirmed.problems).toEqual([]);
    expect(await readdir(dir)).toEqual(['profiles.json']);
    const third = store({ cipher: createMemoryCipher() }).s;
    expect((await third.state()).problems).toEqual([]);
    expect((await third.state()).profiles[0]).toMatchObject({ id: 'old-1', hasPassword: false });
  });

  it('migrates version 2: one string plus failovers become the server list, settings and secret kept', async () => {
    const s0 = store().s;
    const secret = {
      scheme: 'safeStorage',
      data: Buffer.from(PASSWORD.split('').map((c) => c.charCodeAt(0) ^ 0x5a)).toString('base64'),
    };
    await writeProfiles({
      version: 2,
      profiles: [
        {
          id: 'v2-a',
          name: 'Two',
          connectionString: 'tcp://dan@p:9007/amps/json',
          messageType: 'json',
          options: {
            clientName: 'c',
            heartbeatSeconds: 10,
            failoverConnectionStrings: ['tcp://dan@q:9007/amps/json'],
          },
          secret,
        },
      ],
    });
    const state = await s0.state();
    expect(state.problems).toEqual([]);
    expect(state.profiles).toEqual([
      expect.objectContaining({
        id: 'v2-a',
        servers: ['tcp://dan@p:9007/amps/json', 'tcp://dan@q:9007/amps/json'],
        clientName: 'c',
        heartbeatSeconds: 10,
        hasPassword: true,
      }),
    ]);
    expect((await s0.resolve('v2-a')).password).toBe(PASSWORD);
    expect(JSON.parse(await profilesText(dir))).toMatchObject({ version: 3 });
  });

  it('accepts a UTF-8 byte order mark', async () => {
    const s0 = store().s;
    const saved = await s0.save(request);
    await writeFile(join(dir, 'profiles.json'), `\uFEFF${await profilesText(dir)}`);
    const state = await store().s.state();
    expect(state.problems).toEqual([]);
    expect(state.profiles.map((p) => p.id)).toEqual([saved.id]);
  });

  it('loads the good entries, sets a bad one aside with why, and never loses it', async () => {
    const { s } = store();
    const good = await s.save({ ...request, name: 'Good' });
    const file = JSON.parse(await profilesText(dir)) as { version: number; profiles: unknown[] };
    const bad = { id: 'bad-1', name: 'Broken', servers: [], production: 'yes' };
    const dup = { ...(file.profiles[0] as object), name: 'Same id' };
    file.profiles.splice(0, 0, bad);
    file.profiles.push(dup);
    const written = JSON.stringify(file, null, 2);
    await writeProfiles(written);

    const reopened = store().s;
    const state = await reopened.state();
    expect(state.profiles.map((p) => p.name)).toEqual(['Good']);
    const sidecar = join(dir, 'profiles.rejected.json');
    expect(state.problems).toEqual([
      expect.objectContaining({
        kind: 'rejected-entry',
        index: 0,
        name: 'Broken',
        backupFile: sidecar,
        message: expect.stringMatching(
          /"Broken" \(entry 1\) was set aside: profiles\[0\]\.servers: at least one server is needed/,
        ),
      }),
      expect.objectContaining({
        kind: 'rejected-entry',
        index: 2,
        message: expect.stringMatching(/is used by an earlier profile/),
      }),
    ]);
    // Nothing overwritten at load; the bad entries are copied to the sidecar.
    expect(await profilesText(dir)).toBe(written);
    const kept = JSON.parse(await readFile(sidecar, 'utf8')) as {
      rejected: { reason: string; entry: unknown }[];
    };
    expect(kept.rejected.map((r) => r.entry)).toEqual([bad, dup]);

    // A later save drops them from the profiles file; they stay in the sidecar, once.
    await reopened.save({ ...request, id: good.id, name: 'Good 2' });
    expect(JSON.parse(await profilesText(dir))).toMatchObject({
      profiles: [expect.objectContaining({ name: 'Good 2' })],
    });
    await store().s.state();
    const again = JSON.parse(await readFile(sidecar, 'utf8')) as { rejected: unknown[] };
    expect(again.rejected).toHaveLength(2);
  });

  it('rejects an entry whose server string holds a password in plain text', async () => {
    await writeProfiles({
      version: 3,
      profiles: [
        {
          id: 'x',
          name: 'Leaky',
          servers: [`tcp://u:${PASSWORD}@h:1/amps/json`],
          tls: { verify: true },
          ha: DEFAULT_HA,
          bookmarkStore: { kind: 'none' },
          publishStore: { kind: 'none' },
          production: false,
        },
      ],
    });
    const state = await store().s.state();
    expect(state.profiles).toEqual([]);
    expect(state.problems[0]).toMatchObject({
      kind: 'rejected-entry',
      message: expect.stringMatching(/holds a password in plain text/),
    });
    expect(leaks(state.problems[0]?.message ?? '', PASSWORD)).toBe(false);
  });
});
