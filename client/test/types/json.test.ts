import { describe, expect, it } from 'vitest';
import { decodeJson, encodeJson, parseJsonTree } from '../../src/types/json.js';
import { PayloadError } from '../../src/types/payloadError.js';
import { enc, errorOf } from './helpers.js';

describe('JSON decode', () => {
  it('decodes the same values as JSON.parse for ordinary documents', () => {
    const text = '{"a":[1,-2.5e3,true,false,null,"x\\u00e9\\n\\"",{}],"b":{"c":[]},"d":"\\ud83d\\ude00"}';
    expect(decodeJson(enc(text))).toEqual(JSON.parse(text));
  });

  it('keeps integers beyond 2^53 exact, as bigint values and digit text in the tree', () => {
    const text = '{"big":9007199254740993,"neg":-123456789012345678901234567890,"safe":9007199254740991}';
    expect(decodeJson(enc(text))).toEqual({
      big: 9007199254740993n,
      neg: -123456789012345678901234567890n,
      safe: 9007199254740991,
    });
    const tree = parseJsonTree(enc(text));
    expect(tree.children?.[0]).toEqual({ key: 'big', type: 'bigint', value: '9007199254740993' });
    expect(tree.children?.[2]).toEqual({ key: 'safe', type: 'number', value: 9007199254740991 });
  });

  it('keeps a number too large for a double as its text in the tree', () => {
    const tree = parseJsonTree(enc('[1e400]'));
    expect(tree.children?.[0]).toEqual({ type: 'number', value: '1e400' });
  });

  it('keeps duplicate keys in the tree, first value wins in the value (AMPS default)', () => {
    const bytes = enc('{"code":1,"data":"x","code":2}');
    expect(parseJsonTree(bytes).children?.map((c) => [c.key, c.value])).toEqual([
      ['code', 1],
      ['data', 'x'],
      ['code', 2],
    ]);
    expect(decodeJson(bytes)).toEqual({ code: 1, data: 'x' });
  });

  it('treats __proto__ as an ordinary key', () => {
    const v = decodeJson(enc('{"__proto__":{"polluted":1}}')) as Record<string, unknown>;
    expect(Object.keys(v)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('skips a UTF-8 byte-order mark and counts positions after it', () => {
    expect(decodeJson(Uint8Array.of(0xef, 0xbb, 0xbf, ...enc('{"a":1}')))).toEqual({ a: 1 });
    expect(errorOf(() => decodeJson(Uint8Array.of(0xef, 0xbb, 0xbf, ...enc('{x}')))).position).toBe(4);
  });
});

describe('JSON errors carry the byte position', () => {
  const cases: [string, RegExp, number][] = [
    ['', /empty document/, 0],
    ['{"a":1', /expected ',' or '}'/, 6],
    ['{"a":1,}', /expected a member name/, 7],
    ['[1,]', /expected a value/, 3],
    ['{"a" 1}', /expected ':'/, 5],
    ['"abc', /unterminated string/, 0],
    ['"a\\qb"', /invalid escape '\\q'/, 2],
    ['"\\u12"', /four hex digits/, 1],
    ['"a\tb"', /control character U\+0009 inside a string/, 2],
    ['01', /invalid number '01'/, 0],
    ['1.', /invalid number '1\.'/, 0],
    ['-', /invalid number/, 0],
    ['tru', /unexpected 't'/, 0],
    ['{} x', /after the end of the document/, 3],
    ['{"é":1,,}', /expected a member name/, 8],
  ];
  for (const [text, message, position] of cases) {
    it(`rejects ${JSON.stringify(text)}`, () => {
      const e = errorOf(() => decodeJson(enc(text)));
      expect(e.format).toBe('json');
      expect(e.message).toMatch(message);
      expect(e.position).toBe(position);
    });
  }

  it('rejects invalid UTF-8 with the offset of the bad byte', () => {
    const e = errorOf(() => decodeJson(Uint8Array.of(0x7b, 0x22, 0x61, 0xc3, 0x28, 0x22, 0x3a, 0x31, 0x7d)));
    expect(e.message).toMatch(/invalid UTF-8/);
    expect(e.position).toBe(3);
  });

  it('rejects nesting deeper than 512 levels without overflowing the stack', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const e = errorOf(() => decodeJson(enc(deep)));
    expect(e.message).toMatch(/nesting deeper than 512 levels/);
    expect(e.position).toBe(512);
    expect(decodeJson(enc('['.repeat(512) + ']'.repeat(512)))).toBeInstanceOf(Array);
  });
});

describe('JSON encode', () => {
  it('writes compact JSON with exact bigints and ISO dates, skipping undefined members', () => {
    const bytes = encodeJson({ a: 12345678901234567890n, d: new Date(0), u: undefined, l: [undefined, 's'] });
    expect(new TextDecoder().decode(bytes)).toBe(
      '{"a":12345678901234567890,"d":"1970-01-01T00:00:00.000Z","l":[null,"s"]}',
    );
  });

  it('round-trips through decode', () => {
    const value = {
      id: 7,
      sym: 'MSFT',
      px: 101.5,
      tags: ['a', 'b'],
      big: -(2n ** 70n),
      nested: { ok: true, n: null },
    };
    expect(decodeJson(encodeJson(value))).toEqual(value);
  });

  it('rejects values JSON cannot hold', () => {
    expect(() => encodeJson({ x: NaN })).toThrow(/NaN has no JSON form \(at \/x\)/);
    expect(() => encodeJson({ m: new Map() })).toThrow(/cannot encode a Map as JSON \(at \/m\)/);
    expect(() => encodeJson(() => 1)).toThrow(PayloadError);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => encodeJson(cyclic)).toThrow(/nested deeper than 512/);
  });
});
