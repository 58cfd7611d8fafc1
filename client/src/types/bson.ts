/**
 * BSON payloads (bsonspec.org 1.1): decode of every element type of the spec, encode of
 * plain objects. Value model: double/int32 → number; int64 → number, or bigint beyond
 * ±(2^53-1); string → string; document → plain object (a repeated key keeps its first
 * value); array → array; binary subtype 0 → Uint8Array, other subtypes → {@link BsonBinary};
 * datetime → Date; null → null; boolean → boolean. Types with no JS counterpart (ObjectId,
 * regex, timestamp, decimal128, JS code, symbol, DBPointer, min/max key, undefined) become
 * {@link BsonOther}, carrying the raw value bytes so they re-encode unchanged.
 *
 * Why ours and not the `bson` package (issue 15, `npm run bench -- codecs`,
 * `LIB=bsonLib npx vitest run --config bench/codecLibs/libTests.config.ts`): on a 259-byte
 * order it is 2-3x faster to encode and 1.6-2.8x to decode in its own value model (Long,
 * Binary, ObjectId ...), 1.5-2x behind an adapter giving it ours. Behind that adapter
 * 13 of our 47 codec tests fail: every malformed-input error loses its message and byte
 * offset, nesting beyond 512 levels is not refused, Maps are encoded instead of refused. Its
 * bundle is 22.8 KB gzipped against our 3.8 KB, a lot for the renderer-safe codecs.
 */
import { toHex } from './binary.js';
import { ByteReader, narrowInt64 } from './byteReader.js';
import { ByteWriter } from './byteWriter.js';
import { addFirstMember, describeType } from './members.js';
import { MAX_NESTING_DEPTH, PayloadError } from './payloadError.js';
import { decodeUtf8, utf8Length } from './utf8.js';

/** Binary data with a subtype other than 0 (generic). */
export class BsonBinary {
  constructor(
    /** The BSON binary subtype, 0..255. */
    readonly subtype: number,
    /** The data bytes. */
    readonly data: Uint8Array,
  ) {}
}

/** An element type with no JS counterpart, kept as its type code and raw value bytes. */
export class BsonOther {
  constructor(
    /** The BSON element type code, e.g. 0x07 for ObjectId. */
    readonly typeCode: number,
    /** The type's name, e.g. `objectId`. */
    readonly typeName: string,
    /** The element's value bytes exactly as in the document. */
    readonly bytes: Uint8Array,
    /** Human-readable rendering, e.g. the regex `/a+/i` or the ObjectId's hex. */
    readonly display: string,
  ) {}
}

/** A decoded BSON value (see the module TSDoc). */
export type BsonValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Date
  | Uint8Array
  | BsonBinary
  | BsonOther
  | BsonValue[]
  | BsonDocument;

/** A decoded BSON document. */
export interface BsonDocument {
  [key: string]: BsonValue;
}

const LE = true;
const MAX_DATE_MS = 8_640_000_000_000_000n;

class Decoder {
  constructor(private readonly r: ByteReader) {}

  private cstring(what: string): string {
    const r = this.r;
    const start = r.pos;
    const end = r.bytes.indexOf(0, start);
    if (end < 0) r.fail(`${what} has no terminating NUL`, start);
    r.pos = end + 1;
    return decodeUtf8(r.bytes.subarray(start, end), 'bson', start, what);
  }

  private string(what: string): string {
    const r = this.r;
    const at = r.pos;
    const length = r.i32(`${what} length`, LE);
    if (length < 1) r.fail(`${what} length ${length} is below 1`, at);
    const bytes = r.take(length, what);
    if (bytes[length - 1] !== 0) r.fail(`${what} does not end with NUL`, r.pos - 1);
    return decodeUtf8(bytes.subarray(0, length - 1), 'bson', at + 4, what);
  }

  /** Reads a document or array body; `array` gives a JS array of the values in order. */
  document(depth: number, array: boolean): BsonDocument | BsonValue[] {
    const r = this.r;
    const at = r.pos;
    if (depth >= MAX_NESTING_DEPTH) r.fail(`nesting deeper than ${MAX_NESTING_DEPTH} levels`, at);
    const length = r.i32('document length', LE);
    if (length < 5) r.fail(`document length ${length} is below the minimum 5`, at);
    if (length - 4 > r.remaining)
      r.fail(`document length ${length} exceeds the ${r.remaining + 4} bytes left`, at);
    const end = at + length;
    const doc: BsonDocument = {};
    const list: BsonValue[] = [];
    for (;;) {
      const typeAt = r.pos;
      if (typeAt >= end) r.fail('document is missing its terminating NUL', end - 1);
      const type = r.u8('element type');
      if (type === 0) {
        if (r.pos !== end) r.fail(`document ends at byte ${r.pos} but its length says ${end}`, typeAt);
        return array ? list : doc;
      }
      const key = this.cstring('element name');
      if (r.pos > end) r.fail(`element name '${key}' runs past the end of its document`, typeAt);
      const value = this.element(type, key, typeAt, depth);
      if (r.pos > end) r.fail(`element '${key}' runs past the end of its document`, typeAt);
      if (array) list.push(value);
      else addFirstMember(doc, key, value);
    }
  }

  private other(type: number, name: string, start: number, display?: string): BsonOther {
    const bytes = this.r.bytes.slice(start, this.r.pos);
    return new BsonOther(type, name, bytes, display ?? toHex(bytes));
  }

  private element(type: number, key: string, at: number, depth: number): BsonValue {
    const r = this.r;
    const start = r.pos;
    switch (type) {
      case 0x01:
        return r.f64('double', LE);
      case 0x02:
        return this.string('string');
      case 0x03:
        return this.document(depth + 1, false);
      case 0x04:
        return this.document(depth + 1, true);
      case 0x05: {
        const length = r.i32('binary length', LE);
        if (length < 0) r.fail(`binary length ${length} is negative`, start);
        const subtype = r.u8('binary subtype');
        const data = r.take(length, 'binary data').slice();
        return subtype === 0 ? data : new BsonBinary(subtype, data);
      }
      case 0x06:
        return this.other(type, 'undefined', start, 'undefined');
      case 0x07:
        r.take(12, 'ObjectId');
        return this.other(type, 'objectId', start);
      case 0x08: {
        const b = r.u8('boolean');
        if (b > 1) r.fail(`boolean byte is ${b} (0 or 1 expected)`, start);
        return b === 1;
      }
      case 0x09: {
        const ms = r.i64('datetime', LE);
        if (ms > MAX_DATE_MS || ms < -MAX_DATE_MS)
          return this.other(type, 'datetime', start, `${ms} ms since the epoch`);
        return new Date(Number(ms));
      }
      case 0x0a:
        return null;
      case 0x0b: {
        const pattern = this.cstring('regex pattern');
        const flags = this.cstring('regex options');
        return this.other(type, 'regex', start, `/${pattern}/${flags}`);
      }
      case 0x0c: {
        const ns = this.string('DBPointer namespace');
        const id = r.take(12, 'DBPointer id');
        return this.other(type, 'dbPointer', start, `${ns}:${toHex(id)}`);
      }
      case 0x0d:
        return this.other(type, 'javascript', start, this.string('JavaScript code'));
      case 0x0e:
        return this.other(type, 'symbol', start, this.string('symbol'));
      case 0x0f: {
        const length = r.i32('code with scope length', LE);
        if (length < 14) r.fail(`code with scope length ${length} is below the minimum 14`, start);
        const code = this.string('code with scope');
        this.document(depth + 1, false);
        if (r.pos !== start + length)
          r.fail(`code with scope length ${length} does not match its content`, start);
        return this.other(type, 'javascriptWithScope', start, code);
      }
      case 0x10:
        return r.i32('int32', LE);
      case 0x11: {
        const increment = r.u32('timestamp increment', LE);
        const seconds = r.u32('timestamp seconds', LE);
        return this.other(type, 'timestamp', start, `Timestamp(${seconds}, ${increment})`);
      }
      case 0x12:
        return narrowInt64(r.i64('int64', LE));
      case 0x13:
        r.take(16, 'decimal128');
        return this.other(type, 'decimal128', start);
      case 0xff:
        return this.other(type, 'minKey', start, 'MinKey');
      case 0x7f:
        return this.other(type, 'maxKey', start, 'MaxKey');
      default:
        return r.fail(
          `unsupported element type 0x${type.toString(16).padStart(2, '0')} for '${key}' (its length is unknown, so decoding stops)`,
          at,
        );
    }
  }
}

/**
 * Decodes one BSON document filling the whole payload. Throws {@link PayloadError} for
 * wrong lengths, truncation, bad UTF-8, missing NULs, unknown element types, nesting
 * beyond 512 levels and trailing bytes.
 */
export function decodeBson(bytes: Uint8Array): BsonDocument {
  const r = new ByteReader(bytes, 'bson');
  if (bytes.length === 0) r.fail('empty payload');
  const doc = new Decoder(r).document(0, false) as BsonDocument;
  if (r.remaining > 0)
    r.fail(`${r.remaining} trailing byte${r.remaining === 1 ? '' : 's'} after the document`);
  return doc;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

class Encoder {
  readonly w = new ByteWriter();

  document(entries: [string, unknown][], depth: number, path: string): void {
    if (depth > MAX_NESTING_DEPTH)
      throw new PayloadError('bson', `value nested deeper than ${MAX_NESTING_DEPTH} levels at ${path}`);
    const w = this.w;
    const start = w.length;
    w.i32(0, LE);
    for (const [key, value] of entries) {
      if (value !== undefined) this.element(key, value, depth, path);
    }
    w.u8(0);
    w.patchI32(start, w.length - start, LE);
  }

  private cstring(text: string, path: string): void {
    if (text.includes('\u0000'))
      throw new PayloadError('bson', `name '${text}' contains NUL (in ${path || '/'})`);
    this.w.utf8(text);
    this.w.u8(0);
  }

  private head(type: number, key: string, parent: string): void {
    this.w.u8(type);
    this.cstring(key, parent);
  }

  /** Writes one element; `parent` is the path of the containing document, for errors. */
  private element(key: string, v: unknown, depth: number, parent: string): void {
    const w = this.w;
    if (v === null) this.head(0x0a, key, parent);
    else if (typeof v === 'boolean') {
      this.head(0x08, key, parent);
      w.u8(v ? 1 : 0);
    } else if (typeof v === 'number') {
      if (Object.is(v, -0) || !Number.isSafeInteger(v)) {
        this.head(0x01, key, parent);
        w.f64(v, LE);
      } else if (v >= -0x8000_0000 && v <= 0x7fff_ffff) {
        this.head(0x10, key, parent);
        w.i32(v, LE);
      } else {
        this.head(0x12, key, parent);
        w.i64(BigInt(v), LE);
      }
    } else if (typeof v === 'bigint') {
      if (v < -(1n << 63n) || v >= 1n << 63n)
        throw new PayloadError('bson', `integer ${v} does not fit int64 (at ${parent}/${key})`);
      this.head(0x12, key, parent);
      w.i64(v, LE);
    } else if (typeof v === 'string') {
      this.head(0x02, key, parent);
      const n = utf8Length(v);
      w.i32(n + 1, LE);
      w.utf8(v, n);
      w.u8(0);
    } else if (v instanceof Date) {
      if (Number.isNaN(v.getTime())) throw new PayloadError('bson', `invalid Date (at ${parent}/${key})`);
      this.head(0x09, key, parent);
      w.i64(BigInt(v.getTime()), LE);
    } else if (v instanceof Uint8Array || v instanceof BsonBinary) {
      const [subtype, data] = v instanceof BsonBinary ? [v.subtype, v.data] : [0, v];
      this.head(0x05, key, parent);
      w.i32(data.length, LE);
      w.u8(subtype);
      w.bytes(data);
    } else if (v instanceof BsonOther) {
      this.head(v.typeCode, key, parent);
      w.bytes(v.bytes);
    } else if (Array.isArray(v)) {
      this.head(0x04, key, parent);
      this.document(
        v.map((item: unknown, i) => [String(i), item === undefined ? null : item]),
        depth + 1,
        `${parent}/${key}`,
      );
    } else if (isPlainObject(v)) {
      this.head(0x03, key, parent);
      this.document(Object.entries(v), depth + 1, `${parent}/${key}`);
    } else throw new PayloadError('bson', `cannot encode ${describeType(v)} (at ${parent}/${key})`);
  }
}

/**
 * Encodes a plain object as a BSON document: integers as int32 or int64 by range, other
 * numbers as double, bigints as int64, Date as datetime, Uint8Array as binary (subtype 0),
 * arrays as BSON arrays; {@link BsonBinary} and {@link BsonOther} re-encode as they were.
 * `undefined` members are skipped. Throws {@link PayloadError} for anything else.
 */
export function encodeBson(doc: Record<string, unknown>): Uint8Array {
  if (!isPlainObject(doc))
    throw new PayloadError('bson', `a BSON document must be a plain object, not ${describeType(doc)}`);
  const e = new Encoder();
  e.document(Object.entries(doc), 0, '');
  return e.w.finish();
}
