/**
 * An adapter giving the `bson` package (MongoDB's reference implementation) the API and value
 * model of client/src/types/bson.ts, for the codecs benchmark and to run our tests against the
 * library: int64 narrowed to number when safe, binary subtype 0 as Uint8Array, types with no
 * JS counterpart as BsonOther with their raw bytes. Library errors become PayloadError.
 */
import { Binary, BSON, Double, Long } from 'bson';
import { toHex } from '../../client/src/types/binary.js';
import { BsonBinary, BsonOther } from '../../client/src/types/bson.js';
import { PayloadError } from '../../client/src/types/payloadError.js';

export { BsonBinary, BsonOther };
export type { BsonDocument, BsonValue } from '../../client/src/types/bson.js';

const OTHER_NAMES: Record<string, [number, string]> = {
  ObjectId: [0x07, 'objectId'],
  BSONRegExp: [0x0b, 'regex'],
  Timestamp: [0x11, 'timestamp'],
  Decimal128: [0x13, 'decimal128'],
  Code: [0x0d, 'javascript'],
  BSONSymbol: [0x0e, 'symbol'],
  MinKey: [0xff, 'minKey'],
  MaxKey: [0x7f, 'maxKey'],
  DBRef: [0x03, 'dbRef'],
};

/** The raw value bytes of one library value (serialized as the only member `v`). */
function rawOf(value: unknown): Uint8Array {
  const doc = BSON.serialize({ v: value });
  return doc.slice(4 + 1 + 2, doc.length - 1);
}

function fromLib(v: unknown): unknown {
  if (typeof v === 'bigint') {
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  }
  if (v === null || typeof v !== 'object' || v instanceof Date) return v;
  if (v === undefined) return new BsonOther(0x06, 'undefined', new Uint8Array(0), 'undefined');
  if (Array.isArray(v)) return v.map(fromLib);
  if (v instanceof Binary) {
    const data = new Uint8Array(v.buffer.subarray(0, v.position));
    return v.sub_type === 0 ? data : new BsonBinary(v.sub_type, data);
  }
  if (v instanceof Uint8Array) return new Uint8Array(v);
  const kind = (v as { _bsontype?: string })._bsontype;
  if (kind !== undefined) {
    const [code, name] = OTHER_NAMES[kind] ?? [0, kind];
    const bytes = rawOf(v);
    return new BsonOther(code, name, bytes, toHex(bytes));
  }
  const out: Record<string, unknown> = {};
  for (const [k, item] of Object.entries(v)) out[k] = fromLib(item);
  return out;
}

function toLib(v: unknown): unknown {
  if (typeof v === 'number') {
    if (Object.is(v, -0) || !Number.isSafeInteger(v)) return new Double(v);
    return v >= -0x8000_0000 && v <= 0x7fff_ffff ? v : Long.fromBigInt(BigInt(v));
  }
  if (typeof v === 'bigint') return Long.fromBigInt(v);
  if (v === null || typeof v !== 'object' || v instanceof Date) return v;
  if (v instanceof Uint8Array) return new Binary(v, 0);
  if (v instanceof BsonBinary) return new Binary(v.data, v.subtype);
  if (v instanceof BsonOther) {
    const doc = new Uint8Array(v.bytes.length + 8);
    new DataView(doc.buffer).setInt32(0, doc.length, true);
    doc.set([v.typeCode, 0x76, 0], 4);
    doc.set(v.bytes, 7);
    return BSON.deserialize(doc, { promoteValues: false }).v as unknown;
  }
  if (Array.isArray(v)) return v.map((item: unknown) => toLib(item === undefined ? null : item));
  const out: Record<string, unknown> = {};
  for (const [k, item] of Object.entries(v)) if (item !== undefined) out[k] = toLib(item);
  return out;
}

function wrap<T>(step: () => T): T {
  try {
    return step();
  } catch (error) {
    if (error instanceof PayloadError) throw error;
    throw new PayloadError('bson', error instanceof Error ? error.message : String(error));
  }
}

/** Decodes one document with the bson package. */
export function decodeBson(bytes: Uint8Array): Record<string, unknown> {
  if (bytes.length === 0) throw new PayloadError('bson', 'empty payload');
  return wrap(
    () =>
      fromLib(BSON.deserialize(bytes, { useBigInt64: true, promoteBuffers: false })) as Record<
        string,
        unknown
      >,
  );
}

/** Encodes one plain object with the bson package. */
export function encodeBson(doc: Record<string, unknown>): Uint8Array {
  return wrap(() => {
    const out = BSON.serialize(toLib(doc) as Record<string, unknown>);
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  });
}

/** The library alone, in its own value model (what a caller of `bson` gets). */
export const rawBson = {
  decode: (bytes: Uint8Array): unknown => BSON.deserialize(bytes),
  encode: (doc: Record<string, unknown>): Uint8Array => BSON.serialize(doc),
};
