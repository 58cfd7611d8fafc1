/**
 * Fixtures for the profile and HA journeys, on top of e2e/fixtures.ts: browser hosts the test
 * starts (and restarts) itself on its user-data folder, and a pair of in-process sandboxes for
 * an HA server list, either of which can be stopped and started again on the same port.
 */
import { Client } from '../client/src/client.js';
import { createSandboxServer, silentLogger } from '../sandbox/src/index.js';
import type { SandboxServer } from '../sandbox/src/index.js';
import { test as base } from './fixtures.js';
import { startHost } from './support/hostProcess.js';
import type { RunningHost } from './support/hostProcess.js';

export { expect } from './fixtures.js';

const SEED_TIMEOUT_MS = 5_000;

/** Two sandboxes serving the same topics: server 1 and server 2 of an HA list. */
export interface HaPair {
  /** `tcp://127.0.0.1:PORT/amps/json` of each. */
  uris: [string, string];
  /** Stops sandbox `index` (its clients see the connection drop). */
  stop(index: 0 | 1): Promise<void>;
  /** Starts sandbox `index` again on its port. */
  start(index: 0 | 1): Promise<void>;
  /** Publishes to sandbox `index` through a client of our own and waits until it processed them. */
  seed(index: 0 | 1, topic: string, messages: readonly string[]): Promise<void>;
}

export interface HaFixtures {
  /** Starts a browser host on the test's user-data folder; each one is stopped after the test. */
  launchHost: () => Promise<RunningHost>;
  haPair: HaPair;
}

const sandboxOn = (port: number): Promise<SandboxServer> =>
  createSandboxServer({
    host: '127.0.0.1',
    port,
    wsPort: null,
    adminPort: null,
    logger: silentLogger,
    topics: [{ name: 'orders', sow: true, keys: ['/id'] }],
  });

export const test = base.extend<HaFixtures>({
  launchHost: async ({ userData }, use) => {
    const started: RunningHost[] = [];
    try {
      await use(async () => {
        const host = await startHost({ userData });
        started.push(host);
        return host;
      });
    } finally {
      await Promise.all(started.map((h) => h.stop()));
    }
  },

  haPair: async ({}, use) => {
    const servers: (SandboxServer | undefined)[] = [await sandboxOn(0), await sandboxOn(0)];
    const ports = servers.map((s) => s?.ports.tcp ?? 0) as [number, number];
    const clients: Client[] = [];
    try {
      await use({
        uris: [`tcp://127.0.0.1:${ports[0]}/amps/json`, `tcp://127.0.0.1:${ports[1]}/amps/json`],
        async stop(index) {
          const server = servers[index];
          servers[index] = undefined;
          await server?.close();
        },
        async start(index) {
          if (servers[index] === undefined) servers[index] = await sandboxOn(ports[index]);
        },
        async seed(index, topic, messages) {
          const client = new Client(`e2e-ha-seed-${process.pid}-${clients.length}`);
          clients.push(client);
          await client.connect(`tcp://127.0.0.1:${ports[index]}/amps/json`);
          await client.logon();
          for (const m of messages) client.publish(topic, m);
          await client.publishFlush(SEED_TIMEOUT_MS);
        },
      });
    } finally {
      await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
      await Promise.all(servers.map((s) => s?.close()));
    }
  },
});
