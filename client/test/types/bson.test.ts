import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../src/types/binary.js';
import { BsonBinary, BsonOther, decodeBson, encodeBson } from '../../src/types/bson.js';
import { errorOf } from './helpers.js';

/** {"hello": "world"} from bsonspec.org. */
const HELLO = fromHex('16 00 00 00 02 68 65 6c 6c 6f 00 06 00 00 00 77 6f 72 6c 64 00 00');

describe('BSON golden bytes', () => {
  it('encodes and decodes the bsonspec.org hello-world document', () => {
    expect(encodeBson({ hello: 'world' })).toEqual(HELLO);
    expect(decodeBson(HELLO)).toEqual({ hello: 'world' });
  });

  it('encodes numbers by range: int32, int64, double', () => {
    expect(toHex(encodeBson({ a: 1 }))).toBe('0c000000' + '106100' + '01000000' + '00');
    expect(toHex(encodeBson({ a: 2 ** 40 }))).toBe('10000000' + '126100' + '0000000000010000' + '00');
    expect(toHex(encodeBson({ a: 0.5 }))).toBe('10000000' + '016100' + '000000000000e03f' + '00');
    expect(toHex(encodeBson({ a: -0 }))).toBe('10000000' + '016100' + '0000000000000080' + '00');
    expect(Object.is(decodeBson(encodeBson({ a: -0 })).a, -0)).toBe(true);
    expect(toHex(encodeBson({ a: 2n ** 62n }))).toBe('10000000' + '126100' + '0000000000000040' + '00');
  });

  it('round-trips the common element types', () => {
    const doc = {
      s: 'é€😀',
      i: -5,
      l: 9007199254740993n,
      d: 1.25,
      t: true,
      f: false,
      n: null,
      when: new Date('2020-02-02T02:02:02.002Z'),
      bin: Uint8Array.of(1, 2, 3),
      uuid: new BsonBinary(4, new Uint8Array(16).fill(7)),
      arr: [1, 'two', [3], { four: 4 }],
      sub: { deeper: { deepest: [] } },
    };
    const bytes = encodeBson(doc);
    expect(decodeBson(bytes)).toEqual(doc);
    expect(encodeBson(decodeBson(bytes) as Record<string, unknown>)).toEqual(bytes);
  });
});

describe('BSON element types without a JS counterpart', () => {
  it('keeps ObjectId, regex, timestamp, decimal128, code, symbol, min/max key and re-encodes them unchanged', () => {
    const body = [
      '07 6f 69 64 00 ' + '50 7f 1f 77 bc f8 6c d7 99 43 90 11', // oid: ObjectId
      '0b 72 00 61 2b 00 69 00', // r: /a+/i
      '11 74 73 00 01 00 00 00 02 00 00 00', // ts: Timestamp(2, 1)
      '13 64 65 63 00 ' + '01 00 00 00 00 00 00 00 00 00 00 00 00 00 40 30', // dec: decimal128 1
      '0d 6a 73 00 02 00 00 00 78 00', // js: code "x"
      '0e 73 79 6d 00 02 00 00 00 79 00', // sym: symbol "y"
      'ff 6d 69 6e 00', // min
      '7f 6d 61 78 00', // max
      '06 75 00', // u: undefined
    ].join(' ');
    const inner = fromHex(body);
    const bytes = new Uint8Array(inner.length + 5);
    new DataView(bytes.buffer).setInt32(0, bytes.length, true);
    bytes.set(inner, 4);
    const doc = decodeBson(bytes);
    const other = (k: string): BsonOther => doc[k] as BsonOther;
    expect(other('oid')).toBeInstanceOf(BsonOther);
    expect([other('oid').typeName, other('oid').display]).toEqual(['objectId', '507f1f77bcf86cd799439011']);
    expect(other('r').display).toBe('/a+/i');
    expect(other('ts').display).toBe('Timestamp(2, 1)');
    expect(other('dec').typeCode).toBe(0x13);
    expect(other('js').display).toBe('x');
    expect([other('sym').typeName, other('sym').display]).toEqual(['symbol', 'y']);
    expect([other('min').typeName, other('max').typeName, other('u').typeName]).toEqual([
      'minKey',
      'maxKey',
      'undefined',
    ]);
    expect(encodeBson(doc as Record<string, unknown>)).toEqual(bytes);
  });
});

describe('BSON malformed input', () => {
  const cases: [string, string, RegExp, number][] = [
    ['truncated document', '16 00 00 00 02 68 65', /document length 22 exceeds the 7 bytes left/, 0],
    ['length below 5', '04 00 00 00', /below the minimum 5/, 0],
    ['missing terminator', '06 00 00 00 0a 00', /terminating NUL|runs past/, 5],
    ['string length 0', '0d 00 00 00 02 61 00 00 00 00 00 00 00', /string length 0 is below 1/, 7],
    ['string without NUL', '0e 00 00 00 02 61 00 02 00 00 00 41 42 00', /does not end with NUL/, 12],
    ['bad boolean', '09 00 00 00 08 61 00 02 00', /boolean byte is 2/, 7],
    ['unknown type', '08 00 00 00 20 61 00 00', /unsupported element type 0x20 for 'a'/, 4],
    ['bad UTF-8 key', '08 00 00 00 0a ff 00 00', /invalid UTF-8 in element name/, 5],
    ['trailing bytes', '05 00 00 00 00 01', /1 trailing byte after the document/, 5],
    ['short length prefix', '05 00', /truncated document length/, 0],
  ];
  for (const [name, hex, message, position] of cases) {
    it(`rejects ${name}`, () => {
      const e = errorOf(() => decodeBson(fromHex(hex)));
      expect(e.format).toBe('bson');
      expect(e.message).toMatch(message);
      expect(e.position).toBe(position);
    });
  }

  it('rejects nesting deeper than 512 levels', () => {
    let doc: Record<string, unknown> = {};
    for (let i = 0; i < 600; i++) doc = { a: doc };
    expect(() => encodeBson(doc)).toThrow(/nested deeper than 512/);
    let bytes = encodeBson({});
    for (let i = 0; i < 600; i++) {
      const next = new Uint8Array(bytes.length + 8);
      new DataView(next.buffer).setInt32(0, next.length, true);
      next.set([0x03, 0x61, 0x00], 4);
      next.set(bytes, 7);
      bytes = next;
    }
    expect(errorOf(() => decodeBson(bytes)).message).toMatch(/nesting deeper than 512/);
  });

  it('rejects values it cannot encode', () => {
    expect(() => encodeBson({ 'a\u0000b': 1 })).toThrow(/contains NUL/);
    expect(() => encodeBson({ x: 2n ** 63n })).toThrow(/does not fit int64 \(at \/x\)/);
    expect(() => encodeBson({ m: new Map() })).toThrow(/cannot encode a Map \(at \/m\)/);
    expect(() => encodeBson([1] as unknown as Record<string, unknown>)).toThrow(/must be a plain object/);
  });
});
