/**
 * LEB128 integers as BFlat uses them (spec §13.2): unsigned for lengths and counts,
 * signed (up to 128 bits) for the `leb128` value type.
 */
import type { ByteReader } from './byteReader.js';
import type { ByteWriter } from './byteWriter.js';

/** Reads an unsigned LEB128 length or count; it must fit a safe integer. */
export function readUleb128(r: ByteReader, what: string): number {
  const at = r.pos;
  let result = 0;
  let scale = 1;
  for (let i = 0; ; i++) {
    const b = r.u8(what);
    result += (b & 0x7f) * scale;
    if ((b & 0x80) === 0) break;
    scale *= 128;
    if (i >= 7) r.fail(`${what} is an over-long LEB128 (more than 8 bytes)`, at);
  }
  if (!Number.isSafeInteger(result)) r.fail(`${what} ${result} is too large`, at);
  return result;
}

/** Writes an unsigned LEB128 integer. */
export function writeUleb128(w: ByteWriter, value: number): void {
  let v = value;
  while (v >= 0x80) {
    w.u8((v % 128) | 0x80);
    v = Math.floor(v / 128);
  }
  w.u8(v);
}

/** Reads a signed LEB128 integer of at most 128 bits. */
export function readSleb128(r: ByteReader, what: string): bigint {
  const at = r.pos;
  let result = 0n;
  let shift = 0n;
  let b: number;
  do {
    if (shift >= 133n) r.fail(`${what} is longer than a 128-bit LEB128 (19 bytes)`, at);
    b = r.u8(what);
    result |= BigInt(b & 0x7f) << shift;
    shift += 7n;
  } while ((b & 0x80) !== 0);
  if ((b & 0x40) !== 0) result -= 1n << shift;
  if (BigInt.asIntN(128, result) !== result) r.fail(`${what} does not fit 128 bits`, at);
  return result;
}

/** Writes a signed LEB128 integer (minimal length). */
export function writeSleb128(w: ByteWriter, value: bigint): void {
  let v = value;
  for (;;) {
    const byte = Number(v & 0x7fn);
    v >>= 7n;
    const done = (v === 0n && (byte & 0x40) === 0) || (v === -1n && (byte & 0x40) !== 0);
    w.u8(done ? byte : byte | 0x80);
    if (done) return;
  }
}
