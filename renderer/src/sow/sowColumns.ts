/**
 * Columns of a SOW grid: every field path seen in the records (nested JSON flattened to
 * `/customer/name`), in order of first appearance, with a type detected per column.
 */

/** What a column holds; `string` also stands for a column whose values disagree. */
export type ColumnType = 'number' | 'string' | 'boolean' | 'time';

/** One column of the grid. */
export interface SowColumn {
  /** Field path, e.g. `/customer/name`; the whole value of a record that is not an object is `/`. */
  path: string;
  type: ColumnType;
}

/** A flattened record: path → leaf value (arrays kept whole). */
export type FlatRecord = Record<string, unknown>;

/** ISO 8601 date-times and AMPS timestamps (`20260101T120000.123456Z`). */
const TIME =
  /^(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?|\d{8}T\d{6}(\.\d+)?Z?)$/;

/** The type a single value suggests, or undefined for null/undefined (which say nothing). */
export function typeOfValue(value: unknown): ColumnType | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'number') return 'number';
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'string' && TIME.test(value)) return 'time';
  return 'string';
}

/** Flattens a parsed record to paths; a value that is not an object becomes the `/` column. */
export function flatten(value: unknown, prefix = '', out: FlatRecord = {}): FlatRecord {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    let empty = true;
    for (const name in value) {
      if (!Object.hasOwn(value, name)) continue;
      empty = false;
      flatten((value as Record<string, unknown>)[name], `${prefix}/${name}`, out);
    }
    if (empty && prefix !== '') out[prefix] = value;
  } else {
    out[prefix === '' ? '/' : prefix] = value;
  }
  return out;
}

/** Parses a record's text; text that is not JSON is kept whole under `/`. */
export function parseRecord(text: string): FlatRecord {
  try {
    return flatten(JSON.parse(text) as unknown);
  } catch {
    return { '/': text };
  }
}

/** The columns of one grid, growing as fields appear. */
export class ColumnSet {
  readonly #columns = new Map<string, SowColumn>();
  /** Columns seen so far only with null values: their first real value sets the type. */
  readonly #untyped = new Set<string>();
  #list: SowColumn[] = [];

  /** Columns in order of first appearance (a new array whenever a column is added or retyped). */
  get list(): readonly SowColumn[] {
    return this.#list;
  }

  get(path: string): SowColumn | undefined {
    return this.#columns.get(path);
  }

  /**
   * Takes a record's fields into account; returns true when a column was added or its type
   * changed (a value of another type makes a column `string`).
   */
  observe(record: FlatRecord): boolean {
    let changed = false;
    for (const path in record) {
      const column = this.#columns.get(path);
      // A typed `string` column stays one whatever comes: no need to look at the value.
      if (column?.type === 'string' && !this.#untyped.has(path)) continue;
      const kind = typeOfValue(record[path]);
      if (column === undefined) {
        this.#columns.set(path, { path, type: kind ?? 'string' });
        changed = true;
        // A column first seen with null takes the type of its first real value.
        if (kind === undefined) this.#untyped.add(path);
      } else if (kind !== undefined) {
        if (this.#untyped.delete(path)) {
          if (column.type !== kind) {
            this.#columns.set(path, { path, type: kind });
            changed = true;
          }
        } else if (column.type !== kind && column.type !== 'string') {
          this.#columns.set(path, { path, type: 'string' });
          changed = true;
        }
      }
    }
    if (changed) this.#list = [...this.#columns.values()];
    return changed;
  }

  clear(): void {
    this.#columns.clear();
    this.#untyped.clear();
    this.#list = [];
  }
}
