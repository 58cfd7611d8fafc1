/**
 * The journal's single writer and the warm standby, in one process: the writer lock, a standby
 * following the journal record by record and taking it over when the writer closes. (SIGKILLed
 * writers in other processes: integration/failover/standby.test.ts.)
 */
import { spawn } from 'node:child_process';
import { Socket } from 'node:net';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CliError, parseCli } from '../src/cli.js';
import { silentLogger } from '../src/logger.js';
import type { SandboxConfig } from '../src/config.js';
import { encodeJournalRecord, JOURNAL_FILE } from '../src/journalFile.js';
import { JournalInUseError, lockJournal } from '../src/journalFollow.js';
import { startStandby } from '../src/standby.js';
import type { SandboxStandby } from '../src/standby.js';
import type { RawClient } from './helpers.js';
import { ackOf, memoryClient, startServer, tcpClient } from './helpers.js';

let dir: string;
const cleanups: (() => Promise<void> | void)[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sandbox-standby-'));
});
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  rmSync(dir, { recursive: true, force: true });
});

const config = (): SandboxConfig => ({
  journalDir: dir,
  port: 0,
  wsPort: null,
  adminPort: null,
  txlogPatterns: ['^ticks$'],
  logger: silentLogger,
});

async function until(check: () => boolean, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function publishAll(c: RawClient, from: number, to: number): Promise<void> {
  for (let n = from; n <= to; n++) c.send({ c: 'p', t: 'ticks', s: n }, `{"n":${n}}`);
  const cid = `f${from}`;
  c.send({ c: 'flush', cid, a: 'processed' });
  await c.waitFor(ackOf(cid));
  // The journal writes its records at the end of the turn (or before a socket write; this
  // client is in-process, without a socket).
  await new Promise((r) => setImmediate(r));
}

function standby(): SandboxStandby {
  const s = startStandby(config(), { pollMs: 5 });
  cleanups.push(() => s.close());
  return s;
}

/** A pid that is a zombie for about 5 s: a child of `sleep 5` (which never collects it) that has ended. */
async function zombiePid(): Promise<number> {
  const sh = spawn('sh', ['-c', 'sleep 0.05 & echo $!; exec sleep 5'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  cleanups.push(() => {
    sh.kill('SIGKILL');
  });
  const pid = await new Promise<number>((resolve) =>
    sh.stdout.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))),
  );
  await until(() => {
    try {
      return /\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'latin1'));
    } catch {
      return false;
    }
  }, 'the zombie');
  return pid;
}

function fakeLock(pid: number): void {
  writeFileSync(join(dir, JOURNAL_FILE), '');
  writeFileSync(
    join(dir, `${JOURNAL_FILE}.lock`),
    `${JSON.stringify({ pid, started: Date.now() - 1000, hostname: hostname(), token: 'x' })}\n`,
  );
}

describe('journal writer lock', () => {
  it('refuses a second writer on a journal in use, naming the writer, and frees it on close', async () => {
    const first = await startServer(config());
    await expect(startServer(config())).rejects.toThrow(
      new RegExp(`is written by another sandbox \\(pid ${process.pid}\\).*--standby`),
    );
    await first.close();
    const second = await startServer(config());
    await second.close();
  });

  it('refuses a journal whose lock names a live process', async () => {
    const sleeper = spawn('sleep', ['5'], { stdio: 'ignore' });
    cleanups.push(() => {
      sleeper.kill('SIGKILL');
    });
    fakeLock(sleeper.pid ?? 0);
    expect(() => lockJournal(dir)).toThrow(JournalInUseError);
    expect(() => lockJournal(dir)).toThrow(`(pid ${sleeper.pid ?? 0})`);
  });

  it('takes over the lock of a writer that ended, even before its parent collected it (a zombie)', async () => {
    fakeLock(await zombiePid());
    const lock = lockJournal(dir);
    expect(JSON.parse(readFileSync(join(dir, `${JOURNAL_FILE}.lock`), 'utf8'))).toMatchObject({
      pid: process.pid,
    });
    lock.release();
  });
});

describe('journal writes', () => {
  it('reach the file before a message that needs them leaves for a client (a big one goes to the socket at once)', async () => {
    const server = await startServer(config());
    cleanups.push(() => server.close());
    const sub = await tcpClient(server.ports.tcp ?? 0);
    cleanups.push(() => sub.close());
    await sub.logon('sub');
    sub.send({ c: 'subscribe', t: 'ticks', cid: 's', sub_id: 's', a: 'processed' });
    await sub.waitFor(ackOf('s'));
    const path = join(dir, JOURNAL_FILE);
    const before = statSync(path).size;
    const sizes: number[] = [];
    const proto = Socket.prototype as unknown as { write: (...args: unknown[]) => boolean };
    const original = proto.write;
    proto.write = function (this: Socket, ...args: unknown[]): boolean {
      if (this !== sub.socket) sizes.push(statSync(path).size); // the server's end
      return original.apply(this, args);
    };
    try {
      const pub = memoryClient(server);
      await pub.logon('pub');
      pub.send({ c: 'p', t: 'ticks', s: 1 }, 'x'.repeat(100_000));
      await sub.waitFor((m) => m.fields.command === 'publish');
    } finally {
      proto.write = original;
    }
    expect(sizes.length).toBeGreaterThan(0);
    expect(sizes[0]).toBeGreaterThan(before + 100_000);
  });
});

describe('warm standby', () => {
  it('is asked for with --standby, which needs the journal to follow', () => {
    expect(parseCli(['--journal', dir, '--standby']).standby).toBe(true);
    expect(parseCli(['--journal', dir]).standby).toBe(false);
    expect(() => parseCli(['--standby'])).toThrow(CliError);
    expect(() => parseCli(['--standby'])).toThrow('--standby needs --journal DIR');
    expect(() => startStandby({ port: 0 })).toThrow('a standby needs the journal folder');
  });

  it('follows the journal as it grows, listens on nothing, and takes over with only the tail to read', async () => {
    const primary = await startServer(config());
    let primaryOpen = true;
    cleanups.push(() => (primaryOpen ? primary.close() : undefined));
    const pub = memoryClient(primary);
    await pub.logon('pub');
    await publishAll(pub, 1, 40);
    const s = standby();
    expect(s.records).toBe(40);
    await publishAll(pub, 41, 100);
    await until(() => s.records === 100, 'the standby to read 100 records');
    // Still the primary's: the standby does not serve while the writer lives.
    await new Promise((r) => setTimeout(r, 30));
    let served = false;
    void s.serving.then(() => (served = true));
    await new Promise((r) => setTimeout(r, 30));
    expect(served).toBe(false);
    await publishAll(pub, 101, 103);
    await primary.close();
    primaryOpen = false;
    const { server, takeover } = await s.serving;
    expect(takeover.records).toBe(103);
    expect(takeover.tailRecords).toBeLessThanOrEqual(3);
    expect(server.ports.tcp).toBeGreaterThan(0);
    // A bookmark subscription resuming after message 60 gets 61..103 once, then live messages.
    const bm60 = server.broker.txlog.entries[59]?.bookmark ?? '';
    const sub = memoryClient(server);
    await sub.logon('sub');
    sub.send({ c: 'subscribe', t: 'ticks', cid: 's', sub_id: 's', bm: bm60, a: 'processed' });
    await sub.waitFor(ackOf('s'));
    const again = memoryClient(server);
    expect((await again.logon('pub')).fields.sequence).toBe('103');
    again.send({ c: 'p', t: 'ticks', s: 103, a: 'persisted' }, '{"n":103}'); // a replay: a duplicate
    expect((await again.waitFor((m) => m.fields.ackType === 'persisted')).fields.reason).toBe('duplicate');
    await publishAll(again, 104, 105);
    const delivered = (): string[] =>
      sub.received.filter((m) => m.fields.command === 'publish').map((m) => m.payload);
    await until(() => delivered().length >= 45, '45 deliveries');
    expect(delivered()).toEqual(Array.from({ length: 45 }, (_, i) => `{"n":${i + 61}}`));
  });

  it('waits for a torn record to be completed, and truncates it when the writer is gone', async () => {
    const primary = await startServer(config());
    const pub = memoryClient(primary);
    await pub.logon('pub');
    await publishAll(pub, 1, 5);
    await primary.close();
    const lines: string[] = [];
    const path = join(dir, JOURNAL_FILE);
    const good = statSync(path).size;
    // A writer (this test) holding the lock, in the middle of writing a record.
    const lock = lockJournal(dir);
    const record = encodeJournalRecord({ kind: 'publish', topic: 'ticks', key: '', ts: 1, data: 'e30=' });
    appendFileSync(path, record.subarray(0, 11));
    const s = startStandby(
      { ...config(), logger: { ...silentLogger, error: (m) => lines.push(m) } },
      { pollMs: 5 },
    );
    cleanups.push(() => s.close());
    expect(s.records).toBe(5);
    appendFileSync(path, record.subarray(11));
    await until(() => s.records === 6, 'the completed record');
    appendFileSync(path, record.subarray(0, 9)); // the writer "dies" mid-record
    lock.release();
    const { takeover } = await s.serving;
    expect(takeover.records).toBe(6);
    expect(statSync(path).size).toBe(good + record.length);
    expect(lines.join('\n')).toContain(
      `torn record at byte ${good + record.length}; kept 6 records, truncating 9 bytes`,
    );
  });

  it('of two standbys on one journal, exactly one takes over; the other follows the new writer', async () => {
    const primary = await startServer(config());
    const pub = memoryClient(primary);
    await pub.logon('pub');
    await publishAll(pub, 1, 10);
    const a = standby();
    const b = standby();
    await primary.close();
    const winner = await Promise.race([a.serving.then(() => a), b.serving.then(() => b)]);
    const loser = winner === a ? b : a;
    const { server } = await winner.serving;
    const pub2 = memoryClient(server);
    await pub2.logon('pub');
    await publishAll(pub2, 11, 20);
    await until(() => loser.records === 20, 'the other standby to follow the new writer');
    let loserServes = false;
    void loser.serving.then(() => (loserServes = true));
    await new Promise((r) => setTimeout(r, 50));
    expect(loserServes).toBe(false);
  });
});
