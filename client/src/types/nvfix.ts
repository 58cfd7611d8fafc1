/**
 * NVFIX payloads (spec §13.1): `name=value` fields ended by a separator (SOH by default);
 * names are any bytes except `=` and the separator. Mirrors the Python client's
 * NVFIXBuilder and NVFIXShredder.
 */
import { FieldListBuilder, SOH, separatorByte, shredFields } from './fieldList.js';
import type { Separator } from './fieldList.js';
import { PayloadError } from './payloadError.js';

/** One NVFIX field in payload order; `value` null means NULL (`name=` then the separator). */
export interface NvfixField {
  /** The field name. */
  name: string;
  /** The value, or null for NULL. */
  value: string | null;
  /** Byte offset of the field in the payload. */
  offset: number;
}

/** Builds an NVFIX payload: `new NvfixBuilder().append('sym', 'MSFT').toString()`. */
export class NvfixBuilder extends FieldListBuilder {
  /** @param fieldSeparator the byte ending each field (default SOH, 0x01). */
  constructor(fieldSeparator: Separator = SOH) {
    super(separatorByte(fieldSeparator, 'nvfix'), 'nvfix');
  }

  /**
   * Appends `name=value`; `offset`/`length` select a slice of the value. A null value
   * writes NULL. Throws {@link PayloadError} for an empty name, a name holding `=` or the
   * separator, or a value holding the separator.
   */
  append(name: string, value: string | Uint8Array | null, offset?: number, length?: number): this {
    if (name.length === 0) throw new PayloadError('nvfix', 'field name is empty');
    if (name.includes('=') || name.includes(String.fromCharCode(this.separator))) {
      throw new PayloadError('nvfix', `field name '${name}' contains '=' or the separator`);
    }
    this.appendField(name, value, offset, length);
    return this;
  }
}

/** Splits NVFIX payloads into fields. */
export class NvfixShredder {
  private readonly separator: number;

  /** @param separator the byte ending each field (default SOH, 0x01). */
  constructor(separator: Separator = SOH) {
    this.separator = separatorByte(separator, 'nvfix');
  }

  /** All fields in order, duplicates kept. Throws {@link PayloadError} on malformed input. */
  toFields(message: Uint8Array | string): NvfixField[] {
    return shredFields(message, this.separator, 'nvfix', () => undefined);
  }

  /** Name → value; for a repeated name the last value wins (as the Python client's dict). */
  toMap(message: Uint8Array | string): Map<string, string | null> {
    const map = new Map<string, string | null>();
    for (const f of this.toFields(message)) map.set(f.name, f.value);
    return map;
  }
}
