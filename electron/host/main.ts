// Browser host mode (`npm run web`): the same services in a Node process, the renderer served
// on 127.0.0.1 and the contract bridged over a WebSocket. Usage:
//   npx tsx electron/host/main.ts [--port N] [--renderer-dir DIR] [--user-data DIR] [--no-sandbox]
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createBackend } from '../main/backend.js';
import { consoleLogger } from '../main/platform/logger.js';
import { createMemoryCipher } from '../main/platform/secretCipher.js';
import { SandboxPortMemory } from '../main/services/sandboxPorts.js';
import { SandboxProcess, devSandboxCommand } from '../main/services/sandboxProcess.js';
import { clientConnectionFactory } from '../main/services/clientFactory.js';
import { startHostServer } from './server.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

function options(): { port: number; rendererDir?: string; userData: string; sandbox: boolean } {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      'renderer-dir': { type: 'string' },
      'user-data': { type: 'string' },
      'no-sandbox': { type: 'boolean', default: false },
    },
    strict: true,
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error(`--port: expected a port number 0..65535, got ${JSON.stringify(values.port)}`);
  }
  const builtRenderer = join(repoRoot, 'out', 'renderer');
  const rendererDir = values['renderer-dir'] ?? (existsSync(builtRenderer) ? builtRenderer : undefined);
  return {
    port,
    ...(rendererDir === undefined ? {} : { rendererDir: resolve(rendererDir) }),
    userData: resolve(values['user-data'] ?? join(homedir(), '.amps-explorer')),
    sandbox: !values['no-sandbox'],
  };
}

async function main(): Promise<void> {
  const opts = options();
  const logger = consoleLogger;
  const version = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string })
    .version;
  const sandbox = opts.sandbox
    ? new SandboxProcess({
        command: (args) => devSandboxCommand(repoRoot, args),
        // Same ports as the last launch when they are free, so saved views still point at it.
        ports: new SandboxPortMemory(opts.userData),
        logger,
      })
    : undefined;
  let origins: string[] = [];
  const backend = createBackend({
    mode: 'browser',
    version,
    userDataDir: opts.userData,
    // No OS key store here: passwords stay in memory for this session (the UI says so).
    cipher: createMemoryCipher(),
    factory: clientConnectionFactory,
    logger,
    allowedOrigins: () => origins,
    ...(sandbox === undefined ? {} : { sandbox }),
  });
  const host = await startHostServer({
    hub: backend.hub,
    wrapper: backend.wrapper,
    logger,
    port: opts.port,
    ...(opts.rendererDir === undefined ? {} : { rendererDir: opts.rendererDir }),
  });
  origins = [host.origin, `http://localhost:${host.port}`];
  if (sandbox !== undefined) {
    const info = await sandbox.start();
    logger.info(
      `sandbox: ${info.state} ${info.connectionStrings.join(' ')}${info.error ? ` ${info.error.message}` : ''}`,
    );
  }
  if (opts.rendererDir === undefined) logger.warn('no built renderer found; pass --renderer-dir DIR');
  console.log(`AMPS Explorer (browser mode): ${host.url}`);

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    void Promise.all([host.close(), backend.shutdown()]).finally(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(
    `AMPS Explorer (browser mode) failed to start: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
});
