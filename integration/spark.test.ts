import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSparkArgs } from '../client/cli/args.js';
import { runSpark } from '../client/cli/run.js';
import { capturedIo as io, type CapturedIo } from './sparkIo.js';
import { startSandbox, type SandboxFixture } from './sandboxFixture.js';

let sandbox: SandboxFixture;

beforeAll(async () => {
  sandbox = await startSandbox({ topics: [{ name: 'orders', sow: true, keys: ['/id'] }] });
});
afterAll(() => sandbox.close());

const spark = (argv: string[], captured: CapturedIo): Promise<number> =>
  runSpark(parseSparkArgs([argv[0] as string, '-uri', sandbox.tcpUri, ...argv.slice(1)]), captured);

describe('spark CLI against the sandbox', () => {
  it('publishes lines, then a sow prints exactly the matching records in order', async () => {
    const pub = io(['{"id":1,"qty":10}', '', '{"id":2,"qty":3}', '{"id":3,"qty":7}']);
    expect(await spark(['publish', '-topic', 'orders'], pub)).toBe(0);
    expect(pub.diagnostics).toContain('published 3 messages to orders');

    const sow = io();
    expect(
      await spark(['sow', '-topic', 'orders', '-filter', '/qty > 5', '-orderby', '/qty DESC'], sow),
    ).toBe(0);
    expect(sow.lines).toEqual(['{"id":1,"qty":10}', '{"id":3,"qty":7}']);
  });

  it('prints headers and parsed data with -format json', async () => {
    const sow = io();
    await spark(['sow', '-topic', 'orders', '-filter', '/id = 2', '-format', 'json'], sow);
    expect(sow.lines).toHaveLength(1);
    const line = JSON.parse(sow.lines[0] as string) as Record<string, unknown>;
    expect(line).toMatchObject({ command: 'sow', topic: 'orders', data: { id: 2, qty: 3 } });
    expect(line['sowKey']).toMatch(/^\d+$/);
  });

  it('subscribes and stops after -count messages', async () => {
    const sub = io();
    const done = spark(['subscribe', '-topic', 'orders', '-filter', '/qty >= 100', '-count', '2'], sub);
    // Publish from a second CLI run until the subscriber has what it waits for.
    for (let i = 0; i < 50 && sub.lines.length < 2; i++) {
      await spark(['publish', '-topic', 'orders'], io([`{"id":${100 + i},"qty":${i % 2 === 0 ? 150 : 1}}`]));
    }
    expect(await done).toBe(0);
    expect(sub.lines.map((l) => (JSON.parse(l) as { qty: number }).qty)).toEqual([150, 150]);
  });

  it('deletes by filter and reports the count', async () => {
    const del = io();
    expect(await spark(['sow_delete', '-topic', 'orders', '-filter', '/qty < 5'], del)).toBe(0);
    expect(del.diagnostics[0]).toMatch(/^deleted \d+ records? from orders$/);
    const sow = io();
    await spark(['sow', '-topic', 'orders', '-filter', '/qty < 5'], sow);
    expect(sow.lines).toEqual([]);
  });

  it('exits 1 with the AMPS error for a bad filter, and 2 for bad usage', async () => {
    const run = (args: string[]): Promise<{ code: number | null; stderr: string }> =>
      new Promise((resolve) => {
        const child = spawn(process.execPath, ['--import', 'tsx', 'client/cli/spark.ts', ...args], {
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stderr = '';
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.on('close', (code) => resolve({ code, stderr }));
      });
    const bad = await run(['sow', '-uri', sandbox.tcpUri, '-topic', 'orders', '-filter', '/qty >']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/BadFilterError/);
    const usage = await run(['sow', '-uri', sandbox.tcpUri]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/sow needs -topic/);
  });
});
