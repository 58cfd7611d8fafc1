/**
 * A V8 CPU profile of the page's main thread around one phase of the grid bench
 * (GRID_BENCH_CPU_PROFILE=<update rate>): the functions with the most self time, to see where
 * a phase's frames go. Sampled CPU time, so time the page waited for the CPU is not counted.
 */
import type { CDPSession } from 'playwright-core';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
}

/** Starts sampling; the returned function stops and returns the `top` lines by self time. */
export async function startCpuProfile(cdp: CDPSession): Promise<(top?: number) => Promise<string[]>> {
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
  await cdp.send('Profiler.start');
  return async (top = 20) => {
    const { profile } = (await cdp.send('Profiler.stop')) as unknown as {
      profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };
    };
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const self = new Map<string, number>();
    let total = 0;
    profile.samples.forEach((id, i) => {
      const frame = byId.get(id)?.callFrame;
      const file = frame?.url.split('/').pop() ?? '';
      const name = `${frame?.functionName || '(anonymous)'} ${file}:${frame?.lineNumber ?? 0}`;
      const dt = profile.timeDeltas[i] ?? 0;
      self.set(name, (self.get(name) ?? 0) + dt);
      total += dt;
    });
    return [...self]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(
        ([name, us]) =>
          `    ${(us / 1000).toFixed(0).padStart(6)} ms ${((100 * us) / total).toFixed(1).padStart(5)}%  ${name}`,
      );
  };
}
