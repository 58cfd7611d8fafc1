/**
 * Field columns of the message list: the values of fields the user picked (AMPS XPath, `/a/b`)
 * read out of each message's JSON payload. Pure; a message is parsed at most once per set of
 * columns (its cells are cached by the message itself), and only when a row shows it.
 */

/** Most field columns a list shows. */
export const MAX_FIELD_COLUMNS = 12;
/** Characters a cell shows (the rest is cut with an ellipsis). */
export const CELL_CHARS = 120;
/** Width of a field column until resized, and its bounds (px). */
export const DEFAULT_COLUMN_WIDTH = 110;
export const MIN_COLUMN_WIDTH = 40;
export const MAX_COLUMN_WIDTH = 800;

/** A column width within the bounds, in whole pixels. */
export const clampWidth = (px: number): number =>
  Math.round(Math.min(MAX_COLUMN_WIDTH, Math.max(MIN_COLUMN_WIDTH, Number.isFinite(px) ? px : DEFAULT_COLUMN_WIDTH)));

const FIELD_PATH = /^(\/[^/\s]+)+$/;

/** True for a field path such as `/id` or `/customer/name`. */
export const isFieldPath = (path: string): boolean => FIELD_PATH.test(path);

/**
 * The values at `path` in a parsed payload. A repeated field (an array on the way) yields a
 * value per element, as AMPS matches any element; a missing field yields none.
 */
export function valuesAtPath(value: unknown, path: string): unknown[] {
  let current: unknown[] = [value];
  for (const name of path.split('/').slice(1)) {
    const next: unknown[] = [];
    for (const v of current) {
      for (const item of Array.isArray(v) ? (v as unknown[]) : [v]) {
        if (item !== null && typeof item === 'object' && !Array.isArray(item) && Object.hasOwn(item, name)) {
          next.push((item as Record<string, unknown>)[name]);
        }
      }
    }
    if (next.length === 0) return [];
    current = next;
  }
  return current;
}

/** One value as a cell shows it: text as is, other JSON compact. */
function show(value: unknown): string {
  if (typeof value === 'string') return value;
  return JSON.stringify(value) ?? String(value);
}

/** The text of a cell: nothing for a missing field, the values joined by `, ` for a repeated one. */
export function cellText(values: readonly unknown[]): string {
  const text = values.map(show).join(', ');
  return text.length > CELL_CHARS ? `${text.slice(0, CELL_CHARS - 1)}…` : text;
}

/** What a cell shows for a payload cut to the display limit (its fields cannot be read whole). */
export const CUT_CELL = '…';

/** The message fields the cells are read from. */
export interface CellSource {
  data: string;
  truncated: boolean;
}

/**
 * The cells of one set of columns, cached per message object (a WeakMap: a message that left
 * the buffer takes its cells with it), and the columns' widths.
 */
export class FieldCells {
  readonly columns: readonly string[];
  /** Widths (px) of resized columns; others are {@link DEFAULT_COLUMN_WIDTH}. */
  readonly widths: Readonly<Record<string, number>>;
  readonly #cache: WeakMap<CellSource, string[]>;

  constructor(
    columns: readonly string[],
    widths: Readonly<Record<string, number>> = {},
    cache = new WeakMap<CellSource, string[]>(),
  ) {
    this.columns = columns;
    this.widths = widths;
    this.#cache = cache;
  }

  /** The width of a column (px). */
  widthOf(path: string): number {
    return this.widths[path] ?? DEFAULT_COLUMN_WIDTH;
  }

  /** The same columns with `path` resized: the cells read so far are kept. */
  resized(path: string, px: number): FieldCells {
    return new FieldCells(this.columns, { ...this.widths, [path]: clampWidth(px) }, this.#cache);
  }

  /** The message's cells, one per column; parsed once, on first ask. */
  cells(message: CellSource): string[] {
    const hit = this.#cache.get(message);
    if (hit !== undefined) return hit;
    const made = this.#read(message);
    this.#cache.set(message, made);
    return made;
  }

  #read(message: CellSource): string[] {
    if (this.columns.length === 0) return [];
    const text = message.data.trimStart();
    if (!text.startsWith('{') && !text.startsWith('[')) return this.columns.map(() => '');
    let parsed: unknown;
    try {
      parsed = JSON.parse(message.data);
    } catch {
      return this.columns.map(() => (message.truncated ? CUT_CELL : ''));
    }
    return this.columns.map((path) => cellText(valuesAtPath(parsed, path)));
  }
}

/** The columns saved in a view's settings, valid ones only, at most {@link MAX_FIELD_COLUMNS}. */
export function restoreColumns(saved: unknown): string[] {
  if (!Array.isArray(saved)) return [];
  const out: string[] = [];
  for (const path of saved) {
    if (typeof path === 'string' && isFieldPath(path) && !out.includes(path)) out.push(path);
    if (out.length === MAX_FIELD_COLUMNS) break;
  }
  return out;
}

/** The widths saved in a view's settings, for the given columns only, within the bounds. */
export function restoreWidths(saved: unknown, columns: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  if (saved === null || typeof saved !== 'object' || Array.isArray(saved)) return out;
  for (const path of columns) {
    const px = (saved as Record<string, unknown>)[path];
    if (typeof px === 'number') out[path] = clampWidth(px);
  }
  return out;
}

/** `columns` with `path` shown or hidden (appended at the end when shown; bounded). */
export function toggleColumn(columns: readonly string[], path: string): string[] {
  if (columns.includes(path)) return columns.filter((c) => c !== path);
  if (!isFieldPath(path) || columns.length >= MAX_FIELD_COLUMNS) return [...columns];
  return [...columns, path];
}
