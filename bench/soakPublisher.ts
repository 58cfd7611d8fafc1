/**
 * Soak phase 2: a bulk publisher with a file publish store, SIGKILLed mid-publish and restarted.
 * The publisher is the failover tests' child (`integration/failover/publisherProcess.ts`:
 * `{"id":k}` to `orders` for k = 1..N with no gap, progress kept so a restart carries on); the
 * sandbox runs in this process with `orders` keyed by `/id` and transaction-logged. Lost = ids
 * missing from the SOW; duplicated = publishes the transaction log holds more than once (a
 * keyed SOW would hide a duplicate by overwriting it).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '../client/src/client.js';
import { createSandboxServer, silentLogger } from '../sandbox/src/index.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

/** What phase 2 measured. */
export interface PublisherSoakResult {
  total: number;
  /** Ids the killed publisher had recorded as published when it died. */
  progressAtKill: number;
  lost: number;
  duplicated: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function progressOf(path: string): number {
  if (!existsSync(path)) return 0;
  const text = readFileSync(path, 'utf8');
  let lines = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines++;
  return lines;
}

function startPublisher(
  store: string,
  progress: string,
  total: number,
  uri: string,
): {
  child: ChildProcess;
  done: Promise<{ code: number | null; out: string; err: string }>;
} {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'integration/failover/publisherProcess.ts', store, progress, String(total), '0', uri],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const done = new Promise<{ code: number | null; out: string; err: string }>((resolve) =>
    child.once('exit', (code) => resolve({ code, out, err })),
  );
  return { child, done };
}

/** Runs phase 2: `total` messages, the publisher killed once about a third of the way in. */
export async function soakPublisher(total: number): Promise<PublisherSoakResult> {
  const dir = mkdtempSync(join(tmpdir(), 'amps-soak-publisher-'));
  const server = await createSandboxServer({
    port: 0,
    wsPort: null,
    adminPort: null,
    topics: [{ name: 'orders', keys: ['/id'], txlog: true }],
    logger: silentLogger,
  });
  const uri = `tcp://127.0.0.1:${server.ports.tcp}/amps/json`;
  const store = join(dir, 'publish.store');
  const progress = join(dir, 'progress.txt');
  const children: ChildProcess[] = [];
  const client = new Client(`soak-publisher-check-${process.pid}`);
  try {
    const first = startPublisher(store, progress, total, uri);
    children.push(first.child);
    const deadline = Date.now() + 60_000;
    while (progressOf(progress) < total / 3 && first.child.exitCode === null && Date.now() < deadline)
      await sleep(5);
    if (first.child.exitCode !== null)
      throw new Error(`the publisher ended before the kill: ${(await first.done).err}`);
    first.child.kill('SIGKILL');
    await first.done;
    const progressAtKill = progressOf(progress);
    const second = startPublisher(store, progress, total, uri);
    children.push(second.child);
    const result = await Promise.race([
      second.done,
      sleep(180_000).then(() => ({
        code: -1,
        out: '',
        err: 'the restarted publisher did not finish in 180 s',
      })),
    ]);
    if (result.out.trim() !== `done ${total}`)
      throw new Error(`the restarted publisher failed: ${result.err.trim()}`);

    await client.connect(uri);
    await client.logon();
    const inSow = new Set<number>();
    for await (const m of await client.sow('orders', undefined, { timeoutMs: 60_000 }))
      if (m.command === 'sow') inSow.add((JSON.parse(m.text) as { id: number }).id);
    let lost = 0;
    for (let id = 1; id <= total; id++) if (!inSow.has(id)) lost++;
    const logged = new Map<number, number>();
    let count = 0;
    const replay = await client.bookmarkSubscribe('orders', '0', undefined, { timeoutMs: 60_000 });
    const replayed = server.broker.txlog.entries.length;
    for await (const m of replay) {
      if (m.command !== 'publish') continue;
      const id = (JSON.parse(m.text) as { id: number }).id;
      logged.set(id, (logged.get(id) ?? 0) + 1);
      if (++count >= replayed) break;
    }
    let duplicated = 0;
    for (const n of logged.values()) duplicated += n - 1;
    return { total, progressAtKill, lost, duplicated };
  } finally {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await client.close().catch(() => undefined);
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
