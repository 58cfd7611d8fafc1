import { describe, expect, it } from 'vitest';
import { FUNCTIONS } from '../../client/src/expression/index.js';
import { filterCompletions, filterHover } from '../src/filters/filterAssist.js';
import { FieldPathSet, fieldPathsOf, MAX_PATHS } from '../src/filters/fieldPaths.js';
import { FILTER_LANGUAGE, diagnoseFilter } from '../src/filters/filterLanguage.js';
import { FUNCTION_DOCS, functionDoc } from '../src/filters/functionDocs.js';
import { tokenizeFilter } from '../src/filters/filterTokens.js';
import { languageDefinition } from '../src/lib/monaco/languages.js';

const typed = (text: string): [string, string][] =>
  tokenizeFilter(text)
    .filter((t) => t.type !== 'white')
    .map((t) => [t.type, text.slice(t.start, t.end)]);

describe('filter tokens', () => {
  it('names fields, operators, functions, strings, numbers and constants', () => {
    expect(typed("/order/qty >= 10 AND UPPER(/sym) <> 'IBM' OR /x IS NOT NULL")).toEqual([
      ['field', '/order/qty'],
      ['operator', '>='],
      ['number', '10'],
      ['keyword', 'AND'],
      ['function', 'UPPER'],
      ['delimiter', '('],
      ['field', '/sym'],
      ['delimiter', ')'],
      ['operator', '<>'],
      ['string', "'IBM'"],
      ['keyword', 'OR'],
      ['field', '/x'],
      ['keyword', 'IS'],
      ['keyword', 'NOT'],
      ['constant', 'NULL'],
    ]);
  });

  it('marks LIKE patterns and the pattern argument of REGEXP_MATCH as regular expressions', () => {
    expect(typed("/a LIKE '^IB.*' AND REGEXP_MATCH(/b, 'x+') = 'x' AND /c IN ('p', 'q')")).toEqual([
      ['field', '/a'],
      ['keyword', 'LIKE'],
      ['regexp', "'^IB.*'"],
      ['keyword', 'AND'],
      ['function', 'REGEXP_MATCH'],
      ['delimiter', '('],
      ['field', '/b'],
      ['delimiter', ','],
      ['regexp', "'x+'"],
      ['delimiter', ')'],
      ['operator', '='],
      ['string', "'x'"],
      ['keyword', 'AND'],
      ['field', '/c'],
      ['keyword', 'IN'],
      ['delimiter', '('],
      ['string', "'p'"],
      ['delimiter', ','],
      ['string', "'q'"],
      ['delimiter', ')'],
    ]);
  });

  it('covers the whole text, whitespace and bad input included, and never throws', () => {
    for (const text of ['', '   ', "/a = 'unterminated", '/a = 1 $ 2', '((((', '/a BETWEEN 1 AND 2 ']) {
      const spans = tokenizeFilter(text);
      let at = 0;
      for (const s of spans) {
        expect(s.start).toBe(at);
        expect(s.end).toBeGreaterThan(s.start);
        at = s.end;
      }
      expect(at).toBe(text.length);
    }
    expect(typed("/a = 'open")).toEqual([
      ['field', '/a'],
      ['operator', '='],
      ['invalid', "'open"],
    ]);
  });
});

describe('filter diagnostics', () => {
  it('accepts a valid or empty filter', () => {
    expect(diagnoseFilter("/a = 1 AND /b LIKE 'x' AND /c BETWEEN 1 AND 2 AND /d IS NULL")).toEqual([]);
    expect(diagnoseFilter('   ')).toEqual([]);
  });

  it('marks a missing value at the end of the text, with the parser message', () => {
    const [d] = diagnoseFilter('/qty > ');
    expect(d).toMatchObject({ start: 7, end: 7, severity: 'error' });
    expect(d?.message).toContain('expected a value after ">"');
  });

  it('spans an unknown function over its name', () => {
    const text = '/a = 1 AND NOSUCHFN(/b) = 2';
    const [d] = diagnoseFilter(text);
    expect(d).toBeDefined();
    expect(text.slice(d?.start, d?.end)).toBe('NOSUCHFN');
    expect(d?.message).toContain('unknown function NOSUCHFN');
  });

  it('refuses an aggregate in a filter and a wrong arity, each at the call', () => {
    const agg = 'SUM(/a) > 1';
    const [a] = diagnoseFilter(agg);
    expect(agg.slice(a?.start, a?.end)).toMatch(/^SUM/);
    const arity = "UPPER(/a, 'b') = 'X'";
    const [b] = diagnoseFilter(arity);
    expect(b).toBeDefined();
    expect(b?.start).toBe(0);
  });

  it('is the language definition the editor uses', () => {
    expect(languageDefinition(FILTER_LANGUAGE)?.diagnose?.('/a =')).toEqual(diagnoseFilter('/a ='));
  });
});

describe('filter completion', () => {
  const fields = ['/order/qty', '/order/sym', '/price'];

  it('offers the fields seen, every function with its signature, and NOT/NULL where a value starts', () => {
    const list = filterCompletions('', 0, fields);
    const labels = list.items.map((i) => i.label);
    expect(labels.slice(0, 3)).toEqual(fields);
    for (const name of FUNCTIONS.keys()) expect(labels).toContain(name);
    expect(labels).toEqual(expect.arrayContaining(['NOT', 'NULL', 'TRUE', 'FALSE']));
    expect(list.items.find((i) => i.label === 'SUBSTR')?.detail).toBe('SUBSTR(text, start [, length])');
    expect(list.items.find((i) => i.label === 'SUM')?.detail).toContain('aggregate');
  });

  it('completes a field path being typed, replacing what is typed', () => {
    const text = '/qty > 1 AND /ord';
    const list = filterCompletions(text, text.length, fields);
    expect(list.items.map((i) => i.label)).toEqual(['/order/qty', '/order/sym']);
    expect(text.slice(list.start, list.end)).toBe('/ord');
    const inner = '/order/s';
    expect(filterCompletions(inner, inner.length, fields).items.map((i) => i.label)).toEqual(['/order/sym']);
  });

  it('offers operators and AND/OR after an operand', () => {
    const text = '/price ';
    const labels = filterCompletions(text, text.length, fields).items.map((i) => i.label);
    expect(labels).toEqual(
      expect.arrayContaining(['=', '<>', '!=', '<', '>', '<=', '>=', 'LIKE', 'IN', 'BETWEEN', 'IS NULL', 'IS NOT NULL', 'AND', 'OR']),
    );
    expect(labels).not.toContain('/price');
    const partial = "/s = 'x' a";
    expect(filterCompletions(partial, partial.length, fields).items.map((i) => i.label)).toEqual(['AND']);
  });

  it('filters functions by a typed prefix, any case', () => {
    const text = '/a = 1 AND up';
    const list = filterCompletions(text, text.length, fields);
    expect(list.items.map((i) => i.label)).toEqual(['UPPER']);
    expect(list.items[0]?.insertText).toBe('UPPER(');
    expect(text.slice(list.start, list.end)).toBe('up');
  });
});

describe('filter hover and function docs', () => {
  it('documents every function the expression module knows', () => {
    expect(FUNCTION_DOCS.map((d) => d.name)).toEqual([...FUNCTIONS.keys()]);
    for (const d of FUNCTION_DOCS) {
      expect(d.signature.startsWith(`${d.name}(`)).toBe(true);
      expect(d.doc.length).toBeGreaterThan(5);
    }
    expect(functionDoc('geo_distance')?.signature).toBe('GEO_DISTANCE(lat1, lon1, lat2, lon2)');
  });

  it('shows the signature of the function under the pointer, and keyword docs', () => {
    const text = "/a = 1 AND INSTR(/b, 'x') > 0";
    const hover = filterHover(text, text.indexOf('INSTR') + 2);
    expect(hover?.title).toBe('INSTR(text, search)');
    expect(text.slice(hover?.start, hover?.end)).toBe('INSTR');
    expect(filterHover(text, text.indexOf('AND'))?.doc).toContain('Both');
    expect(filterHover(text, text.indexOf('1'))).toBeUndefined();
  });
});

describe('field paths of payloads', () => {
  it('lists nested members as XPath, arrays by their element members', () => {
    expect(fieldPathsOf('{"a":1,"b":{"c":"x","d":[{"e":1},{"f":2}]},"g":[1,2]}')).toEqual([
      '/a',
      '/b',
      '/b/c',
      '/b/d',
      '/b/d/e',
      '/b/d/f',
      '/g',
    ]);
  });

  it('yields nothing for payloads that are not JSON objects', () => {
    expect(fieldPathsOf('8=FIX.4.2\u00019=12')).toEqual([]);
    expect(fieldPathsOf('{"cut": "ab')).toEqual([]);
    expect(fieldPathsOf('[1,2]')).toEqual([]);
  });

  it('collects paths across messages, most seen first, bounded', () => {
    const set = new FieldPathSet();
    expect(set.add('{"a":1,"b":2}')).toBe(2);
    const v = set.version;
    expect(set.add('{"b":3}')).toBe(0);
    expect(set.version).toBe(v);
    expect(set.add('{"b":3,"c":1}')).toBe(1);
    expect(set.paths()).toEqual(['/b', '/a', '/c']);
    const wide = JSON.stringify(Object.fromEntries(Array.from({ length: MAX_PATHS + 50 }, (_, i) => [`k${i}`, i])));
    set.add(wide);
    expect(set.size).toBe(MAX_PATHS);
  });
});
