import { describe, expect, it } from 'vitest';
import {
  MAX_ALIGN_CELLS,
  diffLines,
  diffPayloads,
  diffValues,
  jsonType,
  showValue,
} from '../src/lib/structuralDiff.js';

describe('structural diff of JSON values', () => {
  it('finds nothing between equal values, whatever the key order', () => {
    expect(diffValues({ a: 1, b: { c: [1, 2] } }, { b: { c: [1, 2] }, a: 1 })).toEqual([]);
    expect(diffValues('x', 'x')).toEqual([]);
  });

  it('walks nested objects: added, removed and changed fields by path', () => {
    const before = { id: 1, customer: { name: 'Ann', city: 'Oslo' }, qty: 3 };
    const after = { id: 1, customer: { name: 'Ann', city: 'Rome', zip: '001' }, qty: 4 };
    expect(diffValues(before, after)).toEqual([
      { path: '/customer/city', kind: 'changed', before: 'Oslo', after: 'Rome' },
      { path: '/customer/zip', kind: 'added', after: '001' },
      { path: '/qty', kind: 'changed', before: 3, after: 4 },
    ]);
    expect(diffValues({ a: 1, b: { c: 2 } }, { a: 1 })).toEqual([
      { path: '/b', kind: 'removed', before: { c: 2 } },
    ]);
  });

  it('compares arrays element by element, naming elements added and removed', () => {
    expect(diffValues({ xs: [1, 2, 3] }, { xs: [1, 5] })).toEqual([
      { path: '/xs/1', kind: 'changed', before: 2, after: 5 },
      { path: '/xs/2', kind: 'removed', before: 3 },
    ]);
    expect(diffValues({ xs: [{ p: 1 }] }, { xs: [{ p: 2 }, { p: 3 }] })).toEqual([
      { path: '/xs/0/p', kind: 'changed', before: 1, after: 2 },
      { path: '/xs/1', kind: 'added', after: { p: 3 } },
    ]);
  });

  it('names a change of type, including object to scalar and array to object', () => {
    expect(diffValues({ a: 1 }, { a: '1' })).toEqual([
      { path: '/a', kind: 'changed', before: 1, after: '1', types: { before: 'number', after: 'string' } },
    ]);
    expect(diffValues({ a: { b: 1 } }, { a: 5 })).toEqual([
      {
        path: '/a',
        kind: 'changed',
        before: { b: 1 },
        after: 5,
        types: { before: 'object', after: 'number' },
      },
    ]);
    expect(diffValues({ a: [1] }, { a: { 0: 1 } })).toEqual([
      {
        path: '/a',
        kind: 'changed',
        before: [1],
        after: { 0: 1 },
        types: { before: 'array', after: 'object' },
      },
    ]);
    expect(diffValues({ a: null }, { a: false })[0]?.types).toEqual({ before: 'null', after: 'boolean' });
  });

  it('reports a changed whole value at /', () => {
    expect(diffValues(1, 2)).toEqual([{ path: '/', kind: 'changed', before: 1, after: 2 }]);
    expect(diffValues([1], { a: 1 })[0]).toMatchObject({
      path: '/',
      types: { before: 'array', after: 'object' },
    });
  });

  it('names JSON types and shows values', () => {
    expect([null, true, 1, 's', [], {}].map(jsonType)).toEqual([
      'null',
      'boolean',
      'number',
      'string',
      'array',
      'object',
    ]);
    expect(showValue(undefined)).toBe('(absent)');
    expect(showValue({ a: 'x' })).toBe('{"a":"x"}');
    expect(showValue('x')).toBe('"x"');
  });
});

describe('line diff', () => {
  it('keeps common lines and marks removed and added ones with their numbers', () => {
    const d = diffLines('a\nb\nc\nd', 'a\nB\nc\nd\ne');
    expect(d.exact).toBe(true);
    expect(d.lines).toEqual([
      { kind: 'same', text: 'a', beforeLine: 1, afterLine: 1 },
      { kind: 'removed', text: 'b', beforeLine: 2 },
      { kind: 'added', text: 'B', afterLine: 2 },
      { kind: 'same', text: 'c', beforeLine: 3, afterLine: 3 },
      { kind: 'same', text: 'd', beforeLine: 4, afterLine: 4 },
      { kind: 'added', text: 'e', afterLine: 5 },
    ]);
  });

  it('aligns moved lines by their longest common run', () => {
    const d = diffLines('x\n1\n2\n3\ny', 'x\n2\n3\n1\ny');
    expect(d.lines.map((l) => `${l.kind[0]}${l.text}`)).toEqual(['sx', 'r1', 's2', 's3', 'a1', 'sy']);
  });

  it('reads the same text as all common lines and CRLF like LF', () => {
    expect(diffLines('a\r\nb', 'a\nb').lines.every((l) => l.kind === 'same')).toBe(true);
  });

  it('shows texts too different to align as removed then added, and says so', () => {
    const side = Math.ceil(Math.sqrt(MAX_ALIGN_CELLS)) + 1;
    const a = Array.from({ length: side }, (_, i) => `a${i}`).join('\n');
    const b = Array.from({ length: side }, (_, i) => `b${i}`).join('\n');
    const d = diffLines(`head\n${a}`, `head\n${b}`);
    expect(d.exact).toBe(false);
    expect(d.lines[0]).toEqual({ kind: 'same', text: 'head', beforeLine: 1, afterLine: 1 });
    expect(d.lines.filter((l) => l.kind === 'removed')).toHaveLength(side);
    expect(d.lines.filter((l) => l.kind === 'added')).toHaveLength(side);
  });
});

describe('payload diff', () => {
  it('diffs two JSON payloads by field path', () => {
    expect(diffPayloads('{"id":1,"qty":2}', '{"id":1,"qty":3}')).toEqual({
      kind: 'json',
      changes: [{ path: '/qty', kind: 'changed', before: 2, after: 3 }],
    });
  });

  it('diffs payloads that are not both JSON line by line', () => {
    const d = diffPayloads('8=FIX.4.2\n35=D', '{"a":1}');
    expect(d.kind).toBe('text');
    if (d.kind === 'text') expect(d.diff.lines.map((l) => l.kind)).toEqual(['removed', 'removed', 'added']);
  });
});
