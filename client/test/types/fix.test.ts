import { describe, expect, it } from 'vitest';
import { FixBuilder, FixShredder } from '../../src/types/fix.js';
import { NvfixBuilder, NvfixShredder } from '../../src/types/nvfix.js';
import { PayloadError } from '../../src/types/payloadError.js';
import { enc, errorOf } from './helpers.js';

describe('FixBuilder', () => {
  it('builds SOH-terminated tag=value fields byte-exactly', () => {
    const b = new FixBuilder().append(35, 'D').append('55', 'MSFT').append(44, '101.5');
    expect(b.getBytes()).toEqual(enc('35=D\x0155=MSFT\x0144=101.5\x01'));
    expect(b.toString()).toBe('35=D\x0155=MSFT\x0144=101.5\x01');
    expect(b.size).toBe(22);
  });

  it('appends a slice of the value with offset and length', () => {
    const b = new FixBuilder('|').append(1, 'xxABCxx', 2, 3).append(2, Uint8Array.of(0x41, 0x42), 1);
    expect(b.toString()).toBe('1=ABC|2=B|');
  });

  it('writes NULL as an empty value and resets', () => {
    const b = new FixBuilder().append(58, null);
    expect(b.toString()).toBe('58=\x01');
    b.reset();
    expect(b.size).toBe(0);
    expect(b.append(1, 'a').toString()).toBe('1=a\x01');
  });

  it('rejects non-numeric tags, separators inside values and bad slices', () => {
    expect(() => new FixBuilder().append('abc', 'x')).toThrow(/tag 'abc' is not a number/);
    expect(() => new FixBuilder().append(-1, 'x')).toThrow(PayloadError);
    expect(() => new FixBuilder().append(1, 'a\x01b')).toThrow(/contains the field separator/);
    expect(() => new FixBuilder().append(1, 'abc', 2, 5)).toThrow(/fall outside the value/);
    expect(() => new FixBuilder('=')).toThrow(/separator cannot be '='/);
    expect(() => new FixBuilder('ab')).toThrow(/one ASCII byte/);
  });
});

describe('FixShredder', () => {
  it('shreds into a map keyed by numeric tag (last value wins) and fields (duplicates kept)', () => {
    const payload = enc('35=D\x0155=MSFT\x0155=IBM\x0158=\x01');
    const s = new FixShredder();
    expect(s.toMap(payload)).toEqual(
      new Map<number, string | null>([
        [35, 'D'],
        [55, 'IBM'],
        [58, null],
      ]),
    );
    expect(s.toFields(payload)).toEqual([
      { tag: 35, value: 'D', offset: 0 },
      { tag: 55, value: 'MSFT', offset: 5 },
      { tag: 55, value: 'IBM', offset: 13 },
      { tag: 58, value: null, offset: 20 },
    ]);
  });

  it('accepts a custom separator, a missing final separator, "=" inside values and empty fields', () => {
    const s = new FixShredder(0x7c);
    expect(s.toFields('1=a=b||2=c').map((f) => [f.tag, f.value])).toEqual([
      [1, 'a=b'],
      [2, 'c'],
    ]);
  });

  it('round-trips what the builder writes', () => {
    const b = new FixBuilder().append(1, 'é€😀').append(2, '').append(3, 'x=y');
    expect(new FixShredder().toFields(b.getBytes()).map((f) => f.value)).toEqual(['é€😀', null, 'x=y']);
  });

  it('reports malformed fields with their position', () => {
    const s = new FixShredder();
    let e = errorOf(() => s.toFields(enc('35=D\x01abc\x01')));
    expect([e.message, e.position]).toEqual(["fix: field has no '=' (at byte 5)", 5]);
    e = errorOf(() => s.toFields(enc('35=D\x01x=1\x01')));
    expect(e.message).toMatch(/tag 'x' is not a number/);
    expect(e.position).toBe(5);
    e = errorOf(() => s.toFields(enc('=1\x01')));
    expect(e.message).toMatch(/empty tag/);
    e = errorOf(() => s.toFields(Uint8Array.of(0x31, 0x3d, 0x61, 0xff, 0x01)));
    expect(e.message).toMatch(/invalid UTF-8 in the value of '1'/);
    expect(e.position).toBe(3);
  });
});

describe('NVFIX', () => {
  it('builds and shreds the spec example sym=MSFT|qty=100|px=101.5|', () => {
    const b = new NvfixBuilder().append('sym', 'MSFT').append('qty', '100').append('px', '101.5');
    expect(b.getBytes()).toEqual(enc('sym=MSFT\x01qty=100\x01px=101.5\x01'));
    expect(new NvfixShredder().toMap(b.getBytes())).toEqual(
      new Map([
        ['sym', 'MSFT'],
        ['qty', '100'],
        ['px', '101.5'],
      ]),
    );
  });

  it('treats a= followed by the separator as NULL', () => {
    expect(new NvfixShredder('|').toFields('a=|b=1|')).toEqual([
      { name: 'a', value: null, offset: 0 },
      { name: 'b', value: '1', offset: 3 },
    ]);
    expect(new NvfixBuilder('|').append('a', null).toString()).toBe('a=|');
  });

  it('accepts any name bytes except = and the separator', () => {
    const b = new NvfixBuilder(';').append('weird name/ü', 'v');
    expect(new NvfixShredder(';').toFields(b.getBytes())[0]?.name).toBe('weird name/ü');
    expect(() => new NvfixBuilder().append('a=b', 'v')).toThrow(/contains '=' or the separator/);
    expect(() => new NvfixBuilder(';').append('a;b', 'v')).toThrow(/contains '=' or the separator/);
    expect(() => new NvfixBuilder().append('', 'v')).toThrow(/name is empty/);
  });

  it('reports a field without = with its position', () => {
    const e = errorOf(() => new NvfixShredder('|').toFields('a=1|oops|'));
    expect(e.format).toBe('nvfix');
    expect(e.position).toBe(4);
  });
});
