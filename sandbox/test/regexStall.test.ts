/**
 * A LIKE pattern that backtracks exponentially must not stall the sandbox (hardening issue,
 * item 2): the server runs in a child process, so a blocked event loop shows as another
 * client's logon going unanswered.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { ackOf, RawClientPool } from './helpers.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const pool = new RawClientPool();
let child: ChildProcess | undefined;

afterEach(() => {
  pool.closeAll();
  child?.kill('SIGKILL');
  child = undefined;
});

/** Starts `sandbox/src/main.ts` on a free port; resolves with that port and its output (both streams). */
function startChild(): Promise<{ port: number; output: () => string }> {
  const proc = spawn(
    process.execPath,
    ['--import', 'tsx', 'sandbox/src/main.ts', '--port', '0', '--ws-port', 'off', '--admin-port', 'off'],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child = proc;
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    proc.stderr?.on('data', (d: Buffer) => {
      err += d.toString();
      out += d.toString();
    });
    proc.once('exit', () => reject(new Error(`the sandbox exited before listening: ${err}`)));
    proc.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening: tcp:\/\/127\.0\.0\.1:(\d+)\//.exec(out);
      if (m) resolve({ port: Number(m[1]), output: () => out });
    });
  });
}

describe('regex filters cannot stall the sandbox', () => {
  for (const [pattern, engine] of [
    ['(a*)*b', 'the linear-time engine'],
    ['(a*)*\\1b', 'the step budget (back-reference)'],
  ] as const) {
    it(`answers another client's logon while ${pattern} is evaluated on a 29-character value (${engine})`, async () => {
      const { port, output } = await startChild();
      const sub = await pool.connect(port, 'sub');
      sub.send({ c: 'subscribe', t: 'stall', cid: 's', a: 'processed', filter: `/v LIKE '${pattern}'` });
      expect((await sub.waitFor(ackOf('s'), 10_000)).fields.status).toBe('success');
      const pub = await pool.connect(port, 'pub');
      const value = 'a'.repeat(29);
      pub.send({ c: 'publish', t: 'stall', cid: 'p', a: 'processed' }, JSON.stringify({ v: value }));
      // Before the fix the server spent 16.7 s in this evaluation; the logon ack below would time out.
      const late = await pool.connect(port);
      const ack = await late.logon('late', {});
      expect(ack.fields.status).toBe('success');
      await pub.waitFor(ackOf('p'), 3000);
      // The filter failed on that value (no match), and still works for values it can decide.
      pub.send({ c: 'publish', t: 'stall', cid: 'p2', a: 'processed' }, JSON.stringify({ v: 'aab' }));
      await sub.waitFor((m) => m.payload === '{"v":"aab"}', 3000);
      expect(sub.received.filter((m) => m.payload.includes(value))).toEqual([]);
      if (pattern.includes('\\')) {
        // The bounded engine gave up on that value: the server says so in its log, once.
        const logged = /failed on a message: regular expression .* needed more than \d+ steps/;
        for (let i = 0; i < 60 && !logged.test(output()); i++) await new Promise((r) => setTimeout(r, 50));
        expect(output()).toMatch(logged);
      }
    }, 30_000);
  }
});
