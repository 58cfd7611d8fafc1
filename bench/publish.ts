/**
 * Bulk publish speed: a 1 M line NDJSON file published through the app's bulk path (main's
 * PublishJobs streaming the file over a ConnectionService connection, as the publish view
 * drives it) beside the spark CLI (`spark publish -file`) publishing the same file, in the
 * same run, to the same sandbox child process. Both end when the server has processed the last
 * message: the CLI with its publishFlush, the app with a processed ack on a publish sent after
 * the file on the same connection. The CLI's figure includes its process start (as a user
 * runs it); the startup alone is measured too and reported.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
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

function runCli(args: string[]): Promise<{ ms: number; stderr: string }> {
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'client/cli/spark.ts', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => {
      const ms = performance.now() - started;
      if (code === 0) resolve({ ms, stderr });
      else reject(new Error(`spark exited ${String(code)}: ${stderr.slice(0, 2000)}`));
    });
  });
}

async function runApp(
  uri: string,
  path: string,
  topic: string,
): Promise<{ ms: number; last: PublishProgress }> {
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
    const { jobId } = jobs.bulkFile({ connectionId, topic, path, format: 'ndjson' }, OWNER);
    const last = await jobs.finished(jobId);
    if (last === undefined) throw new Error('the bulk job did not report its end');
    // Processed ack of a message after the file: the server has processed every line before it.
    const end = await connections
      .client(connectionId, OWNER)
      .publish(topic, '{"id":0,"end":true}', { ack: 'processed' });
    if (end.ack?.status !== 'success')
      throw new Error(`the closing publish failed: ${end.ack?.reason ?? ''}`);
    return { ms: performance.now() - started, last };
  } finally {
    await jobs.shutdown();
    await connections.shutdown();
  }
}

/** Runs the benchmark; the last line is the JSON summary. */
export async function runPublishBench(options: PublishBenchOptions): Promise<string[]> {
  const lines = options.lines ?? Number(process.env['PUBLISH_BENCH_LINES'] ?? 1_000_000);
  const dir = mkdtempSync(join(tmpdir(), 'amps-bench-publish-'));
  const out: string[] = [];
  const { child, uri } = await startSandbox();
  try {
    const path = join(dir, 'bulk.ndjson');
    await writeFile(path, lines);
    const server = uri.replace(/^tcp:\/\//, '').replace(/\/amps\/json$/, '');
    // The CLI's process start alone: a publish of an empty file.
    const empty = join(dir, 'empty.ndjson');
    await writeFile(empty, 0);
    const startup = await runCli(['publish', '-server', server, '-topic', 'bench.startup', '-file', empty]);
    const cli = await runCli(['publish', '-server', server, '-topic', 'bench.cli', '-file', path]);
    const app = await runApp(uri, path, 'bench.app');
    if (app.last.sent !== lines || app.last.failed !== 0) {
      throw new Error(`the app sent ${app.last.sent} and failed ${app.last.failed} of ${lines} lines`);
    }
    const cliPerSec = Math.round((lines * 1000) / cli.ms);
    const appPerSec = Math.round((lines * 1000) / app.ms);
    const cliNoStartPerSec = Math.round((lines * 1000) / Math.max(1, cli.ms - startup.ms));
    out.push(`file: ${lines} NDJSON lines`);
    out.push(
      `spark CLI: ${cli.ms.toFixed(0)} ms (${cliPerSec} msg/s; process start ${startup.ms.toFixed(0)} ms, ${cliNoStartPerSec} msg/s without it)`,
    );
    out.push(`app bulk path: ${app.ms.toFixed(0)} ms (${appPerSec} msg/s)`);
    out.push(
      `app / CLI: ${(appPerSec / cliPerSec).toFixed(2)} (goal >= 0.8); without the CLI's start: ${(appPerSec / cliNoStartPerSec).toFixed(2)}`,
    );
    out.push(
      JSON.stringify({
        bench: 'publish',
        lines,
        appPerSec,
        cliPerSec,
        cliNoStartupPerSec: cliNoStartPerSec,
        cliStartupMs: Math.round(startup.ms),
        ratio: Number((appPerSec / cliPerSec).toFixed(3)),
      }),
    );
    return out;
  } finally {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}
