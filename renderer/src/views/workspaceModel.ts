import { Model } from '../lib/model.js';
import { MAX_TABS, emptyWorkspace, parseWorkspace } from './workspaceState.js';
import type {
  JsonObject,
  PaneSizes,
  TabConnection,
  TabState,
  ThemeChoice,
  WorkspaceState,
} from './workspaceState.js';

/** What the workspace shows: the saved state plus what happened while loading it. */
export interface WorkspaceSnapshot extends WorkspaceState {
  /** The saved state has been read (tabs may be restored now). */
  loaded: boolean;
  /** Parts of the saved state that were set aside, and load/save failures, for the user. */
  problems: string[];
}

/** Reads and writes the saved workspace (main's workspace file, or the session's storage). */
export interface WorkspaceStore {
  /** Where it keeps the workspace, for the user: `host` survives a restart, `session` a reload. */
  readonly where: 'host' | 'session';
  load(): Promise<{ state: unknown; problem?: string }>;
  save(state: WorkspaceState): Promise<void>;
}

/** Timers, injectable for tests. */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** What a new tab starts with. */
export interface OpenTabRequest {
  kind: string;
  title?: string;
  connection?: TabConnection;
  settings?: JsonObject;
  /** Make it the active tab (default true). */
  activate?: boolean;
}

/** How long after the last change the workspace is saved. */
export const SAVE_DEBOUNCE_MS = 400;

let counter = 0;
/** A tab id unique in this page and across reloads (time + counter + random). */
export const newTabId = (): string =>
  `t${Date.now().toString(36)}${(counter++).toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;

/**
 * The workspace's logic: the open tabs (each one view bound to one connection), their order,
 * the active tab, pane sizes and the theme; saved (debounced) after every change and restored
 * by {@link load}. No DOM: the controller (`workspace.svelte.ts`) mirrors it for Svelte.
 */
export class WorkspaceModel extends Model<WorkspaceSnapshot> {
  readonly #store: WorkspaceStore;
  readonly #timers: Timers;
  readonly #makeId: () => string;
  #saveTimer: unknown;
  #dirty = false;

  constructor(store: WorkspaceStore, timers: Timers, makeId: () => string = newTabId) {
    super({ ...emptyWorkspace(), loaded: false, problems: [] });
    this.#store = store;
    this.#timers = timers;
    this.#makeId = makeId;
  }

  /** The tabs in order. */
  get tabs(): readonly TabState[] {
    return this.state.tabs;
  }

  /** The active tab, if any. */
  get activeTab(): TabState | undefined {
    return this.state.tabs.find((t) => t.id === this.state.activeTabId);
  }

  /** One tab by id. */
  tab(id: string): TabState | undefined {
    return this.state.tabs.find((t) => t.id === id);
  }

  /** Restores the saved workspace; what could not be used is listed in `problems`. */
  async load(): Promise<void> {
    let saved: { state: unknown; problem?: string };
    try {
      saved = await this.#store.load();
    } catch (error) {
      this.update({ loaded: true, problems: [`Could not read the saved workspace: ${messageText(error)}`] });
      return;
    }
    const { state, problems } = parseWorkspace(saved.state);
    if (saved.problem !== undefined) problems.unshift(saved.problem);
    // Tabs opened while loading (a quick user) are kept after the restored ones.
    const extra = this.state.tabs.filter((t) => !state.tabs.some((s) => s.id === t.id));
    this.update({
      ...state,
      tabs: [...state.tabs, ...extra].slice(0, MAX_TABS),
      activeTabId: extra.at(-1)?.id ?? state.activeTabId,
      loaded: true,
      problems: problems.map((p) => `Saved workspace: ${p}`),
    });
  }

  /** Opens a tab and (by default) activates it; returns its id, or undefined past {@link MAX_TABS}. */
  open(request: OpenTabRequest): string | undefined {
    if (this.state.tabs.length >= MAX_TABS) {
      this.report(`At most ${MAX_TABS} tabs can be open; close one first.`);
      return undefined;
    }
    const tab: TabState = { id: this.#makeId(), kind: request.kind, settings: request.settings ?? {} };
    if (request.title !== undefined) tab.title = request.title;
    if (request.connection !== undefined) tab.connection = request.connection;
    const activeIndex = this.state.tabs.findIndex((t) => t.id === this.state.activeTabId);
    const tabs = [...this.state.tabs];
    // A new tab opens right after the active one, as in editors.
    tabs.splice(activeIndex < 0 ? tabs.length : activeIndex + 1, 0, tab);
    this.#change({ tabs, ...(request.activate === false ? {} : { activeTabId: tab.id }) });
    return tab.id;
  }

  /** Closes a tab; the neighbour on its right (else left) becomes active. */
  close(id: string): void {
    const index = this.state.tabs.findIndex((t) => t.id === id);
    if (index < 0) return;
    const tabs = this.state.tabs.filter((t) => t.id !== id);
    let activeTabId = this.state.activeTabId;
    if (activeTabId === id) activeTabId = (tabs[index] ?? tabs[index - 1])?.id;
    this.#change({ tabs, activeTabId });
  }

  /** Closes every tab but `id`, which becomes active. */
  closeOthers(id: string): void {
    const tab = this.tab(id);
    if (tab === undefined || this.state.tabs.length === 1) return;
    this.#change({ tabs: [tab], activeTabId: id });
  }

  /** Makes a tab the active one. */
  activate(id: string): void {
    if (this.tab(id) === undefined || this.state.activeTabId === id) return;
    this.#change({ activeTabId: id });
  }

  /** Activates the next (`+1`) or previous (`-1`) tab, wrapping around. */
  cycle(step: 1 | -1): void {
    const tabs = this.state.tabs;
    if (tabs.length === 0) return;
    const index = tabs.findIndex((t) => t.id === this.state.activeTabId);
    const next = tabs[(index + step + tabs.length) % tabs.length];
    if (next !== undefined) this.activate(next.id);
  }

  /** Moves a tab to `toIndex` (clamped). */
  move(id: string, toIndex: number): void {
    const tabs = [...this.state.tabs];
    const from = tabs.findIndex((t) => t.id === id);
    if (from < 0) return;
    const to = Math.max(0, Math.min(tabs.length - 1, Math.trunc(toIndex)));
    if (from === to) return;
    const [tab] = tabs.splice(from, 1);
    if (tab === undefined) return;
    tabs.splice(to, 0, tab);
    this.#change({ tabs });
  }

  /** Moves a tab one place left (`-1`) or right (`+1`). */
  moveBy(id: string, delta: number): void {
    const from = this.state.tabs.findIndex((t) => t.id === id);
    if (from >= 0) this.move(id, from + delta);
  }

  /** Merges `patch` into a tab's settings (a key set to `null` is kept as null). */
  updateSettings(id: string, patch: JsonObject): void {
    this.#replaceTab(id, (t) => ({ ...t, settings: { ...t.settings, ...patch } }));
  }

  /** Sets a tab's own title (e.g. its topic); empty clears it. */
  setTitle(id: string, title: string): void {
    this.#replaceTab(id, (t) => {
      const next = { ...t };
      if (title === '') delete next.title;
      else next.title = title;
      return next;
    });
  }

  /** Binds a tab to a connection (or unbinds it). */
  setConnection(id: string, connection: TabConnection | undefined): void {
    this.#replaceTab(id, (t) => {
      const next = { ...t };
      if (connection === undefined) delete next.connection;
      else next.connection = connection;
      return next;
    });
  }

  /**
   * Rebinds every tab bound to `oldConnectionId` to `connection` (after a host restart the
   * profile's connection is reopened under a new id). Returns how many tabs moved.
   */
  rebind(oldConnectionId: string, connection: TabConnection): number {
    let moved = 0;
    const tabs = this.state.tabs.map((t) => {
      if (t.connection?.connectionId !== oldConnectionId) return t;
      moved++;
      return { ...t, connection };
    });
    if (moved > 0) this.#change({ tabs });
    return moved;
  }

  /**
   * Binds the tabs of a profile whose connection is gone (closed, or from before a restart) to
   * a live connection of the same profile, however that one was opened (the side bar, a tab's
   * "Connect" button). `live` lists the connections that are not over. Returns how many moved.
   */
  adoptProfileConnections(live: readonly TabConnection[]): number {
    const byProfile = new Map<string, TabConnection>();
    for (const c of live)
      if (c.profileId !== undefined && !byProfile.has(c.profileId)) byProfile.set(c.profileId, c);
    const liveIds = new Set(live.map((c) => c.connectionId));
    let moved = 0;
    const tabs = this.state.tabs.map((t) => {
      const current = t.connection;
      if (current?.profileId === undefined || liveIds.has(current.connectionId)) return t;
      const next = byProfile.get(current.profileId);
      if (next === undefined) return t;
      moved++;
      return { ...t, connection: next };
    });
    if (moved > 0) this.#change({ tabs });
    return moved;
  }

  setPanes(which: keyof PaneSizes, sizes: number[]): void {
    const current = this.state.panes[which];
    if (current.length === sizes.length && current.every((s, i) => Math.abs(s - (sizes[i] ?? 0)) < 0.01))
      return;
    this.#change({ panes: { ...this.state.panes, [which]: [...sizes] } });
  }

  setTheme(theme: ThemeChoice): void {
    if (theme !== this.state.theme) this.#change({ theme });
  }

  selectConnection(connectionId: string | undefined): void {
    if (connectionId === this.state.selectedConnectionId) return;
    const patch: Partial<WorkspaceSnapshot> = { selectedConnectionId: connectionId };
    this.#change(patch);
  }

  /** Dismisses the problem list. */
  clearProblems(): void {
    this.update({ problems: [] });
  }

  /** What is saved: the state without load-time extras. */
  toJSON(): WorkspaceState {
    const { version, tabs, activeTabId, panes, theme, selectedConnectionId } = this.state;
    const out: WorkspaceState = { version, tabs, panes, theme };
    if (activeTabId !== undefined) out.activeTabId = activeTabId;
    if (selectedConnectionId !== undefined) out.selectedConnectionId = selectedConnectionId;
    return out;
  }

  /** Saves now if a change is waiting (on page hide / before unload). */
  async flush(): Promise<void> {
    if (this.#saveTimer !== undefined) this.#timers.clearTimeout(this.#saveTimer);
    this.#saveTimer = undefined;
    if (!this.#dirty) return;
    this.#dirty = false;
    try {
      await this.#store.save(this.toJSON());
    } catch (error) {
      this.report(`Could not save the workspace: ${messageText(error)}`);
    }
  }

  /** Stops the pending save timer (the page is going away; call {@link flush} first). */
  dispose(): void {
    if (this.#saveTimer !== undefined) this.#timers.clearTimeout(this.#saveTimer);
    this.#saveTimer = undefined;
  }

  #replaceTab(id: string, change: (tab: TabState) => TabState): void {
    let found = false;
    const tabs = this.state.tabs.map((t) => {
      if (t.id !== id) return t;
      found = true;
      return change(t);
    });
    if (found) this.#change({ tabs });
  }

  /** Adds a problem for the user (once). */
  report(text: string): void {
    if (!this.state.problems.includes(text)) this.update({ problems: [...this.state.problems, text] });
  }

  #change(patch: Partial<WorkspaceSnapshot>): void {
    this.update(patch);
    // Nothing is saved before the saved state was read: that would overwrite it with defaults.
    if (!this.state.loaded) return;
    this.#dirty = true;
    if (this.#saveTimer !== undefined) this.#timers.clearTimeout(this.#saveTimer);
    this.#saveTimer = this.#timers.setTimeout(() => {
      this.#saveTimer = undefined;
      void this.flush();
    }, SAVE_DEBOUNCE_MS);
  }
}

const messageText = (error: unknown): string => (error instanceof Error ? error.message : String(error));
