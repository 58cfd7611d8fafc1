import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSparkArgs } from '../../client/cli/args.js';
import { storeClientName } from '../../client/cli/haRun.js';
import { runSpark } from '../../client/cli/run.js';
import { capturedIo as io, type CapturedIo } from '../sparkIo.js';
import { FilePublishStore } from '../../client/src/stores/publish/filePublishStore.js';
import { startSandbox, type SandboxFixture } from '../sandboxFixture.js';
import {
  freePort,
  REPO_ROOT,
  sleep,
  startSandboxProcess,
  waitFor,
  type SandboxProcess,
} from './sandboxProcess.js';

const dir = mkdtempSync(join(tmpdir(), 'amps-failover-cli-'));
let sandbox: SandboxFixture;
const processes: SandboxProcess[] = [];

beforeAll(async () => {
  sandbox = await startSandbox({
    topics: [
      { name: 'orders', sow: true, keys: ['/id'], txlog: true },
      { name: 'events', txlog: true },
    ],
  });
});
afterAll(async () => {
  await sandbox.close();
  for (const p of processes) await p.kill();
  rmSync(dir, { recursive: true, force: true });
});

const spark = (argv: string[], captured: CapturedIo, uris = [sandbox.tcpUri]): Promise<number> =>
  runSpark(
    parseSparkArgs([argv[0] as string, ...uris.flatMap((u) => ['-uri', u]), ...argv.slice(1)]),
    captured,
  );

const seqs = (lines: string[]): number[] => lines.map((l) => (JSON.parse(l) as { n: number }).n);

async function sowIds(uri = sandbox.tcpUri): Promise<number[]> {
  const sow = io();
  await spark(['sow', '-topic', 'orders'], sow, [uri]);
  return sow.lines.map((l) => (JSON.parse(l) as { id: number }).id).sort((a, b) => a - b);
}

describe('spark CLI with -bookmark-store', () => {
  it('a re-run resumes exactly after the last message the previous run printed', async () => {
    const events = Array.from({ length: 10 }, (_, i) => JSON.stringify({ n: i + 1 }));
    expect(await spark(['publish', '-topic', 'events'], io(events))).toBe(0);
    const store = join(dir, 'events.bookmarks');
    const runs: number[][] = [];
    for (const count of [4, 4, 2]) {
      const sub = io();
      expect(
        await spark(
          ['subscribe', '-topic', 'events', '-bookmark-store', store, '-count', String(count)],
          sub,
        ),
      ).toBe(0);
      runs.push(seqs(sub.lines));
    }
    expect(runs).toEqual([
      [1, 2, 3, 4],
      [5, 6, 7, 8],
      [9, 10],
    ]);

    // Later messages only, after more are published.
    await spark(['publish', '-topic', 'events'], io([JSON.stringify({ n: 11 })]));
    const later = io();
    await spark(['subscribe', '-topic', 'events', '-bookmark-store', store, '-count', '1'], later);
    expect(seqs(later.lines)).toEqual([11]);
  });

  it('-bookmark sets where the first run starts; the store decides afterwards', async () => {
    const store = join(dir, 'recent.bookmarks');
    const first = io();
    const running = spark(
      ['subscribe', '-topic', 'events', '-bookmark-store', store, '-bookmark', '0|1|', '-count', '1'],
      first,
    );
    // NOW: only what is published after the subscription is placed.
    for (let i = 0; i < 100 && first.lines.length === 0; i++) {
      await spark(['publish', '-topic', 'events'], io([JSON.stringify({ n: 100 + i })]));
      await sleep(20);
    }
    expect(await running).toBe(0);
    const firstSeen = seqs(first.lines)[0] as number;
    expect(firstSeen).toBeGreaterThanOrEqual(100);
    await spark(['publish', '-topic', 'events'], io([JSON.stringify({ n: 999 })]));
    const again = io();
    await spark(
      ['subscribe', '-topic', 'events', '-bookmark-store', store, '-bookmark', '0|1|', '-count', '1'],
      again,
    );
    const next = seqs(again.lines)[0] as number;
    expect(next === firstSeen + 1 || next === 999).toBe(true);
    expect(next).not.toBe(firstSeen);
  });

  it('a subscriber process killed mid-stream and run again prints every message exactly once', async () => {
    const topic = 'events';
    const store = join(dir, 'killed.bookmarks');
    const base = 5000;
    const total = 40;
    const filter = `/n >= ${base}`;
    const message = (i: number): string => JSON.stringify({ n: base + i });
    await spark(['publish', '-topic', topic], io([0, 1, 2, 3, 4].map(message)));
    // First run: a child process, killed with SIGKILL while messages are still arriving.
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'client/cli/spark.ts',
        'subscribe',
        '-uri',
        sandbox.tcpUri,
        '-topic',
        topic,
        '-filter',
        filter,
        '-bookmark-store',
        store,
      ],
      { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise((r) => child.once('exit', r));
    await waitFor(
      () => out.split('\n').length > 5,
      30_000,
      'the child subscriber to print the first 5 messages',
    );
    const publishing = spark(
      ['publish', '-topic', topic, '-rate', '25'],
      io(Array.from({ length: total - 5 }, (_, i) => message(i + 5))),
    );
    await waitFor(() => out.split('\n').length > 12, 20_000, 'the child subscriber to print 12 messages');
    child.kill('SIGKILL');
    await exited;
    expect(await publishing).toBe(0);
    const firstRun = seqs(out.split('\n').filter((l) => l !== ''));
    expect(firstRun.length).toBeLessThan(total);
    const second = io();
    await spark(
      [
        'subscribe',
        '-topic',
        topic,
        '-filter',
        filter,
        '-bookmark-store',
        store,
        '-count',
        String(total - firstRun.length),
      ],
      second,
    );
    expect([...firstRun, ...seqs(second.lines)]).toEqual(Array.from({ length: total }, (_, i) => base + i));
    // Nothing is left over for a third run.
    await spark(['publish', '-topic', topic], io([JSON.stringify({ n: base + total })]));
    const third = io();
    await spark(
      ['subscribe', '-topic', topic, '-filter', filter, '-bookmark-store', store, '-count', '1'],
      third,
    );
    expect(seqs(third.lines)).toEqual([base + total]);
  });
});

describe('spark CLI with -publish-store', () => {
  it('replays what a previous run left unacknowledged, then publishes; a re-run sends nothing twice', async () => {
    const path = join(dir, 'orders.publish');
    const left = new FilePublishStore(path);
    for (const id of [9001, 9002])
      left.store({
        header: { command: 'publish', topic: 'orders' },
        payload: Buffer.from(JSON.stringify({ id })),
      });
    left.close();

    const first = io([JSON.stringify({ id: 9003 })]);
    expect(await spark(['publish', '-topic', 'orders', '-publish-store', path], first)).toBe(0);
    expect(first.diagnostics).toContain(`replaying 2 unacknowledged messages from ${path}`);
    expect(first.diagnostics).toContain('published 1 message to orders');
    expect((await sowIds()).filter((id) => id > 9000)).toEqual([9001, 9002, 9003]);

    const reopened = new FilePublishStore(path);
    expect(reopened.unpersistedCount()).toBe(0);
    reopened.close();
    const second = io([]);
    expect(await spark(['publish', '-topic', 'orders', '-publish-store', path], second)).toBe(0);
    expect(second.diagnostics.some((d) => d.startsWith('replaying'))).toBe(false);
    expect(storeClientName(path)).toMatch(/^spark-pub-[0-9a-f]{12}$/);
  });
});

describe('spark CLI with several servers', () => {
  it('skips a dead server for every command', async () => {
    const dead = `tcp://127.0.0.1:${await freePort()}/amps/json`;
    const both = [dead, sandbox.tcpUri];
    const ping = io();
    expect(await spark(['ping', '-timeout', '3000'], ping, both)).toBe(0);
    expect(ping.diagnostics[0]).toContain(sandbox.tcpUri.replace('/amps/json', ''));
    expect(await spark(['publish', '-topic', 'orders'], io([JSON.stringify({ id: 7001 })]), both)).toBe(0);
    const sow = io();
    expect(await spark(['sow', '-topic', 'orders', '-filter', '/id = 7001'], sow, both)).toBe(0);
    expect(sow.lines).toEqual(['{"id":7001}']);
    const del = io();
    expect(await spark(['sow_delete', '-topic', 'orders', '-keys', 'none'], del, both)).toBe(0);
    expect(del.diagnostics[0]).toMatch(/^deleted 0 records from orders$/);
  });

  it('a subscriber fails over to a standby started on the primary journal and misses nothing', async () => {
    const journalDir = join(dir, 'journal');
    const ports = [await freePort(), await freePort()];
    const uris = ports.map((p) => `tcp://127.0.0.1:${p}/amps/json`);
    const primary = await startSandboxProcess({ port: ports[0] as number, journalDir });
    processes.push(primary);
    const publish = (n: number, uri: string): Promise<number> =>
      spark(['publish', '-topic', 'events'], io([JSON.stringify({ n })]), [uri]);
    for (let n = 1; n <= 3; n++) await publish(n, primary.uri);

    const sub = io();
    const store = join(dir, 'failover.bookmarks');
    const running = spark(
      ['subscribe', '-topic', 'events', '-bookmark-store', store, '-count', '6'],
      sub,
      uris,
    );
    await waitFor(() => sub.lines.length >= 3, 15_000, 'the backlog');
    await primary.kill();
    const standby = await startSandboxProcess({ port: ports[1] as number, journalDir });
    processes.push(standby);
    for (let n = 4; n <= 6; n++) await publish(n, standby.uri);
    expect(await running).toBe(0);
    expect(seqs(sub.lines)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(sub.diagnostics.some((d) => d.startsWith('failed over to'))).toBe(true);
  });

  it('exits 1 naming every server when none answers (child process)', async () => {
    const dead = [await freePort(), await freePort()].map((p) => `127.0.0.1:${p}`);
    const result = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          'client/cli/spark.ts',
          'ping',
          '-server',
          dead.join(','),
          '-timeout',
          '1000',
          '-bookmark-store',
          join(dir, 'x'),
        ],
        { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('close', (code) => resolve({ code, stderr }));
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/-bookmark-store applies to subscribe only/);
    const run = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          'client/cli/spark.ts',
          'subscribe',
          '-server',
          dead.join(','),
          '-topic',
          't',
          '-timeout',
          '1000',
        ],
        { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('close', (code) => resolve({ code, stderr }));
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/HAConnectionError/);
    for (const server of dead) expect(run.stderr).toContain(`tcp://${server}/amps/json`);
  });
});
