/**
 * The soak's sandbox processes: `sandbox/src/main.ts --journal DIR --standby` on one port each,
 * all on one journal folder. Each follows the journal while another writes it and takes it
 * over when the writer is gone (sandbox/src/standby.ts); the first to start serves at once.
 * This module starts one and reports, from its output, when it stands by and when it serves.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

/** One sandbox process of the HA list. */
export interface SoakSandbox {
  readonly port: number;
  readonly child: ChildProcess;
  /** Resolves once it follows the journal (or serves). */
  readonly standingBy: Promise<void>;
  /** Resolves when it listens, with the time it was seen listening and the takeover ms it reported. */
  readonly serving: Promise<{ at: number; takeoverMs: number; noticedAt: number }>;
  /** True once it listens. */
  readonly isServing: boolean;
  /** True once `standingBy` resolved. */
  readonly isReady: boolean;
  /** SIGKILL, and wait for the exit (so the pid is gone when this resolves). */
  kill(): Promise<void>;
}

/** Starts a standby sandbox on `port` following `journalDir`. */
export function startSoakSandbox(port: number, journalDir: string): SoakSandbox {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'sandbox/src/main.ts',
      '--port',
      String(port),
      '--ws-port',
      'off',
      '--admin-port',
      'off',
      '--journal',
      journalDir,
      '--txlog',
      '.*',
      '--standby',
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  let ready = false;
  let serving = false;
  let takeoverMs = NaN;
  let noticedAt = NaN;
  let onReady: () => void = () => undefined;
  let onServing: (v: { at: number; takeoverMs: number; noticedAt: number }) => void = () => undefined;
  let fail: (e: Error) => void = () => undefined;
  const standingBy = new Promise<void>((resolve, reject) => {
    onReady = resolve;
    fail = reject;
  });
  const servingP = new Promise<{ at: number; takeoverMs: number; noticedAt: number }>((resolve, reject) => {
    onServing = resolve;
    const prev = fail;
    fail = (e) => {
      prev(e);
      reject(e);
    };
  });
  standingBy.catch(() => undefined);
  servingP.catch(() => undefined);
  child.stderr?.on('data', (d: Buffer) => {
    if (err.length < 20_000) err += d.toString();
  });
  child.stdout?.on('data', (d: Buffer) => {
    const now = performance.now();
    out += d.toString();
    let nl: number;
    while ((nl = out.indexOf('\n')) >= 0) {
      const line = out.slice(0, nl);
      out = out.slice(nl + 1);
      if (/standing by on journal/.test(line) || /took the journal over/.test(line)) {
        ready = true;
        onReady();
      }
      const took = /took the journal over .* in ([\d.]+) ms/.exec(line);
      if (took) takeoverMs = Number(took[1]);
      const noticed = /noticed gone at (\S+)\)/.exec(line);
      if (noticed) noticedAt = Date.parse(noticed[1] ?? '');
      if (/listening: tcp:\/\//.test(line)) {
        serving = true;
        onServing({ at: now, takeoverMs, noticedAt });
      }
    }
  });
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      fail(
        new Error(`sandbox on port ${port} exited (${signal ?? code ?? '?'}): ${err.trim().slice(-2000)}`),
      );
      resolve();
    }),
  );
  return {
    port,
    child,
    standingBy,
    serving: servingP,
    get isServing() {
      return serving;
    },
    get isReady() {
      return ready;
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
