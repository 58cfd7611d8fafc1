/** Delta messaging for JSON (spec §9.1 merge, §9.2 diff). */

type Json = unknown;
type JsonObject = Record<string, unknown>;

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Merges a delta update into a copy of the existing record: fields present in the update
 * replace the old ones, nested objects merge leaf by leaf, arrays and scalars replace,
 * NULL values in the update are ignored (spec §9.1).
 */
export function mergeDelta(old: Json, update: Json): Json {
  if (!isObject(old) || !isObject(update)) return update;
  const out: JsonObject = { ...old };
  for (const [key, value] of Object.entries(update)) {
    if (value === null) continue;
    const prev = out[key];
    out[key] = isObject(value) && isObject(prev) ? mergeDelta(prev, value) : value;
  }
  return out;
}

/**
 * The delta a delta subscriber receives: key fields plus the fields whose values changed
 * (nested objects compared recursively, arrays wholesale) (spec §9.2).
 * @returns the delta document and whether it holds any changed field
 */
export function diffRecord(
  old: Json,
  next: Json,
  keyPaths: readonly string[],
): { delta: Json; changed: boolean } {
  if (!isObject(old) || !isObject(next)) return { delta: next, changed: true };
  const delta = diffObjects(old, next);
  const changed = delta !== undefined;
  const out: JsonObject = delta ?? {};
  for (const path of keyPaths) copyPath(next, out, path);
  return { delta: out, changed };
}

function diffObjects(old: JsonObject, next: JsonObject): JsonObject | undefined {
  let out: JsonObject | undefined;
  for (const [key, value] of Object.entries(next)) {
    const prev = old[key];
    if (isObject(value) && isObject(prev)) {
      const sub = diffObjects(prev, value);
      if (sub !== undefined) (out ??= {})[key] = sub;
    } else if (!(key in old) || JSON.stringify(prev) !== JSON.stringify(value)) {
      (out ??= {})[key] = value;
    }
  }
  return out;
}

function copyPath(from: JsonObject, to: JsonObject, path: string): void {
  const parts = path.split('/').filter((p) => p !== '');
  let src: unknown = from;
  let dst = to;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string;
    if (!isObject(src) || !(part in src)) return;
    src = src[part];
    if (i === parts.length - 1) {
      dst[part] = src;
    } else {
      const existing = dst[part];
      if (!isObject(existing)) dst[part] = {};
      dst = dst[part] as JsonObject;
    }
  }
}

/** Reads the value at a JSON path such as `/a/b` (undefined when absent). */
export function valueAt(doc: unknown, path: string): unknown {
  let cur = doc;
  for (const part of path.split('/')) {
    if (part === '') continue;
    if (!isObject(cur)) return undefined;
    cur = cur[part];
  }
  return cur;
}
