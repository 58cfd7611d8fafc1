/**
 * The README's first command: `npm start` on a machine without an Electron binary builds the app,
 * says why it falls back, serves browser mode with the local sandbox, and a first launch shows
 * live topics in one click.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { AppPage } from '../pages/appPage.js';
import { REPO_ROOT } from '../support/hostProcess.js';

/** Where Electron exists npm start opens it; there the test asks for browser mode explicitly. */
function electronInstalled(): boolean {
  try {
    return typeof createRequire(import.meta.url)('electron') === 'string';
  } catch {
    return false;
  }
}

test('npm start serves browser mode (the fallback without Electron) with the local sandbox live', async ({
  page,
}) => {
  test.setTimeout(150_000);
  const withElectron = electronInstalled();
  const home = mkdtempSync(join(tmpdir(), 'amps-explorer-start-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'build/start.ts'], {
    cwd: REPO_ROOT,
    env: { ...process.env, HOME: home, ...(withElectron ? { AMPS_EXPLORER_MODE: 'browser' } : {}) },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  const url = new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /AMPS Explorer \(browser mode\): (\S+)/.exec(output);
      if (match?.[1]) resolve(match[1]);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`npm start exited (${code}) before serving:\n${output}`)));
  });
  try {
    await page.goto(await Promise.race([url, timeout(120_000, () => output)]));
    expect(output).toMatch(
      withElectron
        ? /Browser mode requested \(AMPS_EXPLORER_MODE=browser\)/
        : /Electron is not available here \(.+\)\.\nStarting browser host mode instead/,
    );

    const ui = new AppPage(page);
    await ui.expectReady();
    await expect(ui.mode).toContainText('browser');
    await expect(ui.connection.sandboxState).toContainText('running', { timeout: 20_000 });
    await ui.connection.sandboxButton.click();
    await ui.connection.expectConnected();
    const sub = await ui.newSubscription();
    await sub.subscribe('market_data', '');
    await expect(sub.rows.first()).toContainText('market_data');
  } finally {
    if (child.pid !== undefined && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      process.kill(-child.pid, 'SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
      if (child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
    }
    rmSync(home, { recursive: true, force: true });
  }
});

function timeout(ms: number, log: () => string): Promise<never> {
  return new Promise((_, reject) =>
    setTimeout(() => reject(new Error(`npm start did not serve within ${ms} ms:\n${log()}`)), ms).unref(),
  );
}
