import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Profile } from '../../common/src/dto/profiles.js';
import { memoryLogger } from '../main/platform/logger.js';
import type { AmpsConnectionFactory } from '../main/services/ampsAdapter.js';
import { ConnectionService } from '../main/services/connections.js';
import { refuseFileOptions } from '../main/services/connectionStrings.js';
import { createMemoryCipher } from '../main/platform/secretCipher.js';
import { ProfileStore } from '../main/services/profiles.js';

const TO_PROFILE = /choose them in the profile's TLS section/;

/** A factory that must never be reached: the refusal comes before any client exists. */
const noClient = (built: string[]): AmpsConnectionFactory => ({
  create: (options) => {
    built.push(JSON.stringify(options));
    throw new Error('no client may be built for a refused connection string');
  },
});

describe('connection strings from the UI may not name TLS files', () => {
  it('refuses ca, cert and key, naming them and pointing to the profile', () => {
    for (const option of ['ca', 'cert', 'key']) {
      const text = `tcps://h:9007/amps/json?${option}=/dev/zero`;
      expect(() => refuseFileOptions(text)).toThrow(TO_PROFILE);
      expect(() => refuseFileOptions(text)).toThrow(`"${option}"`);
    }
    expect(() => refuseFileOptions('wss://h/amps/json?ca=/a&cert=/b&key=/c')).toThrow(/"ca", "cert", "key"/);
  });

  it('lets everything else through, malformed strings included (the client reports those)', () => {
    expect(() =>
      refuseFileOptions('tcps://h:9007/amps/json?tls_verify=false&sni=name.example'),
    ).not.toThrow();
    expect(() => refuseFileOptions('tcp://bob:pw@h:9007/amps/json')).not.toThrow();
    expect(() => refuseFileOptions('not a uri ca=/dev/zero')).not.toThrow();
  });

  it('ConnectionService refuses a typed string and a profile server naming files, before building a client', async () => {
    const built: string[] = [];
    const service = new ConnectionService({
      factory: noClient(built),
      logger: memoryLogger(),
      profiles: {
        resolve: () =>
          Promise.resolve({
            profile: { servers: ['tcps://h:9007/amps/json?key=/etc/passwd'] } as unknown as Profile,
          }),
      },
      emitStatus: () => undefined,
    });
    const typed = service.open({ connectionString: 'tcps://h:9007/amps/json?ca=/dev/zero' }, 'owner-1');
    await expect(typed).rejects.toMatchObject({
      code: 'tls-files-in-profile',
      message: expect.stringMatching(TO_PROFILE),
    });
    const saved = service.open({ profileId: 'p1' }, 'owner-1');
    await expect(saved).rejects.toMatchObject({ code: 'tls-files-in-profile' });
    expect(built).toEqual([]);
  });

  it('ProfileStore refuses to save a server naming files, and writes nothing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'amps-tlsrefuse-'));
    try {
      const profiles = new ProfileStore({ dir, cipher: createMemoryCipher(), logger: memoryLogger() });
      const save = profiles.save({ name: 'x', servers: ['tcps://h:9007/amps/json?cert=/dev/zero'] });
      await expect(save).rejects.toMatchObject({
        code: 'tls-files-in-profile',
        message: expect.stringMatching(TO_PROFILE),
      });
      expect((await profiles.state()).profiles.filter((p) => !p.builtIn)).toEqual([]);
      expect(await readdir(dir)).not.toContain('profiles.json');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
