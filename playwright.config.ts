import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { defineConfig } from '@playwright/test';
import type { Project } from '@playwright/test';

/**
 * E2E: the real UI against the sandbox. Here in browser host mode, in Debian's Chromium (no
 * browser download); also against Electron wherever its binary exists. Where it does not, the
 * Electron project is left out and the run says so: those journeys are "not run", never "passed".
 */
const require = createRequire(import.meta.url);
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
/**
 * Journeys about browser host mode itself (its token guard, npm start falling back to it), and
 * those that restart the browser host (the `relaunch` fixture exists there only).
 */
const BROWSER_HOST_ONLY = /(host-token|npm-start|workspace-(theme|reload|restart))\.spec\.ts$/;
/**
 * `npm start` rebuilds out/ (the renderer every other journey loads): it runs alone, after the
 * others. Every other journey has its own host, sandbox, user-data folder and free ports, so
 * they run in parallel.
 */
const REBUILDS_APP = /npm-start\.spec\.ts$/;
/** Parallel workers: E2E_WORKERS, else half the cores (at least 2: hosts mostly wait), at most 4. */
const WORKERS = Number(process.env['E2E_WORKERS'] ?? Math.min(4, Math.max(2, Math.floor(availableParallelism() / 2))));

/** The Electron binary's path, or why there is none (the `electron` package throws then). */
function electronBinary(): { path: string } | { missing: string } {
  try {
    const path: unknown = require('electron');
    if (typeof path === 'string' && existsSync(path)) return { path };
    return { missing: `require('electron') gave ${String(path)}` };
  } catch (error) {
    return { missing: error instanceof Error ? error.message : String(error) };
  }
}

if (!existsSync(CHROMIUM)) {
  throw new Error(`e2e: no Chromium at ${CHROMIUM}; install Debian's chromium (apt-get install chromium)`);
}

const npmStart: Project = { name: 'npm-start', testMatch: REBUILDS_APP, dependencies: ['browser-host'] };
const projects: Project[] = [{ name: 'browser-host', testIgnore: REBUILDS_APP }, npmStart];
const electron = electronBinary();
if ('path' in electron) {
  projects.push({ name: 'electron', testIgnore: BROWSER_HOST_ONLY });
  // npm start rebuilds out/, which the Electron journeys load too.
  npmStart.dependencies = ['browser-host', 'electron'];
} else if (process.env['TEST_WORKER_INDEX'] === undefined) {
  // Said once, by the runner (workers load this file too).
  process.stdout.write(
    `e2e: NOT RUN: the electron project (no Electron binary here: ${electron.missing.split('\n')[0]}).\n`,
  );
}

export default defineConfig({
  testDir: 'e2e/specs',
  outputDir: 'test-results/e2e',
  fullyParallel: true,
  forbidOnly: true,
  workers: WORKERS,
  retries: 0,
  timeout: 30_000,
  // A bound, not the target: CI must stay well under 30 minutes as journeys are added (the
  // run takes a few minutes on an idle 2-core machine).
  globalTimeout: 15 * 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  use: {
    // Every project uses Debian's Chromium for its `page`; Playwright never downloads one.
    browserName: 'chromium',
    launchOptions: {
      executablePath: CHROMIUM,
      // Chromium must not reach for Google's hosts on a closed network.
      args: [
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
    actionTimeout: 10_000,
    navigationTimeout: 15_000,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects,
});
