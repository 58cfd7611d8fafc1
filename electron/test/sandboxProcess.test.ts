import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryLogger } from '../main/platform/logger.js';
import { SandboxProcess, connectionStringsIn, devSandboxCommand } from '../main/services/sandboxProcess.js';
import type { SandboxProcessOptions } from '../main/services/sandboxProcess.js';

const node = (script: string) => ({ file: process.execPath, args: ['-e', script] });
const make = (script: string, extra: Partial<SandboxProcessOptions> = {}) => {
  const logger = memoryLogger();
  return {
    logger,
    sandbox: new SandboxProcess({ command: node(script), logger, startTimeoutMs: 5000, ...extra }),
  };
};
const STAY = 'setInterval(() => {}, 1000);';

describe('sandbox child process', () => {
  it('finds connection strings in output lines', () => {
    expect(
      connectionStringsIn('listening on tcp://127.0.0.1:9007/amps/json and ws://127.0.0.1:9008/amps/json.'),
    ).toEqual(['tcp://127.0.0.1:9007/amps/json', 'ws://127.0.0.1:9008/amps/json']);
    expect(connectionStringsIn('admin http://127.0.0.1:8085/')).toEqual([]);
  });

  it('starts, reads tcp and ws URIs, offers the built-in profile, and stops', async () => {
    const { sandbox } = make(
      `console.log('sandbox: tcp://127.0.0.1:45001/amps/json'); console.log('sandbox: ws://127.0.0.1:45002/amps/json'); ${STAY}`,
    );
    const states: string[] = [];
    sandbox.onChange((i) => states.push(i.state));
    const info = await sandbox.start();
    expect(info).toEqual({
      state: 'running',
      connectionStrings: ['tcp://127.0.0.1:45001/amps/json', 'ws://127.0.0.1:45002/amps/json'],
      profileId: 'local-sandbox',
    });
    expect(sandbox.builtInProfile()?.profile).toMatchObject({
      id: 'local-sandbox',
      name: 'Local sandbox',
      connectionString: 'tcp://127.0.0.1:45001/amps/json',
      messageType: 'json',
      builtIn: true,
    });
    await sandbox.stop();
    expect(sandbox.info().state).toBe('stopped');
    expect(sandbox.builtInProfile()).toBeUndefined();
    expect(states).toEqual(['starting', 'running', 'stopped']);
  });

  it('settles with only a tcp URI after the settle delay', async () => {
    const { sandbox } = make(`console.log('tcp://127.0.0.1:45003/amps/json'); ${STAY}`, { settleMs: 50 });
    expect((await sandbox.start()).connectionStrings).toEqual(['tcp://127.0.0.1:45003/amps/json']);
    await sandbox.stop();
  });

  it('reports a child that exits before it is ready, with its stderr', async () => {
    const { sandbox } = make(`console.error('port in use'); process.exit(3);`);
    const info = await sandbox.start();
    expect(info.state).toBe('failed');
    expect(info.error).toMatchObject({ name: 'SandboxError', code: 'sandbox-exit' });
    expect(info.error?.message).toMatch(/code 3.*port in use/);
  });

  it('gives up after the start timeout and kills the child', async () => {
    const { sandbox } = make(STAY, { startTimeoutMs: 300 });
    const info = await sandbox.start();
    expect(info).toMatchObject({ state: 'failed', error: { code: 'sandbox-timeout' } });
    await sandbox.stop();
    expect(sandbox.info()).toMatchObject({ state: 'failed', error: { code: 'sandbox-timeout' } });
  });

  it('kills a child that ignores SIGTERM after the grace period', async () => {
    const { sandbox } = make(
      `process.on('SIGTERM', () => {}); console.log('tcp://127.0.0.1:45004/amps/json ws://127.0.0.1:45005/amps/json'); ${STAY}`,
      {
        stopGraceMs: 200,
      },
    );
    expect((await sandbox.start()).state).toBe('running');
    await sandbox.stop();
    expect(sandbox.info().state).toBe('stopped');
  });

  it('reports a command that cannot be started', async () => {
    const sandbox = new SandboxProcess({
      command: { file: '/nonexistent/amps-sandbox', args: [] },
      logger: memoryLogger(),
    });
    const info = await sandbox.start();
    expect(info).toMatchObject({ state: 'failed', error: { code: 'sandbox-spawn' } });
  });

  it('builds the development command around sandbox/src/main.ts with demo flags', () => {
    const cmd = devSandboxCommand('/repo');
    expect(cmd.args).toEqual([
      '--import',
      'tsx',
      join('/repo', 'sandbox', 'src', 'main.ts'),
      '--demo',
      '--port',
      '0',
      '--ws-port',
      '0',
      '--admin-port',
      '0',
    ]);
    expect(cmd.env?.ELECTRON_RUN_AS_NODE).toBe('1');
  });
});
