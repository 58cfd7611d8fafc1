/**
 * Soak phase 1: forced failovers of a bookmark subscription under a steady stream.
 *
 * Three ports form the HA list of both clients (a publisher with a memory publish store,
 * streaming `{"seq":n}` at the given rate, and a bookmark subscriber from EPOCH). One sandbox
 * process serves on the shared journal folder while the other two stand by (see
 * `soakServer.ts` for why they take the journal over rather than share it live). Each round
 * streams for `cycleMs`, SIGKILLs the serving process, tells the next standby to take over and
 * starts a new standby on the killed port. Failover time: from the kill to the first message
 * the subscriber receives after it saw the old connection drop (so from the new server).
 * At the end, every sequence published is counted: lost = never delivered, duplicated =
 * deliveries beyond the first.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { FixedDelayStrategy } from '../client/src/ha/delayStrategy.js';
import { HAClient } from '../client/src/ha/haClient.js';
import { DefaultServerChooser } from '../client/src/ha/serverChooser.js';
import { MemoryPublishStore } from '../client/src/stores/publish/memoryPublishStore.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

/** Options of {@link soakFailovers}. */
export interface FailoverSoakOptions {
  failovers: number;
  /** Messages per second published. */
  rate: number;
  /** Streaming time between two kills, ms. */
  cycleMs: number;
  /**
   * Unpersisted messages the publisher may hold before it blocks, as a publisher with a bounded
   * store does: while the servers are down the stream waits instead of piling up without end.
   */
  storeCap: number;
  /** Stop starting failovers after this long, ms (the result says how many were done). */
  budgetMs: number;
  /** Called with a progress line now and then. */
  progress?: (line: string) => void;
}

/** What phase 1 measured. */
export interface FailoverSoakResult {
  failovers: number;
  published: number;
  delivered: number;
  lost: number;
  duplicated: number;
  /** Kill → first message from the next server, ms, one per failover. */
  times: number[];
  /** Kill → the next server listening on the recovered journal, ms, one per failover. */
  takeovers: number[];
  /** Of each takeover, the ms the standby spent recovering the journal and starting to listen. */
  recoveries: number[];
  /** How long the stream ran (published / streamSeconds = the rate achieved). */
  streamSeconds: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A free port below the ephemeral range, so no outgoing connection takes it meanwhile. */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const server = createServer();
    const ok = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => resolve(true));
    });
    if (ok) {
      await new Promise<void>((r) => server.close(() => r()));
      return port;
    }
  }
  throw new Error('no free port in 20000..31999');
}

/** A sandbox process standing by on a port. */
interface Standby {
  readonly port: number;
  readonly child: ChildProcess;
  readonly ready: Promise<void>;
  /** Takes the journal over and listens; resolves with the ms its recovery and listen took. */
  go(): Promise<number>;
  kill(): Promise<void>;
}

function spawnStandby(port: number, journalDir: string): Standby {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'bench/soakServer.ts', String(port), journalDir],
    {
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  let out = '';
  let err = '';
  const waiters: { pattern: RegExp; resolve: (m: RegExpExecArray) => void }[] = [];
  const check = (): void => {
    for (const w of [...waiters]) {
      const m = w.pattern.exec(out);
      if (m === null) continue;
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(m);
    }
  };
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
    check();
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const waitFor = (pattern: RegExp): Promise<RegExpExecArray> =>
    new Promise((resolve, reject) => {
      waiters.push({ pattern, resolve });
      check();
      void exited.then(() => reject(new Error(`soak server on ${port} exited: ${err.trim()}`)));
    });
  const ready = waitFor(/^ready$/m).then(() => undefined);
  ready.catch(() => undefined);
  return {
    port,
    child,
    ready,
    async go() {
      await ready;
      child.stdin?.write('go\n');
      const m = await waitFor(/^listening \d+ ([\d.]+)$/m);
      return Number(m[1]);
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Counts deliveries per sequence number. */
class Tally {
  private counts = new Uint8Array(1 << 16);
  delivered = 0;

  add(seq: number): void {
    while (seq >= this.counts.length) {
      const bigger = new Uint8Array(this.counts.length * 2);
      bigger.set(this.counts);
      this.counts = bigger;
    }
    if (this.counts[seq] !== 255) this.counts[seq] = (this.counts[seq] ?? 0) + 1;
    this.delivered++;
  }

  /** Lost and duplicated among 1..published. */
  check(published: number): { lost: number; duplicated: number } {
    let lost = 0;
    let duplicated = 0;
    for (let seq = 1; seq <= published; seq++) {
      const n = this.counts[seq] ?? 0;
      if (n === 0) lost++;
      else duplicated += n - 1;
    }
    for (let seq = published + 1; seq < this.counts.length; seq++) duplicated += this.counts[seq] ?? 0;
    return { lost, duplicated };
  }
}

/** Runs phase 1. */
export async function soakFailovers(opts: FailoverSoakOptions): Promise<FailoverSoakResult> {
  const dir = mkdtempSync(join(tmpdir(), 'amps-soak-failover-'));
  const journal = join(dir, 'journal');
  const ports = [await freePort(), await freePort(), await freePort()];
  const uris = ports.map((p) => `tcp://127.0.0.1:${p}/amps/json`);
  const standbys = ports.map((p) => spawnStandby(p, journal));
  const all: Standby[] = [...standbys];
  const haOptions = (): ConstructorParameters<typeof HAClient>[1] => ({
    serverChooser: new DefaultServerChooser(uris),
    delayStrategy: new FixedDelayStrategy(10, 120_000),
    timeoutMs: 5000,
  });
  const publisher = new HAClient(`soak-pub-${process.pid}`, {
    ...haOptions(),
    publishStore: new MemoryPublishStore(),
  });
  const subscriber = new HAClient(`soak-sub-${process.pid}`, haOptions());
  const tally = new Tally();
  let published = 0;
  let streaming: NodeJS.Timeout | undefined;
  try {
    await Promise.all(standbys.map((s) => s.ready));
    let serving = 0;
    await (standbys[serving] as Standby).go();
    await publisher.connectAndLogon();
    await subscriber.connectAndLogon();
    // Failover timing: armed at the kill, the clock stops at the first delivery after the
    // subscriber has seen its connection drop.
    let killedAt = 0;
    let dropped = false;
    let firstAfter: ((ms: number) => void) | undefined;
    subscriber.addConnectionStateListener((s) => {
      if (s.state === 'disconnected' && killedAt > 0) dropped = true;
    });
    await subscriber.bookmarkSubscribe('ticks', HAClient.Bookmarks.EPOCH, undefined, {
      handler: (m) => {
        tally.add((JSON.parse(m.text) as { seq: number }).seq);
        if (dropped && firstAfter) {
          firstAfter(performance.now() - killedAt);
          firstAfter = undefined;
        }
      },
    });
    const started = performance.now();
    let last = started;
    let allowance = 0;
    streaming = setInterval(() => {
      const now = performance.now();
      allowance += ((now - last) * opts.rate) / 1000;
      last = now;
      while (allowance >= 1 && publisher.getUnpersistedCount() < opts.storeCap) {
        publisher.publish('ticks', `{"seq":${++published}}`);
        allowance--;
      }
      if (allowance >= 1) allowance = 0; // blocked: the source waits, it does not owe
    }, 2);
    const times: number[] = [];
    const takeovers: number[] = [];
    const recoveries: number[] = [];
    for (let round = 0; round < opts.failovers && performance.now() - started < opts.budgetMs; round++) {
      await sleep(opts.cycleMs);
      const current = standbys[serving] as Standby;
      const next = (serving + 1) % standbys.length;
      dropped = false;
      const first = new Promise<number>((resolve) => (firstAfter = resolve));
      killedAt = performance.now();
      await current.kill();
      recoveries.push(await (standbys[next] as Standby).go());
      takeovers.push(performance.now() - killedAt);
      const timeout = sleep(60_000).then(() => {
        throw new Error(`failover ${round + 1}: no message from the next server within 60 s`);
      });
      times.push(await Promise.race([first, timeout]));
      killedAt = 0;
      // The killed server is restarted as a standby once the failover is over, so that starting
      // a Node process does not compete with the failover being measured (its `go` waits for it).
      const replacement = spawnStandby(current.port, journal);
      standbys[serving] = replacement;
      all.push(replacement);
      serving = next;
      if ((round + 1) % 10 === 0)
        opts.progress?.(
          `  failover ${round + 1}/${opts.failovers}: ${published} published, ${tally.delivered} delivered`,
        );
    }
    clearInterval(streaming);
    streaming = undefined;
    const streamEnded = performance.now();
    const deadline = Date.now() + 120_000;
    while ((publisher.getUnpersistedCount() > 0 || tally.delivered < published) && Date.now() < deadline)
      await sleep(50);
    await sleep(500); // a late duplicate would show here
    const { lost, duplicated } = tally.check(published);
    return {
      failovers: times.length,
      published,
      delivered: tally.delivered,
      lost,
      duplicated,
      times,
      takeovers,
      recoveries,
      streamSeconds: (streamEnded - started) / 1000,
    };
  } finally {
    if (streaming) clearInterval(streaming);
    await subscriber.close().catch(() => undefined);
    await publisher.close().catch(() => undefined);
    for (const s of all) await s.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}
