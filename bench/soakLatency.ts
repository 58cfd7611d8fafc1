/**
 * Soak phase 3: a well-behaved client's round trip (publish one record, then a SOW query that
 * returns it) against a sandbox child process, first idle, then while `soakFuzzer.ts` (another
 * child) hammers the same sandbox with junk over 8 loopback connections. Both windows run in
 * the same bench run, on the same server process, with the same client.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Client } from '../client/src/client.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

/** Options of {@link soakLatency}. */
export interface LatencySoakOptions {
  idleMs: number;
  fuzzMs: number;
  connections: number;
  seed: number;
}

/** Round-trip percentiles, ms. */
export interface Percentiles {
  p50: number;
  p99: number;
  count: number;
}

/** What phase 3 measured. */
export interface LatencySoakResult {
  idle: Percentiles;
  fuzzed: Percentiles;
  fuzzFrames: number;
  fuzzReconnects: number;
  /** The sandbox process was still serving at the end. */
  serverAlive: boolean;
}

function percentiles(samples: number[]): Percentiles {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  return { p50: at(0.5), p99: at(0.99), count: sorted.length };
}

function startSandbox(): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'sandbox/src/main.ts',
      '--port',
      '0',
      '--ws-port',
      'off',
      '--admin-port',
      'off',
      '--sow',
      'orders=/id',
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    child.once('exit', () => reject(new Error(`the sandbox exited before listening: ${err}`)));
    child.stdout?.on('data', (d: Buffer) => {
      if (out.length < 10_000) out += d.toString();
      const m = /listening: tcp:\/\/127\.0\.0\.1:(\d+)\//.exec(out);
      if (m) resolve({ child, port: Number(m[1]) });
    });
  });
}

/** Publish + query round trips until `ms` have passed; returns each round trip's time. */
async function roundTrips(client: Client, ms: number): Promise<number[]> {
  const samples: number[] = [];
  const until = performance.now() + ms;
  for (let i = 0; performance.now() < until; i++) {
    const id = i % 100;
    const t0 = performance.now();
    client.publish('orders', `{"id":${id},"n":${i}}`);
    let seen = false;
    for await (const m of await client.sow('orders', `/id = ${id}`, { timeoutMs: 30_000 })) {
      if (m.command === 'sow' && (JSON.parse(m.text) as { n: number }).n === i) seen = true;
    }
    if (!seen) throw new Error(`round trip ${i}: the query did not return the record just published`);
    samples.push(performance.now() - t0);
  }
  return samples;
}

/** Runs phase 3. */
export async function soakLatency(opts: LatencySoakOptions): Promise<LatencySoakResult> {
  const { child, port } = await startSandbox();
  const client = new Client(`soak-latency-${process.pid}`);
  let fuzzer: ChildProcess | undefined;
  try {
    await client.connect(`tcp://127.0.0.1:${port}/amps/json`);
    await client.logon();
    await roundTrips(client, Math.min(1000, opts.idleMs)); // warm-up
    const idle = await roundTrips(client, opts.idleMs);
    const f = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'bench/soakFuzzer.ts',
        String(port),
        String(opts.fuzzMs),
        String(opts.connections),
        String(opts.seed),
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    fuzzer = f;
    let fuzzOut = '';
    let fuzzErr = '';
    f.stdout?.on('data', (d: Buffer) => (fuzzOut += d.toString()));
    f.stderr?.on('data', (d: Buffer) => (fuzzErr += d.toString()));
    const fuzzDone = new Promise<void>((r) => f.once('exit', () => r()));
    // Measure once the fuzzer is running (its start-up takes a second or so).
    await new Promise((r) => setTimeout(r, 1500));
    const fuzzed = await roundTrips(client, Math.max(1000, opts.fuzzMs - 2500));
    await fuzzDone;
    const m = /fuzzed (\d+) (\d+)/.exec(fuzzOut);
    if (!m) throw new Error(`the fuzzer did not report: ${fuzzErr.trim()}`);
    return {
      idle: percentiles(idle),
      fuzzed: percentiles(fuzzed),
      fuzzFrames: Number(m[1]),
      fuzzReconnects: Number(m[2]),
      serverAlive: child.exitCode === null && child.signalCode === null,
    };
  } finally {
    fuzzer?.kill('SIGKILL');
    await client.close().catch(() => undefined);
    child.kill('SIGKILL');
  }
}
