/**
 * Soak phase 1: forced failovers of a bookmark subscription under a steady stream.
 *
 * Three sandbox processes on one journal folder form the HA list of both clients (a publisher
 * with a memory publish store, streaming `{"seq":n}` at the given rate, and a bookmark
 * subscriber from EPOCH). All three run `--standby` (soakStandby.ts): one writes the journal
 * and serves, the other two follow the journal as it grows. Each round streams for `cycleMs`,
 * SIGKILLs the serving process (a standby takes the journal over by itself) and starts a new
 * standby on the killed port; before the next kill the bench waits (the stream paused) until
 * that replacement has read the journal and follows it. Failover time: from the kill to the first message the subscriber
 * receives after it saw the old connection drop (so from the new server). At the end, every
 * sequence published is counted: lost = never delivered, duplicated = deliveries beyond the first.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { FixedDelayStrategy } from '../client/src/ha/delayStrategy.js';
import { HAClient } from '../client/src/ha/haClient.js';
import { DefaultServerChooser } from '../client/src/ha/serverChooser.js';
import { MemoryPublishStore } from '../client/src/stores/publish/memoryPublishStore.js';
import { startSoakSandbox, type SoakSandbox } from './soakStandby.js';
import { parseSeq, TickStream } from './soakStream.js';

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
  /** Kill → the next server seen listening (its output read by the bench), ms, one per failover. */
  takeovers: number[];
  /** Kill → the standby noticing the writer gone (wall clocks of both processes), ms. */
  noticed: number[];
  /** Of each takeover, the ms the standby spent from noticing to listening (the tail read included). */
  recoveries: number[];
  /** How long the stream ran (published / streamSeconds = the rate achieved). */
  streamSeconds: number;
  /** Of that, seconds the source waited on a full publish store (failovers). */
  blockedSeconds: number;
  /** Seconds the stream was paused while a killed server's replacement started (not in streamSeconds). */
  pausedSeconds: number;
}

/** The HA clients' wait before a repeat connection attempt to a URI, ms (a bench choice). */
export const RECONNECT_DELAY_MS = 10;

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

/** Resolves with the first of `promises` to resolve, or rejects after `ms`. */
function firstOf<T>(promises: Promise<T>[], ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: nothing within ${ms / 1000} s`)), ms);
  });
  return Promise.race([...promises, timeout]).finally(() => clearTimeout(timer));
}

/** Runs phase 1. */
export async function soakFailovers(opts: FailoverSoakOptions): Promise<FailoverSoakResult> {
  const dir = mkdtempSync(join(tmpdir(), 'amps-soak-failover-'));
  const journal = join(dir, 'journal');
  const ports = [await freePort(), await freePort(), await freePort()];
  const uris = ports.map((p) => `tcp://127.0.0.1:${p}/amps/json`);
  const sandboxes: SoakSandbox[] = ports.map((p) => startSoakSandbox(p, journal));
  const all: SoakSandbox[] = [...sandboxes];
  // The reconnect delay is a bench choice: 10 ms before a repeat attempt on a URI (the first
  // pass through the list in an outage is immediate), so the clients find the new server
  // within about one poll of the standbys.
  const haOptions = (): ConstructorParameters<typeof HAClient>[1] => ({
    serverChooser: new DefaultServerChooser(uris),
    delayStrategy: new FixedDelayStrategy(RECONNECT_DELAY_MS, 120_000),
    timeoutMs: 5000,
  });
  const publisher = new HAClient(`soak-pub-${process.pid}`, {
    ...haOptions(),
    publishStore: new MemoryPublishStore(),
  });
  const subscriber = new HAClient(`soak-sub-${process.pid}`, haOptions());
  const tally = new Tally();
  const stream = new TickStream(publisher, opts.rate, opts.storeCap);
  try {
    await firstOf(
      sandboxes.map((s) => s.serving),
      60_000,
      'the first sandbox to serve',
    );
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
        tally.add(parseSeq(m.text));
        if (dropped && firstAfter) {
          firstAfter(performance.now() - killedAt);
          firstAfter = undefined;
        }
      },
    });
    stream.start();
    const started = performance.now();
    const times: number[] = [];
    const takeovers: number[] = [];
    const recoveries: number[] = [];
    const noticed: number[] = [];
    for (let round = 0; round < opts.failovers && performance.now() - started < opts.budgetMs; round++) {
      await sleep(opts.cycleMs);
      const current = sandboxes.find((s) => s.isServing);
      if (!current) throw new Error(`failover ${round + 1}: no sandbox is serving`);
      const others = sandboxes.filter((s) => s !== current);
      // Both standbys follow the journal before the kill: the killed server's replacement reads
      // the whole journal as it starts, and that must not compete with the failover measured.
      // The stream pauses while the bench waits for it (reported apart from the stream's time).
      if (!others.every((s) => s.isReady)) {
        stream.pause();
        await firstOf(
          [Promise.all(others.map((s) => s.standingBy))],
          300_000,
          `failover ${round + 1}: the standbys`,
        );
        stream.resume();
        await sleep(opts.cycleMs);
      }
      dropped = false;
      const first = new Promise<number>((resolve) => (firstAfter = resolve));
      killedAt = performance.now();
      const killedEpoch = Date.now();
      await current.kill();
      const took = await firstOf(
        others.map((s) => s.serving),
        60_000,
        `failover ${round + 1}: a standby taking over`,
      );
      takeovers.push(took.at - killedAt);
      noticed.push(took.noticedAt - killedEpoch);
      recoveries.push(took.takeoverMs);
      times.push(await firstOf([first], 60_000, `failover ${round + 1}: a message from the next server`));
      killedAt = 0;
      // The killed server comes back as a standby once the failover is over, so that starting
      // a Node process does not compete with the failover being measured.
      const replacement = startSoakSandbox(current.port, journal);
      sandboxes[sandboxes.indexOf(current)] = replacement;
      all.push(replacement);
      if ((round + 1) % 10 === 0)
        opts.progress?.(
          `  failover ${round + 1}/${opts.failovers}: ${stream.published} published in ${stream.seconds.toFixed(1)} s ` +
            `of streaming, ${tally.delivered} delivered, ` +
            `last ${times[times.length - 1]?.toFixed(0) ?? '?'} ms`,
        );
    }
    const streamSeconds = stream.stop();
    const pausedSeconds = stream.pausedMs / 1000;
    const published = stream.published;
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
      noticed,
      streamSeconds,
      blockedSeconds: stream.blockedMs / 1000,
      pausedSeconds,
    };
  } finally {
    stream.stop();
    await subscriber.close().catch(() => undefined);
    await publisher.close().catch(() => undefined);
    for (const s of all) await s.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}
