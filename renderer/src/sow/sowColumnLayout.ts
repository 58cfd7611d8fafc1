/**
 * Which columns of a SOW grid are hidden and which are pinned to a side: the user's choice
 * from the grid's Columns menu, kept in the tab's settings. Pure: the grid engine applies it.
 */

/** A side a column can be pinned to. */
export type ColumnPin = 'left' | 'right';

/** The column layout of one grid: hidden columns and pinned ones, by field path. */
export interface ColumnLayout {
  readonly hidden: readonly string[];
  readonly pinned: Readonly<Record<string, ColumnPin>>;
}

/** Every column shown, none pinned. */
export const DEFAULT_LAYOUT: ColumnLayout = { hidden: [], pinned: {} };

/** Most columns a layout remembers (a settings file cannot grow without bound). */
export const MAX_LAYOUT_COLUMNS = 512;

/** `layout` with `path` shown or hidden. */
export function setShown(layout: ColumnLayout, path: string, shown: boolean): ColumnLayout {
  const hidden = layout.hidden.filter((p) => p !== path);
  if (!shown) hidden.push(path);
  return { hidden: hidden.slice(-MAX_LAYOUT_COLUMNS), pinned: layout.pinned };
}

/** `layout` with `path` pinned to `pin`, or unpinned. */
export function setPinned(layout: ColumnLayout, path: string, pin: ColumnPin | undefined): ColumnLayout {
  const pinned: Record<string, ColumnPin> = {};
  for (const [p, side] of Object.entries(layout.pinned)) if (p !== path) pinned[p] = side;
  if (pin !== undefined && Object.keys(pinned).length < MAX_LAYOUT_COLUMNS) pinned[path] = pin;
  return { hidden: layout.hidden, pinned };
}

/** How one column is laid out. */
export function columnLayoutOf(layout: ColumnLayout, path: string): { hide: boolean; pinned: ColumnPin | null } {
  return { hide: layout.hidden.includes(path), pinned: layout.pinned[path] ?? null };
}

/** True when nothing is hidden or pinned. */
export function isDefaultLayout(layout: ColumnLayout): boolean {
  return layout.hidden.length === 0 && Object.keys(layout.pinned).length === 0;
}

/** A layout read back from saved settings: anything malformed is dropped, never thrown. */
export function restoreLayout(saved: unknown): ColumnLayout {
  if (typeof saved !== 'object' || saved === null) return DEFAULT_LAYOUT;
  const { hidden, pinned } = saved as { hidden?: unknown; pinned?: unknown };
  const paths = Array.isArray(hidden)
    ? [...new Set(hidden.filter((p): p is string => typeof p === 'string'))].slice(0, MAX_LAYOUT_COLUMNS)
    : [];
  const pins: Record<string, ColumnPin> = {};
  if (typeof pinned === 'object' && pinned !== null && !Array.isArray(pinned)) {
    for (const [path, side] of Object.entries(pinned as Record<string, unknown>).slice(0, MAX_LAYOUT_COLUMNS))
      if (side === 'left' || side === 'right') pins[path] = side;
  }
  return { hidden: paths, pinned: pins };
}
