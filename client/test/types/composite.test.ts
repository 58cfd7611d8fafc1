import { describe, expect, it } from 'vitest';
import { formatHexDump, fromHex, hexDump, toHex } from '../../src/types/binary.js';
import { CompositeMessageBuilder, CompositeMessageParser } from '../../src/types/composite.js';
import { errorOf } from './helpers.js';

/** The 20-byte example of spec §13.3. */
const SPEC_EXAMPLE = fromHex('00 00 00 08 7b 22 69 64 22 3a 31 7d 00 00 00 04 de ad be ef');

describe('composite framing (§13.3)', () => {
  it('builds the spec example byte-exactly', () => {
    const b = new CompositeMessageBuilder().append('{"id":1}').append(Uint8Array.of(0xde, 0xad, 0xbe, 0xef));
    expect(b.size).toBe(2);
    expect(b.getData()).toEqual(SPEC_EXAMPLE);
    expect(formatHexDump(hexDump(b.getData()))).toBe(
      [
        '0000  00 00 00 08 7b 22 69 64 22 3a 31 7d 00 00 00 04  ....{"id":1}....',
        '0010  de ad be ef                                      ....',
      ].join('\n'),
    );
    expect(b.clear().getData()).toEqual(new Uint8Array(0));
  });

  it('parses the spec example into its parts', () => {
    const p = new CompositeMessageParser();
    expect(p.parse(SPEC_EXAMPLE)).toBe(2);
    expect(p.size).toBe(2);
    expect(p.getPartText(0)).toBe('{"id":1}');
    expect(p.getPart(1)).toEqual(Uint8Array.of(0xde, 0xad, 0xbe, 0xef));
    expect(p.getPart(2)).toBeUndefined();
    expect(p.getPartText(-1)).toBeUndefined();
  });

  it('keeps zero-length parts ("unchanged" in a composite-local delta)', () => {
    const data = new CompositeMessageBuilder().append('').append('x').getData();
    const p = new CompositeMessageParser();
    expect(p.parse(data)).toBe(2);
    expect(p.getPart(0)?.length).toBe(0);
  });

  it('reports a part running past the end, keeping earlier parts', () => {
    const p = new CompositeMessageParser();
    const e = errorOf(() => p.parse(SPEC_EXAMPLE.subarray(0, 18)));
    expect(e.message).toMatch(/part 1 claims 4 bytes but only 2 remain/);
    expect(e.position).toBe(12);
    expect(p.size).toBe(1);
    expect(p.getPartText(0)).toBe('{"id":1}');
  });

  it('reports bad UTF-8 when a part is read as text', () => {
    const p = new CompositeMessageParser();
    p.parse(
      new CompositeMessageBuilder()
        .append('ok')
        .append(Uint8Array.of(0x61, 0xc0, 0x80))
        .getData(),
    );
    expect(p.getPartText(0)).toBe('ok');
    const e = errorOf(() => p.getPartText(1));
    expect(e.message).toMatch(/invalid UTF-8 in part 1/);
    expect(e.position).toBe(1);
  });

  it('reports a length prefix cut short', () => {
    const e = errorOf(() => new CompositeMessageParser().parse(SPEC_EXAMPLE.subarray(0, 14)));
    expect(e.message).toMatch(/part 1 length prefix cut short \(2 of 4 bytes\)/);
    expect(e.position).toBe(12);
  });
});

describe('hex dump', () => {
  it('shows offset, hex and ASCII rows and honours maxBytes', () => {
    const bytes = Uint8Array.from({ length: 40 }, (_, i) => i + 0x30);
    const dump = hexDump(bytes, { maxBytes: 20 });
    expect(dump.truncated).toBe(true);
    expect(dump.length).toBe(40);
    expect(dump.rows).toEqual([
      { offset: 0, hex: '30 31 32 33 34 35 36 37 38 39 3a 3b 3c 3d 3e 3f', ascii: '0123456789:;<=>?' },
      { offset: 16, hex: '40 41 42 43', ascii: '@ABC' },
    ]);
    expect(formatHexDump(dump).split('\n').at(-1)).toBe('... 40 bytes in all');
  });

  it('widens the offset column for large payloads', () => {
    const lines = formatHexDump(hexDump(new Uint8Array(0x10011), { maxBytes: 0x20000 })).split('\n');
    expect(lines[0]).toMatch(/^00000 {2}00 /);
    expect(lines.at(-1)).toBe(`10010  00${' '.repeat(47)}.`);
  });

  it('converts hex both ways and rejects bad hex', () => {
    expect(toHex(Uint8Array.of(0, 15, 255))).toBe('000fff');
    expect(fromHex('00 0F ff')).toEqual(Uint8Array.of(0, 15, 255));
    expect(() => fromHex('abc')).toThrow(/odd number of digits/);
    expect(() => fromHex('zz')).toThrow(/'zz' is not a hex byte/);
  });
});
