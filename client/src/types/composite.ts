/**
 * Composite payloads (spec §13.3): parts each preceded by a 4-byte big-endian length.
 * Mirrors the Python client's CompositeMessageBuilder and CompositeMessageParser.
 */
import { PayloadError } from './payloadError.js';
import { decodeUtf8, encodeUtf8 } from './utf8.js';

const PART_PREFIX = 4;

/** Builds a composite payload: `new CompositeMessageBuilder().append(json).append(bytes).getData()`. */
export class CompositeMessageBuilder {
  private parts: Uint8Array[] = [];
  private total = 0;

  /** Appends one part (a string is written as UTF-8). Throws {@link PayloadError} beyond 4 GiB. */
  append(data: Uint8Array | string): this {
    const bytes = typeof data === 'string' ? encodeUtf8(data) : data;
    if (bytes.length > 0xffff_ffff)
      throw new PayloadError('composite', `part of ${bytes.length} bytes exceeds the u32 length`);
    this.parts.push(bytes);
    this.total += PART_PREFIX + bytes.length;
    return this;
  }

  /** Number of parts appended. */
  get size(): number {
    return this.parts.length;
  }

  /** Forgets all parts. */
  clear(): this {
    this.parts = [];
    this.total = 0;
    return this;
  }

  /** The composite payload: `u32be len0 || part0 || u32be len1 || part1 ...`. */
  getData(): Uint8Array {
    const out = new Uint8Array(this.total);
    const view = new DataView(out.buffer);
    let at = 0;
    for (const part of this.parts) {
      view.setUint32(at, part.length, false);
      out.set(part, at + PART_PREFIX);
      at += PART_PREFIX + part.length;
    }
    return out;
  }
}

/** Splits composite payloads into parts (views into the parsed bytes, no copies). */
export class CompositeMessageParser {
  private parts: Uint8Array[] = [];

  /**
   * Parses a composite payload and returns the number of parts. Throws
   * {@link PayloadError} when a length prefix is cut short or a part runs past the end;
   * the parts parsed before the problem stay available.
   */
  parse(data: Uint8Array): number {
    this.parts = [];
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    let at = 0;
    while (at < data.length) {
      if (data.length - at < PART_PREFIX) {
        throw new PayloadError(
          'composite',
          `part ${this.parts.length} length prefix cut short (${data.length - at} of 4 bytes)`,
          at,
        );
      }
      const length = view.getUint32(at, false);
      const start = at + PART_PREFIX;
      if (length > data.length - start) {
        throw new PayloadError(
          'composite',
          `part ${this.parts.length} claims ${length} bytes but only ${data.length - start} remain`,
          at,
        );
      }
      this.parts.push(data.subarray(start, start + length));
      at = start + length;
    }
    return this.parts.length;
  }

  /** Number of parts last parsed. */
  get size(): number {
    return this.parts.length;
  }

  /** The bytes of part `index`, or undefined when there is no such part. */
  getPart(index: number): Uint8Array | undefined {
    return this.parts[index];
  }

  /** Part `index` decoded as UTF-8, or undefined when there is no such part; throws {@link PayloadError} on bad UTF-8. */
  getPartText(index: number): string | undefined {
    const part = this.parts[index];
    return part === undefined ? undefined : decodeUtf8(part, 'composite', 0, `part ${index}`);
  }
}
