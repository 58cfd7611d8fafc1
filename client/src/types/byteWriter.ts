/**
 * Growable output buffer for the binary encoders (MessagePack, BSON, BFlat).
 */
import { utf8Length, writeUtf8 } from './utf8.js';

/** Appends bytes and fixed-width numbers in either byte order; `finish()` returns the result. */
export class ByteWriter {
  private buf: Uint8Array;
  private view: DataView;
  /** Bytes written so far. */
  length = 0;

  constructor(initialCapacity = 256) {
    this.buf = new Uint8Array(Math.max(16, initialCapacity));
    this.view = new DataView(this.buf.buffer);
  }

  /** Makes room for `n` bytes and returns their offset (call before touching `view`, which may be replaced). */
  private reserve(n: number): number {
    const at = this.length;
    if (at + n > this.buf.length) {
      let size = this.buf.length * 2;
      while (size < at + n) size *= 2;
      const next = new Uint8Array(size);
      next.set(this.buf.subarray(0, at));
      this.buf = next;
      this.view = new DataView(next.buffer);
    }
    this.length = at + n;
    return at;
  }

  /** Appends one byte (the low 8 bits of `v`). */
  u8(v: number): void {
    const at = this.reserve(1);
    this.buf[at] = v & 0xff;
  }

  /** Appends raw bytes. */
  bytes(data: Uint8Array): void {
    const at = this.reserve(data.length);
    this.buf.set(data, at);
  }

  /** Appends the UTF-8 encoding of `text`; `byteLength` must be `utf8Length(text)` when given. */
  utf8(text: string, byteLength: number = utf8Length(text)): void {
    const at = this.reserve(byteLength);
    writeUtf8(text, this.buf, at);
  }

  /** Appends an unsigned 16-bit integer. */
  u16(v: number, littleEndian: boolean): void {
    const at = this.reserve(2);
    this.view.setUint16(at, v, littleEndian);
  }

  /** Appends a signed 16-bit integer. */
  i16(v: number, littleEndian: boolean): void {
    const at = this.reserve(2);
    this.view.setInt16(at, v, littleEndian);
  }

  /** Appends an unsigned 32-bit integer. */
  u32(v: number, littleEndian: boolean): void {
    const at = this.reserve(4);
    this.view.setUint32(at, v, littleEndian);
  }

  /** Appends a signed 32-bit integer. */
  i32(v: number, littleEndian: boolean): void {
    const at = this.reserve(4);
    this.view.setInt32(at, v, littleEndian);
  }

  /** Appends an unsigned 64-bit integer. */
  u64(v: bigint, littleEndian: boolean): void {
    const at = this.reserve(8);
    this.view.setBigUint64(at, v, littleEndian);
  }

  /** Appends a signed 64-bit integer. */
  i64(v: bigint, littleEndian: boolean): void {
    const at = this.reserve(8);
    this.view.setBigInt64(at, v, littleEndian);
  }

  /** Appends an IEEE-754 single. */
  f32(v: number, littleEndian: boolean): void {
    const at = this.reserve(4);
    this.view.setFloat32(at, v, littleEndian);
  }

  /** Appends an IEEE-754 double. */
  f64(v: number, littleEndian: boolean): void {
    const at = this.reserve(8);
    this.view.setFloat64(at, v, littleEndian);
  }

  /** Overwrites a signed 32-bit integer written earlier at `at`. */
  patchI32(at: number, v: number, littleEndian: boolean): void {
    this.view.setInt32(at, v, littleEndian);
  }

  /** Returns a copy of the bytes written. */
  finish(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}
