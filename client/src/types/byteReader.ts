/**
 * Bounds-checked cursor over a payload for the binary decoders (MessagePack, BSON,
 * BFlat). Every read past the end throws a {@link PayloadError} naming what was being
 * read and where.
 */
import { PayloadError } from './payloadError.js';
import type { PayloadFormat } from './payloadError.js';

/** Sequential reader with both byte orders; `pos` is the offset of the next byte. */
export class ByteReader {
  /** Offset of the next byte to read. */
  pos = 0;
  private readonly view: DataView;

  constructor(
    /** The bytes being read. */
    readonly bytes: Uint8Array,
    /** The format named in errors. */
    readonly format: PayloadFormat,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Bytes not yet read. */
  get remaining(): number {
    return this.bytes.length - this.pos;
  }

  /** Throws a {@link PayloadError} at `position` (default: the cursor). */
  fail(reason: string, position: number = this.pos): never {
    throw new PayloadError(this.format, reason, position);
  }

  /** Ensures `n` more bytes exist, else throws "truncated <what>". */
  need(n: number, what: string): void {
    if (n > this.remaining) {
      this.fail(`truncated ${what}: needs ${n} byte${n === 1 ? '' : 's'}, ${this.remaining} left`);
    }
  }

  /** Returns a view of the next `n` bytes (no copy) and advances. */
  take(n: number, what: string): Uint8Array {
    this.need(n, what);
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** Reads an unsigned byte. */
  u8(what: string): number {
    this.need(1, what);
    return this.bytes[this.pos++] as number;
  }

  /** Reads a signed byte. */
  i8(what: string): number {
    this.need(1, what);
    return this.view.getInt8(this.pos++);
  }

  /** Reads an unsigned 16-bit integer. */
  u16(what: string, littleEndian: boolean): number {
    this.need(2, what);
    const v = this.view.getUint16(this.pos, littleEndian);
    this.pos += 2;
    return v;
  }

  /** Reads a signed 16-bit integer. */
  i16(what: string, littleEndian: boolean): number {
    this.need(2, what);
    const v = this.view.getInt16(this.pos, littleEndian);
    this.pos += 2;
    return v;
  }

  /** Reads an unsigned 32-bit integer. */
  u32(what: string, littleEndian: boolean): number {
    this.need(4, what);
    const v = this.view.getUint32(this.pos, littleEndian);
    this.pos += 4;
    return v;
  }

  /** Reads a signed 32-bit integer. */
  i32(what: string, littleEndian: boolean): number {
    this.need(4, what);
    const v = this.view.getInt32(this.pos, littleEndian);
    this.pos += 4;
    return v;
  }

  /** Reads an unsigned 64-bit integer. */
  u64(what: string, littleEndian: boolean): bigint {
    this.need(8, what);
    const v = this.view.getBigUint64(this.pos, littleEndian);
    this.pos += 8;
    return v;
  }

  /** Reads a signed 64-bit integer. */
  i64(what: string, littleEndian: boolean): bigint {
    this.need(8, what);
    const v = this.view.getBigInt64(this.pos, littleEndian);
    this.pos += 8;
    return v;
  }

  /** Reads an IEEE-754 single. */
  f32(what: string, littleEndian: boolean): number {
    this.need(4, what);
    const v = this.view.getFloat32(this.pos, littleEndian);
    this.pos += 4;
    return v;
  }

  /** Reads an IEEE-754 double. */
  f64(what: string, littleEndian: boolean): number {
    this.need(8, what);
    const v = this.view.getFloat64(this.pos, littleEndian);
    this.pos += 8;
    return v;
  }
}

/** Returns a number when the 64-bit integer is exactly representable, else the bigint. */
export function narrowInt64(v: bigint): number | bigint {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}
