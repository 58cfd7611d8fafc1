/**
 * Chart drawing benchmark (`npm run bench -- charts`): why the live charts use uPlot. In
 * Debian's Chromium, a uPlot line chart of N points (time axis, y axis, grid) is redrawn with
 * new data (`setData`, drawn synchronously inside `batch`); the baseline, in the same page and
 * run, strokes the same N points as one bare Canvas2D path with no axes (the least any line
 * chart can do). Medians of 10 redraws after 2 warm-ups, for 2,000 points (a live chart's
 * bounded history) and 10,000. The last line is one JSON object with the figures.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const SIZES = [2_000, 10_000];
const ROUNDS = 12;

/** Runs in the page: medians in ms of uPlot's redraw and of the bare canvas path. */
const MEASURE = `async (sizes, rounds) => {
  const out = {};
  const med = (a) => { const s = a.slice(2).sort((p, q) => p - q); return s[Math.floor(s.length / 2)]; };
  for (const n of sizes) {
    const xs = Array.from({ length: n }, (_, i) => 1.7e9 + i / 100);
    const base = xs.map((_, i) => Math.sin(i / 50) * 100 + ((i * 7919) % 13));
    const host = document.getElementById('plot');
    host.innerHTML = '';
    const u = new uPlot({ width: 1200, height: 300, scales: { x: { time: true } },
      series: [{}, { stroke: '#1f6feb', width: 1.5, points: { show: false } }] }, [xs, base], host);
    const ctx = document.getElementById('bare').getContext('2d');
    const plot = [], bare = [];
    for (let r = 0; r < rounds; r++) {
      const ys = base.map((v) => v + r);
      let t = performance.now();
      u.batch(() => u.setData([xs, ys]));
      plot.push(performance.now() - t);
      t = performance.now();
      ctx.clearRect(0, 0, 1200, 300);
      ctx.beginPath();
      const x0 = xs[0], dx = xs[n - 1] - x0;
      for (let i = 0; i < n; i++) {
        const x = ((xs[i] - x0) / dx) * 1200, y = 150 - ys[i];
        if (i === 0) ctx.moveTo(x, y); else ctx.lineTo(x, y);
      }
      ctx.stroke();
      ctx.getImageData(0, 0, 1, 1);
      bare.push(performance.now() - t);
    }
    u.destroy();
    out[n] = { uplotMs: med(plot), bareCanvasMs: med(bare) };
  }
  return out;
}`;

export async function runChartsBench(): Promise<string[]> {
  const require = createRequire(import.meta.url);
  const script = readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8');
  const css = readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8');
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--disable-gpu', '--no-first-run'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.setContent(
      `<html><head><style>${css}</style></head><body><div id="plot"></div><canvas id="bare" width="1200" height="300"></canvas></body></html>`,
    );
    await page.addScriptTag({ content: script });
    const measure = await page.evaluateHandle(MEASURE);
    const figures = (await measure.evaluate(
      (fn, args) => (fn as (s: number[], r: number) => unknown)(args[0], args[1]),
      [SIZES, ROUNDS] as const,
    )) as Record<string, { uplotMs: number; bareCanvasMs: number }>;
    const lines: string[] = [];
    const json: Record<string, number> = {};
    for (const n of SIZES) {
      const f = figures[String(n)];
      if (f === undefined) continue;
      lines.push(
        `redraw ${n.toLocaleString('en-US')} points: uPlot ${f.uplotMs.toFixed(1)} ms (axes, grid, line) vs a bare canvas path ${f.bareCanvasMs.toFixed(1)} ms (baseline)`,
      );
      json[`uplot${n}Ms`] = Math.round(f.uplotMs * 10) / 10;
      json[`bareCanvas${n}Ms`] = Math.round(f.bareCanvasMs * 10) / 10;
    }
    lines.push(JSON.stringify(json));
    return lines;
  } finally {
    await browser.close();
  }
}
