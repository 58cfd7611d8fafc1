/**
 * Failover speed:
 * (a) FAILOVER: an HA subscriber connected to server A (a sandbox child process) with server B
 *     (in-process, fed a tick every millisecond) next in its chooser; A is killed with SIGKILL
 *     and the time from the kill to the first tick received from B is measured, over N kills
 *     (a fresh A and a fresh HA client each round; FixedDelayStrategy of 50 ms, which the first
 *     attempt on a server not yet tried in the outage does not wait).
 * (b) BOOKMARK STORE: log + discard of one message (what a bookmark subscription does per
 *     message), in operations per second, for the memory store (the baseline) and the file store.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Client } from '../client/src/client.js';
import { FixedDelayStrategy } from '../client/src/ha/delayStrategy.js';
import { HAClient } from '../client/src/ha/haClient.js';
import { DefaultServerChooser } from '../client/src/ha/serverChooser.js';
import type { BookmarkStore } from '../client/src/stores/bookmark/bookmarkStore.js';
import { FileBookmarkStore } from '../client/src/stores/bookmark/fileBookmarkStore.js';
import { MemoryBookmarkStore } from '../client/src/stores/bookmark/memoryBookmarkStore.js';
import { createSandboxServer, silentLogger } from '../sandbox/src/index.js';

/** Options of {@link runFailoverBench}. */
export interface FailoverBenchOptions {
  /** Server kills measured (default 5). */
  kills?: number;
  /** Log + discard operations per bookmark store (default 20 000). */
  storeOperations?: number;
}

const ROOT = fileURLToPath(new URL('../', import.meta.url));

interface ChildServer {
  child: ChildProcess;
  uri: string;
}

/** Starts a sandbox child process on any free port; resolves once it listens. */
function startChild(journalDir: string): Promise<ChildServer> {
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
      '--journal',
      journalDir,
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the sandbox child did not start within 20 s: ${err}`));
    }, 20_000);
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    child.once('exit', () => {
      clearTimeout(timer);
      reject(new Error(`the sandbox child exited before listening: ${err}`));
    });
    child.stdout?.on('data', (d: Buffer) => {
      if (out.length < 10_000) out += d.toString();
      const m = /listening: (tcp:\/\/127\.0\.0\.1:\d+\/amps\/json)/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      resolve({ child, uri: m[1] as string });
    });
  });
}

function killed(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

async function measureFailovers(kills: number): Promise<number[]> {
  const dir = mkdtempSync(join(tmpdir(), 'amps-bench-failover-'));
  const standby = await createSandboxServer({ port: 0, wsPort: null, adminPort: null, logger: silentLogger });
  const standbyUri = `tcp://127.0.0.1:${standby.ports.tcp}/amps/json`;
  const feeder = new Client(`bench-feeder-${process.pid}`);
  const children: ChildProcess[] = [];
  let ticking: NodeJS.Timeout | undefined;
  try {
    await feeder.connect(standbyUri);
    await feeder.logon();
    let tick = 0;
    ticking = setInterval(() => feeder.publish('ticks', `{"tick":${++tick}}`), 1);
    const latencies: number[] = [];
    for (let round = 0; round < kills; round++) {
      const primary = await startChild(join(dir, `journal-${round}`));
      children.push(primary.child);
      const ha = new HAClient(`bench-failover-${process.pid}-${round}`, {
        serverChooser: new DefaultServerChooser([primary.uri, standbyUri]),
        delayStrategy: new FixedDelayStrategy(50, 10_000),
        timeoutMs: 5000,
      });
      try {
        await ha.connectAndLogon();
        let killedAt = 0;
        const first = new Promise<number>((resolve) => {
          void ha.subscribe('ticks', undefined, { handler: () => resolve(performance.now() - killedAt) });
        });
        await new Promise((r) => setTimeout(r, 100));
        killedAt = performance.now();
        primary.child.kill('SIGKILL');
        const timeout = new Promise<number>((_, reject) =>
          setTimeout(() => reject(new Error('no message from the standby within 15 s')), 15_000).unref(),
        );
        latencies.push(await Promise.race([first, timeout]));
      } finally {
        await ha.close();
        await killed(primary.child);
      }
    }
    return latencies;
  } finally {
    if (ticking) clearInterval(ticking);
    for (const c of children) await killed(c);
    await feeder.close().catch(() => undefined);
    await standby.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function storeRate(store: BookmarkStore, operations: number): number {
  const started = performance.now();
  for (let i = 1; i <= operations; i++) {
    const message = { subId: 'bench', bookmark: `12290412031115262887|${i}|` };
    store.log(message);
    store.discardMessage(message);
  }
  return operations / ((performance.now() - started) / 1000);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Runs the failover benchmark; resolves with the lines to print. */
export async function runFailoverBench(opts: FailoverBenchOptions): Promise<string[]> {
  const kills = opts.kills ?? 5;
  const operations = opts.storeOperations ?? 20_000;
  const lines: string[] = [];
  const latencies = await measureFailovers(kills);
  lines.push(
    `failover (server killed -> first message from the next server): median ${median(latencies).toFixed(1)} ms, ` +
      `max ${Math.max(...latencies).toFixed(1)} ms over ${kills} kills [${latencies.map((l) => l.toFixed(1)).join(', ')}]`,
  );
  const memory = new MemoryBookmarkStore();
  storeRate(memory, Math.min(2000, operations)); // warm-up
  memory.purge();
  const memoryRate = storeRate(memory, operations);
  memory.close();
  const dir = mkdtempSync(join(tmpdir(), 'amps-bench-bookmarks-'));
  try {
    const file = new FileBookmarkStore(join(dir, 'bench.bookmarks'));
    const fileRate = storeRate(file, operations);
    file.close();
    lines.push(
      `bookmark store log+discard (${operations} ops): memory ${Math.round(memoryRate)} ops/s (baseline), ` +
        `file ${Math.round(fileRate)} ops/s (${(fileRate / memoryRate).toFixed(3)}x memory)`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return lines;
}
