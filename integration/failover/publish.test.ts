import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Client } from '../../client/src/client.js';
import {
  freePort,
  REPO_ROOT,
  seededRandom,
  sleep,
  startSandboxProcess,
  type SandboxProcess,
} from './sandboxProcess.js';

const TOTAL = 600;
const dir = mkdtempSync(join(tmpdir(), 'amps-failover-pub-'));
const servers: SandboxProcess[] = [];
const publishers: ChildProcess[] = [];

afterAll(async () => {
  for (const p of publishers) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
  for (const s of servers) await s.kill();
  rmSync(dir, { recursive: true, force: true });
});

interface Publisher {
  child: ChildProcess;
  done: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

function startPublisher(uris: string[]): Publisher {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'integration/failover/publisherProcess.ts',
      join(dir, 'publish.store'),
      join(dir, 'progress.txt'),
      String(TOTAL),
      '10',
      ...uris,
    ],
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  publishers.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.once('exit', (code) => resolve({ code, stdout, stderr })),
  );
  return { child, done };
}

describe('publisher with a file publish store across server and publisher kills', () => {
  it('gets every message into the SOW exactly once', async () => {
    const seed = Number(process.env.FAILOVER_SEED ?? Date.now() % 1_000_000);
    console.log(`publish failover seed: ${seed} (rerun with FAILOVER_SEED=${seed})`);
    const random = seededRandom(seed);
    const journalDir = join(dir, 'journal');
    const ports = [await freePort(), await freePort()] as const;
    const uris = ports.map((p) => `tcp://127.0.0.1:${p}/amps/json`);
    let server = await startSandboxProcess({ port: ports[0], journalDir });
    servers.push(server);
    let publisher = startPublisher(uris);

    // Alternate: kill the server (restart it or start a standby), kill the publisher and restart it.
    const events = ['server', 'publisher', 'server', 'publisher', 'server', 'publisher', 'server'];
    let publisherKills = 0;
    for (const event of events) {
      await sleep(300 + Math.floor(random() * 500));
      if (event === 'server') {
        await server.kill();
        const port = random() < 0.5 ? server.port : server.port === ports[0] ? ports[1] : ports[0];
        server = await startSandboxProcess({ port, journalDir });
        servers.push(server);
      } else if (publisher.child.exitCode === null) {
        publisher.child.kill('SIGKILL');
        await publisher.done;
        publisherKills++;
        publisher = startPublisher(uris);
      }
    }
    const result = await Promise.race([
      publisher.done,
      sleep(45_000).then(() => ({ code: -1, stdout: '', stderr: 'publisher did not finish in 45 s' })),
    ]);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(`done ${TOTAL}\n`);
    expect(publisherKills).toBe(3);

    const client = new Client(`pub-check-${seed}`);
    try {
      await client.connect(server.uri);
      await client.logon();
      const ids: number[] = [];
      for await (const m of await client.sow('orders', undefined, { timeoutMs: 10_000 }))
        if (m.command === 'sow') ids.push((JSON.parse(m.text) as { id: number }).id);
      expect(ids.length).toBe(TOTAL);
      expect(ids.sort((a, b) => a - b)).toEqual(Array.from({ length: TOTAL }, (_, i) => i + 1));

      // The transaction log holds each publish once: nothing was published twice.
      const logged: number[] = [];
      const replay = await client.bookmarkSubscribe('orders', '0', undefined, { timeoutMs: 10_000 });
      for await (const m of replay) {
        if (m.command === 'publish') logged.push((JSON.parse(m.text) as { id: number }).id);
        if (logged.length >= TOTAL) break;
      }
      await sleep(300);
      expect(logged).toEqual(Array.from({ length: TOTAL }, (_, i) => i + 1));
    } finally {
      await client.close();
    }
  }, 80_000);
});
