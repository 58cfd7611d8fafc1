/**
 * What differs between two records or payloads, apart from the DOM: field by field for
 * flattened records (the SOW history), structurally by field path for two JSON values
 * (nested objects and arrays walked, type changes named), and line by line for text that
 * is not JSON.
 */

/** One field that differs. `path` is the field path (`/customer/name`, `/items/0`; `/` for the whole value). */
export interface FieldChange {
  path: string;
  kind: 'added' | 'removed' | 'changed';
  before?: unknown;
  after?: unknown;
  /** A changed value of another JSON type: the two types (`number` → `string`, `object` → `array`). */
  types?: { before: JsonType; after: JsonType };
}

/** The JSON type of a value. */
export type JsonType = 'null' | 'boolean' | 'number' | 'string' | 'array' | 'object';

/** The JSON type of a parsed value (`undefined` counts as null). */
export function jsonType(value: unknown): JsonType {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'array';
  switch (typeof value) {
    case 'boolean':
      return 'boolean';
    case 'number':
    case 'bigint':
      return 'number';
    case 'string':
      return 'string';
    default:
      return 'object';
  }
}

/** Equal JSON values (objects and arrays compared by content). */
export const sameValue = (a: unknown, b: unknown): boolean =>
  a === b || (typeof a === 'object' && typeof b === 'object' && JSON.stringify(a) === JSON.stringify(b));

/** What differs between two flattened records (path → value, as the SOW grid shows them). */
export function diffFields(before: Record<string, unknown>, after: Record<string, unknown>): FieldChange[] {
  const out: FieldChange[] = [];
  for (const path of Object.keys(after)) {
    if (!(path in before)) out.push({ path, kind: 'added', after: after[path] });
    else if (!sameValue(before[path], after[path]))
      out.push({ path, kind: 'changed', before: before[path], after: after[path] });
  }
  for (const path of Object.keys(before)) {
    if (!(path in after)) out.push({ path, kind: 'removed', before: before[path] });
  }
  return out;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * What differs between two JSON values, by field path: objects compared field by field and
 * arrays element by element (recursively); a field only one side has is added or removed
 * whole; a value that changed type is `changed` with both types named.
 */
export function diffValues(before: unknown, after: unknown): FieldChange[] {
  const out: FieldChange[] = [];
  walk(before, after, '', out);
  return out;
}

function walk(before: unknown, after: unknown, path: string, out: FieldChange[]): void {
  // Equal scalars (most fields of a record) are skipped before their path is built.
  if (isPlainObject(before) && isPlainObject(after)) {
    for (const name of Object.keys(after)) {
      const value = after[name];
      if (!Object.hasOwn(before, name)) out.push({ path: `${path}/${name}`, kind: 'added', after: value });
      else if (before[name] !== value) walk(before[name], value, `${path}/${name}`, out);
    }
    for (const name of Object.keys(before)) {
      if (!Object.hasOwn(after, name))
        out.push({ path: `${path}/${name}`, kind: 'removed', before: before[name] });
    }
    return;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const common = Math.min(before.length, after.length);
    for (let i = 0; i < common; i++)
      if (before[i] !== after[i]) walk(before[i], after[i], `${path}/${i}`, out);
    for (let i = common; i < after.length; i++)
      out.push({ path: `${path}/${i}`, kind: 'added', after: after[i] });
    for (let i = common; i < before.length; i++)
      out.push({ path: `${path}/${i}`, kind: 'removed', before: before[i] });
    return;
  }
  if (sameValue(before, after)) return;
  const change: FieldChange = { path: path === '' ? '/' : path, kind: 'changed', before, after };
  const types = { before: jsonType(before), after: jsonType(after) };
  if (types.before !== types.after) change.types = types;
  out.push(change);
}

/** One line of a text diff. Line numbers count from 1. */
export interface DiffLine {
  kind: 'same' | 'added' | 'removed';
  text: string;
  /** Its number in the first text (same, removed). */
  beforeLine?: number;
  /** Its number in the second text (same, added). */
  afterLine?: number;
}

/** A line diff; `exact` is false when the texts differed too much to align (the differing part is shown removed, then added). */
export interface LineDiff {
  lines: DiffLine[];
  exact: boolean;
}

/** Most cells of the alignment table (lines of one text times lines of the other, once common ends are cut). */
export const MAX_ALIGN_CELLS = 4_000_000;

/**
 * The lines of `after` against those of `before`: common lines, and those removed and
 * added (a longest common subsequence of lines, bounded by {@link MAX_ALIGN_CELLS}).
 */
export function diffLines(before: string, after: string): LineDiff {
  const a = before.split(/\r?\n/);
  const b = after.split(/\r?\n/);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (
    tail < a.length - head &&
    tail < b.length - head &&
    a[a.length - 1 - tail] === b[b.length - 1 - tail]
  )
    tail++;
  const lines: DiffLine[] = [];
  for (let i = 0; i < head; i++)
    lines.push({ kind: 'same', text: a[i] ?? '', beforeLine: i + 1, afterLine: i + 1 });
  const midA = a.slice(head, a.length - tail);
  const midB = b.slice(head, b.length - tail);
  const exact = midA.length * midB.length <= MAX_ALIGN_CELLS;
  if (exact) alignLines(midA, midB, head, lines);
  else {
    midA.forEach((text, i) => lines.push({ kind: 'removed', text, beforeLine: head + i + 1 }));
    midB.forEach((text, i) => lines.push({ kind: 'added', text, afterLine: head + i + 1 }));
  }
  for (let i = tail; i > 0; i--) {
    const ia = a.length - i;
    const ib = b.length - i;
    lines.push({ kind: 'same', text: a[ia] ?? '', beforeLine: ia + 1, afterLine: ib + 1 });
  }
  return { lines, exact };
}

/** Aligns two runs of lines by their longest common subsequence (removed lines before added ones). */
function alignLines(a: readonly string[], b: readonly string[], offset: number, out: DiffLine[]): void {
  const n = a.length;
  const m = b.length;
  const width = m + 1;
  // table[i * width + j]: length of the LCS of a[i..] and b[j..].
  const table = new Uint32Array((n + 1) * width);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      table[i * width + j] =
        a[i] === b[j]
          ? (table[(i + 1) * width + j + 1] ?? 0) + 1
          : Math.max(table[(i + 1) * width + j] ?? 0, table[i * width + j + 1] ?? 0);
    }
  }
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      out.push({ kind: 'same', text: a[i] ?? '', beforeLine: offset + i + 1, afterLine: offset + j + 1 });
      i++;
      j++;
    } else if (j >= m || (i < n && (table[(i + 1) * width + j] ?? 0) >= (table[i * width + j + 1] ?? 0))) {
      out.push({ kind: 'removed', text: a[i] ?? '', beforeLine: offset + i + 1 });
      i++;
    } else {
      out.push({ kind: 'added', text: b[j] ?? '', afterLine: offset + j + 1 });
      j++;
    }
  }
}

/** Two payloads compared: by field path when both are JSON, else line by line. */
export type PayloadDiff = { kind: 'json'; changes: FieldChange[] } | { kind: 'text'; diff: LineDiff };

const parseJson = (text: string): { value: unknown } | undefined => {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return undefined;
  }
};

/** The difference between two payload texts. */
export function diffPayloads(before: string, after: string): PayloadDiff {
  const a = parseJson(before);
  const b = a === undefined ? undefined : parseJson(after);
  if (a !== undefined && b !== undefined) return { kind: 'json', changes: diffValues(a.value, b.value) };
  return { kind: 'text', diff: diffLines(before, after) };
}

/** A value as a diff shows it: JSON text, `(absent)` for none. */
export function showValue(value: unknown): string {
  if (value === undefined) return '(absent)';
  return JSON.stringify(value) ?? String(value);
}
