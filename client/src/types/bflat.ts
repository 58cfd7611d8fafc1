/**
 * BFlat payloads, byte exact per spec §13.2: a flat sequence of typed, tagged fields with
 * no outer header. Descriptor byte = array flag (0x80) | type (0x78) | tag length 1..7
 * (0 = a LEB128 tag length follows); then the UTF-8 tag, an element count for arrays, and
 * the value(s), little-endian.
 */
import { ByteReader } from './byteReader.js';
import { ByteWriter } from './byteWriter.js';
import { addFirstMember, describeType } from './members.js';
import { readSleb128, readUleb128, writeSleb128, writeUleb128 } from './leb128.js';
import { PayloadError } from './payloadError.js';
import { decodeUtf8, encodeUtf8 } from './utf8.js';

/** The BFlat value types. */
export type BFlatType =
  'null' | 'string' | 'binary' | 'int8' | 'int16' | 'int32' | 'int64' | 'double' | 'datetime' | 'leb128';

/** One BFlat scalar: null; string; Uint8Array (binary); number (int8/16/32, double); bigint (int64, leb128); Date (datetime). */
export type BFlatScalar = null | string | Uint8Array | number | bigint | Date;

/** One typed BFlat field, as on the wire. */
export interface BFlatField {
  /** The field's tag (non-empty). */
  tag: string;
  /** The value type. */
  type: BFlatType;
  /** True for an array field; `value` is then an array of scalars. */
  array: boolean;
  /** The value (see {@link BFlatScalar} for the JS type of each BFlat type). */
  value: BFlatScalar | BFlatScalar[];
}

/** Type codes (bits 6..3 of the descriptor) by type. */
export const BFLAT_TYPE_CODES: Readonly<Record<BFlatType, number>> = {
  null: 0x00,
  string: 0x08,
  binary: 0x10,
  int8: 0x18,
  int16: 0x20,
  int32: 0x28,
  int64: 0x30,
  double: 0x38,
  datetime: 0x40,
  leb128: 0x48,
};

const TYPE_BY_CODE = new Map<number, BFlatType>(
  Object.entries(BFLAT_TYPE_CODES).map(([name, code]) => [code, name as BFlatType]),
);
const FIXED_SIZE: Partial<Record<BFlatType, number>> = {
  int8: 1,
  int16: 2,
  int32: 4,
  int64: 8,
  double: 8,
  datetime: 8,
};
const LE = true;
const MAX_DATE_MS = 8_640_000_000_000_000n;
/** Cap on the element count of a null-typed array (its elements take no bytes). */
const MAX_NULL_ARRAY = 1 << 20;

function readScalar(r: ByteReader, type: BFlatType, tag: string): BFlatScalar {
  const what = `value of '${tag}'`;
  switch (type) {
    case 'null':
      return null;
    case 'string': {
      const n = readUleb128(r, `string length of '${tag}'`);
      const at = r.pos;
      return decodeUtf8(r.take(n, what), 'bflat', at, what);
    }
    case 'binary':
      return r.take(readUleb128(r, `binary length of '${tag}'`), what).slice();
    case 'int8':
      return r.i8(what);
    case 'int16':
      return r.i16(what, LE);
    case 'int32':
      return r.i32(what, LE);
    case 'int64':
      return r.i64(what, LE);
    case 'double':
      return r.f64(what, LE);
    case 'datetime': {
      const at = r.pos;
      const ms = r.i64(what, LE);
      if (ms > MAX_DATE_MS || ms < -MAX_DATE_MS)
        r.fail(`datetime ${ms} ms of '${tag}' is outside the Date range`, at);
      return new Date(Number(ms));
    }
    case 'leb128':
      return readSleb128(r, what);
  }
}

/**
 * Decodes a BFlat payload into its fields, in order, duplicates kept. Throws
 * {@link PayloadError} for unknown type codes, empty tags, truncation, bad UTF-8 and
 * counts larger than the bytes left.
 */
export function decodeBFlatFields(bytes: Uint8Array): BFlatField[] {
  const r: ByteReader = new ByteReader(bytes, 'bflat');
  const fields: BFlatField[] = [];
  while (r.remaining > 0) {
    const at = r.pos;
    const descriptor = r.u8('descriptor');
    const code = descriptor & 0x78;
    const type = TYPE_BY_CODE.get(code);
    if (type === undefined)
      r.fail(`unknown type code 0x${code.toString(16).padStart(2, '0')} in descriptor`, at);
    const array = (descriptor & 0x80) !== 0;
    const inline = descriptor & 0x07;
    const tagLength = inline !== 0 ? inline : readUleb128(r, 'tag length');
    if (tagLength === 0) r.fail('empty tag', at);
    const tagAt = r.pos;
    const tag = decodeUtf8(r.take(tagLength, 'tag'), 'bflat', tagAt, 'a tag');
    if (!array) {
      fields.push({ tag, type, array, value: readScalar(r, type, tag) });
      continue;
    }
    const countAt = r.pos;
    const count = readUleb128(r, `element count of '${tag}'`);
    const min = type === 'null' ? 0 : (FIXED_SIZE[type] ?? 1);
    if (min === 0 ? count > MAX_NULL_ARRAY : count * min > r.remaining) {
      r.fail(`element count ${count} of '${tag}' exceeds the ${r.remaining} bytes left`, countAt);
    }
    const values: BFlatScalar[] = [];
    for (let i = 0; i < count; i++) values.push(readScalar(r, type, tag));
    fields.push({ tag, type, array, value: values });
  }
  return fields;
}

function typeMismatch(type: BFlatType, v: BFlatScalar, tag: string, expected: string): PayloadError {
  return new PayloadError('bflat', `'${tag}' is ${type} but holds ${describeType(v)} (${expected} expected)`);
}

function checkInteger(type: BFlatType, v: BFlatScalar, tag: string, lo: bigint, hi: bigint): void {
  const ok =
    (typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v))) &&
    BigInt(v) >= lo &&
    BigInt(v) <= hi;
  if (!ok) throw new PayloadError('bflat', `'${tag}' value ${String(v)} is not a ${type} integer`);
}

function checkScalar(type: BFlatType, v: BFlatScalar, tag: string): void {
  switch (type) {
    case 'null':
      if (v !== null) throw typeMismatch(type, v, tag, 'null');
      return;
    case 'string':
      if (typeof v !== 'string') throw typeMismatch(type, v, tag, 'a string');
      return;
    case 'binary':
      if (!(v instanceof Uint8Array)) throw typeMismatch(type, v, tag, 'a Uint8Array');
      return;
    case 'int8':
      return checkInteger(type, v, tag, -0x80n, 0x7fn);
    case 'int16':
      return checkInteger(type, v, tag, -0x8000n, 0x7fffn);
    case 'int32':
      return checkInteger(type, v, tag, -0x8000_0000n, 0x7fff_ffffn);
    case 'int64':
      return checkInteger(type, v, tag, -(1n << 63n), (1n << 63n) - 1n);
    case 'leb128':
      return checkInteger(type, v, tag, -(1n << 127n), (1n << 127n) - 1n);
    case 'double':
      if (typeof v !== 'number') throw typeMismatch(type, v, tag, 'a number');
      return;
    case 'datetime':
      if (!(v instanceof Date) || Number.isNaN(v.getTime())) throw typeMismatch(type, v, tag, 'a valid Date');
  }
}

function writeScalar(w: ByteWriter, type: BFlatType, v: BFlatScalar): void {
  switch (type) {
    case 'null':
      return;
    case 'string':
    case 'binary': {
      const bytes = typeof v === 'string' ? encodeUtf8(v) : (v as Uint8Array);
      writeUleb128(w, bytes.length);
      w.bytes(bytes);
      return;
    }
    case 'int8':
      return w.u8(Number(v));
    case 'int16':
      return w.i16(Number(v), LE);
    case 'int32':
      return w.i32(Number(v), LE);
    case 'int64':
      return w.i64(BigInt(v as number | bigint), LE);
    case 'double':
      return w.f64(v as number, LE);
    case 'datetime':
      return w.i64(BigInt((v as Date).getTime()), LE);
    case 'leb128':
      return writeSleb128(w, BigInt(v as number | bigint));
  }
}

/**
 * Encodes typed fields exactly. int64 and leb128 accept bigint or an integer number.
 * Throws {@link PayloadError} for an empty tag or a value that does not fit its type.
 */
export function encodeBFlatFields(fields: readonly BFlatField[]): Uint8Array {
  const w = new ByteWriter();
  for (const f of fields) {
    const tag = encodeUtf8(f.tag);
    if (tag.length === 0) throw new PayloadError('bflat', 'empty tag');
    const code = BFLAT_TYPE_CODES[f.type];
    if (code === undefined) throw new PayloadError('bflat', `'${f.tag}' has unknown type ${String(f.type)}`);
    if (f.array !== Array.isArray(f.value)) {
      throw new PayloadError(
        'bflat',
        `'${f.tag}' is ${f.array ? 'an array field without an array value' : 'a scalar field holding an array'}`,
      );
    }
    const values: BFlatScalar[] = Array.isArray(f.value) ? f.value : [f.value];
    for (const v of values) checkScalar(f.type, v, f.tag);
    w.u8((f.array ? 0x80 : 0) | code | (tag.length <= 7 ? tag.length : 0));
    if (tag.length > 7) writeUleb128(w, tag.length);
    w.bytes(tag);
    if (f.array) writeUleb128(w, values.length);
    for (const v of values) writeScalar(w, f.type, v);
  }
  return w.finish();
}

const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;

function inferType(v: unknown, tag: string): BFlatType {
  if (v === null) return 'null';
  if (typeof v === 'string') return 'string';
  if (v instanceof Uint8Array) return 'binary';
  if (v instanceof Date) return 'datetime';
  if (typeof v === 'number')
    return Number.isInteger(v) && v >= -0x8000_0000 && v <= 0x7fff_ffff && !Object.is(v, -0)
      ? 'int32'
      : 'double';
  if (typeof v === 'bigint') return v >= INT64_MIN && v <= INT64_MAX ? 'int64' : 'leb128';
  if (typeof v === 'boolean')
    throw new PayloadError('bflat', `'${tag}' is a boolean; BFlat has no boolean type (use a number)`);
  throw new PayloadError(
    'bflat',
    `'${tag}' holds ${describeType(v)}; BFlat is flat and holds only scalars and arrays of them`,
  );
}

const WIDER: Partial<Record<BFlatType, BFlatType>> = { int32: 'double', int64: 'leb128' };

/**
 * Encodes a flat object, inferring types: integer numbers in int32 range → int32, other
 * numbers → double, bigints → int64 (leb128 beyond 64 bits), strings, Uint8Array →
 * binary, Date → datetime, null → null; arrays of one such kind → array fields (an empty
 * array is int32). `undefined` members are skipped. Throws {@link PayloadError} for
 * booleans, nested objects and mixed arrays.
 */
export function encodeBFlat(obj: Record<string, unknown>): Uint8Array {
  const fields: BFlatField[] = [];
  for (const [tag, v] of Object.entries(obj)) {
    if (v === undefined) continue;
    if (!Array.isArray(v)) {
      fields.push({ tag, type: inferType(v, tag), array: false, value: v as BFlatScalar });
      continue;
    }
    let type: BFlatType | undefined;
    for (const item of v as unknown[]) {
      const t = inferType(item, tag);
      if (type === undefined || type === t) type = t;
      else if (WIDER[type] === t) type = t;
      else if (WIDER[t] !== type)
        throw new PayloadError('bflat', `array '${tag}' mixes ${type} and ${t} elements`);
    }
    fields.push({ tag, type: type ?? 'int32', array: true, value: v as BFlatScalar[] });
  }
  return encodeBFlatFields(fields);
}

/** Decodes a BFlat payload to an object of tag → value; a repeated tag keeps its first value. */
export function decodeBFlat(bytes: Uint8Array): Record<string, BFlatScalar | BFlatScalar[]> {
  const out: Record<string, BFlatScalar | BFlatScalar[]> = {};
  for (const f of decodeBFlatFields(bytes)) {
    addFirstMember(out, f.tag, f.value);
  }
  return out;
}
