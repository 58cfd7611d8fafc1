import { describe, expect, it } from 'vitest';
import type { ExplorerApi } from '../../common/src/ipc/contract.js';
import { SESSION_KEY, problemText, sessionStore, workspaceStore } from '../src/lib/persistence.js';
import { emptyWorkspace } from '../src/views/workspaceState.js';
import { nextTheme, resolveTheme, themeLabel } from '../src/lib/theme.js';

const memory = (): { items: Map<string, string>; getItem(k: string): string | null; setItem(k: string, v: string): void } => {
  const items = new Map<string, string>();
  return { items, getItem: (k) => items.get(k) ?? null, setItem: (k, v) => void items.set(k, v) };
};

describe('workspace stores', () => {
  it('session storage round-trips and reports text that is not JSON', async () => {
    const storage = memory();
    const store = sessionStore(storage);
    expect(await store.load()).toEqual({ state: undefined });
    const state = { ...emptyWorkspace(), theme: 'dark' as const };
    await store.save(state);
    expect((await store.load()).state).toEqual(state);
    storage.items.set(SESSION_KEY, '{oops');
    const bad = await store.load();
    expect(bad.state).toBeUndefined();
    expect(bad.problem).toMatch(/not JSON/);
  });

  it("uses main's workspace file, inside its { version, data } envelope, when the API has it", async () => {
    let saved: unknown;
    const api = {
      loadWorkspace: () => Promise.resolve({ state: { version: 1, data: { version: 1, tabs: [] } }, problem: 'kept aside as workspace.json.bad' }),
      saveWorkspace: (request: unknown) => {
        saved = request;
        return Promise.resolve();
      },
    } as unknown as ExplorerApi;
    const store = workspaceStore(api, memory(), () => 42);
    expect(store.where).toBe('host');
    expect(await store.load()).toEqual({ state: { version: 1, tabs: [] }, problem: 'kept aside as workspace.json.bad' });
    await store.save(emptyWorkspace());
    expect(saved).toEqual({ state: { version: 1, data: { ...emptyWorkspace(), savedAt: 42 } } });
    expect(workspaceStore({} as ExplorerApi, memory()).where).toBe('session');
  });

  it("keeps a copy in the session's storage at once; on load the newer copy wins", async () => {
    let hostData: unknown = { version: 1, tabs: [], theme: 'light', savedAt: 10 };
    let release: (() => void) | undefined;
    const api = {
      loadWorkspace: () => Promise.resolve({ state: { version: 1, data: hostData } }),
      saveWorkspace: (request: { state: { data: unknown } }) =>
        new Promise<void>((resolve) => {
          // The page reloads before main has written it.
          release = () => {
            hostData = request.state.data;
            resolve();
          };
        }),
    } as unknown as ExplorerApi;
    const storage = memory();
    const store = workspaceStore(api, storage, () => 20);
    const saving = store.save({ ...emptyWorkspace(), theme: 'dark' });
    const afterReload = workspaceStore(api, storage, () => 30);
    expect((await afterReload.load()).state).toMatchObject({ theme: 'dark', savedAt: 20 });
    release?.();
    await saving;
    // A restart (new origin: no session copy) reads main's file.
    expect((await workspaceStore(api, memory()).load()).state).toMatchObject({ theme: 'dark', savedAt: 20 });
  });

  it('turns problems of any shape into text', () => {
    expect(problemText(undefined)).toBeUndefined();
    expect(problemText('x')).toBe('x');
    expect(problemText({ message: 'bad', backupFile: '/tmp/w.bad' })).toBe('bad (the file was kept as /tmp/w.bad)');
  });
});

describe('theme', () => {
  it('resolves system by the preference, cycles system → light → dark', () => {
    expect(resolveTheme('system', true)).toBe('dark');
    expect(resolveTheme('system', false)).toBe('light');
    expect(resolveTheme('light', true)).toBe('light');
    expect(nextTheme('system')).toBe('light');
    expect(nextTheme('light')).toBe('dark');
    expect(nextTheme('dark')).toBe('system');
    expect(themeLabel('system', 'dark')).toBe('System theme (dark)');
  });
});
