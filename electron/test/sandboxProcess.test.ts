import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { memoryLogger } from '../main/platform/logger.js';
import { SandboxPortMemory, portIsFree } from '../main/services/sandboxPorts.js';
import type { SandboxPorts } from '../main/services/sandboxPorts.js';
import {
  SandboxProcess,
  adminUrlIn,
  connectionStringsIn,
  devSandboxCommand,
  sandboxArgs,
} from '../main/services/sandboxProcess.js';
import type { SandboxProcessOptions } from '../main/services/sandboxProcess.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'amps-sandbox-proc-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

let scripts = 0;
/** A sandbox stand-in: a Node script written to a file and run with the sandbox's flags. */
async function make(script: string, extra: Partial<SandboxProcessOptions> = {}) {
  const file = join(dir, `fake-${scripts++}.cjs`);
  await writeFile(file, script);
  const logger = memoryLogger();
  const sandbox = new SandboxProcess({
    command: (args) => ({ module: file, execArgv: [], args }),
    logger,
    startTimeoutMs: 5000,
    settleMs: 100,
    ...extra,
  });
  return { logger, sandbox };
}
const STAY = 'setInterval(() => {}, 1000);';

/** Listens for real on the ports it is given (0 = any), and prints them as the sandbox does. */
const LISTENING_SANDBOX = `
const net = require('node:net');
const argv = process.argv;
const flag = (f) => Number(argv[argv.indexOf(f) + 1]);
const listen = (port) => new Promise((resolve, reject) => {
  const s = net.createServer();
  s.once('error', reject);
  s.listen(port, '127.0.0.1', () => resolve(s.address().port));
});
(async () => {
  try {
    const tcp = await listen(flag('--port'));
    const ws = await listen(flag('--ws-port'));
    const admin = await listen(flag('--admin-port'));
    console.log('AMPS sandbox listening: tcp://127.0.0.1:' + tcp + '/amps/json');
    console.log('                       ws://127.0.0.1:' + ws + '/amps/json');
    console.log('admin:                 http://127.0.0.1:' + admin + '/topics');
  } catch (e) {
    console.error('sandbox: cannot start: ' + e.message);
    process.exit(1);
  }
})();
${STAY}`;

describe('sandbox process', () => {
  it('finds connection strings and the admin URL in output lines', () => {
    expect(
      connectionStringsIn('listening on tcp://127.0.0.1:9007/amps/json and ws://127.0.0.1:9008/amps/json.'),
    ).toEqual(['tcp://127.0.0.1:9007/amps/json', 'ws://127.0.0.1:9008/amps/json']);
    expect(connectionStringsIn('admin http://127.0.0.1:8085/')).toEqual([]);
    expect(adminUrlIn('admin:                 http://127.0.0.1:8085/topics')).toBe('http://127.0.0.1:8085');
    expect(adminUrlIn('see http://127.0.0.1:8085/topics')).toBeUndefined();
  });

  it('starts, reads its URIs, offers the built-in profile (also once stopped), and stops', async () => {
    const { sandbox } = await make(
      `console.log('sandbox: tcp://127.0.0.1:45001/amps/json'); console.log('sandbox: ws://127.0.0.1:45002/amps/json'); console.log('admin: http://127.0.0.1:45003/topics'); ${STAY}`,
    );
    const states: string[] = [];
    sandbox.onChange((i) => states.push(i.state));
    const info = await sandbox.start();
    expect(info).toEqual({
      state: 'running',
      connectionStrings: ['tcp://127.0.0.1:45001/amps/json', 'ws://127.0.0.1:45002/amps/json'],
      profileId: 'local-sandbox',
    });
    expect(sandbox.adminUrl()).toBe('http://127.0.0.1:45003');
    expect(sandbox.builtInProfile()?.profile).toMatchObject({
      id: 'local-sandbox',
      name: 'Local sandbox',
      servers: ['tcp://127.0.0.1:45001/amps/json'],
      messageType: 'json',
      builtIn: true,
      production: false,
      tls: { verify: true },
    });
    await sandbox.stop();
    expect(sandbox.info().state).toBe('stopped');
    expect(sandbox.adminUrl()).toBeUndefined();
    // Still offered with the address it had: the next launch tries the same ports.
    expect(sandbox.builtInProfile()?.profile.servers).toEqual(['tcp://127.0.0.1:45001/amps/json']);
    expect(states).toEqual(['starting', 'running', 'stopped']);
  });

  it('settles with only a tcp URI after the settle delay', async () => {
    const { sandbox } = await make(`console.log('tcp://127.0.0.1:45003/amps/json'); ${STAY}`, {
      settleMs: 50,
    });
    expect((await sandbox.start()).connectionStrings).toEqual(['tcp://127.0.0.1:45003/amps/json']);
    await sandbox.stop();
  });

  it('reports a process that exits before it is ready, with its stderr', async () => {
    const { sandbox } = await make(`console.error('port in use'); process.exit(3);`);
    const info = await sandbox.start();
    expect(info.state).toBe('failed');
    expect(info.error).toMatchObject({ name: 'SandboxError', code: 'sandbox-exit' });
    expect(info.error?.message).toMatch(/code 3.*port in use/);
  });

  it('gives up after the start timeout and kills the process', async () => {
    const { sandbox } = await make(STAY, { startTimeoutMs: 300 });
    const info = await sandbox.start();
    expect(info).toMatchObject({ state: 'failed', error: { code: 'sandbox-timeout' } });
    await sandbox.stop();
    expect(sandbox.info()).toMatchObject({ state: 'failed', error: { code: 'sandbox-timeout' } });
  });

  it('kills a process that ignores SIGTERM after the grace period', async () => {
    const { sandbox } = await make(
      `process.on('SIGTERM', () => {}); console.log('tcp://127.0.0.1:45004/amps/json ws://127.0.0.1:45005/amps/json'); ${STAY}`,
      { stopGraceMs: 200 },
    );
    expect((await sandbox.start()).state).toBe('running');
    await sandbox.stop();
    expect(sandbox.info().state).toBe('stopped');
  });

  it('reports a command that cannot be started', async () => {
    const sandbox = new SandboxProcess({
      command: (args) => ({ module: '/nonexistent/amps-sandbox.js', execArgv: [], args }),
      launch: () => {
        throw new Error('spawn ENOENT');
      },
      logger: memoryLogger(),
    });
    const info = await sandbox.start();
    expect(info).toMatchObject({ state: 'failed', error: { code: 'sandbox-spawn' } });
  });

  it('builds the development command around sandbox/src/main.ts through tsx', () => {
    const cmd = devSandboxCommand('/repo', sandboxArgs({ tcp: 1, ws: 2, admin: 3 }));
    expect(cmd).toEqual({
      module: join('/repo', 'sandbox', 'src', 'main.ts'),
      execArgv: ['--import', 'tsx'],
      args: ['--demo', '--port', '1', '--ws-port', '2', '--admin-port', '3'],
      cwd: '/repo',
    });
    expect(sandboxArgs()).toEqual(['--demo', '--port', '0', '--ws-port', '0', '--admin-port', '0']);
  });
});

describe('sandbox ports across launches', () => {
  const portsOfRun = async (memory: SandboxPortMemory, extra: Partial<SandboxProcessOptions> = {}) => {
    const { sandbox, logger } = await make(LISTENING_SANDBOX, { ports: memory, ...extra });
    const info = await sandbox.start();
    expect(info.state).toBe('running');
    const tcp = Number(/:(\d+)\//.exec(info.connectionStrings[0] ?? '')?.[1]);
    const admin = sandbox.adminUrl();
    await sandbox.stop();
    return { tcp, admin, logger, info };
  };

  it('keeps the same ports on the next launch when they are free', async () => {
    const memory = new SandboxPortMemory(dir);
    const first = await portsOfRun(memory);
    const remembered = await memory.read();
    expect(remembered?.tcp).toBe(first.tcp);
    expect(first.admin).toBe(`http://127.0.0.1:${remembered?.admin}`);
    const second = await portsOfRun(new SandboxPortMemory(dir));
    expect(second.info.connectionStrings).toEqual(first.info.connectionStrings);
    expect(second.admin).toBe(first.admin);
  });

  it('moves to free ports when one of the last ones is taken, and remembers the new ones', async () => {
    const memory = new SandboxPortMemory(dir);
    const first = await portsOfRun(memory);
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(first.tcp, '127.0.0.1', resolve));
    try {
      expect(await portIsFree(first.tcp)).toBe(false);
      const second = await portsOfRun(memory);
      expect(second.tcp).not.toBe(first.tcp);
      expect((await memory.read())?.tcp).toBe(second.tcp);
      expect(second.logger.lines.join('\n')).toMatch(/ports of the last launch are taken/);
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  });

  it('retries on free ports when the remembered ones are taken between the check and the start', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as { port: number }).port;
    class StaleMemory extends SandboxPortMemory {
      override freeRemembered(): Promise<SandboxPorts | undefined> {
        return Promise.resolve({ tcp: taken, ws: 0, admin: 0 });
      }
    }
    try {
      const run = await portsOfRun(new StaleMemory(dir));
      expect(run.tcp).not.toBe(taken);
      expect(run.logger.lines.join('\n')).toMatch(
        /could not start on the remembered ports; trying free ones/,
      );
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  });

  it('ignores a ports file that is not its own', async () => {
    await writeFile(join(dir, 'sandbox-ports.json'), '{"tcp": "9007", "ws": -1}');
    expect(await new SandboxPortMemory(dir).read()).toBeUndefined();
    await writeFile(join(dir, 'sandbox-ports.json'), 'garbage');
    expect(await new SandboxPortMemory(dir).read()).toBeUndefined();
  });
});
