/**
 * Message export benchmark (`npm run bench -- export`): what main's message files cost.
 * 1. The tap: every message a subscription receives is held (a copy of its payload in a
 *    bounded ring) for export; ns per message of SubscriptionFiles.received, beside the
 *    baseline of the same loop with no tap.
 * 2. Exports of 10,000 and 100,000 held messages (200-byte JSON payloads) as NDJSON and CSV:
 *    time, MB/s and the longest stall of main's event loop while the export runs, beside the
 *    baseline of writing the same NDJSON as one string built and written at once (what a
 *    naive export does: its stall is the whole job).
 * 3. A recording of 100,000 messages tapped as fast as the loop can: its time and stall.
 * The last line is one JSON object with the figures.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import { ExportFile } from '../electron/main/services/exportFiles.js';
import { MessageHistory } from '../electron/main/services/messageFiles/messageHistory.js';
import type { HeldMessage } from '../electron/main/services/messageFiles/messageHistory.js';
import { messageLine, writeMessages } from '../electron/main/services/messageFiles/messageWriter.js';
import { Recorder } from '../electron/main/services/messageFiles/recorder.js';
import { SubscriptionFiles } from '../electron/main/services/messageFiles/subscriptionFiles.js';
import type { AmpsMessageLike } from '../electron/main/services/ampsAdapter.js';

const enc = new TextEncoder();
const message = (i: number): AmpsMessageLike => ({
  header: { command: 'publish', topic: 'orders', sowKey: String(i), bookmark: `1|${i}|` },
  payload: enc.encode(
    JSON.stringify({
      id: i,
      sym: 'IBM',
      qty: i % 1000,
      px: 101.25,
      side: 'buy',
      note: 'x'.repeat(120),
    }).slice(0, 200),
  ),
});

/** Runs `job` while a 1 ms timer watches the event loop; the job's ms and the longest gap between ticks. */
async function stalled(job: () => Promise<void>): Promise<{ ms: number; maxStallMs: number }> {
  let last = performance.now();
  let max = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    max = Math.max(max, now - last);
    last = now;
  }, 1);
  await sleep(5);
  last = performance.now();
  max = 0;
  const t0 = performance.now();
  await job();
  const ms = performance.now() - t0;
  // The gap the job's last stretch left, up to the timer's next tick.
  await sleep(3);
  clearInterval(timer);
  return { ms, maxStallMs: max };
}

const round = (n: number, d = 1): number => Math.round(n * 10 ** d) / 10 ** d;

export async function runMessageExportBench(): Promise<string[]> {
  const lines: string[] = [];
  const dir = await mkdtemp(join(tmpdir(), 'amps-export-bench-'));
  try {
    // 1. The tap.
    const N = 500_000;
    const pool = Array.from({ length: 1000 }, (_, i) => message(i));
    const files = new SubscriptionFiles({
      dir,
      emitExportProgress: () => undefined,
      emitRecordingProgress: () => undefined,
    });
    files.started('s1', 'w1', { connectionId: 'c', topic: 'orders', mode: 'subscribe' });
    let sink = 0;
    const base0 = performance.now();
    for (let i = 0; i < N; i++) sink += (pool[i % 1000] as AmpsMessageLike).payload.byteLength;
    const baseNs = ((performance.now() - base0) * 1e6) / N;
    const tap0 = performance.now();
    for (let i = 0; i < N; i++) files.received('s1', pool[i % 1000] as AmpsMessageLike, i);
    const tapNs = ((performance.now() - tap0) * 1e6) / N;
    lines.push(
      `tap: ${round(tapNs)} ns/message held (baseline loop ${round(baseNs)} ns; ${sink > 0 ? 'ok' : ''})`,
    );

    // 2. Exports.
    const exports: Record<string, { ms: number; mbPerSec: number; maxStallMs: number; bytes: number }> = {};
    const warm = new MessageHistory(1000);
    for (let i = 1; i <= 1000; i++) warm.add(i, message(i), i);
    for (const format of ['ndjson', 'csv'] as const) {
      const file = await ExportFile.create(dir, 'warm', format, Date.now());
      await writeMessages({ file, format, messages: warm.all() });
      await file.close();
    }
    for (const count of [10_000, 100_000]) {
      const history = new MessageHistory(count, 1024 * 1024 * 1024);
      for (let i = 1; i <= count; i++) history.add(i, message(i), 1_700_000_000_000 + i);
      const held: HeldMessage[] = history.all();
      // Baseline: one string, one write.
      const naive = await stalled(async () => {
        const text = held.map((m) => `${messageLine(m.index, m.receivedAt, m.header, m.payload)}\n`).join('');
        await writeFile(join(dir, `naive-${count}.ndjson`), text);
      });
      lines.push(
        `naive one-string NDJSON, ${count}: ${round(naive.ms)} ms, event loop stalled up to ${round(naive.maxStallMs)} ms`,
      );
      for (const format of ['ndjson', 'csv'] as const) {
        let bytes = 0;
        const run = await stalled(async () => {
          const file = await ExportFile.create(dir, `bench-${count}`, format, Date.now());
          await writeMessages({ file, format, messages: held });
          await file.close();
          bytes = file.bytes;
        });
        const key = `${format}${count / 1000}k`;
        exports[key] = {
          ms: round(run.ms),
          mbPerSec: round(bytes / 1e6 / (run.ms / 1000)),
          maxStallMs: round(run.maxStallMs),
          bytes,
        };
        lines.push(
          `export ${format}, ${count}: ${round(run.ms)} ms, ${exports[key].mbPerSec} MB/s, event loop stalled up to ${round(run.maxStallMs)} ms`,
        );
      }
      exports[`naive${count / 1000}k`] = {
        ms: round(naive.ms),
        mbPerSec: 0,
        maxStallMs: round(naive.maxStallMs),
        bytes: 0,
      };
    }

    // 3. A recording: 100,000 messages in bursts of 1,000 per turn of the loop.
    let recorded = 0;
    let recordedLines = 0;
    let recordingPath = '';
    const rec = await stalled(async () => {
      let stopped: () => void = () => undefined;
      const done = new Promise<void>((resolve) => (stopped = resolve));
      const recorder = await Recorder.start({
        dir,
        stem: 'bench',
        subscriptionId: 's1',
        maxMessages: 100_000,
        onProgress: (p) => {
          if (p.stopped === undefined) return;
          recorded = p.messages;
          stopped();
        },
      });
      for (let i = 0; i < 100_000; i += 1000) {
        for (let j = i; j < i + 1000; j++) recorder.add(j + 1, pool[j % 1000] as AmpsMessageLike, j);
        await nextTurn();
      }
      await done;
      recordingPath = recorder.path;
    });
    recordedLines = (await readFile(recordingPath, 'utf8')).split('\n').length - 1;
    lines.push(
      `recording of 100000 messages: ${round(rec.ms)} ms (${round((rec.ms * 1e6) / 100_000)} ns/message), ${recorded} recorded (${recordedLines} lines), event loop stalled up to ${round(rec.maxStallMs)} ms`,
    );

    lines.push(
      JSON.stringify({
        bench: 'export',
        tapNsPerMessage: round(tapNs),
        baselineLoopNsPerMessage: round(baseNs),
        exports,
        recording100k: { ms: round(rec.ms), messages: recorded, maxStallMs: round(rec.maxStallMs) },
      }),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return lines;
}
