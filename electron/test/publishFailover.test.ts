/**
 * A bulk publish through a connection with a publish store survives a failover in the middle:
 * every line arrives exactly once (the store replays what was not yet persisted; the server
 * drops what it already had by its sequence).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Client } from '../../client/src/client.js';
import type { Profile } from '../../common/src/dto/profiles.js';
import type { PublishProgress } from '../../common/src/dto/publish.js';
import { createSandboxServer, silentLogger } from '../../sandbox/src/index.js';
import { memoryLogger } from '../main/platform/logger.js';
import { clientConnectionFactory } from '../main/services/clientFactory.js';
import { ConnectionService } from '../main/services/connections.js';
import { PublishJobs } from '../main/services/publish/publishJobs.js';

const OWNER = 'window:1';
const LINES = 20_000;
const cleanups: Array<() => Promise<unknown>> = [];

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const until = async (check: () => boolean, what: string, ms = 20_000): Promise<void> => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('a bulk publish through a publish store', () => {
  it('loses nothing and duplicates nothing across a failover in the middle', async () => {
    const server = await createSandboxServer({ port: 0, wsPort: null, adminPort: null, logger: silentLogger });
    cleanups.push(() => server.close());
    const uri = `tcp://127.0.0.1:${server.ports.tcp}/amps/json`;
    const profile: Profile = {
      id: 'p',
      name: 'sandbox',
      servers: [uri, uri],
      hasPassword: false,
      tls: { verify: true },
      ha: { delay: { kind: 'fixed', delayMs: 50 }, resubscribe: true },
      bookmarkStore: { kind: 'none' },
      publishStore: { kind: 'memory' },
      production: false,
      builtIn: false,
      messageType: 'json',
    };
    const connections = new ConnectionService({
      factory: clientConnectionFactory,
      logger: memoryLogger(),
      logonTimeoutMs: 2000,
      profiles: { resolve: async () => ({ profile }) },
      emitStatus: () => undefined,
    });
    cleanups.push(() => connections.shutdown());
    const { connectionId } = await connections.open({ profileId: 'p' }, OWNER);

    const watcher = new Client(`watcher-${Math.random().toString(36).slice(2, 8)}`);
    await watcher.connect(uri);
    await watcher.logon({ timeoutMs: 2000 });
    cleanups.push(() => watcher.disconnect());
    const ids: number[] = [];
    const stream = await watcher.subscribe('bulk');
    void (async () => {
      for await (const m of stream) ids.push((JSON.parse(m.text) as { id: number }).id);
    })().catch(() => undefined);

    let failedOver = false;
    const progress: PublishProgress[] = [];
    const jobs = new PublishJobs({
      connections,
      progressEveryMs: 5,
      deliverProgress: (_o, p) => {
        progress.push(p);
        if (!failedOver && p.sent >= LINES / 4) {
          failedOver = true;
          connections.simulateFailover(connectionId, OWNER);
        }
      },
    });
    cleanups.push(() => jobs.shutdown());
    const dir = await mkdtemp(join(tmpdir(), 'amps-bulk-fo-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const path = join(dir, 'in.ndjson');
    await writeFile(path, Array.from({ length: LINES }, (_, i) => JSON.stringify({ id: i + 1 })).join('\n'));

    const { jobId } = jobs.bulkFile({ connectionId, topic: 'bulk', path, format: 'ndjson' }, OWNER);
    const last = await jobs.finished(jobId);
    expect(failedOver).toBe(true);
    expect(last).toMatchObject({ sent: LINES, failed: 0, done: true });
    await until(() => ids.length >= LINES, `${LINES} messages`);
    await until(() => connections.client(connectionId, OWNER).unpersisted(0).count === 0, 'the store emptied');
    // A last marker through the same server: anything replayed twice would have come before it.
    await connections.client(connectionId, OWNER).publish('bulk', '{"id":0}', { ack: 'processed' });
    await until(() => ids.includes(0), 'the marker');
    const received = ids.filter((id) => id !== 0);
    expect(received.length).toBe(LINES);
    expect(new Set(received).size).toBe(LINES);
    expect(received).toEqual(Array.from({ length: LINES }, (_, i) => i + 1));
  });
});
