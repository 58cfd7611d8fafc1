/**
 * Warm standbys (`--standby`) on one journal folder, as separate processes: a SIGKILLed writer's
 * journal is taken over by exactly one standby, which serves every journaled message exactly once
 * to a bookmark subscription resuming from its last bookmark; two processes never both write.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FixedDelayStrategy } from '../../client/src/ha/delayStrategy.js';
import { HAClient } from '../../client/src/ha/haClient.js';
import { DefaultServerChooser } from '../../client/src/ha/serverChooser.js';
import { MemoryPublishStore } from '../../client/src/stores/publish/memoryPublishStore.js';
import { freePort, REPO_ROOT, sleep, waitFor } from './sandboxProcess.js';

const dir = mkdtempSync(join(tmpdir(), 'amps-standby-'));
const processes: Sandbox[] = [];
const clients: HAClient[] = [];

afterAll(async () => {
  for (const c of clients) await c.close().catch(() => undefined);
  for (const p of processes) await p.kill();
  rmSync(dir, { recursive: true, force: true });
});

interface Sandbox {
  readonly port: number;
  readonly child: ChildProcess;
  output(): string;
  readonly exited: Promise<number | null>;
  isAlive(): boolean;
  kill(): Promise<void>;
}

/** Starts `sandbox/src/main.ts` on `port` and the journal folder (with `--standby` unless told). */
function sandbox(port: number, journalDir: string, standby = true): Sandbox {
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
      ...(standby ? ['--standby'] : []),
    ],
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  let alive = true;
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      alive = false;
      resolve(code);
    }),
  );
  const s: Sandbox = {
    port,
    child,
    output: () => out,
    exited,
    isAlive: () => alive,
    async kill() {
      if (alive) child.kill('SIGKILL');
      await exited;
    },
  };
  processes.push(s);
  return s;
}

const listening = (s: Sandbox): boolean => /listening: tcp:\/\//.test(s.output());
const standingBy = (s: Sandbox): boolean => /standing by on journal/.test(s.output());

/** Whether something accepts a TCP connection on the port. */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

const lockPid = (journalDir: string): number =>
  (JSON.parse(readFileSync(join(journalDir, 'sandbox.journal.lock'), 'utf8')) as { pid: number }).pid;

describe('warm standby processes on one journal', () => {
  it('after a SIGKILL of the writer mid-stream, the standby serves every message exactly once from the last bookmark', async () => {
    const journalDir = join(dir, 'stream');
    const ports = [await freePort(), await freePort()];
    const uris = ports.map((p) => `tcp://127.0.0.1:${p}/amps/json`);
    const primary = sandbox(ports[0] as number, journalDir, false);
    await waitFor(() => listening(primary), 20_000, 'the primary to listen');
    const standby = sandbox(ports[1] as number, journalDir);
    await waitFor(() => standingBy(standby), 20_000, 'the standby to follow the journal');
    const options = (): ConstructorParameters<typeof HAClient>[1] => ({
      serverChooser: new DefaultServerChooser(uris),
      delayStrategy: new FixedDelayStrategy(10, 30_000),
      timeoutMs: 5000,
    });
    const publisher = new HAClient('standby-pub', { ...options(), publishStore: new MemoryPublishStore() });
    const subscriber = new HAClient('standby-sub', options());
    clients.push(publisher, subscriber);
    await publisher.connectAndLogon();
    await subscriber.connectAndLogon();
    const delivered: number[] = [];
    await subscriber.bookmarkSubscribe('ticks', HAClient.Bookmarks.EPOCH, undefined, {
      handler: (m) => delivered.push((JSON.parse(m.text) as { seq: number }).seq),
    });
    const TOTAL = 3000;
    let published = 0;
    const feeder = (async () => {
      while (published < TOTAL) {
        for (let i = 0; i < 50 && published < TOTAL; i++)
          publisher.publish('ticks', JSON.stringify({ seq: ++published }));
        await sleep(2);
      }
    })();
    await waitFor(() => delivered.length >= 1000, 20_000, '1000 deliveries before the kill');
    await primary.kill();
    await waitFor(() => listening(standby), 20_000, 'the standby to take over');
    expect(standby.output()).toMatch(/took the journal over from pid \d+, which is gone/);
    expect(lockPid(journalDir)).toBe(standby.child.pid);
    await feeder;
    await waitFor(() => publisher.getUnpersistedCount() === 0, 20_000, 'every publish persisted');
    await waitFor(() => delivered.length >= TOTAL, 20_000, `${TOTAL} deliveries (have ${delivered.length})`);
    await sleep(200); // a late duplicate would show here
    expect(delivered).toEqual(Array.from({ length: TOTAL }, (_, i) => i + 1));
  }, 90_000);

  it('of three standbys and their successors, exactly one serves at a time; a second writer is refused', async () => {
    const journalDir = join(dir, 'three');
    const ports = [await freePort(), await freePort(), await freePort()];
    const three = ports.map((p) => sandbox(p, journalDir));
    for (let kill = 0; kill < 2; kill++) {
      await waitFor(() => three.filter(listening).length === 1, 30_000, 'one of three to serve');
      await sleep(300); // time for a wrong second takeover to show
      const serving = three.filter(listening);
      expect(serving).toHaveLength(1);
      const writer = serving[0] as Sandbox;
      expect(lockPid(journalDir)).toBe(writer.child.pid);
      for (const s of three) {
        expect(s.isAlive()).toBe(true);
        expect(await accepts(s.port)).toBe(s === writer);
      }
      if (kill === 0) {
        // A plain sandbox on the journal in use exits, naming the writer.
        const intruder = sandbox(await freePort(), journalDir, false);
        expect(await intruder.exited).toBe(1);
        expect(intruder.output()).toContain(`is written by another sandbox (pid ${writer.child.pid})`);
      }
      await writer.kill();
      three[three.indexOf(writer)] = sandbox(writer.port, journalDir);
    }
  }, 90_000);
});
