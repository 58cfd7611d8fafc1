/**
 * `npm start`: builds the app and opens it on the built-in sandbox — as the Electron desktop
 * app where an Electron binary is installed, otherwise in browser host mode (the same backend
 * on 127.0.0.1, the same UI in a browser), saying why. AMPS_EXPLORER_MODE=browser asks for
 * browser mode even where Electron exists.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { build as viteBuild } from 'vite';

const require = createRequire(import.meta.url);

function run(command: string, args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => child.kill(sig));
  });
}

/** The Electron executable, or the reason there is none. */
function electronBinary(): { path: string } | { missing: string } {
  try {
    // The electron package exports the path of its downloaded binary; it throws when the
    // download never happened (as on machines that cannot reach the download host).
    const path = require('electron') as unknown;
    return typeof path === 'string' ? { path } : { missing: 'the electron package did not name a binary' };
  } catch (error) {
    return { missing: error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error) };
  }
}

const tsx = ['--import', 'tsx'];
await viteBuild({ configFile: 'vite.config.ts', logLevel: 'warn' });
if ((await run(process.execPath, [...tsx, 'build/bundle.ts'])) !== 0) process.exit(1);

const electron = electronBinary();
const browserRequested = process.env['AMPS_EXPLORER_MODE'] === 'browser';
if ('path' in electron && !browserRequested) {
  process.exitCode = await run(electron.path, ['.']);
} else {
  process.stdout.write(
    browserRequested
      ? 'Browser mode requested (AMPS_EXPLORER_MODE=browser): open the URL below in a browser.\n'
      : `Electron is not available here (${'missing' in electron ? electron.missing : ''}).\n` +
          'Starting browser host mode instead: open the URL below in a browser.\n',
  );
  process.exitCode = await run(process.execPath, [
    ...tsx,
    'electron/host/main.ts',
    '--renderer-dir',
    'out/renderer',
  ]);
}
