/**
 * The workspace as it is saved: open tabs (each a view bound to one connection, with its own
 * settings), their order, the active tab, pane sizes and the theme. Plain JSON, versioned; a
 * saved state read back is checked entry by entry, so one bad tab is set aside (with why)
 * instead of losing the rest.
 */

/** A JSON value, as views keep their settings. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
/** A JSON object: a view's settings. */
export type JsonObject = { [key: string]: JsonValue };

/** Light, dark, or whatever the system prefers. */
export const THEME_CHOICES = ['system', 'light', 'dark'] as const;
/** One theme choice. */
export type ThemeChoice = (typeof THEME_CHOICES)[number];

/** Which connection a tab is bound to, with enough to find it again after a host restart. */
export interface TabConnection {
  /** The connection id in main (valid until the host restarts). */
  connectionId: string;
  /** The saved profile it was opened from, when it was (reopened after a restart). */
  profileId?: string;
  /** Display name (profile name or connection string without password). */
  name: string;
}

/** One open tab. */
export interface TabState {
  id: string;
  /** A view kind of `views/registry.ts`. */
  kind: string;
  /** The view's own title (e.g. its topic), shown on the tab after the kind's title. */
  title?: string;
  connection?: TabConnection;
  /** The view's persisted settings. */
  settings: JsonObject;
}

/** Sizes (percent) of the resizable panes. */
export interface PaneSizes {
  /** [side bar, main] */
  columns: number[];
  /** [main, bottom panel] */
  rows: number[];
}

/** The saved workspace. */
export interface WorkspaceState {
  version: 1;
  tabs: TabState[];
  activeTabId?: string;
  panes: PaneSizes;
  theme: ThemeChoice;
  /** The connection selected in the side bar (its Topics and event log). */
  selectedConnectionId?: string;
  /** When it was saved (ms since the epoch), to tell the newer of two copies. */
  savedAt?: number;
}

/** The version {@link parseWorkspace} reads and {@link WorkspaceState} writes. */
export const WORKSPACE_VERSION = 1;
/** Pane sizes of a fresh workspace. */
export const DEFAULT_PANES: PaneSizes = { columns: [22, 78], rows: [84, 16] };
/** Tabs a workspace may hold (each costs memory; a saved file with more is cut, with a note). */
export const MAX_TABS = 40;

/** An empty workspace. */
export const emptyWorkspace = (): WorkspaceState => ({
  version: WORKSPACE_VERSION,
  tabs: [],
  panes: { columns: [...DEFAULT_PANES.columns], rows: [...DEFAULT_PANES.rows] },
  theme: 'system',
});

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** True when `v` is plain JSON (no functions, no cycles deeper than `depth`). */
export function isJsonValue(v: unknown, depth = 0): v is JsonValue {
  if (depth > 32) return false;
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return true;
  if (typeof v === 'number') return Number.isFinite(v);
  if (Array.isArray(v)) return v.every((x) => isJsonValue(x, depth + 1));
  if (isObject(v)) return Object.values(v).every((x) => isJsonValue(x, depth + 1));
  return false;
}

function parseSizes(v: unknown, fallback: number[]): number[] {
  if (!Array.isArray(v) || v.length !== fallback.length) return [...fallback];
  const sizes = v.filter((n): n is number => typeof n === 'number' && Number.isFinite(n) && n >= 0);
  const total = sizes.reduce((a, b) => a + b, 0);
  return sizes.length === fallback.length && total > 99 && total < 101 ? sizes : [...fallback];
}

function parseConnection(v: unknown): TabConnection | undefined {
  if (!isObject(v) || typeof v['connectionId'] !== 'string' || typeof v['name'] !== 'string') return undefined;
  const c: TabConnection = { connectionId: v['connectionId'], name: v['name'] };
  if (typeof v['profileId'] === 'string') c.profileId = v['profileId'];
  return c;
}

function parseTab(v: unknown, index: number): TabState | string {
  if (!isObject(v)) return `tab ${index + 1} is not an object`;
  const { id, kind, title, settings, connection } = v;
  if (typeof id !== 'string' || id === '') return `tab ${index + 1} has no id`;
  if (typeof kind !== 'string' || kind === '') return `tab ${index + 1} has no view kind`;
  if (settings !== undefined && !(isObject(settings) && isJsonValue(settings)))
    return `tab ${index + 1} (${kind}) has settings that are not a JSON object`;
  const tab: TabState = { id, kind, settings: (settings as JsonObject | undefined) ?? {} };
  if (typeof title === 'string') tab.title = title;
  const c = parseConnection(connection);
  if (c !== undefined) tab.connection = c;
  return tab;
}

/** A saved workspace read back: what could be used, and what was set aside with why. */
export interface ParsedWorkspace {
  state: WorkspaceState;
  problems: string[];
}

/**
 * Reads a saved workspace. Never throws: unusable parts are replaced by defaults and named in
 * `problems`; `undefined` (nothing saved yet) gives an empty workspace with no problem.
 */
export function parseWorkspace(saved: unknown): ParsedWorkspace {
  const state = emptyWorkspace();
  const problems: string[] = [];
  if (saved === undefined || saved === null) return { state, problems };
  if (!isObject(saved)) return { state, problems: ['the saved workspace is not an object; starting empty'] };
  if (saved['version'] !== WORKSPACE_VERSION) {
    problems.push(`the saved workspace has version ${String(saved['version'])}, not ${WORKSPACE_VERSION}; starting empty`);
    return { state, problems };
  }
  const tabs = Array.isArray(saved['tabs']) ? saved['tabs'] : [];
  const seen = new Set<string>();
  tabs.forEach((raw, i) => {
    const tab = parseTab(raw, i);
    if (typeof tab === 'string') problems.push(tab);
    else if (seen.has(tab.id)) problems.push(`tab ${i + 1} repeats the id ${tab.id}`);
    else if (state.tabs.length >= MAX_TABS) problems.push(`tab ${i + 1}: more than ${MAX_TABS} tabs`);
    else {
      seen.add(tab.id);
      state.tabs.push(tab);
    }
  });
  const active = saved['activeTabId'];
  if (typeof active === 'string' && seen.has(active)) state.activeTabId = active;
  else if (state.tabs[0] !== undefined) state.activeTabId = state.tabs[0].id;
  const panes = isObject(saved['panes']) ? saved['panes'] : {};
  state.panes = {
    columns: parseSizes(panes['columns'], DEFAULT_PANES.columns),
    rows: parseSizes(panes['rows'], DEFAULT_PANES.rows),
  };
  const theme = saved['theme'];
  if ((THEME_CHOICES as readonly unknown[]).includes(theme)) state.theme = theme as ThemeChoice;
  const selected = saved['selectedConnectionId'];
  if (typeof selected === 'string') state.selectedConnectionId = selected;
  return { state, problems };
}
