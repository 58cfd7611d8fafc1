import { describe, expect, it } from 'vitest';
import { decodeBFlat, decodeBFlatFields, encodeBFlat, encodeBFlatFields } from '../../src/types/bflat.js';
import type { BFlatField } from '../../src/types/bflat.js';
import { formatHexDump, fromHex, hexDump } from '../../src/types/binary.js';
import { PayloadError } from '../../src/types/payloadError.js';
import { errorOf } from './helpers.js';

/** The 46-byte example of spec §13.2. */
const SPEC_EXAMPLE = fromHex(`
  2a 69 64 01 00 00 00 0b 73 79 6d 04 4d 53 46 54
  3a 70 78 00 00 00 00 00 60 59 40 04 6e 6f 74 65
  ac 71 74 79 73 02 0a 00 00 00 14 00 00 00`);

describe('BFlat spec example (§13.2)', () => {
  it('encodes the example object to the 46 spec bytes exactly', () => {
    const bytes = encodeBFlat({ id: 1, sym: 'MSFT', px: 101.5, note: null, qtys: [10, 20] });
    expect(bytes.length).toBe(46);
    expect(bytes).toEqual(SPEC_EXAMPLE);
  });

  it('dumps the example exactly as the spec prints it', () => {
    expect(formatHexDump(hexDump(SPEC_EXAMPLE))).toBe(
      [
        '0000  2a 69 64 01 00 00 00 0b 73 79 6d 04 4d 53 46 54  *id.....sym.MSFT',
        '0010  3a 70 78 00 00 00 00 00 60 59 40 04 6e 6f 74 65  :px.....`Y@.note',
        '0020  ac 71 74 79 73 02 0a 00 00 00 14 00 00 00        .qtys.........',
      ].join('\n'),
    );
  });

  it('decodes the example into typed fields', () => {
    expect(decodeBFlatFields(SPEC_EXAMPLE)).toEqual([
      { tag: 'id', type: 'int32', array: false, value: 1 },
      { tag: 'sym', type: 'string', array: false, value: 'MSFT' },
      { tag: 'px', type: 'double', array: false, value: 101.5 },
      { tag: 'note', type: 'null', array: false, value: null },
      { tag: 'qtys', type: 'int32', array: true, value: [10, 20] },
    ]);
    expect(decodeBFlat(SPEC_EXAMPLE)).toEqual({ id: 1, sym: 'MSFT', px: 101.5, note: null, qtys: [10, 20] });
  });
});

describe('BFlat types', () => {
  it('round-trips every type byte-exactly', () => {
    const fields: BFlatField[] = [
      { tag: 'n', type: 'null', array: false, value: null },
      { tag: 's', type: 'string', array: false, value: 'héllo' },
      { tag: 'b', type: 'binary', array: false, value: Uint8Array.of(0, 255, 7) },
      { tag: 'i8', type: 'int8', array: false, value: -128 },
      { tag: 'i16', type: 'int16', array: false, value: -32768 },
      { tag: 'i32', type: 'int32', array: false, value: 2147483647 },
      { tag: 'i64', type: 'int64', array: false, value: -9223372036854775808n },
      { tag: 'd', type: 'double', array: false, value: -0.5 },
      { tag: 'dt', type: 'datetime', array: false, value: new Date('2024-05-06T07:08:09.123Z') },
      { tag: 'l', type: 'leb128', array: false, value: -(1n << 127n) },
      { tag: 'ls', type: 'leb128', array: true, value: [0n, -1n, 63n, 64n, -64n, -65n, (1n << 127n) - 1n] },
      { tag: 'strs', type: 'string', array: true, value: ['a', '', 'ccc'] },
      { tag: 'dts', type: 'datetime', array: true, value: [new Date(0), new Date(-1)] },
    ];
    const bytes = encodeBFlatFields(fields);
    expect(decodeBFlatFields(bytes)).toEqual(fields);
    expect(encodeBFlatFields(decodeBFlatFields(bytes))).toEqual(bytes);
  });

  it('writes int8/int16/int64/datetime little-endian with the spec type codes', () => {
    const bytes = encodeBFlatFields([
      { tag: 'a', type: 'int8', array: false, value: -2 },
      { tag: 'b', type: 'int16', array: false, value: 0x1234 },
      { tag: 'c', type: 'int64', array: false, value: 0x0102030405060708n },
      { tag: 'd', type: 'datetime', array: false, value: new Date(1000) },
    ]);
    expect(bytes).toEqual(
      fromHex(`19 61 fe  21 62 34 12  31 63 08 07 06 05 04 03 02 01  41 64 e8 03 00 00 00 00 00 00`),
    );
  });

  it('encodes leb128 minimally (signed)', () => {
    const one = (v: bigint): Uint8Array =>
      encodeBFlatFields([{ tag: 'x', type: 'leb128', array: false, value: v }]).subarray(2);
    expect(one(0n)).toEqual(Uint8Array.of(0x00));
    expect(one(63n)).toEqual(Uint8Array.of(0x3f));
    expect(one(64n)).toEqual(Uint8Array.of(0xc0, 0x00));
    expect(one(-1n)).toEqual(Uint8Array.of(0x7f));
    expect(one(-64n)).toEqual(Uint8Array.of(0x40));
    expect(one(-65n)).toEqual(Uint8Array.of(0xbf, 0x7f));
    expect(one(624485n)).toEqual(Uint8Array.of(0xe5, 0x8e, 0x26));
  });

  it('writes a tag longer than 7 bytes with a LEB128 length', () => {
    const bytes = encodeBFlat({ averagePrice: 1 });
    expect(bytes.subarray(0, 2)).toEqual(Uint8Array.of(0x28, 12));
    expect(decodeBFlat(bytes)).toEqual({ averagePrice: 1 });
  });

  it('infers types from a flat object', () => {
    const fields = decodeBFlatFields(
      encodeBFlat({
        big: 1n << 40n,
        huge: 1n << 70n,
        f: 2 ** 40,
        b: Uint8Array.of(1),
        d: new Date(5),
        mix: [1, 2.5],
      }),
    );
    expect(fields.map((f) => `${f.tag}:${f.type}${f.array ? '[]' : ''}`)).toEqual([
      'big:int64',
      'huge:leb128',
      'f:double',
      'b:binary',
      'd:datetime',
      'mix:double[]',
    ]);
  });

  it('keeps duplicate tags as fields and the first value in the object view', () => {
    const bytes = new Uint8Array([...encodeBFlat({ a: 1 }), ...encodeBFlat({ a: 2 })]);
    expect(decodeBFlatFields(bytes).map((f) => f.value)).toEqual([1, 2]);
    expect(decodeBFlat(bytes)).toEqual({ a: 1 });
  });
});

describe('BFlat malformed input', () => {
  it('reports truncation with the position', () => {
    const e = errorOf(() => decodeBFlatFields(SPEC_EXAMPLE.subarray(0, 20)));
    expect(e.format).toBe('bflat');
    expect(e.message).toMatch(/truncated value of 'px': needs 8 bytes, 1 left/);
    expect(e.position).toBe(19);
    const counted = errorOf(() => decodeBFlatFields(SPEC_EXAMPLE.subarray(0, 45)));
    expect(counted.message).toMatch(/element count 2 of 'qtys' exceeds the 7 bytes left/);
    expect(counted.position).toBe(37);
    expect(errorOf(() => decodeBFlatFields(SPEC_EXAMPLE.subarray(0, 35))).message).toMatch(/truncated tag/);
  });

  it('rejects an unknown type code', () => {
    const e = errorOf(() => decodeBFlatFields(Uint8Array.of(0x51, 0x61)));
    expect(e.message).toMatch(/unknown type code 0x50/);
    expect(e.position).toBe(0);
  });

  it('rejects an empty tag', () => {
    expect(errorOf(() => decodeBFlatFields(Uint8Array.of(0x28, 0x00))).message).toMatch(/empty tag/);
    expect(() => encodeBFlat({ '': 1 })).toThrow(/empty tag/);
  });

  it('rejects a count larger than the bytes left', () => {
    const e = errorOf(() => decodeBFlatFields(Uint8Array.of(0xa9, 0x61, 0xff, 0xff, 0x03, 1, 2, 3)));
    expect(e.message).toMatch(/element count 65535 of 'a' exceeds/);
    expect(e.position).toBe(2);
  });

  it('rejects bad UTF-8 in a string value', () => {
    const e = errorOf(() => decodeBFlatFields(Uint8Array.of(0x09, 0x61, 0x02, 0x41, 0xff)));
    expect(e.message).toMatch(/invalid UTF-8/);
    expect(e.position).toBe(4);
  });

  it('rejects an over-long LEB128 value', () => {
    const bytes = new Uint8Array([0x49, 0x61, ...new Array<number>(20).fill(0x80), 0x00]);
    expect(errorOf(() => decodeBFlatFields(bytes)).message).toMatch(/longer than a 128-bit LEB128/);
  });

  it('rejects values that do not fit their type on encode', () => {
    expect(() => encodeBFlatFields([{ tag: 'x', type: 'int8', array: false, value: 128 }])).toThrow(
      PayloadError,
    );
    expect(() => encodeBFlatFields([{ tag: 'x', type: 'string', array: false, value: 5 }])).toThrow(
      /string expected/,
    );
    expect(() => encodeBFlat({ ok: true })).toThrow(/no boolean type/);
    expect(() => encodeBFlat({ nested: { a: 1 } })).toThrow(/BFlat is flat/);
    expect(() => encodeBFlat({ mixed: [1, 'a'] })).toThrow(/mixes int32 and string/);
  });
});
