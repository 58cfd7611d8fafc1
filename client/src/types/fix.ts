/**
 * FIX payloads (spec §13.1): numeric `tag=value` fields ended by a separator (SOH by
 * default). Mirrors the Python client's FIXBuilder and FIXShredder.
 */
import { FieldListBuilder, SOH, separatorByte, shredFields } from './fieldList.js';
import type { Separator, ShreddedField } from './fieldList.js';
import { PayloadError } from './payloadError.js';

/** One FIX field in payload order; `value` null means NULL (empty value). */
export interface FixField {
  /** The numeric tag. */
  tag: number;
  /** The value, or null for NULL. */
  value: string | null;
  /** Byte offset of the field in the payload. */
  offset: number;
}

function checkTag(name: string): string | undefined {
  if (!/^[0-9]+$/.test(name)) return `tag '${name}' is not a number`;
  if (name.length > 15) return `tag '${name}' is too large`;
  return undefined;
}

function tagText(tag: number | string): string {
  const text = typeof tag === 'number' ? String(tag) : tag;
  const problem =
    typeof tag === 'number' && !Number.isSafeInteger(tag) ? `tag ${tag} is not an integer` : checkTag(text);
  if (problem) throw new PayloadError('fix', problem);
  return text;
}

/** Builds a FIX payload: `new FixBuilder().append(35, 'D').append(55, 'MSFT').getBytes()`. */
export class FixBuilder extends FieldListBuilder {
  /** @param fieldSeparator the byte ending each field (default SOH, 0x01). */
  constructor(fieldSeparator: Separator = SOH) {
    super(separatorByte(fieldSeparator, 'fix'), 'fix');
  }

  /**
   * Appends `tag=value`. `offset`/`length` select a slice of `value` (in UTF-8 bytes for a
   * string). A null value writes NULL. Throws {@link PayloadError} for a non-numeric tag
   * or a value holding the separator.
   */
  append(tag: number | string, value: string | Uint8Array | null, offset?: number, length?: number): this {
    this.appendField(tagText(tag), value, offset, length);
    return this;
  }
}

/** Splits FIX payloads into fields. */
export class FixShredder {
  private readonly separator: number;

  /** @param separator the byte ending each field (default SOH, 0x01). */
  constructor(separator: Separator = SOH) {
    this.separator = separatorByte(separator, 'fix');
  }

  /** All fields in order, duplicates kept. Throws {@link PayloadError} on malformed input. */
  toFields(message: Uint8Array | string): FixField[] {
    return shredFields(message, this.separator, 'fix', checkTag).map((f: ShreddedField) => ({
      tag: Number(f.name),
      value: f.value,
      offset: f.offset,
    }));
  }

  /** Tag → value; for a repeated tag the last value wins (as the Python client's dict). */
  toMap(message: Uint8Array | string): Map<number, string | null> {
    const map = new Map<number, string | null>();
    for (const f of this.toFields(message)) map.set(f.tag, f.value);
    return map;
  }
}
