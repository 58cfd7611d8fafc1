/**
 * The shared core of FIX and NVFIX (spec §13.1): `name=value` fields, each ended by a
 * field separator (SOH by default). Names end at the first `=`; values may hold `=`.
 * An empty value (`a=` then the separator) is NULL.
 */
import { PayloadError } from './payloadError.js';
import { decodeUtf8, decodeUtf8Lenient, encodeUtf8 } from './utf8.js';

/** The default FIX/NVFIX field separator, SOH. */
export const SOH = 0x01;
const EQUALS = 0x3d;

/** One shredded field; `value` null means NULL (an empty value). */
export interface ShreddedField {
  /** Tag (FIX, as digits) or name (NVFIX). */
  name: string;
  /** The value, or null for NULL. */
  value: string | null;
  /** Byte offset of the field's first byte. */
  offset: number;
}

/** A field separator: a byte value 0..255 or a one-character string below U+0080. */
export type Separator = number | string;

/** Validates a separator and returns it as a byte value. */
export function separatorByte(separator: Separator, format: 'fix' | 'nvfix'): number {
  const byte = typeof separator === 'string' && separator.length === 1 ? separator.charCodeAt(0) : separator;
  if (typeof byte !== 'number' || !Number.isInteger(byte) || byte < 0 || byte > 0x7f) {
    throw new PayloadError(format, `separator must be one ASCII byte, got ${JSON.stringify(separator)}`);
  }
  if (byte === EQUALS) throw new PayloadError(format, "separator cannot be '='");
  return byte;
}

/**
 * Splits a payload into fields. Empty fields (two separators in a row) are skipped; the
 * last field may lack its separator. `checkName` returns a reason when a name is invalid.
 */
export function shredFields(
  payload: Uint8Array | string,
  separator: number,
  format: 'fix' | 'nvfix',
  checkName: (name: string) => string | undefined,
): ShreddedField[] {
  const bytes = typeof payload === 'string' ? encodeUtf8(payload) : payload;
  const fields: ShreddedField[] = [];
  let start = 0;
  while (start < bytes.length) {
    let end = bytes.indexOf(separator, start);
    if (end < 0) end = bytes.length;
    if (end > start) {
      const eq = bytes.indexOf(EQUALS, start);
      if (eq < 0 || eq >= end) throw new PayloadError(format, "field has no '='", start);
      if (eq === start)
        throw new PayloadError(format, `field has an empty ${format === 'fix' ? 'tag' : 'name'}`, start);
      const name = decodeUtf8(bytes.subarray(start, eq), format, start, 'a field name');
      const problem = checkName(name);
      if (problem) throw new PayloadError(format, problem, start);
      const value =
        eq + 1 === end
          ? null
          : decodeUtf8(bytes.subarray(eq + 1, end), format, eq + 1, `the value of '${name}'`);
      fields.push({ name, value, offset: start });
    }
    start = end + 1;
  }
  return fields;
}

/** Builds `name=value<sep>` sequences into one growing buffer. */
export class FieldListBuilder {
  private buf = new Uint8Array(128);
  private used = 0;

  constructor(
    protected readonly separator: number,
    private readonly format: 'fix' | 'nvfix',
  ) {}

  /** Bytes written so far. */
  get size(): number {
    return this.used;
  }

  private put(data: Uint8Array): void {
    if (this.used + data.length > this.buf.length) {
      let cap = this.buf.length * 2;
      while (cap < this.used + data.length) cap *= 2;
      const next = new Uint8Array(cap);
      next.set(this.buf.subarray(0, this.used));
      this.buf = next;
    }
    this.buf.set(data, this.used);
    this.used += data.length;
  }

  /** Appends one field; `value` null writes NULL (`name=` then the separator). */
  appendField(name: string, value: string | Uint8Array | null, offset?: number, length?: number): void {
    const nameBytes = encodeUtf8(name);
    let valueBytes =
      value === null ? new Uint8Array(0) : typeof value === 'string' ? encodeUtf8(value) : value;
    if (offset !== undefined) {
      const len = length ?? valueBytes.length - offset;
      if (
        !Number.isInteger(offset) ||
        !Number.isInteger(len) ||
        offset < 0 ||
        len < 0 ||
        offset + len > valueBytes.length
      ) {
        throw new PayloadError(this.format, `offset ${offset} and length ${length} fall outside the value`);
      }
      valueBytes = valueBytes.subarray(offset, offset + len);
    }
    if (valueBytes.includes(this.separator)) {
      throw new PayloadError(this.format, `the value of '${name}' contains the field separator`);
    }
    this.put(nameBytes);
    this.put(Uint8Array.of(EQUALS));
    this.put(valueBytes);
    this.put(Uint8Array.of(this.separator));
  }

  /** A copy of the bytes built so far. */
  getBytes(): Uint8Array {
    return this.buf.slice(0, this.used);
  }

  /** The bytes built so far as text (bad UTF-8 in binary values shows as U+FFFD). */
  toString(): string {
    return decodeUtf8Lenient(this.buf.subarray(0, this.used));
  }

  /** Forgets all fields, keeping the buffer. */
  reset(): this {
    this.used = 0;
    return this;
  }
}
