import { describe, expect, it } from 'vitest';
import { decodePayload, encodePayload } from '../../client/src/types/registry.js';
import type { DecodedPayloadView } from '../../common/src/dto/decodedPayload.js';
import {
  copyPayloadName,
  DECODE_IN_PANE_BYTES,
  decodeInPane,
  decodedAsJson,
  hasJson,
  linesText,
  partHeading,
  treeLines,
} from '../src/subscriptions/decodedPayloadModel.js';

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
const decode = (type: string, bytes: Uint8Array): DecodedPayloadView => decodePayload(type, bytes);

describe('tree lines', () => {
  it('print a JSON payload exactly as JSON.stringify pretty-prints it, tokens by kind', () => {
    const doc = { id: 2, sym: 'MSFT', px: 1.5, ok: true, none: null, tags: ['a', 'b'], empty: {}, list: [] };
    const view = decode('json', utf8(JSON.stringify(doc)));
    if (view.kind !== 'tree') throw new Error(view.kind);
    const { lines, hidden } = treeLines(view.root);
    expect(hidden).toBe(0);
    expect(linesText(lines)).toBe(JSON.stringify(doc, null, 2));
    const kinds = (text: string): string[] =>
      lines.flat().filter((t) => t.text === text).map((t) => t.kind);
    expect(kinds('"sym"')).toEqual(['key']);
    expect(kinds('"MSFT"')).toEqual(['string']);
    expect(kinds('1.5')).toEqual(['number']);
    expect(kinds('true')).toEqual(['literal']);
    expect(kinds('null')).toEqual(['literal']);
  });

  it('label type detail subtly after the value (xml attributes, binary size)', () => {
    const xml = decode('xml', utf8('<order id="5"><sym>IBM</sym></order>'));
    if (xml.kind !== 'tree') throw new Error(xml.kind);
    const text = linesText(treeLines(xml.root).lines);
    expect(text).toBe('{\n  "@id": "5",  xml attribute\n  "sym": "IBM"\n}');
    const labels = treeLines(xml.root).lines.flat().filter((t) => t.kind === 'label');
    expect(labels.map((t) => t.text.trim())).toEqual(['xml attribute']);
    const mp = decode('msgpack', encodePayload('msgpack', { b: new Uint8Array([1, 2, 3]) }));
    if (mp.kind !== 'tree') throw new Error(mp.kind);
    expect(linesText(treeLines(mp.root).lines)).toBe('{\n  "b": "0x010203"  3 bytes\n}');
  });

  it('render at most the bound and count the rest', () => {
    const view = decode('json', utf8(JSON.stringify(Array.from({ length: 50 }, (_, i) => i))));
    if (view.kind !== 'tree') throw new Error(view.kind);
    const { lines, hidden } = treeLines(view.root, 10);
    expect(lines).toHaveLength(10);
    expect(hidden).toBe(52 - 10);
  });
});

describe('copy as JSON of a decoded payload', () => {
  it('keeps big integers exact and binary as 0x…', () => {
    const view = decode('json', utf8('{"big":123456789012345678901234,"s":"\\u0000x"}'));
    expect(decodedAsJson(view)).toBe('{\n  "big": 123456789012345678901234,\n  "s": "\\u0000x"\n}');
    const mp = decode('msgpack', encodePayload('msgpack', { b: new Uint8Array([255]), n: 2n ** 64n - 1n }));
    expect(JSON.parse(decodedAsJson(mp))).toEqual({ b: '0xff', n: 18446744073709552000 });
    expect(decodedAsJson(mp)).toContain('"n": 18446744073709551615');
  });

  it('gives fields as an object (a repeated name as an array) and a composite as its parts', () => {
    const fix = decode('fix', utf8('55=IBM\u0001447=D\u0001447=P\u0001'));
    expect(JSON.parse(decodedAsJson(fix))).toEqual({ '55': 'IBM', '447': ['D', 'P'] });
    const bflat = decode('bflat', encodePayload('bflat', { id: 3, sym: 'IBM' }));
    expect(JSON.parse(decodedAsJson(bflat))).toEqual({ id: '3', sym: 'IBM' });
    const composite = decode('composite-local', encodePayload('composite-local', ['{"a":1}', 'sym=IBM']));
    expect(composite.kind).toBe('composite');
    expect(JSON.parse(decodedAsJson(composite))).toEqual([{ a: 1 }, 'sym=IBM']);
    expect(hasJson(composite)).toBe(true);
    expect(hasJson(decode('binary', new Uint8Array([1])))).toBe(false);
    if (composite.kind === 'composite' && composite.parts[0]) {
      expect(partHeading(0, composite.parts[0])).toBe('Part 1 (json)');
    }
  });
});

describe('the copy button', () => {
  it('says whether it copies the payload as received or a binary document as JSON', () => {
    expect(copyPayloadName(undefined)).toBe('Copy payload as received');
    expect(copyPayloadName('msgpack')).toBe('Copy payload (msgpack as JSON)');
  });
});

describe('what the pane asks main to decode', () => {
  it('every binary document, and text payloads up to the bound (larger ones open whole instead)', () => {
    expect(decodeInPane({ size: 10, decodedFrom: 'msgpack' })).toBe(true);
    expect(decodeInPane({ size: 5_000_000, decodedFrom: 'bson' })).toBe(true);
    expect(decodeInPane({ size: DECODE_IN_PANE_BYTES })).toBe(true);
    expect(decodeInPane({ size: DECODE_IN_PANE_BYTES + 1 })).toBe(false);
  });
});
