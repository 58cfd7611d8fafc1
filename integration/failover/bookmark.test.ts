import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FixedDelayStrategy } from '../../client/src/ha/delayStrategy.js';
import { HAClient } from '../../client/src/ha/haClient.js';
import { DefaultServerChooser } from '../../client/src/ha/serverChooser.js';
import { MemoryPublishStore } from '../../client/src/stores/publish/memoryPublishStore.js';
import {
  freePort,
  seededRandom,
  sleep,
  startSandboxProcess,
  waitFor,
  type SandboxProcess,
} from './sandboxProcess.js';

const KILLS = 20;
const dir = mkdtempSync(join(tmpdir(), 'amps-failover-bm-'));
const running: SandboxProcess[] = [];
const clients: HAClient[] = [];

afterAll(async () => {
  for (const c of clients) await c.close().catch(() => undefined);
  for (const s of running) await s.kill();
  rmSync(dir, { recursive: true, force: true });
});

describe('bookmark subscription across 20 primary kills', () => {
  it('delivers exactly the published sequence: no gap, no duplicate', async () => {
    const seed = Number(process.env.FAILOVER_SEED ?? Date.now() % 1_000_000);
    console.log(`bookmark failover seed: ${seed} (rerun with FAILOVER_SEED=${seed})`);
    const random = seededRandom(seed);
    const journalDir = join(dir, 'journal');
    const ports = [await freePort(), await freePort()] as const;
    const uris = ports.map((p) => `tcp://127.0.0.1:${p}/amps/json`);
    let server = await startSandboxProcess({ port: ports[0], journalDir });
    running.push(server);

    const options = () => ({
      serverChooser: new DefaultServerChooser(uris),
      delayStrategy: new FixedDelayStrategy(50, 30_000),
      timeoutMs: 5000,
    });
    const subscriber = new HAClient(`bm-sub-${seed}`, options());
    const publisher = new HAClient(`bm-pub-${seed}`, {
      ...options(),
      publishStore: new MemoryPublishStore(),
    });
    clients.push(subscriber, publisher);
    const trouble: string[] = [];
    subscriber.setExceptionListener((e) => trouble.push(`subscriber: ${String(e)}`));
    publisher.setExceptionListener((e) => trouble.push(`publisher: ${String(e)}`));
    subscriber.addConnectionStateListener((s) => {
      if (s.state === 'closed' || s.state === 'disconnected')
        trouble.push(`subscriber ${s.state}: ${s.error?.message ?? ''}`);
    });
    await subscriber.connectAndLogon();
    await publisher.connectAndLogon();

    const delivered: number[] = [];
    await subscriber.bookmarkSubscribe('ticks', HAClient.Bookmarks.EPOCH, undefined, {
      handler: (m) => delivered.push((JSON.parse(m.text) as { seq: number }).seq),
    });

    let published = 0;
    let publishing = true;
    const publishErrors: unknown[] = [];
    const feeder = (async () => {
      while (publishing) {
        try {
          publisher.publish('ticks', JSON.stringify({ seq: published + 1 }));
          published++;
        } catch (e) {
          publishErrors.push(e);
        }
        await sleep(4);
      }
    })();

    const restarts = { samePort: 0, standby: 0 };
    for (let kill = 0; kill < KILLS; kill++) {
      await sleep(40 + Math.floor(random() * 260));
      await server.kill();
      const standby = random() < 0.5;
      const port = standby ? (server.port === ports[0] ? ports[1] : ports[0]) : server.port;
      if (standby) restarts.standby++;
      else restarts.samePort++;
      if (random() < 0.3) await sleep(Math.floor(random() * 300)); // every server down a while
      server = await startSandboxProcess({ port, journalDir });
      running.push(server);
    }
    await sleep(200);
    publishing = false;
    await feeder;
    await waitFor(() => publisher.getUnpersistedCount() === 0, 20_000, 'every publish to be persisted');
    await waitFor(
      () => delivered.length >= published,
      20_000,
      `${published} deliveries (have ${delivered.length})`,
    );
    await sleep(200); // a duplicate arriving late would show here

    expect(publishErrors).toEqual([]);
    expect(restarts.samePort + restarts.standby).toBe(KILLS);
    expect(published).toBeGreaterThan(KILLS);
    expect(delivered).toEqual(Array.from({ length: published }, (_, i) => i + 1));
  }, 80_000);
});
