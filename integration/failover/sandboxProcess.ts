/**
 * Sandbox servers as child processes on loopback, for failover tests: started on a journal
 * folder, killed with SIGKILL, restarted (or replaced by a standby) on the same folder.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/** The repository root (child processes run from it so `--import tsx` resolves). */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A running sandbox process. */
export interface SandboxProcess {
  readonly port: number;
  /** `tcp://127.0.0.1:PORT/amps/json` */
  readonly uri: string;
  readonly child: ChildProcess;
  /** True once the process has exited. */
  readonly exited: boolean;
  /** Kills the process with SIGKILL and waits for it to exit. */
  kill(): Promise<void>;
}

/** Options of {@link startSandboxProcess}. */
export interface SandboxProcessOptions {
  /** TCP port (0: any free port). */
  port: number;
  /** The journal folder the server recovers from and writes to. */
  journalDir: string;
  /** Extra sandbox flags (default: `--txlog .* --sow orders=/id`). */
  flags?: string[];
  /** Milliseconds to wait for the server to listen (default 20 000). */
  startTimeoutMs?: number;
}

/** Tries to listen on `port`; true when it was free. */
async function canListen(port: number): Promise<boolean> {
  const server = createServer();
  const ok = await new Promise<boolean>((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => resolve(true));
  });
  if (ok) await new Promise<void>((resolve) => server.close(() => resolve()));
  return ok;
}

/**
 * A free TCP port on 127.0.0.1 for a server started later (a restart or a standby on a known
 * port). Chosen below the ephemeral range (20000..31999), so no `listen(0)` and no outgoing
 * connection of another test can take it meanwhile: a client of these tests must never reach
 * a stranger's server on a port it expects to be its own or closed.
 */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (await canListen(port)) return port;
  }
  throw new Error('no free TCP port in 20000..31999 after 200 attempts');
}

/** Starts `sandbox/src/main.ts` in a child process and waits until it listens. */
export function startSandboxProcess(options: SandboxProcessOptions): Promise<SandboxProcess> {
  const flags = options.flags ?? ['--txlog', '.*', '--sow', 'orders=/id'];
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'sandbox/src/main.ts',
      '--port',
      String(options.port),
      '--ws-port',
      'off',
      '--admin-port',
      'off',
      '--journal',
      options.journalDir,
      ...flags,
    ],
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      resolve();
    }),
  );
  return new Promise<SandboxProcess>((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `sandbox on port ${options.port} did not start within ${options.startTimeoutMs ?? 20_000} ms: ${stderr}`,
        ),
      );
    }, options.startTimeoutMs ?? 20_000);
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout?.on('data', (d: Buffer) => {
      if (stdout.length < 10_000) stdout += d.toString();
      const m = /listening: tcp:\/\/127\.0\.0\.1:(\d+)\//.exec(stdout);
      if (!m) return;
      clearTimeout(timer);
      const port = Number(m[1]);
      resolve({
        port,
        uri: `tcp://127.0.0.1:${port}/amps/json`,
        child,
        get exited() {
          return exited;
        },
        kill: async () => {
          if (!exited) child.kill('SIGKILL');
          await exit;
        },
      });
    });
    void exit.then(() => {
      clearTimeout(timer);
      reject(
        new Error(
          `sandbox on port ${options.port} exited before listening: ${stderr.trim() || stdout.trim()}`,
        ),
      );
    });
  });
}

/** A small seeded random source (mulberry32), so a failing run can be replayed from its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Resolves after `ms` milliseconds. */
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Waits until `check()` is true, polling; throws `what` after `timeoutMs`. */
export async function waitFor(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
}
