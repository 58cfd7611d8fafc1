/**
 * Where the workspace is kept. Main's workspace file (`loadWorkspace` / `saveWorkspace` of the
 * contract) survives a host restart and a reload; where the contract has no such members the
 * page's sessionStorage keeps it across a reload only, and the UI says so.
 */
import type { ExplorerApi } from '../../../common/src/ipc/contract.js';
import type { WorkspaceStore } from '../views/workspaceModel.js';
import type { WorkspaceState } from '../views/workspaceState.js';

/** The sessionStorage key of the workspace. */
export const SESSION_KEY = 'amps-explorer.workspace';

/** Main's envelope around the renderer's workspace (`common/src/dto/workspace.ts`). */
interface Envelope {
  version: 1;
  data: WorkspaceState;
}

/** The workspace members main offers (optional until the contract has them). */
interface WorkspaceMembers {
  loadWorkspace(): Promise<{ state: unknown; problem?: unknown }>;
  saveWorkspace(request: { state: Envelope }): Promise<unknown>;
}

/** The renderer's workspace inside main's envelope (`{ version: 1, data }`), or undefined. */
export function unwrapEnvelope(state: unknown): unknown {
  if (typeof state !== 'object' || state === null) return undefined;
  const data = (state as { data?: unknown }).data;
  return data === undefined ? state : data;
}

/** The bits of `Storage` used here. */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

const hasWorkspaceMembers = (api: object): api is WorkspaceMembers =>
  typeof (api as Partial<WorkspaceMembers>).loadWorkspace === 'function' &&
  typeof (api as Partial<WorkspaceMembers>).saveWorkspace === 'function';

/** A problem as main reports it (a string or an object with a message), as text. */
export function problemText(problem: unknown): string | undefined {
  if (problem === undefined || problem === null) return undefined;
  if (typeof problem === 'string') return problem;
  if (typeof problem === 'object' && typeof (problem as { message?: unknown }).message === 'string') {
    const p = problem as { message: string; backupFile?: unknown };
    return typeof p.backupFile === 'string' ? `${p.message} (the file was kept as ${p.backupFile})` : p.message;
  }
  return JSON.stringify(problem);
}

/** The page's session storage as a store (a reload keeps the workspace; a restart does not). */
export function sessionStore(storage: StorageLike): WorkspaceStore {
  return {
    where: 'session',
    load: () => {
      const text = storage.getItem(SESSION_KEY);
      if (text === null) return Promise.resolve({ state: undefined });
      try {
        return Promise.resolve({ state: JSON.parse(text) as unknown });
      } catch (error) {
        return Promise.resolve({
          state: undefined,
          problem: `the saved workspace is not JSON (${error instanceof Error ? error.message : String(error)})`,
        });
      }
    },
    save: (state: WorkspaceState) => {
      storage.setItem(SESSION_KEY, JSON.stringify(state));
      return Promise.resolve();
    },
  };
}

/** When a saved state was written (ms since the epoch), or 0. */
const savedAtOf = (state: unknown): number => {
  const at = typeof state === 'object' && state !== null ? (state as { savedAt?: unknown }).savedAt : undefined;
  return typeof at === 'number' && Number.isFinite(at) ? at : 0;
};

/**
 * Main's workspace file when the API offers it, else the session's storage. With main's file,
 * every save is also written to the session's storage at once (synchronously), so a reload
 * that cuts an unfinished save short still finds the latest state: on load the newer of the
 * two copies wins (`savedAt`).
 */
export function workspaceStore(api: ExplorerApi, storage: StorageLike, now: () => number = Date.now): WorkspaceStore {
  const session = sessionStore(storage);
  if (!hasWorkspaceMembers(api)) return session;
  const members: WorkspaceMembers = api;
  return {
    where: 'host',
    load: async () => {
      const [{ state, problem }, kept] = await Promise.all([members.loadWorkspace(), session.load()]);
      const text = problemText(problem);
      const host = unwrapEnvelope(state);
      const data = kept.state !== undefined && savedAtOf(kept.state) > savedAtOf(host) ? kept.state : host;
      return text === undefined ? { state: data } : { state: data, problem: text };
    },
    save: async (state) => {
      const stamped = { ...state, savedAt: now() };
      await session.save(stamped);
      await members.saveWorkspace({ state: { version: 1, data: stamped } });
    },
  };
}
