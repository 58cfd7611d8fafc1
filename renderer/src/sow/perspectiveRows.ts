/**
 * The SOW grid's rows as a @finos/perspective table takes them, apart from the engine: a
 * schema from the grid's columns (perspective's schema is fixed once the table exists, so a
 * column it does not know means a new table), each row's cells coerced to its column's type,
 * and a refresh's folded changes split into one `update` and one `remove`.
 */
import type { FlushTake } from './gridFlush.js';
import type { ColumnType, SowColumn } from './sowColumns.js';
import type { SowRow } from './sowGridModel.js';

/** The table's index column: the row's SowKey. Field paths start with `/`, so it never clashes. */
export const KEY_COLUMN = '__key';
/** Why an oof'd row is leaving (match, deleted, expired), empty otherwise. */
export const STATE_COLUMN = '__state';

/** A perspective column type. */
export type PerspectiveType = 'float' | 'string' | 'boolean';

/** A row as perspective takes it. */
export type PerspectiveRow = Record<string, number | string | boolean | null>;

// Times stay strings: ISO 8601 text sorts in time order, and AMPS timestamps are not parsed by perspective.
const TYPE: Record<ColumnType, PerspectiveType> = {
  number: 'float',
  string: 'string',
  boolean: 'boolean',
  time: 'string',
};

/** The table schema for `columns`, with the key and state columns first. */
export function perspectiveSchema(columns: readonly SowColumn[]): Record<string, PerspectiveType> {
  const schema: Record<string, PerspectiveType> = { [KEY_COLUMN]: 'string', [STATE_COLUMN]: 'string' };
  for (const c of columns) schema[c.path] = TYPE[c.type];
  return schema;
}

/** True when `next` has a column `schema` lacks or types differently: the table must be rebuilt. */
export function needsRebuild(
  schema: Readonly<Record<string, PerspectiveType>> | undefined,
  next: readonly SowColumn[],
): boolean {
  if (schema === undefined) return true;
  return next.some((c) => schema[c.path] !== TYPE[c.type]);
}

function cell(value: unknown, type: PerspectiveType): number | string | boolean | null {
  if (value === undefined || value === null) return null;
  if (type === 'float') return typeof value === 'number' ? value : null;
  if (type === 'boolean') return typeof value === 'boolean' ? value : null;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value as string | number | boolean);
}

/** One row for `schema`: a cell whose value does not fit its column's type is null there. */
export function perspectiveRow(
  row: SowRow,
  schema: Readonly<Record<string, PerspectiveType>>,
): PerspectiveRow {
  const out: PerspectiveRow = { [KEY_COLUMN]: row.key, [STATE_COLUMN]: row.removed?.reason ?? '' };
  for (const path in schema) {
    if (path === KEY_COLUMN || path === STATE_COLUMN) continue;
    out[path] = cell(row.cells[path], schema[path] ?? 'string');
  }
  return out;
}

/** One refresh for the table: rows to update (insert or replace by key) and keys to remove. */
export function splitTake(
  take: Pick<FlushTake, 'upserts' | 'removes'>,
  schema: Readonly<Record<string, PerspectiveType>>,
): { update: PerspectiveRow[]; remove: string[] } {
  return {
    update: take.upserts.map((row) => perspectiveRow(row, schema)),
    remove: take.removes.map((row) => row.key),
  };
}

/** Every row a table holds, by key: what a rebuild (a new schema) fills the new table from. */
export class HeldRows {
  readonly #rows = new Map<string, SowRow>();

  get size(): number {
    return this.#rows.size;
  }

  set(row: SowRow): void {
    this.#rows.set(row.key, row);
  }

  delete(key: string): void {
    this.#rows.delete(key);
  }

  clear(): void {
    this.#rows.clear();
  }

  values(): IterableIterator<SowRow> {
    return this.#rows.values();
  }
}
