/**
 * `npm run bench -- soak`: the hardening soak (issue 14).
 * 1. forced failovers of a bookmark subscription under a steady stream (soakFailover.ts);
 * 2. a bulk publisher with a file publish store SIGKILLed mid-publish and restarted (soakPublisher.ts);
 * 3. a client's round trip on a sandbox under 8 fuzzing connections beside the same client on
 *    the idle sandbox (soakLatency.ts).
 * Environment knobs (to shorten a run): SOAK_FAILOVERS (100), SOAK_RATE (10000 msg/s),
 * SOAK_CYCLE_MS (200), SOAK_STORE_CAP (20000), SOAK_FAILOVER_BUDGET_MS (1800000),
 * SOAK_PUBLISH_COUNT (20000), SOAK_IDLE_MS (10000), SOAK_FUZZ_MS (60000), SOAK_SEED.
 * The last line is one JSON object with the figures.
 */
import { cpus, loadavg } from 'node:os';
import { RECONNECT_DELAY_MS, soakFailovers } from './soakFailover.js';
import { soakLatency } from './soakLatency.js';
import { soakPublisher } from './soakPublisher.js';

const knob = (name: string, fallback: number): number => {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isFinite(value) || value < 0)
    throw new Error(`${name} must be a non-negative number, not ${raw}`);
  return value;
};

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return NaN;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

const round1 = (n: number): number => Math.round(n * 10) / 10;

/** Runs the soak; resolves with the lines to print (the last one JSON). */
export async function runSoakBench(): Promise<string[]> {
  const lines: string[] = [];
  const say = (line: string): void => {
    process.stdout.write(`${line}\n`);
  };
  const rate = knob('SOAK_RATE', 10_000);
  // The machine's load is part of the figures: every process here competes for the same cores.
  const loadBefore = loadavg()[0] ?? NaN;
  say(
    `phase 1: forced failovers under a ${rate} msg/s stream (load average ${loadBefore.toFixed(1)} on ${cpus().length} cores)`,
  );
  const f = await soakFailovers({
    failovers: knob('SOAK_FAILOVERS', 100),
    rate,
    cycleMs: knob('SOAK_CYCLE_MS', 200),
    storeCap: knob('SOAK_STORE_CAP', 20_000),
    budgetMs: knob('SOAK_FAILOVER_BUDGET_MS', 1_800_000),
    progress: say,
  });
  const loadAfter = loadavg()[0] ?? NaN;
  lines.push(
    `failovers: ${f.failovers}, published ${f.published} (${Math.round(f.published / f.streamSeconds)} msg/s achieved over ` +
      `${f.streamSeconds.toFixed(1)} s, of which ${f.blockedSeconds.toFixed(1)} s waiting on a full publish store during failovers; ` +
      `paused ${f.pausedSeconds.toFixed(1)} s more while killed servers' replacements read the journal; ` +
      `${Math.round(f.published / Math.max(0.001, f.streamSeconds - f.blockedSeconds))} msg/s while not waiting), ` +
      `delivered ${f.delivered}, lost ${f.lost}, duplicated ${f.duplicated}`,
  );
  lines.push(
    `  kill -> first message from the next server: median ${median(f.times).toFixed(0)} ms, max ${Math.max(...f.times).toFixed(0)} ms; ` +
      `kill -> a standby noticing the writer gone: median ${median(f.noticed).toFixed(0)} ms, max ${Math.max(...f.noticed).toFixed(0)} ms; ` +
      `noticing -> listening (tail read, lock, listen): median ${median(f.recoveries).toFixed(1)} ms, max ${Math.max(...f.recoveries).toFixed(1)} ms; ` +
      `kill -> listening seen by the bench: median ${median(f.takeovers).toFixed(0)} ms; client reconnect delay ${RECONNECT_DELAY_MS} ms; ` +
      `load average ${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after, on ${cpus().length} cores`,
  );
  say('phase 2: bulk publisher with a file publish store, SIGKILLed mid-publish and restarted');
  const p = await soakPublisher(knob('SOAK_PUBLISH_COUNT', 20_000));
  lines.push(
    `publisher: ${p.total} messages, killed after ${p.progressAtKill} recorded as published; in the SOW: lost ${p.lost}, ` +
      `duplicated (transaction log) ${p.duplicated}`,
  );
  const fuzzMs = knob('SOAK_FUZZ_MS', 60_000);
  say(`phase 3: round trips on an idle sandbox, then under 8 fuzzing connections for ${fuzzMs / 1000} s`);
  const l = await soakLatency({
    idleMs: knob('SOAK_IDLE_MS', 10_000),
    fuzzMs,
    connections: 8,
    seed: knob('SOAK_SEED', Date.now() % 1_000_000),
  });
  lines.push(
    `round trip (publish + SOW query): idle p50 ${l.idle.p50.toFixed(2)} ms, p99 ${l.idle.p99.toFixed(2)} ms (${l.idle.count}); ` +
      `fuzzed p50 ${l.fuzzed.p50.toFixed(2)} ms, p99 ${l.fuzzed.p99.toFixed(2)} ms (${l.fuzzed.count}); fuzzer sent ` +
      `${l.fuzzFrames} frames, ${l.fuzzReconnects} reconnects; sandbox ${l.serverAlive ? 'still serving' : 'DIED'}`,
  );
  lines.push(
    JSON.stringify({
      bench: 'soak',
      failovers: f.failovers,
      lost: f.lost,
      duplicated: f.duplicated,
      failoverMedianMs: round1(median(f.times)),
      failoverMaxMs: round1(Math.max(...f.times)),
      noticedMedianMs: round1(median(f.noticed)),
      takeoverMedianMs: round1(median(f.recoveries)),
      takeoverMaxMs: round1(Math.max(...f.recoveries)),
      streamRate: rate,
      loadAverage: round1(loadAfter),
      achievedRate: Math.round(f.published / f.streamSeconds),
      published: f.published,
      blockedSeconds: round1(f.blockedSeconds),
      pausedSeconds: round1(f.pausedSeconds),
      publisherLost: p.lost,
      publisherDuplicated: p.duplicated,
      fuzzedP50Ms: round1(l.fuzzed.p50),
      fuzzedP99Ms: round1(l.fuzzed.p99),
      idleP50Ms: round1(l.idle.p50),
      idleP99Ms: round1(l.idle.p99),
      fuzzFrames: l.fuzzFrames,
      sandboxSurvivedFuzz: l.serverAlive,
    }),
  );
  return lines;
}
