import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../client/src/client.js';
import { startSandbox, type SandboxFixture } from './sandboxFixture.js';

const RECORDS = 5000;
let sandbox: SandboxFixture;

beforeAll(async () => {
  sandbox = await startSandbox({ topics: [{ name: 'orders', sow: true, keys: ['/id'] }] });
  const client = new Client('pipe-test-publisher');
  await client.connect(sandbox.tcpUri);
  await client.logon();
  const padding = 'x'.repeat(200);
  for (let id = 0; id < RECORDS; id++) client.publish('orders', `{"id":${id},"note":"${padding}"}`);
  await client.publishFlush(10_000);
  await client.close();
});
afterAll(() => sandbox.close());

/**
 * Runs spark with its standard output read by something that stops after the first line and
 * closes the pipe, as `spark sow ... | head -1` does.
 */
function runIntoHead(args: string[]): Promise<{ code: number | null; signal: string | null; first: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'client/cli/spark.ts', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let first = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      if (first !== '') return;
      first = d.toString().split('\n')[0] ?? '';
      child.stdout.destroy();
    });
    child.on('close', (code, signal) => resolve({ code, signal, first, stderr }));
  });
}

describe('spark whose output closes early', () => {
  it('sow | head -1 ends quietly with exit 0, no stack trace', async () => {
    const run = await runIntoHead(['sow', '-uri', sandbox.tcpUri, '-topic', 'orders']);
    expect(JSON.parse(run.first)).toMatchObject({ id: expect.any(Number) });
    expect(run.stderr).not.toMatch(/EPIPE|Error|\n\s+at /);
    expect(run.signal).toBeNull();
    expect(run.code).toBe(0);
  });

  it('sow -format json | head -1 too', async () => {
    const run = await runIntoHead(['sow', '-uri', sandbox.tcpUri, '-topic', 'orders', '-format', 'json']);
    expect(JSON.parse(run.first)).toMatchObject({ command: 'sow', topic: 'orders' });
    expect(run.stderr).not.toMatch(/EPIPE|Error|\n\s+at /);
    expect(run.code).toBe(0);
  });
});
