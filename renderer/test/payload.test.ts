import { describe, expect, it } from 'vitest';
import { describePayload, hexDump, previewPayload } from '../src/lib/payload.js';
import { markSpan } from '../src/lib/spans.js';

describe('describePayload', () => {
  it('pretty-prints JSON', () => {
    const view = describePayload('{"a":1,"b":[true,null]}');
    expect(view).toEqual({ kind: 'json', text: '{\n  "a": 1,\n  "b": [\n    true,\n    null\n  ]\n}' });
  });

  it('shows truncated or broken JSON as text', () => {
    expect(describePayload('{"a":1,"b":')).toEqual({ kind: 'text', text: '{"a":1,"b":' });
  });

  it('splits FIX / NVFIX payloads into fields', () => {
    const view = describePayload('35=D\u000155=IBM\u000144=120.5\u0001');
    expect(view).toEqual({
      kind: 'fix',
      fields: [
        { tag: '35', value: 'D' },
        { tag: '55', value: 'IBM' },
        { tag: '44', value: '120.5' },
      ],
    });
  });

  it('keeps plain text (tabs and newlines included) as text', () => {
    expect(describePayload('hello\tworld\nline 2')).toEqual({ kind: 'text', text: 'hello\tworld\nline 2' });
  });

  it('shows binary payloads as a hex dump', () => {
    const view = describePayload('ab\u0000\u0002\ufffdz');
    expect(view.kind).toBe('hex');
    if (view.kind !== 'hex') return;
    expect(view.bytes).toBe(8);
    expect(view.text).toBe(`00000000  61 62 00 02 ef bf bd 7a${' '.repeat(26)}ab.....z`);
  });
});

describe('hexDump', () => {
  it('writes 16 bytes a line and summarizes past the limit', () => {
    const bytes = Uint8Array.from({ length: 40 }, (_, i) => 0x41 + (i % 26));
    const lines = hexDump(bytes, 32).split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]?.startsWith('00000010  51 52 53 54 55 56 57 58 59 5a 41 42')).toBe(true);
    expect(lines[2]).toBe('… 8 more bytes');
  });
});

describe('previewPayload', () => {
  it('flattens control characters and cuts long payloads', () => {
    expect(previewPayload('a\u0001b\nc')).toBe('a|b c');
    expect(previewPayload('x'.repeat(10), 4)).toBe('xxxx…');
  });
});

describe('markSpan', () => {
  it('splits around the offending part', () => {
    expect(markSpan('tcp://host:x9/amps/json', 11, 2)).toEqual({
      before: 'tcp://host:',
      marked: 'x9',
      after: '/amps/json',
      missing: false,
    });
  });

  it('marks a missing part with an empty span and clamps out-of-range positions', () => {
    expect(markSpan('abc', 3, 0)).toEqual({ before: 'abc', marked: '', after: '', missing: true });
    expect(markSpan('abc', 10, 5)).toEqual({ before: 'abc', marked: '', after: '', missing: true });
    expect(markSpan('abc', -2, 2)).toEqual({ before: '', marked: 'ab', after: 'c', missing: false });
  });
});
