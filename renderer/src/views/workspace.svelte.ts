import type { ExplorerApi } from '../../../common/src/ipc/contract.js';
import { Live } from '../lib/live.svelte.js';
import { workspaceStore } from '../lib/persistence.js';
import type { StorageLike } from '../lib/persistence.js';
import { sweepSubscriptions } from './reattach.js';
import { sweepViewsAndJobs } from './sweepViews.js';
import { WorkspaceModel } from './workspaceModel.js';
import type { OpenTabRequest, WorkspaceSnapshot } from './workspaceModel.js';
import type { JsonObject, PaneSizes, TabConnection, TabState, ThemeChoice } from './workspaceState.js';

const browserTimers = {
  setTimeout: (callback: () => void, ms: number): unknown => setTimeout(callback, ms),
  clearTimeout: (handle: unknown): void => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** An in-memory storage for when the page has none (sandboxed frames). */
function memoryStorage(): StorageLike {
  const items: Record<string, string> = {};
  return {
    getItem: (k) => (Object.hasOwn(items, k) ? (items[k] ?? null) : null),
    setItem: (k, v) => {
      items[k] = v;
    },
  };
}

function pageStorage(): StorageLike {
  try {
    return window.sessionStorage;
  } catch {
    return memoryStorage();
  }
}

/**
 * The workspace for Svelte: the {@link WorkspaceModel} (tabs, order, active tab, pane sizes,
 * theme; saved through main's workspace file, or the session's storage before main has one)
 * mirrored reactively, plus the start-up sequence: restore the saved workspace, then end every
 * subscription still running in main that no restored tab claims.
 */
export class WorkspaceController {
  readonly model: WorkspaceModel;
  /** Where the workspace is kept: `host` survives restarts, `session` only reloads. */
  readonly where: 'host' | 'session';
  readonly #api: ExplorerApi;
  readonly #live: Live<WorkspaceSnapshot>;
  /** Restored and swept: views may mount and re-attach now. */
  ready = $state(false);
  /** A tab whose first field should take the focus once its view is drawn (a new tab). */
  focusRequest: string | undefined = $state();

  constructor(api: ExplorerApi, storage: StorageLike = pageStorage()) {
    this.#api = api;
    const store = workspaceStore(api, storage);
    this.where = store.where;
    this.model = new WorkspaceModel(store, browserTimers);
    this.#live = new Live(this.model);
  }

  /** The snapshot (reactive). */
  get state(): WorkspaceSnapshot {
    return this.#live.current;
  }

  get activeTab(): TabState | undefined {
    const s = this.state;
    return s.tabs.find((t) => t.id === s.activeTabId);
  }

  /** Restores the saved workspace and ends orphan subscriptions, SOW views and jobs; sets {@link ready}. */
  async start(): Promise<void> {
    await this.model.load();
    const problems = [
      ...(await sweepSubscriptions(this.#api, this.model.tabs)),
      ...(await sweepViewsAndJobs(this.#api, this.model.tabs)),
    ];
    for (const p of problems) this.model.report(p);
    this.ready = true;
  }

  open(request: OpenTabRequest): string | undefined {
    return this.model.open(request);
  }

  close(id: string): void {
    this.model.close(id);
  }

  closeOthers(id: string): void {
    this.model.closeOthers(id);
  }

  activate(id: string): void {
    this.model.activate(id);
  }

  cycle(step: 1 | -1): void {
    this.model.cycle(step);
  }

  moveBy(id: string, delta: number): void {
    this.model.moveBy(id, delta);
  }

  move(id: string, toIndex: number): void {
    this.model.move(id, toIndex);
  }

  updateSettings(id: string, patch: JsonObject): void {
    this.model.updateSettings(id, patch);
  }

  setTitle(id: string, title: string): void {
    this.model.setTitle(id, title);
  }

  setConnection(id: string, connection: TabConnection | undefined): void {
    this.model.setConnection(id, connection);
  }

  rebind(oldConnectionId: string, connection: TabConnection): number {
    return this.model.rebind(oldConnectionId, connection);
  }

  adoptProfileConnections(live: readonly TabConnection[]): number {
    return this.model.adoptProfileConnections(live);
  }

  setPanes(which: keyof PaneSizes, sizes: number[]): void {
    this.model.setPanes(which, sizes);
  }

  setTheme(theme: ThemeChoice): void {
    this.model.setTheme(theme);
  }

  selectConnection(connectionId: string | undefined): void {
    this.model.selectConnection(connectionId);
  }

  /** Saves a pending change now (the page is being hidden or unloaded). */
  flush(): Promise<void> {
    return this.model.flush();
  }

  dispose(): void {
    this.#live.dispose();
    this.model.dispose();
  }
}
