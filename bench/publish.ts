/**
 * Bulk publish speed: a 1 M line NDJSON file published through the app's bulk path (main's
 * PublishJobs streaming the file over a ConnectionService connection, as the publish view
 * drives it) beside the spark CLI (`spark publish -file`) publishing the same file, in the
 * same run, to the same sandbox child process. Both end when the server has processed the last
 * message: the CLI with its publishFlush, the app with a processed ack on a publish sent after
 * the file on the same connection. The CLI's figure includes its process start (as a user
 * runs it); the startup alone is measured too and reported.
 *
 * The machine is shared (other processes take the cores in bursts), so one run's ratio swings
 * widely. The bench runs several rounds (PUBLISH_BENCH_ROUNDS, default 5), the app and the CLI
 * back to back in each (their order alternating), and reports the median over the rounds of
 * each round's ratio, beside every round's figures. The CPU time each side spent per message
 * (the app's process, the CLI's child) is reported too: unlike the rates, it does not depend
 * on what else the machine runs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { Profile } from '../common/src/dto/profiles.js';
import type { PublishProgress } from '../common/src/dto/publish.js';
import { memoryLogger } from '../electron/main/platform/logger.js';
import { clientConnectionFactory } from '../electron/main/services/clientFactory.js';
import { ConnectionService } from '../electron/main/services/connections.js';
import { PublishJobs } from '../electron/main/services/publish/publishJobs.js';

/** Options of {@link runPublishBench}. */
export interface PublishBenchOptions {
  /** Lines of the file (default 1 000 000). */
  lines?: number;
  /** Rounds of app + CLI (default 5). */
  rounds?: number;
}

/** The middle value (the mean of the two middle values for an even count). */
function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * CPU time (ms) of this process's children that have ended, from /proc (Linux); undefined
 * elsewhere. The difference around a CLI run is the CLI's CPU time.
 */
function childrenCpuMs(): number | undefined {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    // Fields after the command name (which may hold spaces) start at field 3.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[13]) + Number(fields[14]);
    return Number.isFinite(ticks) ? ticks * 10 : undefined;
  } catch {
    return undefined;
  }
}

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const OWNER = 'bench';

function startSandbox(): Promise<{ child: ChildProcess; uri: string }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'sandbox/src/main.ts', '--port', '0', '--ws-port', 'off', '--admin-port', 'off'],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the sandbox child did not start within 30 s: ${err}`));
    }, 30_000);
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    child.once('exit', () => {
      clearTimeout(timer);
      reject(new Error(`the sandbox child exited before listening: ${err}`));
    });
    child.stdout?.on('data', (d: Buffer) => {
      if (out.length < 10_000) out += d.toString();
      const m = /listening: (tcp:\/\/127\.0\.0\.1:\d+\/amps\/json)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, uri: m[1] as string });
      }
    });
  });
}

async function writeFile(path: string, lines: number): Promise<void> {
  const out = createWriteStream(path);
  let chunk = '';
  for (let i = 1; i <= lines; i++) {
    chunk += `{"id":${i},"sym":"IBM","qty":${i % 100},"px":${(i % 1000) / 10},"note":"bulk publish bench"}\n`;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
      chunk = '';
    }
  }
  out.end(chunk);
  await new Promise<void>((r) => out.once('finish', () => r()));
}

function runCli(args: string[]): Promise<{ ms: number; stderr: string; cpuMs: number | undefined }> {
  const started = performance.now();
  const cpuBefore = childrenCpuMs();
  const child = spawn(process.execPath, ['--import', 'tsx', 'client/cli/spark.ts', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => {
      const ms = performance.now() - started;
      const cpuAfter = childrenCpuMs();
      const cpuMs = cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore;
      if (code === 0) resolve({ ms, stderr, cpuMs });
      else reject(new Error(`spark exited ${String(code)}: ${stderr.slice(0, 2000)}`));
    });
  });
}

async function runApp(
  uri: string,
  path: string,
  topic: string,
): Promise<{ ms: number; last: PublishProgress; cpuMs: number }> {
  const profile: Profile = {
    id: 'bench',
    name: 'bench',
    servers: [uri],
    hasPassword: false,
    tls: { verify: true },
    ha: { delay: { kind: 'fixed', delayMs: 100 }, resubscribe: true },
    bookmarkStore: { kind: 'none' },
    publishStore: { kind: 'none' },
    production: false,
    builtIn: false,
    messageType: 'json',
  };
  const connections = new ConnectionService({
    factory: clientConnectionFactory,
    logger: memoryLogger(),
    logonTimeoutMs: 5000,
    profiles: { resolve: () => Promise.resolve({ profile }) },
    emitStatus: () => undefined,
  });
  const jobs = new PublishJobs({ connections, deliverProgress: () => undefined, progressEveryMs: 500 });
  try {
    const { connectionId } = await connections.open({ profileId: 'bench' }, OWNER);
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    const { jobId } = jobs.bulkFile({ connectionId, topic, path, format: 'ndjson' }, OWNER);
    const last = await jobs.finished(jobId);
    if (last === undefined) throw new Error('the bulk job did not report its end');
    // Processed ack of a message after the file: the server has processed every line before it.
    const end = await connections
      .client(connectionId, OWNER)
      .publish(topic, '{"id":0,"end":true}', { ack: 'processed' });
    if (end.ack?.status !== 'success')
      throw new Error(`the closing publish failed: ${end.ack?.reason ?? ''}`);
    const cpu = process.cpuUsage(cpuBefore);
    return { ms: performance.now() - started, last, cpuMs: (cpu.user + cpu.system) / 1000 };
  } finally {
    await jobs.shutdown();
    await connections.shutdown();
  }
}

/** One round's figures. */
interface Round {
  appPerSec: number;
  cliPerSec: number;
  cliNoStartPerSec: number;
  startupMs: number;
  appCpuMs: number;
  cliCpuMs: number | undefined;
}

async function runRound(uri: string, file: string, empty: string, lines: number, r: number): Promise<Round> {
  const server = uri.replace(/^tcp:\/\//, '').replace(/\/amps\/json$/, '');
  // The CLI's process start alone: a publish of an empty file.
  const startup = await runCli(['publish', '-server', server, '-topic', 'bench.startup', '-file', empty]);
  const cliRun = (): ReturnType<typeof runCli> =>
    runCli(['publish', '-server', server, '-topic', `bench.cli.${r}`, '-file', file]);
  const appRun = (): ReturnType<typeof runApp> => runApp(uri, file, `bench.app.${r}`);
  // Alternate which side goes first: neither always meets the machine warmer or busier.
  let cli: Awaited<ReturnType<typeof runCli>>;
  let app: Awaited<ReturnType<typeof runApp>>;
  if (r % 2 === 0) {
    cli = await cliRun();
    app = await appRun();
  } else {
    app = await appRun();
    cli = await cliRun();
  }
  if (app.last.sent !== lines || app.last.failed !== 0) {
    throw new Error(`the app sent ${app.last.sent} and failed ${app.last.failed} of ${lines} lines`);
  }
  return {
    appPerSec: (lines * 1000) / app.ms,
    cliPerSec: (lines * 1000) / cli.ms,
    cliNoStartPerSec: (lines * 1000) / Math.max(1, cli.ms - startup.ms),
    startupMs: startup.ms,
    appCpuMs: app.cpuMs,
    cliCpuMs:
      cli.cpuMs === undefined || startup.cpuMs === undefined ? undefined : Math.max(0, cli.cpuMs - startup.cpuMs),
  };
}

const round3 = (x: number): number => Math.round(x * 1000) / 1000;
const k = (x: number): string => `${Math.round(x / 1000)}k`;

/** Runs the benchmark; the last line is the JSON summary. */
export async function runPublishBench(options: PublishBenchOptions): Promise<string[]> {
  const lines = options.lines ?? Number(process.env['PUBLISH_BENCH_LINES'] ?? 1_000_000);
  const roundCount = Math.max(1, options.rounds ?? Number(process.env['PUBLISH_BENCH_ROUNDS'] ?? 5));
  const dir = mkdtempSync(join(tmpdir(), 'amps-bench-publish-'));
  const out: string[] = [];
  const { child, uri } = await startSandbox();
  try {
    const path = join(dir, 'bulk.ndjson');
    await writeFile(path, lines);
    const empty = join(dir, 'empty.ndjson');
    await writeFile(empty, 0);
    const rounds: Round[] = [];
    out.push(`file: ${lines} NDJSON lines; ${roundCount} rounds of the spark CLI and the app's bulk path`);
    for (let r = 0; r < roundCount; r++) {
      const round = await runRound(uri, path, empty, lines, r);
      rounds.push(round);
      const cpu = (ms: number | undefined): string => (ms === undefined ? '?' : `${((ms * 1000) / lines).toFixed(2)} µs`);
      out.push(
        `  round ${r + 1}: app ${k(round.appPerSec)} msg/s, CLI ${k(round.cliPerSec)} msg/s ` +
          `(${k(round.cliNoStartPerSec)} without its ${round.startupMs.toFixed(0)} ms start); ` +
          `app / CLI ${(round.appPerSec / round.cliPerSec).toFixed(2)}, without the start ` +
          `${(round.appPerSec / round.cliNoStartPerSec).toFixed(2)}; CPU per message: app ${cpu(round.appCpuMs)}, CLI ${cpu(round.cliCpuMs)}`,
      );
    }
    const med = (f: (r: Round) => number): number => median(rounds.map(f));
    const ratio = med((r) => r.appPerSec / r.cliPerSec);
    const ratioNoStart = med((r) => r.appPerSec / r.cliNoStartPerSec);
    const cliCpus = rounds.map((r) => r.cliCpuMs).filter((c): c is number => c !== undefined);
    const appCpuUsPerMsg = (med((r) => r.appCpuMs) * 1000) / lines;
    const cliCpuUsPerMsg = cliCpus.length === rounds.length ? (median(cliCpus) * 1000) / lines : undefined;
    out.push(
      `median over rounds: app ${k(med((r) => r.appPerSec))} msg/s, CLI ${k(med((r) => r.cliPerSec))} msg/s; ` +
        `app / CLI ${ratio.toFixed(2)} (goal >= 0.8), without the CLI's start ${ratioNoStart.toFixed(2)}`,
    );
    out.push(
      JSON.stringify({
        bench: 'publish',
        lines,
        rounds: roundCount,
        appPerSec: Math.round(med((r) => r.appPerSec)),
        cliPerSec: Math.round(med((r) => r.cliPerSec)),
        ratio: round3(ratio),
        ratioRounds: rounds.map((r) => round3(r.appPerSec / r.cliPerSec)),
        cliNoStartupPerSec: Math.round(med((r) => r.cliNoStartPerSec)),
        ratioNoStartup: round3(ratioNoStart),
        cliStartupMs: Math.round(med((r) => r.startupMs)),
        appCpuUsPerMsg: round3(appCpuUsPerMsg),
        ...(cliCpuUsPerMsg === undefined ? {} : { cliCpuUsPerMsg: round3(cliCpuUsPerMsg) }),
      }),
    );
    return out;
  } finally {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}
