/**
 * The browser-mode host as a child process for the UI benchmark: started with a fresh
 * user-data folder and no sandbox of its own, its URL read from its first output line, its
 * resident memory read from /proc, and stopped (TERM, then KILL) on every path.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A running host. */
export interface HostChild {
  /** The page URL, with its `#token`. */
  url: string;
  pid: number;
  /** Everything the host printed (kept for error messages). */
  log: string[];
  /** Stops the child and removes its user-data folder; safe to call twice. */
  stop: () => Promise<void>;
}

const START_TIMEOUT_MS = 30_000;
const STOP_GRACE_MS = 5_000;
const URL_LINE = /AMPS Explorer \(browser mode\): (\S+)/;

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * Starts `electron/host/main.ts` under tsx in `repoRoot`; rejects (and cleans up) if it never
 * prints its URL. With `cpuProfileDir`, Node writes the host's CPU profile there when it exits.
 */
export async function startHostChild(repoRoot: string, cpuProfileDir?: string): Promise<HostChild> {
  const userData = mkdtempSync(join(tmpdir(), 'amps-explorer-uibench-'));
  const profile = cpuProfileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${cpuProfileDir}`];
  const child = spawn(
    process.execPath,
    [
      ...profile,
      '--import',
      'tsx',
      'electron/host/main.ts',
      '--port',
      '0',
      '--no-sandbox',
      '--user-data',
      userData,
    ],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const log: string[] = [];
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= stopChild(child).finally(() => rmSync(userData, { recursive: true, force: true }));
    return stopped;
  };
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(new Error(`browser host printed no URL within ${START_TIMEOUT_MS} ms:\n${log.join('')}`)),
        START_TIMEOUT_MS,
      );
      const onData = (chunk: Buffer): void => {
        log.push(chunk.toString());
        if (log.length > 200) log.splice(0, log.length - 200);
        const match = URL_LINE.exec(log.join(''));
        if (match?.[1]) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(new Error(`browser host could not be spawned: ${error.message}`));
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`browser host exited early (${code ?? signal}):\n${log.join('')}`));
      });
    });
    if (child.pid === undefined) throw new Error('browser host has no pid');
    return { url, pid: child.pid, log, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Resident set size of a process in bytes (VmRSS of /proc/<pid>/status), or undefined if unreadable. */
export function rssBytes(pid: number): number | undefined {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match?.[1] === undefined ? undefined : Number(match[1]) * 1024;
  } catch {
    return undefined;
  }
}

/** CPU time (user + system) of a process in ms from /proc/<pid>/stat, or undefined if unreadable. */
export function cpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name; utime and stime are the 14th and 15th fields.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(rest[11]) + Number(rest[12]);
    return Number.isFinite(ticks) ? ticks * 10 : undefined;
  } catch {
    return undefined;
  }
}

/** Ids of `pid` and all its descendants (from /proc/<id>/stat parent ids). */
export function processTree(pid: number): number[] {
  const parents = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = parents.get(ppid) ?? [];
      list.push(Number(name));
      parents.set(ppid, list);
    } catch {
      // The process ended while we looked.
    }
  }
  const out: number[] = [];
  const queue = [pid];
  for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
    out.push(id);
    queue.push(...(parents.get(id) ?? []));
  }
  return out;
}

/** CPU time in ms of `pid` and its descendants. */
export function treeCpuMs(pid: number): number {
  return processTree(pid).reduce((sum, id) => sum + (cpuMs(id) ?? 0), 0);
}

/** The first child of this process whose command name starts with `prefix` (e.g. the launched Chromium). */
export function childNamed(prefix: string): number | undefined {
  return processTree(process.pid).find((id) => {
    if (id === process.pid) return false;
    try {
      return readFileSync(`/proc/${id}/comm`, 'utf8').startsWith(prefix);
    } catch {
      return false;
    }
  });
}
