/**
 * The delta publish preview: the record the server will hold after merging a delta into the
 * current one (fields of the delta replace the record's, nested objects merge field by field,
 * arrays and other values are replaced whole), and the filter that finds the current record
 * from the SOW topic's key fields.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const isObject = (v: unknown): v is Record<string, Json> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** Sets a field as data (a `__proto__` field of a parsed record stays a field). */
function setField(target: Record<string, Json>, key: string, value: Json): void {
  if (key === '__proto__')
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/** A deep copy of a JSON value (several times faster than `structuredClone` on records). */
function cloneJson(value: unknown): Json {
  if (value === null || typeof value !== 'object') return value as Json;
  if (Array.isArray(value)) return value.map(cloneJson);
  const out: Record<string, Json> = {};
  for (const [k, v] of Object.entries(value)) setField(out, k, cloneJson(v));
  return out;
}

/** `current` with `delta` merged in (a new object; neither input changes). */
export function mergeDelta(current: unknown, delta: unknown): unknown {
  if (!isObject(current) || !isObject(delta)) return cloneJson(delta);
  const out = cloneJson(current) as Record<string, Json>;
  for (const [k, v] of Object.entries(delta)) {
    const before = Object.hasOwn(out, k) ? out[k] : undefined;
    setField(out, k, isObject(before) && isObject(v) ? (mergeDelta(before, v) as Json) : cloneJson(v));
  }
  return out;
}

/** The value at a field path (`/a/b`) of a JSON value, or undefined. */
export function valueAt(value: unknown, path: string): unknown {
  let v = value;
  for (const part of path.split('/').filter((p) => p !== '')) {
    if (!isObject(v)) return undefined;
    v = v[part];
  }
  return v;
}

const literal = (v: unknown): string | undefined => {
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v === 'string') return `'${v.replace(/'/g, "''")}'`;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return undefined;
};

/**
 * The filter selecting the record with the same key as `data` (`/id = 5 AND /region = 'EU'`),
 * or a reason why there is none (a key field missing from the message, not a scalar).
 */
export function keyFilter(
  keyFields: readonly string[],
  data: unknown,
): { filter: string } | { problem: string } {
  if (keyFields.length === 0)
    return { problem: 'the topic has no key fields: a SowKey is needed to find its record' };
  const terms: string[] = [];
  for (const field of keyFields) {
    const v = literal(valueAt(data, field));
    if (v === undefined) return { problem: `the message has no value for the key field ${field}` };
    terms.push(`${field} = ${v}`);
  }
  return { filter: terms.join(' AND ') };
}
