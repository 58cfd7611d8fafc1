import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteWriter } from '../../src/types/byteWriter.js';
import { PayloadError } from '../../src/types/payloadError.js';
import { decodeUtf8, findInvalidUtf8, utf8ByteOffset, utf8Length, writeUtf8 } from '../../src/types/utf8.js';

const RUNS = { numRuns: Number(process.env.TYPES_FC_RUNS ?? 300) };
const anyUnits = fc.string({
  unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
  maxLength: 80,
});

describe('UTF-8 helpers', () => {
  it('finds the first ill-formed sequence', () => {
    expect(findInvalidUtf8(Uint8Array.of(0x41, 0xc3, 0xa9, 0xf0, 0x9f, 0x98, 0x80))).toBe(-1);
    expect(findInvalidUtf8(Uint8Array.of(0x41, 0xc0, 0x80))).toBe(1); // overlong NUL
    expect(findInvalidUtf8(Uint8Array.of(0xe0, 0x80, 0x80))).toBe(0); // overlong 3-byte
    expect(findInvalidUtf8(Uint8Array.of(0x61, 0xed, 0xa0, 0x80))).toBe(1); // encoded surrogate
    expect(findInvalidUtf8(Uint8Array.of(0xf4, 0x90, 0x80, 0x80))).toBe(0); // above U+10FFFF
    expect(findInvalidUtf8(Uint8Array.of(0x61, 0x62, 0xf0, 0x9f, 0x98))).toBe(2); // cut short
    expect(findInvalidUtf8(Uint8Array.of(0x80))).toBe(0); // stray continuation
  });

  it('names the offset of a bad byte, shifted by the base offset', () => {
    try {
      decodeUtf8(Uint8Array.of(0x61, 0xff), 'json', 10, 'a key');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(PayloadError);
      expect((err as PayloadError).message).toBe('json: invalid UTF-8 in a key (at byte 11)');
    }
  });

  it('accepts exactly what a fatal TextDecoder accepts', () => {
    const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
        let expected: string | undefined;
        try {
          expected = strict.decode(bytes);
        } catch {
          expected = undefined;
        }
        expect(findInvalidUtf8(bytes) < 0).toBe(expected !== undefined);
        if (expected !== undefined) expect(decodeUtf8(bytes, 'text')).toBe(expected);
      }),
      RUNS,
    );
  });

  it('encodes exactly as TextEncoder, lone surrogates included', () => {
    const encoder = new TextEncoder();
    fc.assert(
      fc.property(anyUnits, (text) => {
        const expected = encoder.encode(text);
        expect(utf8Length(text)).toBe(expected.length);
        const out = new Uint8Array(expected.length);
        expect(writeUtf8(text, out, 0)).toBe(expected.length);
        expect(out).toEqual(expected);
        const w = new ByteWriter(16);
        w.utf8(text);
        expect(w.finish()).toEqual(expected);
      }),
      RUNS,
    );
    expect(utf8ByteOffset('aé😀b', 4)).toBe(7);
  });
});
