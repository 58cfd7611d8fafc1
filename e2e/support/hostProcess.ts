/**
 * Starting and stopping the browser host (`electron/host/main.ts`) as a child process, the way
 * a user runs `npm run web`: it prints the address to open, token included.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (the host resolves `out/renderer` from it). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** How long the host may take to print its address (tsx compiles it on the fly). */
export const HOST_START_TIMEOUT_MS = 30_000;
/** How long the host may take to exit after SIGTERM before it is killed. */
const HOST_STOP_TIMEOUT_MS = 5_000;

const READY_LINE = /AMPS Explorer \(browser mode\): (http:\/\/\S+)/;

/** A running browser host, as a test sees it. */
export interface HostHandle {
  /** The address the host printed: `http://127.0.0.1:PORT/#token=...`. */
  url: string;
  /** `http://127.0.0.1:PORT` */
  origin: string;
  /** The per-launch token from the URL fragment. */
  token: string;
  port: number;
  /** Everything the host wrote to stdout and stderr so far (its main-process log). */
  log: string[];
}

/** What {@link startHost} needs. */
export interface StartHostOptions {
  /** A fresh user-data folder for this host. */
  userData: string;
  /** Start the host's own local sandbox (the Local sandbox profile). Default false. */
  localSandbox?: boolean;
}

/** A started host and the means to stop it. */
export interface RunningHost {
  handle: HostHandle;
  stop(): Promise<void>;
}

function parseReadyUrl(url: string): Omit<HostHandle, 'log' | 'url'> {
  const parsed = new URL(url);
  const token = new URLSearchParams(parsed.hash.slice(1)).get('token');
  if (token === null || token === '') throw new Error(`host address has no #token=: ${url}`);
  return { origin: parsed.origin, token, port: Number(parsed.port) };
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), HOST_STOP_TIMEOUT_MS);
    child.once('exit', () => {
      clearTimeout(kill);
      done();
    });
    child.kill('SIGTERM');
  });
}

/**
 * Spawns `node --import tsx electron/host/main.ts --port 0 [--no-sandbox] --user-data DIR` and
 * resolves once it prints its address.
 * @throws Error with the host's output when it exits or stays silent past the timeout
 */
export function startHost(options: StartHostOptions): Promise<RunningHost> {
  const args = ['--import', 'tsx', 'electron/host/main.ts', '--port', '0', '--user-data', options.userData];
  if (options.localSandbox !== true) args.push('--no-sandbox');
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const log: string[] = [];
  const stop = (): Promise<void> => stopChild(child);
  return new Promise<RunningHost>((resolveStart, rejectStart) => {
    let settled = false;
    const fail = (why: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void stop().then(() => rejectStart(new Error(`browser host ${why}; its output:\n${log.join('')}`)));
    };
    const timer = setTimeout(
      () => fail(`did not print its address within ${HOST_START_TIMEOUT_MS} ms`),
      HOST_START_TIMEOUT_MS,
    );
    const onData = (chunk: Buffer): void => {
      log.push(chunk.toString('utf8'));
      if (settled) return;
      const match = READY_LINE.exec(log.join(''));
      if (match?.[1] === undefined) return;
      settled = true;
      clearTimeout(timer);
      try {
        resolveStart({ handle: { url: match[1], ...parseReadyUrl(match[1]), log }, stop });
      } catch (error) {
        void stop().then(() => rejectStart(error));
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('error', (error) => fail(`could not be spawned (${error.message})`));
    child.once('exit', (code, signal) => fail(`exited early (code ${code}, signal ${signal})`));
  });
}
