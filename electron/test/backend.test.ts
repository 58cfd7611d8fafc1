import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBackend } from '../main/backend.js';
import { memoryLogger } from '../main/platform/logger.js';
import { createMemoryCipher } from '../main/platform/secretCipher.js';
import { SandboxProcess } from '../main/services/sandboxProcess.js';
import { fakeFactory } from './fakes.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'amps-backend-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const APP = 'app://explorer/index.html';

describe('backend composition', () => {
  it('offers the running sandbox as the "Local sandbox" profile, opens it, and stops it at shutdown', async () => {
    const logger = memoryLogger();
    const script = join(dir, 'fake-sandbox.cjs');
    await writeFile(
      script,
      "console.log('listening tcp://127.0.0.1:45101/amps/json ws://127.0.0.1:45102/amps/json'); setInterval(() => {}, 1000);",
    );
    const sandbox = new SandboxProcess({
      command: (args) => ({ module: script, execArgv: [], args }),
      logger,
      settleMs: 50,
    });
    const factory = fakeFactory();
    const backend = createBackend({
      mode: 'electron',
      version: '1.2.3',
      userDataDir: dir,
      cipher: createMemoryCipher(),
      factory,
      logger,
      allowedOrigins: ['app://explorer'],
      sandbox,
    });
    const events: Array<[string, unknown]> = [];
    backend.hub.register('window:1', { send: (channel, payload) => events.push([channel, payload]) });
    const call = (name: Parameters<typeof backend.wrapper>[0], payload?: unknown) =>
      backend.wrapper(name, { senderUrl: APP, clientId: 'window:1', payload });

    await sandbox.start();
    expect(
      events.filter(([c]) => c === 'amps:onSandboxStatus').map(([, p]) => (p as { state: string }).state),
    ).toEqual(['starting', 'running']);
    const profiles = await call('listProfiles');
    expect(profiles).toMatchObject({
      ok: true,
      value: { profiles: [{ id: 'local-sandbox', name: 'Local sandbox', builtIn: true }] },
    });
    const opened = await call('openConnection', { profileId: 'local-sandbox' });
    expect(opened).toMatchObject({ ok: true, value: { profileId: 'local-sandbox', state: 'loggedOn' } });
    expect(factory.built[0]?.options.uris).toEqual(['tcp://127.0.0.1:45101/amps/json']);
    expect(factory.built[0]?.calls[0]).toBe('connectAndLogon');
    expect(await call('getSandboxInfo')).toMatchObject({ ok: true, value: { state: 'running' } });

    await backend.shutdown();
    expect(factory.built[0]?.closed).toBe(true);
    expect(sandbox.info().state).toBe('stopped');
  });

  it('reports the sandbox as disabled when there is none', async () => {
    const backend = createBackend({
      mode: 'browser',
      version: '1',
      userDataDir: dir,
      cipher: createMemoryCipher(),
      factory: fakeFactory(),
      logger: memoryLogger(),
      allowedOrigins: ['http://127.0.0.1:1'],
    });
    await expect(
      backend.wrapper('getSandboxInfo', {
        senderUrl: 'http://127.0.0.1:1/',
        clientId: 'web:1',
        payload: undefined,
      }),
    ).resolves.toEqual({
      ok: true,
      value: { state: 'disabled', connectionStrings: [] },
    });
    await backend.shutdown();
  });
});
