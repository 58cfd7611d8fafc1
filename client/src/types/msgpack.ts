/**
 * MessagePack payloads: a full decoder (every format of the spec, including extensions
 * and the timestamp extension -1) and an encoder choosing the smallest form.
 *
 * Value model: nil → null; integers → number, or bigint when beyond ±(2^53-1); float32
 * and float64 → number; str → string; bin → Uint8Array; array → array; map → plain object
 * when every key is a string (a repeated key keeps its first value), else a `Map`;
 * timestamp → {@link MsgPackTimestamp}; other extensions → {@link MsgPackExtension}.
 *
 * Why ours and not msgpackr or @msgpack/msgpack (issue 15, `npm run bench -- codecs`,
 * `LIB=msgpackr npx vitest run --config bench/codecLibs/libTests.config.ts`): on a 206-byte
 * order msgpackr is 2-6x faster in its own value model (decode 1.6-3.7x behind an adapter
 * giving it ours; ranges over runs on a loaded 2-core machine), but behind that adapter 16
 * of our 71 codec tests fail (15 for @msgpack/msgpack): golden frames (2^32 and -2^31-1
 * become float 64, -0 becomes 0, extension values become maps), first-key-wins and Map for
 * non-string keys, nesting beyond 512 (a stack overflow instead), and every error loses its
 * byte offset. Their bundles are 12.1 KB gzipped against
 * our 4.1 KB. Keeping the golden frames and errors is worth more than the speed.
 */
import { ByteReader, narrowInt64 } from './byteReader.js';
import { ByteWriter } from './byteWriter.js';
import { addFirstMember, describeType, isPlainObject } from './members.js';
import { MsgPackExtension, MsgPackTimestamp } from './msgpackExt.js';
import { MAX_NESTING_DEPTH, PayloadError } from './payloadError.js';
import { decodeUtf8, utf8Length } from './utf8.js';

export { MsgPackExtension, MsgPackTimestamp } from './msgpackExt.js';

/** A decoded MessagePack value (see the module TSDoc for the mapping). */
export type MsgPackValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | MsgPackValue[]
  | { [key: string]: MsgPackValue }
  | Map<MsgPackValue, MsgPackValue>
  | MsgPackExtension
  | MsgPackTimestamp;

const BE = false;
const TIMESTAMP_TYPE = -1;

class Decoder {
  constructor(private readonly r: ByteReader) {}

  value(depth: number): MsgPackValue {
    const r = this.r;
    const at = r.pos;
    const b = r.u8('value');
    if (b <= 0x7f) return b;
    if (b >= 0xe0) return b - 0x100;
    if (b <= 0x8f) return this.map(b & 0x0f, depth, at);
    if (b <= 0x9f) return this.array(b & 0x0f, depth, at);
    if (b <= 0xbf) return this.str(b & 0x1f);
    switch (b) {
      case 0xc0:
        return null;
      case 0xc1:
        return r.fail('byte 0xc1 is never used in MessagePack', at);
      case 0xc2:
        return false;
      case 0xc3:
        return true;
      case 0xc4:
        return r.take(r.u8('bin 8 length'), 'bin 8 data').slice();
      case 0xc5:
        return r.take(r.u16('bin 16 length', BE), 'bin 16 data').slice();
      case 0xc6:
        return r.take(r.u32('bin 32 length', BE), 'bin 32 data').slice();
      case 0xc7:
        return this.ext(r.u8('ext 8 length'), at);
      case 0xc8:
        return this.ext(r.u16('ext 16 length', BE), at);
      case 0xc9:
        return this.ext(r.u32('ext 32 length', BE), at);
      case 0xca:
        return r.f32('float 32', BE);
      case 0xcb:
        return r.f64('float 64', BE);
      case 0xcc:
        return r.u8('uint 8');
      case 0xcd:
        return r.u16('uint 16', BE);
      case 0xce:
        return r.u32('uint 32', BE);
      case 0xcf:
        return narrowInt64(r.u64('uint 64', BE));
      case 0xd0:
        return r.i8('int 8');
      case 0xd1:
        return r.i16('int 16', BE);
      case 0xd2:
        return r.i32('int 32', BE);
      case 0xd3:
        return narrowInt64(r.i64('int 64', BE));
      case 0xd4:
        return this.ext(1, at);
      case 0xd5:
        return this.ext(2, at);
      case 0xd6:
        return this.ext(4, at);
      case 0xd7:
        return this.ext(8, at);
      case 0xd8:
        return this.ext(16, at);
      case 0xd9:
        return this.str(r.u8('str 8 length'));
      case 0xda:
        return this.str(r.u16('str 16 length', BE));
      case 0xdb:
        return this.str(r.u32('str 32 length', BE));
      case 0xdc:
        return this.array(r.u16('array 16 count', BE), depth, at);
      case 0xdd:
        return this.array(r.u32('array 32 count', BE), depth, at);
      case 0xde:
        return this.map(r.u16('map 16 count', BE), depth, at);
      default:
        return this.map(r.u32('map 32 count', BE), depth, at);
    }
  }

  private str(length: number): string {
    const at = this.r.pos;
    return decodeUtf8(this.r.take(length, 'str data'), 'msgpack', at, 'a str');
  }

  private enter(depth: number, at: number): void {
    if (depth >= MAX_NESTING_DEPTH) this.r.fail(`nesting deeper than ${MAX_NESTING_DEPTH} levels`, at);
  }

  private array(count: number, depth: number, at: number): MsgPackValue[] {
    this.enter(depth, at);
    // Every element takes at least one byte: a count beyond the rest is a lie, not a reason to allocate.
    if (count > this.r.remaining)
      this.r.fail(`array count ${count} exceeds the ${this.r.remaining} bytes left`, at);
    const out: MsgPackValue[] = new Array<MsgPackValue>(count);
    for (let i = 0; i < count; i++) out[i] = this.value(depth + 1);
    return out;
  }

  private map(count: number, depth: number, at: number): MsgPackValue {
    this.enter(depth, at);
    if (count * 2 > this.r.remaining)
      this.r.fail(`map count ${count} exceeds the ${this.r.remaining} bytes left`, at);
    const keys: MsgPackValue[] = new Array<MsgPackValue>(count);
    const values: MsgPackValue[] = new Array<MsgPackValue>(count);
    let allStrings = true;
    for (let i = 0; i < count; i++) {
      const key = this.value(depth + 1);
      if (typeof key !== 'string') allStrings = false;
      keys[i] = key;
      values[i] = this.value(depth + 1);
    }
    if (!allStrings) {
      const map = new Map<MsgPackValue, MsgPackValue>();
      for (let i = 0; i < count; i++) map.set(keys[i] as MsgPackValue, values[i] as MsgPackValue);
      return map;
    }
    const obj: { [key: string]: MsgPackValue } = {};
    for (let i = 0; i < count; i++) addFirstMember(obj, keys[i] as string, values[i] as MsgPackValue);
    return obj;
  }

  private ext(length: number, at: number): MsgPackValue {
    const type = this.r.i8('ext type');
    const data = this.r.take(length, 'ext data');
    if (type !== TIMESTAMP_TYPE) return new MsgPackExtension(type, data.slice());
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    let seconds: bigint;
    let nanoseconds: number;
    if (length === 4) {
      seconds = BigInt(view.getUint32(0, BE));
      nanoseconds = 0;
    } else if (length === 8) {
      const both = view.getBigUint64(0, BE);
      nanoseconds = Number(both >> 34n);
      seconds = both & 0x3_ffff_ffffn;
    } else if (length === 12) {
      nanoseconds = view.getUint32(0, BE);
      seconds = view.getBigInt64(4, BE);
    } else {
      return this.r.fail(`timestamp extension has ${length} data bytes (4, 8 or 12 expected)`, at);
    }
    if (nanoseconds > 999_999_999) this.r.fail(`timestamp nanoseconds ${nanoseconds} exceed 999999999`, at);
    return new MsgPackTimestamp(seconds, nanoseconds);
  }
}

/**
 * Decodes one MessagePack value filling the whole payload. Throws {@link PayloadError}
 * (truncation, bad UTF-8, the unused byte 0xc1, nesting beyond 512, trailing bytes).
 */
export function decodeMsgPack(bytes: Uint8Array): MsgPackValue {
  const r = new ByteReader(bytes, 'msgpack');
  if (bytes.length === 0) r.fail('empty payload');
  const value = new Decoder(r).value(0);
  if (r.remaining > 0) r.fail(`${r.remaining} trailing byte${r.remaining === 1 ? '' : 's'} after the value`);
  return value;
}

class Encoder {
  readonly w = new ByteWriter();

  private length(
    n: number,
    small: number | undefined,
    b8: number | undefined,
    b16: number,
    b32: number,
    what: string,
  ): void {
    const w = this.w;
    if (small !== undefined && n < (small === 0xa0 ? 32 : 16)) w.u8(small | n);
    else if (b8 !== undefined && n <= 0xff) {
      w.u8(b8);
      w.u8(n);
    } else if (n <= 0xffff) {
      w.u8(b16);
      w.u16(n, BE);
    } else if (n <= 0xffff_ffff) {
      w.u8(b32);
      w.u32(n, BE);
    } else throw new PayloadError('msgpack', `${what} of ${n} is too long for MessagePack`);
  }

  private int(v: number): void {
    const w = this.w;
    if (v >= 0) {
      if (v <= 0x7f) w.u8(v);
      else if (v <= 0xff) {
        w.u8(0xcc);
        w.u8(v);
      } else if (v <= 0xffff) {
        w.u8(0xcd);
        w.u16(v, BE);
      } else if (v <= 0xffff_ffff) {
        w.u8(0xce);
        w.u32(v, BE);
      } else {
        w.u8(0xcf);
        w.u64(BigInt(v), BE);
      }
    } else if (v >= -32) w.u8(v + 0x100);
    else if (v >= -0x80) {
      w.u8(0xd0);
      w.u8(v + 0x100);
    } else if (v >= -0x8000) {
      w.u8(0xd1);
      w.i16(v, BE);
    } else if (v >= -0x8000_0000) {
      w.u8(0xd2);
      w.i32(v, BE);
    } else {
      w.u8(0xd3);
      w.i64(BigInt(v), BE);
    }
  }

  private bigint(v: bigint): void {
    if (v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)) this.int(Number(v));
    else if (v > 0n && v <= 0xffff_ffff_ffff_ffffn) {
      this.w.u8(0xcf);
      this.w.u64(v, BE);
    } else if (v < 0n && v >= -0x8000_0000_0000_0000n) {
      this.w.u8(0xd3);
      this.w.i64(v, BE);
    } else throw new PayloadError('msgpack', `integer ${v} does not fit 64 bits`);
  }

  private ext(type: number, data: Uint8Array): void {
    const n = data.length;
    const fixed = [1, 2, 4, 8, 16].indexOf(n);
    if (fixed >= 0) this.w.u8(0xd4 + fixed);
    else this.length(n, undefined, 0xc7, 0xc8, 0xc9, 'ext data');
    this.w.u8(type & 0xff);
    this.w.bytes(data);
  }

  private timestamp(t: MsgPackTimestamp): void {
    const data = new ByteWriter(12);
    if (t.nanoseconds === 0 && t.seconds >= 0n && t.seconds <= 0xffff_ffffn) data.u32(Number(t.seconds), BE);
    else if (t.seconds >= 0n && t.seconds < 1n << 34n)
      data.u64((BigInt(t.nanoseconds) << 34n) | t.seconds, BE);
    else if (t.seconds >= -(1n << 63n) && t.seconds < 1n << 63n) {
      data.u32(t.nanoseconds, BE);
      data.i64(t.seconds, BE);
    } else throw new PayloadError('msgpack', `timestamp seconds ${t.seconds} do not fit 64 bits`);
    this.ext(TIMESTAMP_TYPE, data.finish());
  }

  /** Keys from the root to the value being written, for error messages. */
  private readonly path: string[] = [];

  private where(): string {
    return `/${this.path.join('/')}`;
  }

  private member(key: string, item: unknown, depth: number): void {
    this.path.push(key);
    this.value(item, depth + 1);
    this.path.pop();
  }

  value(v: unknown, depth: number): void {
    const w = this.w;
    if (depth > MAX_NESTING_DEPTH) {
      throw new PayloadError(
        'msgpack',
        `value nested deeper than ${MAX_NESTING_DEPTH} levels at ${this.where()}`,
      );
    }
    if (v === null || v === undefined) w.u8(0xc0);
    else if (typeof v === 'boolean') w.u8(v ? 0xc3 : 0xc2);
    else if (typeof v === 'number') {
      if (Number.isSafeInteger(v) && !Object.is(v, -0)) this.int(v);
      else {
        w.u8(0xcb);
        w.f64(v, BE);
      }
    } else if (typeof v === 'bigint') this.bigint(v);
    else if (typeof v === 'string') {
      const n = utf8Length(v);
      this.length(n, 0xa0, 0xd9, 0xda, 0xdb, 'str');
      w.utf8(v, n);
    } else if (v instanceof Uint8Array) {
      this.length(v.length, undefined, 0xc4, 0xc5, 0xc6, 'bin');
      w.bytes(v);
    } else if (Array.isArray(v)) {
      this.length(v.length, 0x90, undefined, 0xdc, 0xdd, 'array');
      for (let i = 0; i < v.length; i++) this.member(String(i), v[i], depth);
    } else if (v instanceof Map) {
      this.length(v.size, 0x80, undefined, 0xde, 0xdf, 'map');
      for (const [k, item] of v as Map<unknown, unknown>) {
        this.member('<key>', k, depth);
        this.member(String(k), item, depth);
      }
    } else if (v instanceof MsgPackTimestamp) this.timestamp(v);
    else if (v instanceof Date) this.timestamp(MsgPackTimestamp.fromDate(v));
    else if (v instanceof MsgPackExtension) {
      if (!Number.isInteger(v.type) || v.type < -128 || v.type > 127) {
        throw new PayloadError('msgpack', `extension type ${v.type} outside -128..127 at ${this.where()}`);
      }
      this.ext(v.type, v.data);
    } else if (typeof v === 'object' && isPlainObject(v)) {
      const keys = Object.keys(v);
      let count = 0;
      for (const k of keys) if ((v as Record<string, unknown>)[k] !== undefined) count++;
      this.length(count, 0x80, undefined, 0xde, 0xdf, 'map');
      for (const k of keys) {
        const item = (v as Record<string, unknown>)[k];
        if (item === undefined) continue;
        this.value(k, depth + 1);
        this.member(k, item, depth);
      }
    } else throw new PayloadError('msgpack', `cannot encode ${describeType(v)} (at ${this.where()})`);
  }
}

/**
 * Encodes a value as MessagePack in the smallest form: integers by range, other numbers as
 * float 64, bigints as 64-bit integers, Uint8Array as bin, Map and plain objects as maps,
 * Date and {@link MsgPackTimestamp} as timestamps. `undefined` members are skipped.
 * Throws {@link PayloadError} for values it cannot represent.
 */
export function encodeMsgPack(value: unknown): Uint8Array {
  const e = new Encoder();
  e.value(value, 0);
  return e.w.finish();
}
