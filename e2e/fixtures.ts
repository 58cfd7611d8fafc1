/**
 * E2E fixtures: a sandbox on free loopback ports (in this worker's process), the app (browser
 * host child process, or Electron where it exists) with a fresh user-data folder, and a client
 * of our own to seed data. On failure the app's main-process log and the page's console are
 * attached to the report (traces come from the config's `trace: 'retain-on-failure'`).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base, _electron } from '@playwright/test';
import type { Page, TestInfo } from '@playwright/test';
import { Client } from '../client/src/client.js';
import { createSandboxServer, silentLogger } from '../sandbox/src/index.js';
import type { SandboxServer } from '../sandbox/src/index.js';
import { REPO_ROOT, startHost } from './support/hostProcess.js';
import type { HostHandle, RunningHost } from './support/hostProcess.js';

export type { HostHandle } from './support/hostProcess.js';

/** The project that runs the specs against Electron (present only where Electron exists). */
export const ELECTRON_PROJECT = 'electron';

/** A sandbox the test owns. */
export interface SandboxHandle {
  server: SandboxServer;
  /** `tcp://127.0.0.1:PORT/amps/json` */
  tcpUri: string;
}

/** Options a spec may set with `test.use(...)`. */
export interface AppOptions {
  /** Start the app's own local sandbox (host without `--no-sandbox`). Default false. */
  localSandbox: boolean;
  /** Topics the test's sandbox has beside `orders` (e.g. a SOW topic in the transaction log). Default none. */
  extraTopics: readonly SandboxTopic[];
}

/** One topic of the test's sandbox, as its config takes it. */
export interface SandboxTopic {
  name: string;
  keys?: string[];
  txlog?: boolean;
}

/** What every journey may ask for. */
export interface AppFixtures {
  /** A fresh user-data folder, removed after the test. */
  userData: string;
  sandbox: SandboxHandle;
  /** Publishes test data through our client and waits until the sandbox processed it. */
  seed: (topic: string, messages: readonly string[]) => Promise<void>;
  /** The running browser host (browser-host project only; Electron has none). */
  host: HostHandle;
  /** The app's page, loaded and authenticated. */
  app: Page;
  /**
   * Restarts the browser host on the same user-data folder (as a user quits and starts the
   * app again) and opens the page at its new address; resolves with the new host.
   */
  relaunch: () => Promise<HostHandle>;
}

export interface PrivateFixtures {
  /** The browser host, or undefined in the Electron project (nothing is started there). */
  hostProcess: HostHandle | undefined;
  /** The running host, replaced by `relaunch`. */
  hostSlot: { current: RunningHost | undefined; logs: string[][] };
}

const SEED_TIMEOUT_MS = 5_000;

/** Fails early, naming the build step, when the app to test was not built. */
function requireBuilt(files: readonly string[], how: string): void {
  const missing = files.filter((f) => !existsSync(join(REPO_ROOT, f)));
  if (missing.length > 0) throw new Error(`e2e: ${missing.join(', ')} missing; build the app first (${how})`);
}

async function attachOnFailure(testInfo: TestInfo, name: string, lines: readonly string[]): Promise<void> {
  if (testInfo.status === testInfo.expectedStatus) return;
  const body = lines.length === 0 ? '(nothing was written)\n' : lines.join('');
  await testInfo.attach(name, { body, contentType: 'text/plain' });
}

function recordConsole(page: Page, into: string[]): void {
  page.on('console', (m) => into.push(`[${m.type()}] ${m.text()}\n`));
  page.on('pageerror', (e) => into.push(`[pageerror] ${e.message}\n`));
}

export const test = base.extend<AppFixtures & AppOptions & PrivateFixtures>({
  localSandbox: [false, { option: true }],
  extraTopics: [[], { option: true }],

  userData: async ({}, use) => {
    const dir = mkdtempSync(join(tmpdir(), 'amps-explorer-e2e-'));
    try {
      await use(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },

  sandbox: async ({ extraTopics }, use) => {
    const server = await createSandboxServer({
      host: '127.0.0.1',
      port: 0,
      wsPort: null,
      adminPort: null,
      logger: silentLogger,
      topics: [{ name: 'orders', sow: true, keys: ['/id'] }, ...extraTopics.map((t) => ({ ...t }))],
      // Topics under replay. keep a transaction log (bookmark replay journeys).
      txlogPatterns: ['^replay\\.'],
    });
    try {
      await use({ server, tcpUri: `tcp://127.0.0.1:${server.ports.tcp}/amps/json` });
    } finally {
      await server.close();
    }
  },

  seed: async ({ sandbox }, use) => {
    const clients: Client[] = [];
    try {
      await use(async (topic, messages) => {
        const client = new Client(`e2e-seed-${process.pid}-${clients.length}`);
        clients.push(client);
        await client.connect(sandbox.tcpUri);
        await client.logon();
        for (const m of messages) client.publish(topic, m);
        await client.publishFlush(SEED_TIMEOUT_MS);
      });
    } finally {
      await Promise.all(clients.map((c) => c.close()));
    }
  },

  hostSlot: async ({}, use, testInfo) => {
    const slot: PrivateFixtures['hostSlot'] = { current: undefined, logs: [] };
    try {
      await use(slot);
    } finally {
      await slot.current?.stop();
      await attachOnFailure(testInfo, 'main-process.log', slot.logs.flat());
    }
  },

  hostProcess: async ({ userData, localSandbox, hostSlot }, use, testInfo) => {
    if (testInfo.project.name === ELECTRON_PROJECT) {
      await use(undefined);
      return;
    }
    requireBuilt(['out/renderer/index.html'], 'npx vite build');
    const host = await startHost({ userData, localSandbox });
    hostSlot.current = host;
    hostSlot.logs.push(host.handle.log);
    await use(host.handle);
  },

  relaunch: async ({ app, userData, localSandbox, hostSlot, hostProcess }, use) => {
    await use(async () => {
      if (hostProcess === undefined) throw new Error('relaunch exists in the browser-host project only');
      await hostSlot.current?.stop();
      hostSlot.current = undefined;
      const host = await startHost({ userData, localSandbox });
      hostSlot.current = host;
      hostSlot.logs.push(host.handle.log);
      await app.goto(host.handle.url);
      return host.handle;
    });
  },

  host: async ({ hostProcess }, use) => {
    if (hostProcess === undefined)
      throw new Error('the host fixture exists in the browser-host project only');
    await use(hostProcess);
  },

  app: async ({ page, hostProcess, userData }, use, testInfo) => {
    const consoleLines: string[] = [];
    if (hostProcess !== undefined) {
      recordConsole(page, consoleLines);
      await page.goto(hostProcess.url);
      try {
        await use(page);
      } finally {
        await attachOnFailure(testInfo, 'page-console.log', consoleLines);
      }
      return;
    }
    // Electron: the built app (npm run build) with its own user-data folder; the trace is
    // recorded by hand because the config's `trace` option covers only the `page` fixture.
    requireBuilt(['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html'], 'npm run build');
    const mainLog: string[] = [];
    const electronApp = await _electron.launch({
      args: ['.', `--user-data-dir=${userData}`],
      cwd: REPO_ROOT,
    });
    electronApp.process().stdout?.on('data', (c: Buffer) => mainLog.push(c.toString('utf8')));
    electronApp.process().stderr?.on('data', (c: Buffer) => mainLog.push(c.toString('utf8')));
    await electronApp.context().tracing.start({ screenshots: true, snapshots: true });
    try {
      const window = await electronApp.firstWindow();
      recordConsole(window, consoleLines);
      await use(window);
    } finally {
      const failed = testInfo.status !== testInfo.expectedStatus;
      const tracePath = testInfo.outputPath('trace.zip');
      await electronApp.context().tracing.stop(failed ? { path: tracePath } : {});
      if (failed) await testInfo.attach('trace', { path: tracePath, contentType: 'application/zip' });
      await electronApp.close();
      await attachOnFailure(testInfo, 'main-process.log', mainLog);
      await attachOnFailure(testInfo, 'page-console.log', consoleLines);
    }
  },
});

export { expect } from '@playwright/test';
