/**
 * Turns decoded MessagePack / BSON / BFlat values into the plain documents the expression
 * evaluator resolves identifiers in: integers → numbers (beyond 2^53 → decimal text, so
 * order_by and comparisons never meet a bigint), binary → its UTF-8 text, dates → epoch ms,
 * timestamps → epoch seconds, maps → objects keyed by the key's text; values with no
 * scalar meaning (extensions, ObjectIds, ...) → their display text or null.
 */
import {
  BsonBinary,
  BsonOther,
  MsgPackExtension,
  MsgPackTimestamp,
} from '../../../client/src/types/index.js';

/** Whether a value is a plain object literal (not a class instance such as Date or BsonBinary). */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** One decoded scalar as a plain value. */
export function plainScalar(v: unknown): unknown {
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('utf8');
  if (v instanceof Date) return v.getTime();
  if (v instanceof BsonBinary) return plainScalar(v.data);
  if (v instanceof BsonOther) return v.display;
  if (v instanceof MsgPackTimestamp) return Number(v.seconds) + v.nanoseconds / 1e9;
  if (v instanceof MsgPackExtension) return null;
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  return v;
}

/** A decoded document tree as a plain document. */
export function toPlain(v: unknown, depth = 0): unknown {
  if (depth > 600) return null;
  if (Array.isArray(v)) return v.map((x: unknown) => toPlain(x, depth + 1));
  if (v instanceof Map) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of v as Map<unknown, unknown>)
      out[typeof k === 'string' ? k : String(plainScalar(k))] = toPlain(x, depth + 1);
    return out;
  }
  if (isPlainObject(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = toPlain(x, depth + 1);
    return out;
  }
  return plainScalar(v);
}
