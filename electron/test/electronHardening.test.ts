import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { utilityLauncher } from '../main/platform/utilityLauncher.js';
import type { UtilityChildLike, UtilityProcessModule } from '../main/platform/utilityLauncher.js';
import { confirmOpenExternal, denyAllPermissions } from '../main/window.js';
import type { PermissionSession, ShowMessageBox } from '../main/window.js';

describe('permission requests', () => {
  it('denies every request and every check, naming the permission', () => {
    let request: Parameters<PermissionSession['setPermissionRequestHandler']>[0] | undefined;
    let check: Parameters<PermissionSession['setPermissionCheckHandler']>[0] | undefined;
    const denied: string[] = [];
    denyAllPermissions(
      { setPermissionRequestHandler: (h) => (request = h), setPermissionCheckHandler: (h) => (check = h) },
      (p) => denied.push(p),
    );
    const answers: boolean[] = [];
    for (const permission of ['media', 'notifications', 'geolocation', 'clipboard-read', 'openExternal']) {
      request?.({}, permission, (granted) => answers.push(granted));
    }
    expect(answers).toEqual([false, false, false, false, false]);
    expect(denied).toEqual(['media', 'notifications', 'geolocation', 'clipboard-read', 'openExternal']);
    expect(check?.({}, 'clipboard-sanitized-write')).toBe(false);
    expect(check?.({}, 'media')).toBe(false);
  });
});

describe('external links', () => {
  const dialog = (response: number) => {
    const shown: Parameters<ShowMessageBox>[0][] = [];
    const showMessageBox: ShowMessageBox = (options) => {
      shown.push(options);
      return Promise.resolve({ response });
    };
    return { shown, showMessageBox };
  };

  it('opens an http(s) link only after the user confirmed, showing the whole URL', async () => {
    const opened: string[] = [];
    const yes = dialog(0);
    const url = 'https://docs.example/amps?q=1#x';
    expect(
      await confirmOpenExternal(url, {
        showMessageBox: yes.showMessageBox,
        openExternal: (u) => void opened.push(u),
      }),
    ).toBe(true);
    expect(yes.shown).toHaveLength(1);
    expect(yes.shown[0]).toMatchObject({ detail: url, cancelId: 1, defaultId: 1 });
    expect(opened).toEqual([url]);

    const no = dialog(1);
    expect(
      await confirmOpenExternal('http://example.com/', {
        showMessageBox: no.showMessageBox,
        openExternal: (u) => void opened.push(u),
      }),
    ).toBe(false);
    expect(opened).toEqual([url]);
  });

  it('never asks about, nor opens, any other scheme', async () => {
    const opened: string[] = [];
    const d = dialog(0);
    for (const url of [
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://share/x',
      'mailto:a@b',
      'app://explorer/x',
    ]) {
      expect(
        await confirmOpenExternal(url, {
          showMessageBox: d.showMessageBox,
          openExternal: (u) => void opened.push(u),
        }),
      ).toBe(false);
    }
    expect(d.shown).toEqual([]);
    expect(opened).toEqual([]);
  });
});

describe('sandbox as an Electron utility process', () => {
  class FakeUtilityChild implements UtilityChildLike {
    readonly stdout = new PassThrough();
    readonly stderr = new PassThrough();
    killed = 0;
    #exit: ((code: number) => void) | undefined;
    constructor(readonly pid: number | undefined) {}
    once(_event: 'exit', listener: (code: number) => void): this {
      this.#exit = listener;
      return this;
    }
    kill(): boolean {
      this.killed += 1;
      this.#exit?.(0);
      return true;
    }
  }

  it('forks the sandbox module with its Node flags, and maps exit and kill', () => {
    const forks: Parameters<UtilityProcessModule['fork']>[] = [];
    const child = new FakeUtilityChild(4242);
    const killedPids: number[] = [];
    const launch = utilityLauncher(
      {
        fork: (...args) => {
          forks.push(args);
          return child;
        },
      },
      (pid) => void killedPids.push(pid),
    );
    const started = launch({
      module: '/app/sandbox/main.ts',
      execArgv: ['--import', 'tsx'],
      args: ['--demo'],
      cwd: '/app',
    });
    expect(forks).toEqual([
      [
        '/app/sandbox/main.ts',
        ['--demo'],
        { stdio: 'pipe', execArgv: ['--import', 'tsx'], cwd: '/app', serviceName: 'AMPS sandbox' },
      ],
    ]);
    expect(started.stdout).toBe(child.stdout);
    const exits: Array<[number | null, string | null]> = [];
    started.once('exit', (code, signal) => exits.push([code, signal]));
    started.kill('SIGTERM');
    expect(child.killed).toBe(1);
    expect(exits).toEqual([[0, null]]);
    started.kill('SIGKILL');
    expect(killedPids).toEqual([4242]);
  });
});

describe('packaging fuses', () => {
  it('turns the runAsNode fuse off (the sandbox no longer needs the binary as plain Node)', async () => {
    const { readFile } = await import('node:fs/promises');
    const yml = await readFile(new URL('../../build/electron-builder.yml', import.meta.url), 'utf8');
    const fuses = /^electronFuses:\n((?: {2}.+\n)+)/m.exec(yml)?.[1] ?? '';
    expect(fuses).toMatch(/^ {2}runAsNode: false$/m);
    expect(fuses).toMatch(/^ {2}enableNodeOptionsEnvironmentVariable: false$/m);
    expect(fuses).toMatch(/^ {2}onlyLoadAppFromAsar: true$/m);
  });
});
