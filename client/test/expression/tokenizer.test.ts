import { describe, expect, it } from 'vitest';
import { tokenize } from '../../src/expression/index.js';

const kinds = (text: string): string[] => tokenize(text).map((t) => `${t.kind}:${t.text}`);

describe('tokenize', () => {
  it('classifies every token kind with exact spans', () => {
    const tokens = tokenize("/a/b = 'x' AND LOWER(/c) IN (1, 2.5) # ");
    expect(tokens.map((t) => [t.kind, t.text, t.start, t.end])).toEqual([
      ['identifier', '/a/b', 0, 4],
      ['operator', '=', 5, 6],
      ['string', "'x'", 7, 10],
      ['keyword', 'AND', 11, 14],
      ['function', 'LOWER', 15, 20],
      ['punctuation', '(', 20, 21],
      ['identifier', '/c', 21, 23],
      ['punctuation', ')', 23, 24],
      ['keyword', 'IN', 25, 27],
      ['punctuation', '(', 28, 29],
      ['number', '1', 29, 30],
      ['punctuation', ',', 30, 31],
      ['number', '2.5', 32, 35],
      ['punctuation', ')', 35, 36],
      ['invalid', '#', 37, 38],
    ]);
  });

  it('resolves the "/" ambiguity by position (§14.1)', () => {
    expect(kinds('/a / /b')).toEqual(['identifier:/a', 'operator:/', 'identifier:/b']);
    expect(kinds('/a / 2')).toEqual(['identifier:/a', 'operator:/', 'number:2']);
    expect(kinds('/a/2')).toEqual(['identifier:/a/2']);
    expect(kinds('(1)/2')).toEqual(['punctuation:(', 'number:1', 'punctuation:)', 'operator:/', 'number:2']);
    expect(kinds('1.0/5')).toEqual(['number:1.0', 'operator:/', 'number:5']);
    expect(tokenize('/a/b.c-d/@attr/55').at(0)?.path).toEqual(['a', 'b.c-d', '@attr', '55']);
  });

  it('reads subscripts and bracketed identifiers', () => {
    const [sub] = tokenize('/tags[3]');
    expect(sub).toMatchObject({ kind: 'identifier', path: ['tags'], subscript: 3, end: 8 });
    const [bracketed] = tokenize('[/Any Name/With Spaces][1] = 1');
    expect(bracketed).toMatchObject({ kind: 'identifier', path: ['Any Name', 'With Spaces'], subscript: 1 });
    expect(kinds('[1]')).toEqual(['punctuation:[', 'number:1', 'punctuation:]']);
  });

  it('processes string escapes (§14.1) and keeps the written body', () => {
    const [s] = tokenize(String.raw`'a\tb\x41\101\q\'\\'`);
    expect(s?.value).toBe("a\tbAAq'\\");
    expect(s?.body).toBe(String.raw`a\tb\x41\101\q\'\\`);
    expect(tokenize(String.raw`"\a\b\f\n\r"`)[0]?.value).toBe('\x07\b\f\n\r');
    expect(tokenize(String.raw`'\0'`)[0]?.value).toBe('\0');
  });

  it('reads raw strings without escape processing', () => {
    const [r] = tokenize(String.raw`r'a\tb'`);
    expect(r).toMatchObject({ kind: 'string', raw: true, value: String.raw`a\tb` });
    expect(tokenize(String.raw`R"x\"`)[0]).toMatchObject({ kind: 'string', raw: true, value: 'x\\' });
  });

  it('reads numbers: integers, decimals, exponents', () => {
    const nums = tokenize('42 3.14 31.4e-1 6.022E23 .5').map((t) => [t.number, t.float]);
    expect(nums).toEqual([
      [42, false],
      [3.14, true],
      [3.14, true],
      [6.022e23, true],
      [0.5, true],
    ]);
  });

  it('treats keywords case-insensitively and tells functions by the "("', () => {
    const t = tokenize('not a');
    expect(t[0]).toMatchObject({ kind: 'keyword', name: 'NOT' });
    expect(tokenize('if (1,2,3)')[0]).toMatchObject({ kind: 'function', name: 'IF' });
    expect(tokenize('Upper (/x)')[0]).toMatchObject({ kind: 'function', name: 'UPPER' });
    expect(tokenize('IN (1)')[0]).toMatchObject({ kind: 'keyword', name: 'IN' });
    expect(tokenize('between')[0]).toMatchObject({ kind: 'keyword', name: 'BETWEEN' });
  });

  it('never throws: unreadable input becomes invalid tokens with a problem', () => {
    expect(tokenize("'open")[0]).toMatchObject({ kind: 'invalid', problem: 'unterminated string' });
    expect(tokenize('12ab')[0]).toMatchObject({ kind: 'invalid', problem: 'malformed number' });
    expect(tokenize('word')[0]).toMatchObject({ kind: 'invalid' });
    expect(tokenize('😀')[0]).toMatchObject({ kind: 'invalid', start: 0, end: 2 });
    expect(tokenize('  \t\n')).toEqual([]);
  });

  it('recognises every operator', () => {
    expect(kinds('= == != <> < <= > >= + - * %').map((k) => k.split(':')[0])).toEqual(
      Array(12).fill('operator'),
    );
  });
});
