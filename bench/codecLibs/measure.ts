/** Timing and bundle-size helpers of the codecs benchmark. */
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

/** Keeps results alive so the work being timed cannot be optimized away. */
export let sink: unknown;

/**
 * Operations per second of each named job, measured in interleaved rounds (job A, job B, ...,
 * then again) so a slow spell of the shared machine hits every job alike; best round each.
 * Keys of the result are the job names with `PerSec` appended.
 */
export function ratesPerSec(
  jobs: Record<string, () => unknown>,
  roundMs = 120,
  rounds = 5,
): Record<string, number> {
  const best: Record<string, number> = {};
  for (const [name, fn] of Object.entries(jobs)) {
    for (let i = 0; i < 200; i++) sink = fn();
    best[name] = 0;
  }
  for (let r = 0; r < rounds; r++) {
    for (const [name, fn] of Object.entries(jobs)) {
      let ops = 0;
      const start = performance.now();
      let elapsed = 0;
      do {
        for (let i = 0; i < 50; i++) sink = fn();
        ops += 50;
        elapsed = performance.now() - start;
      } while (elapsed < roundMs);
      best[name] = Math.max(best[name] ?? 0, (ops / elapsed) * 1000);
    }
  }
  const out: Record<string, number> = {};
  for (const [name, rate] of Object.entries(best)) out[`${name}PerSec`] = Math.round(rate);
  return out;
}

/** Minified and gzipped sizes of an esbuild bundle of `source` (an ES module, resolved from `dir`). */
export async function bundleBytes(
  source: string,
  dir: string,
  external: string[] = [],
): Promise<{ minBytes: number; gzipBytes: number }> {
  const out = await build({
    stdin: { contents: source, resolveDir: dir, loader: 'ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    external,
    logLevel: 'silent',
  });
  const bytes = out.outputFiles[0]?.contents ?? new Uint8Array(0);
  return { minBytes: bytes.length, gzipBytes: gzipSync(bytes, { level: 9 }).length };
}
