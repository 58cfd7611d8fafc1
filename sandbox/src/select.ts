/**
 * Select lists (spec §4.2 `select=[-/,+/id,+/qty]`): which fields of a JSON payload a
 * subscription or query receives. Entries apply in order; for any field the last entry naming
 * it or one of its ancestors decides. A list that starts with `+` starts from nothing (only the
 * named fields are sent); one that starts with `-` starts from the whole message. `+` of a nested
 * field keeps its enclosing objects (holding only what was selected).
 */

/** Thrown for a malformed select list; `reason` is the AMPS reason text. */
export class SelectError extends Error {
  override readonly name = 'SelectError';
  readonly reason = 'invalid options';
}

interface SelectEntry {
  include: boolean;
  steps: string[];
}

/** A compiled select list. */
export interface SelectList {
  entries: SelectEntry[];
  /** Whether fields no entry covers are included. */
  defaultInclude: boolean;
}

/**
 * Parses `[-/,+/id,+/a/b]`.
 * @throws SelectError naming the bad entry
 */
export function parseSelect(text: string): SelectList {
  const t = text.trim();
  const body = t.startsWith('[') && t.endsWith(']') ? t.slice(1, -1) : t;
  const entries: SelectEntry[] = [];
  for (const raw of body.split(',')) {
    const part = raw.trim();
    const m = /^([+-])(\/[^\s,[\]]*)$/.exec(part);
    if (!m) {
      throw new SelectError(`select entry "${part}" must be +/path or -/path (in "${text}")`);
    }
    entries.push({ include: m[1] === '+', steps: (m[2] as string).split('/').filter((s) => s !== '') });
  }
  const firstEntry = entries[0];
  if (!firstEntry) throw new SelectError(`select list "${text}" is empty`);
  return { entries, defaultInclude: !firstEntry.include };
}

const isPrefix = (prefix: readonly string[], path: readonly string[]): boolean =>
  prefix.length <= path.length && prefix.every((s, i) => path[i] === s);

function decide(list: SelectList, path: readonly string[]): boolean {
  let include = list.defaultInclude;
  for (const e of list.entries) if (isPrefix(e.steps, path)) include = e.include;
  return include;
}

function hasDeeperEntry(list: SelectList, path: readonly string[]): boolean {
  return list.entries.some((e) => e.steps.length > path.length && isPrefix(path, e.steps));
}

function project(list: SelectList, node: Record<string, unknown>, path: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    path.push(key);
    const included = decide(list, path);
    const isObject = value !== null && typeof value === 'object' && !Array.isArray(value);
    if (isObject && hasDeeperEntry(list, path)) {
      const inner = project(list, value as Record<string, unknown>, path);
      if (included || Object.keys(inner).length > 0) out[key] = inner;
    } else if (included) {
      out[key] = value;
    }
    path.pop();
  }
  return out;
}

/** Applies the list to a parsed payload (non-objects pass through unchanged). */
export function applySelect(list: SelectList, json: unknown): unknown {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return json;
  return project(list, json as Record<string, unknown>, []);
}

/** Applies the list to payload bytes; a payload that is not JSON is sent unchanged. */
export function selectPayload(list: SelectList, data: Buffer): Buffer {
  let json: unknown;
  try {
    json = JSON.parse(data.toString('utf8'));
  } catch {
    return data;
  }
  return Buffer.from(JSON.stringify(applySelect(list, json)), 'utf8');
}
