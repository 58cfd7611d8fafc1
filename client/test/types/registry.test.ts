import { describe, expect, it } from 'vitest';
import {
  BsonOther,
  decodeBFlat,
  decodeBson,
  decodeJson,
  decodeMsgPack,
  decodePayload,
  encodePayload,
  formatDisplayTree,
  fromHex,
  MsgPackExtension,
  MsgPackTimestamp,
  NvfixShredder,
  valueToDisplay,
} from '../../src/types/index.js';
import type { DecodedPayload } from '../../src/types/index.js';
import { enc } from './helpers.js';

function expectKind<K extends DecodedPayload['kind']>(
  p: DecodedPayload,
  kind: K,
): Extract<DecodedPayload, { kind: K }> {
  expect(p.kind).toBe(kind);
  return p as Extract<DecodedPayload, { kind: K }>;
}

describe('decodePayload', () => {
  it('renders JSON as a tree, exact big integers included', () => {
    const p = expectKind(
      decodePayload('JSON', enc('{"id":7,"big":18446744073709551615,"tags":["a"]}')),
      'tree',
    );
    expect(p.format).toBe('JSON');
    expect(p.root).toEqual({
      type: 'object',
      children: [
        { key: 'id', type: 'number', value: 7 },
        { key: 'big', type: 'bigint', value: '18446744073709551615' },
        { key: 'tags', type: 'array', children: [{ type: 'string', value: 'a' }] },
      ],
    });
  });

  it('renders FIX and NVFIX as fields with NULLs and duplicates kept', () => {
    expect(expectKind(decodePayload('fix', enc('35=D\x0155=A\x0155=B\x0158=\x01')), 'fields').fields).toEqual(
      [
        { name: '35', value: 'D' },
        { name: '55', value: 'A' },
        { name: '55', value: 'B' },
        { name: '58', value: null },
      ],
    );
    expect(
      expectKind(decodePayload('nvfix', enc('sym=MSFT|qty=|'), { fieldSeparator: '|' }), 'fields').fields,
    ).toEqual([
      { name: 'sym', value: 'MSFT' },
      { name: 'qty', value: null },
    ]);
  });

  it('renders BFlat as typed fields', () => {
    const bytes = encodePayload('bflat', {
      id: 1,
      sym: 'MSFT',
      qtys: [10, 20],
      at: new Date(0),
      b: Uint8Array.of(0xab),
    });
    expect(expectKind(decodePayload('bflat', bytes), 'fields').fields).toEqual([
      { name: 'id', value: '1', type: 'int32' },
      { name: 'sym', value: 'MSFT', type: 'string' },
      { name: 'qtys', value: '[10, 20]', type: 'int32[]' },
      { name: 'at', value: '1970-01-01T00:00:00.000Z', type: 'datetime' },
      { name: 'b', value: '0xab', type: 'binary' },
    ]);
  });

  it('renders XML as a tree with attributes and text', () => {
    const p = expectKind(
      decodePayload('xml', enc('<Order id="7">\n  <Sym>MSFT</Sym>\n  <Px cur="USD">1.5</Px>\n</Order>')),
      'tree',
    );
    expect(p.root).toEqual({
      key: 'Order',
      type: 'object',
      children: [
        { key: '@id', type: 'string', value: '7', label: 'xml attribute' },
        { key: 'Sym', type: 'string', value: 'MSFT' },
        {
          key: 'Px',
          type: 'object',
          children: [
            { key: '@cur', type: 'string', value: 'USD', label: 'xml attribute' },
            { key: '#text', type: 'string', value: '1.5' },
          ],
        },
      ],
    });
  });

  it('renders MessagePack and BSON with typed leaves', () => {
    const mp = encodePayload('msgpack', {
      n: 2n ** 63n,
      bin: Uint8Array.of(1, 2),
      at: new MsgPackTimestamp(0n, 5),
      ext: new MsgPackExtension(3, Uint8Array.of(9)),
    });
    expect(expectKind(decodePayload('msgpack', mp), 'tree').root.children).toEqual([
      { key: 'n', type: 'bigint', value: '9223372036854775808' },
      { key: 'bin', type: 'binary', value: '0102', size: 2 },
      { key: 'at', type: 'datetime', value: '1970-01-01T00:00:00.000000005Z', label: 'timestamp' },
      { key: 'ext', type: 'binary', value: '09', size: 1, label: 'ext 3' },
    ]);
    const bs = encodePayload('bson', { d: new Date(0), ok: true });
    expect(expectKind(decodePayload('bson', bs), 'tree').root.children).toEqual([
      { key: 'd', type: 'datetime', value: '1970-01-01T00:00:00.000Z' },
      { key: 'ok', type: 'boolean', value: true },
    ]);
  });

  it('splits composite payloads and decodes each part', () => {
    const bytes = encodePayload('composite-local', [
      '{"id":1}',
      Uint8Array.of(0xde, 0xad, 0xbe, 0xef),
      'plain',
    ]);
    const p = expectKind(decodePayload('composite-local', bytes), 'composite');
    expect(p.parts.map((x) => x.kind)).toEqual(['tree', 'hex', 'text']);
    const typed = expectKind(
      decodePayload('compositejb', bytes, { compositeParts: ['json', 'binary', 'json'] }),
      'composite',
    );
    expect(typed.parts.map((x) => x.kind)).toEqual(['tree', 'hex', 'error']);
  });

  it('shows binary as hex and unknown types as text or hex', () => {
    const hex = expectKind(decodePayload('binary', Uint8Array.of(0x41, 0x00)), 'hex');
    expect(hex.rows).toEqual([{ offset: 0, hex: '41 00', ascii: 'A.' }]);
    expect(hex.length).toBe(2);
    expect(expectKind(decodePayload('protobuf', enc('héllo')), 'text').text).toBe('héllo');
    expect(expectKind(decodePayload('struct', Uint8Array.of(0xff, 0xfe)), 'hex').rows[0]?.hex).toBe('ff fe');
  });

  it('shows an empty payload as empty text whatever the type', () => {
    for (const type of ['json', 'bson', 'msgpack', 'xml', 'binary']) {
      expect(decodePayload(type, new Uint8Array(0))).toEqual({ kind: 'text', format: type, text: '' });
    }
  });

  it('never loses an unparseable payload: the error carries position and the raw bytes as hex', () => {
    const p = expectKind(decodePayload('json', enc('{"a":}')), 'error');
    expect(p.message).toBe("json: unexpected '}', expected a value (at byte 5)");
    expect(p.position).toBe(5);
    expect(p.fallback.rows[0]?.ascii).toBe('{"a":}');
    for (const type of ['json', 'xml', 'msgpack', 'bson', 'bflat', 'fix', 'nvfix', 'composite-global']) {
      const bad = decodePayload(type, Uint8Array.of(0xc1, 0x3d, 0xff, 0x00, 0x00));
      expect(bad.kind, type).toBe('error');
    }
  });

  it('produces plain JSON data only (safe for IPC and WebSocket)', () => {
    const bytes = encodePayload('msgpack', [2n ** 63n, new Map([[1, Uint8Array.of(1)]])]);
    const p = decodePayload('msgpack', bytes);
    expect(JSON.parse(JSON.stringify(p))).toEqual(p);
  });
});

describe('encodePayload', () => {
  it('encodes each format so its decoder gives the value back', () => {
    expect(decodeJson(encodePayload('json', { a: [1, 'x'] }))).toEqual({ a: [1, 'x'] });
    expect(new TextDecoder().decode(encodePayload('fix', { 35: 'D', 55: 'MSFT', 58: null }))).toBe(
      '35=D\x0155=MSFT\x0158=\x01',
    );
    expect(
      new NvfixShredder().toMap(
        encodePayload('nvfix', [
          ['sym', 'MSFT'],
          ['qty', 100],
        ]),
      ),
    ).toEqual(
      new Map([
        ['sym', 'MSFT'],
        ['qty', '100'],
      ]),
    );
    expect(
      new TextDecoder().decode(encodePayload('nvfix', new Map([['b', true]]), { fieldSeparator: '|' })),
    ).toBe('b=true|');
    expect(decodeMsgPack(encodePayload('msgpack', { a: 1 }))).toEqual({ a: 1 });
    expect(decodeBson(encodePayload('bson', { a: 1 }))).toEqual({ a: 1 });
    expect(decodeBFlat(encodePayload('bflat', { a: 1 }))).toEqual({ a: 1 });
    expect(decodeBFlat(encodePayload('bflat', [{ tag: 'a', type: 'int8', array: false, value: 1 }]))).toEqual(
      { a: 1 },
    );
    expect(encodePayload('binary', Uint8Array.of(1))).toEqual(Uint8Array.of(1));
    expect(encodePayload('protobuf', 'x')).toEqual(enc('x'));
    expect(encodePayload('composite-local', ['a'])).toEqual(fromHex('00 00 00 01 61'));
  });

  it('rejects values a format cannot hold', () => {
    expect(() => encodePayload('fix', { x: 1 })).toThrow(/tag 'x' is not a number/);
    expect(() => encodePayload('nvfix', { a: { b: 1 } })).toThrow(/nvfix values are flat text/);
    expect(() => encodePayload('nvfix', 5)).toThrow(/must be an object, a Map or \[name, value\] pairs/);
    expect(() => encodePayload('bson', [1])).toThrow(/must be a plain object/);
    expect(() => encodePayload('bflat', 'x')).toThrow(/expected a flat object/);
    expect(() => encodePayload('composite-local', 'x')).toThrow(/array of parts/);
    expect(() => encodePayload('binary', 5)).toThrow(/string or Uint8Array/);
  });
});

describe('valueToDisplay', () => {
  it('labels BSON types without a JS counterpart by name', () => {
    const node = valueToDisplay(new BsonOther(0x07, 'objectId', new Uint8Array(12), '00'.repeat(12)), 'id');
    expect(node).toEqual({ key: 'id', type: 'string', value: '00'.repeat(12), label: 'objectId' });
  });

  it('cuts long binary values but reports their size', () => {
    const node = valueToDisplay(new Uint8Array(10_000));
    expect(node.size).toBe(10_000);
    expect((node.value as string).length).toBe(8192);
  });
});

describe('formatDisplayTree', () => {
  it('pretty-prints a JSON tree as valid JSON with exact big integers and duplicate keys', () => {
    const root = expectKind(
      decodePayload('json', enc('{"a":[1,{"b":null}],"big":12345678901234567890,"a":"dup","e":{},"l":[]}')),
      'tree',
    ).root;
    expect(formatDisplayTree(root)).toBe(
      [
        '{',
        '  "a": [',
        '    1,',
        '    {',
        '      "b": null',
        '    }',
        '  ],',
        '  "big": 12345678901234567890,',
        '  "a": "dup",',
        '  "e": {},',
        '  "l": []',
        '}',
      ].join('\n'),
    );
  });

  it('quotes binary and datetime leaves of other formats', () => {
    const root = expectKind(
      decodePayload('bson', encodePayload('bson', { b: Uint8Array.of(0xff), d: new Date(0), x: NaN })),
      'tree',
    ).root;
    expect(JSON.parse(formatDisplayTree(root, 0).replace(/\n/g, ''))).toEqual({
      b: '0xff',
      d: '1970-01-01T00:00:00.000Z',
      x: 'NaN',
    });
  });
});
