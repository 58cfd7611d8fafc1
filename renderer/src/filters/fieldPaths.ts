/**
 * The field paths (AMPS XPath, `/a/b`) present in JSON payloads, for completing a filter with
 * the fields this topic's messages actually carry. Pure; bounded in depth and count so a huge
 * or deeply nested payload cannot stall the page.
 */

/** Deepest path collected (`/a/b/c/...`). */
export const MAX_DEPTH = 8;
/** Most distinct paths a {@link FieldPathSet} keeps. */
export const MAX_PATHS = 2000;


function walk(value: unknown, prefix: string, depth: number, out: (path: string) => void): void {
  if (depth > MAX_DEPTH || value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    // A repeated field is addressed by the same path (AMPS matches any element).
    for (const element of value.slice(0, 16)) walk(element, prefix, depth, out);
    return;
  }
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    if (key === '' || key.includes('/')) continue;
    const path = `${prefix}/${key}`;
    const nested = child !== null && typeof child === 'object';
    out(path);
    if (nested) walk(child, path, depth + 1, out);
  }
}

/**
 * The paths of one payload: every object member, nested members as `/a/b`. A payload that is
 * not a JSON object (other message types, or cut JSON) yields none.
 */
export function fieldPathsOf(payload: string): string[] {
  const trimmed = payload.trimStart();
  if (!trimmed.startsWith('{')) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload);
  } catch {
    return [];
  }
  const paths: string[] = [];
  walk(parsed, '', 1, (p) => paths.push(p));
  return paths;
}

/** Paths seen so far across many payloads, with how often each was seen. */
export class FieldPathSet {
  readonly #counts = new Map<string, number>();
  #version = 0;

  /** Adds the paths of one payload; returns how many were new. */
  add(payload: string): number {
    let added = 0;
    for (const path of fieldPathsOf(payload)) {
      const seen = this.#counts.get(path);
      if (seen !== undefined) this.#counts.set(path, seen + 1);
      else if (this.#counts.size < MAX_PATHS) {
        this.#counts.set(path, 1);
        added++;
      }
    }
    if (added > 0) this.#version++;
    return added;
  }

  /** Changes each time a new path is seen (cheap change detection for a UI). */
  get version(): number {
    return this.#version;
  }

  get size(): number {
    return this.#counts.size;
  }

  /** The paths, most often seen first, then alphabetically. */
  paths(): string[] {
    return [...this.#counts.entries()]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .map(([p]) => p);
  }

  clear(): void {
    if (this.#counts.size > 0) this.#version++;
    this.#counts.clear();
  }
}

/** The newest rows a view samples for field paths each time (bounded work per sample). */
export const SAMPLE_ROWS = 25;

/**
 * Adds the paths of up to `rows` messages read through `rowAt` (a view's list), skipping cut
 * payloads. A view calls this now and then rather than per message, so a fast stream costs a
 * few parses a second. Returns true when a new path was seen.
 */
export function sampleFieldPaths(
  set: FieldPathSet,
  list: { count: number; rowAt: (row: number) => { data: string; truncated: boolean } | undefined },
  rows = SAMPLE_ROWS,
): boolean {
  const before = set.version;
  for (let row = 0; row < Math.min(list.count, rows); row++) {
    const message = list.rowAt(row);
    if (message !== undefined && !message.truncated) set.add(message.data);
  }
  return set.version !== before;
}
