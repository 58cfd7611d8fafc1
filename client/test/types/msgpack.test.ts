import { describe, expect, it } from 'vitest';
import { fromHex } from '../../src/types/binary.js';
import { decodeMsgPack, encodeMsgPack, MsgPackExtension, MsgPackTimestamp } from '../../src/types/msgpack.js';
import { errorOf } from './helpers.js';

/** [value, its MessagePack bytes]: encoding gives exactly these bytes and decoding gives the value back. */
const GOLDEN: [unknown, string][] = [
  [null, 'c0'],
  [false, 'c2'],
  [true, 'c3'],
  [0, '00'],
  [127, '7f'],
  [128, 'cc 80'],
  [256, 'cd 01 00'],
  [65536, 'ce 00 01 00 00'],
  [2 ** 32, 'cf 00 00 00 01 00 00 00 00'],
  [-1, 'ff'],
  [-32, 'e0'],
  [-33, 'd0 df'],
  [-129, 'd1 ff 7f'],
  [-32769, 'd2 ff ff 7f ff'],
  [-(2 ** 31) - 1, 'd3 ff ff ff ff 7f ff ff ff'],
  [18446744073709551615n, 'cf ff ff ff ff ff ff ff ff'],
  [-9223372036854775808n, 'd3 80 00 00 00 00 00 00 00'],
  [1.5, 'cb 3f f8 00 00 00 00 00 00'],
  [-0, 'cb 80 00 00 00 00 00 00 00'],
  ['', 'a0'],
  ['abc', 'a3 61 62 63'],
  ['x'.repeat(32), `d9 20 ${'78 '.repeat(32)}`],
  [Uint8Array.of(1, 2), 'c4 02 01 02'],
  [[1, [2]], '92 01 91 02'],
  [{ a: 1, b: [true] }, '82 a1 61 01 a1 62 91 c3'],
  [new Map<unknown, unknown>([[1, 'x']]), '81 01 a1 78'],
  [new MsgPackExtension(5, Uint8Array.of(9)), 'd4 05 09'],
  [new MsgPackExtension(-2, Uint8Array.of(1, 2, 3)), 'c7 03 fe 01 02 03'],
  [new MsgPackTimestamp(1n, 0), 'd6 ff 00 00 00 01'],
  [new MsgPackTimestamp(1n, 1), 'd7 ff 00 00 00 04 00 00 00 01'],
  [new MsgPackTimestamp(-1n, 500), 'c7 0c ff 00 00 01 f4 ff ff ff ff ff ff ff ff'],
];

describe('MessagePack golden bytes', () => {
  for (const [value, hex] of GOLDEN) {
    it(`${hex.slice(0, 30)}`, () => {
      const bytes = fromHex(hex);
      expect(encodeMsgPack(value)).toEqual(bytes);
      expect(decodeMsgPack(bytes)).toEqual(value);
    });
  }
});

describe('MessagePack decode of every other format', () => {
  it('decodes the wider forms the encoder never picks', () => {
    expect(decodeMsgPack(fromHex('ca 3f c0 00 00'))).toBe(1.5);
    expect(decodeMsgPack(fromHex('d0 05'))).toBe(5);
    expect(decodeMsgPack(fromHex('cf 00 00 00 00 00 00 00 07'))).toBe(7);
    expect(decodeMsgPack(fromHex('da 00 01 41'))).toBe('A');
    expect(decodeMsgPack(fromHex('db 00 00 00 01 41'))).toBe('A');
    expect(decodeMsgPack(fromHex('c5 00 01 ff'))).toEqual(Uint8Array.of(255));
    expect(decodeMsgPack(fromHex('c6 00 00 00 01 ff'))).toEqual(Uint8Array.of(255));
    expect(decodeMsgPack(fromHex('dc 00 01 c0'))).toEqual([null]);
    expect(decodeMsgPack(fromHex('dd 00 00 00 01 c0'))).toEqual([null]);
    expect(decodeMsgPack(fromHex('de 00 01 a1 6b 01'))).toEqual({ k: 1 });
    expect(decodeMsgPack(fromHex('df 00 00 00 01 a1 6b 01'))).toEqual({ k: 1 });
    expect(decodeMsgPack(fromHex('d5 01 aa bb'))).toEqual(new MsgPackExtension(1, Uint8Array.of(0xaa, 0xbb)));
    expect(decodeMsgPack(fromHex(`d8 02 ${'00 '.repeat(16)}`))).toEqual(
      new MsgPackExtension(2, new Uint8Array(16)),
    );
    expect(decodeMsgPack(fromHex('c8 00 01 03 ee'))).toEqual(new MsgPackExtension(3, Uint8Array.of(0xee)));
    expect(decodeMsgPack(fromHex('c9 00 00 00 01 03 ee'))).toEqual(
      new MsgPackExtension(3, Uint8Array.of(0xee)),
    );
  });

  it('keeps the first value of a repeated key and makes a Map when keys are not all strings', () => {
    expect(decodeMsgPack(fromHex('82 a1 61 01 a1 61 02'))).toEqual({ a: 1 });
    expect(decodeMsgPack(fromHex('82 a1 61 01 02 03'))).toEqual(
      new Map<unknown, unknown>([
        ['a', 1],
        [2, 3],
      ]),
    );
  });

  it('converts timestamps to and from Date', () => {
    const t = decodeMsgPack(encodeMsgPack(new Date('2024-01-02T03:04:05.678Z'))) as MsgPackTimestamp;
    expect(t).toBeInstanceOf(MsgPackTimestamp);
    expect(t.toDate().toISOString()).toBe('2024-01-02T03:04:05.678Z');
    expect(t.toISOString()).toBe('2024-01-02T03:04:05.678000000Z');
    expect(MsgPackTimestamp.fromDate(new Date(-1))).toEqual(new MsgPackTimestamp(-1n, 999_000_000));
  });
});

describe('MessagePack malformed input', () => {
  it('reports truncation with the position', () => {
    const e = errorOf(() => decodeMsgPack(fromHex('82 a1 61 01 a3 62')));
    expect(e.message).toMatch(/truncated str data: needs 3 bytes, 1 left/);
    expect(e.position).toBe(5);
    expect(errorOf(() => decodeMsgPack(fromHex('cd 01'))).message).toMatch(/truncated uint 16/);
    expect(errorOf(() => decodeMsgPack(new Uint8Array(0))).message).toMatch(/empty payload/);
  });

  it('rejects counts larger than the bytes left without allocating them', () => {
    const e = errorOf(() => decodeMsgPack(fromHex('dd ff ff ff ff 01')));
    expect(e.message).toMatch(/array count 4294967295 exceeds the 1 bytes left/);
    expect(e.position).toBe(0);
    expect(errorOf(() => decodeMsgPack(fromHex('df 7f ff ff ff 01'))).message).toMatch(/map count/);
  });

  it('rejects 0xc1, bad UTF-8, bad timestamps and trailing bytes', () => {
    expect(errorOf(() => decodeMsgPack(fromHex('91 c1'))).message).toMatch(/0xc1 is never used.*at byte 1/);
    const utf = errorOf(() => decodeMsgPack(fromHex('a2 41 ff')));
    expect([utf.reason, utf.position]).toEqual(['invalid UTF-8 in a str', 2]);
    expect(errorOf(() => decodeMsgPack(fromHex('d5 ff 00 00'))).message).toMatch(
      /timestamp extension has 2 data bytes/,
    );
    expect(errorOf(() => decodeMsgPack(fromHex('d7 ff ff ff ff ff 00 00 00 00'))).message).toMatch(
      /exceed 999999999/,
    );
    expect(errorOf(() => decodeMsgPack(fromHex('01 02'))).message).toMatch(/1 trailing byte after the value/);
  });

  it('rejects nesting deeper than 512 levels', () => {
    const deep = new Uint8Array(100_000).fill(0x91);
    expect(errorOf(() => decodeMsgPack(deep)).message).toMatch(/nesting deeper than 512/);
  });

  it('rejects values it cannot encode', () => {
    expect(() => encodeMsgPack({ f: () => 1 })).toThrow(/cannot encode function \(at \/f\)/);
    expect(() => encodeMsgPack(2n ** 64n)).toThrow(/does not fit 64 bits/);
    expect(() => encodeMsgPack(new MsgPackExtension(300, new Uint8Array(0)))).toThrow(/outside -128..127/);
    expect(() => encodeMsgPack(new Date(NaN))).toThrow(/invalid Date/);
  });
});

describe('MessagePack long values', () => {
  it('uses str 16/32 and bin 32 headers and round-trips large values', () => {
    const mid = 'é'.repeat(200);
    expect(encodeMsgPack(mid).subarray(0, 3)).toEqual(Uint8Array.of(0xda, 0x01, 0x90));
    const long = 'x'.repeat(70_000);
    const bytes = encodeMsgPack({ long, bin: new Uint8Array(70_000).fill(3) });
    expect(bytes.subarray(6, 11)).toEqual(Uint8Array.of(0xdb, 0x00, 0x01, 0x11, 0x70));
    expect(decodeMsgPack(bytes)).toEqual({ long, bin: new Uint8Array(70_000).fill(3) });
  });
});
