/**
 * Property: the editor's connection-string language agrees with the client's parser. What the
 * editor's validation accepts is exactly what parseUri accepts; a rejection's range is the
 * parser's, inside the text; and for accepted strings the highlighting names the same
 * transport, password, host, port and message type the parser read.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { URI_OPTIONS, parseUri, type AmpsUri } from '../../client/src/uri.js';
import { diagnoseConnectionString } from '../src/connections/connectionStringLanguage.js';
import { tokenizeConnectionString } from '../src/connections/connectionStringTokens.js';

const piece = (values: readonly string[]): fc.Arbitrary<string> => fc.constantFrom(...values);
const noise = fc.string({ unit: fc.constantFrom(...'a1:/@?&=[]%. -_x9'.split('')), maxLength: 6 });
/** Mostly a well-formed part, sometimes a wrong one, rarely noise. */
const part = (good: readonly string[], bad: readonly string[]): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 12, arbitrary: piece(good) },
    { weight: 2, arbitrary: piece(bad) },
    { weight: 1, arbitrary: noise },
  );

const transport = part(['tcp', 'tcps', 'ws', 'wss', 'unix'], ['ftp', 'TCP', '']);
const separator = part(['://'], [':/', '']);
const credentials = fc.oneof(
  { weight: 3, arbitrary: fc.constant('') },
  {
    weight: 2,
    arbitrary: fc
      .tuple(part(['bob', 'a%20b', 'x'], ['', 'a b']), fc.option(part(['pw', 's3cr@t', 'p:q', '%41'], ['p%zz', 'a b', 'p%E0'])))
      .map(([user, pw]) => `${user}${pw === null ? '' : `:${pw}`}@`),
  },
);
const host = part(['localhost', '127.0.0.1', 'db.example.com', '[::1]', '[fe80::1%eth0]'], ['::1', '256.1.1.1', '', 'a_b', '[::1']);
const port = part([':9007', ':0', ':65535', ''], [':65536', ':99x9', ':']);
const path = part(
  ['/amps/json', '/amps/fix', '/amps', '/fix', '/nvfix', '/xml', '/json', '/proxy/amps/bflat', '/amps/json/'],
  ['/', '', '//amps/json', '/amps/j$on', '/other'],
);
const optionName = part(Object.keys(URI_OPTIONS), ['nope', '']);
const optionValue = part(
  ['true', 'false', '1', '0', 'T', 'ipv4', 'ipv6', 'zlib', '1024', '127.0.0.1:0', '[::1]:80', 'host.name', '/tmp/s'],
  ['maybe', '-1', ''],
);
const query = fc.oneof(
  { weight: 2, arbitrary: fc.constant('') },
  {
    weight: 3,
    arbitrary: fc
      .array(fc.tuple(optionName, fc.option(optionValue, { freq: 8 })), { minLength: 0, maxLength: 3 })
      .map((pairs) => `?${pairs.map(([k, v]) => (v === null ? k : `${k}=${v}`)).join('&')}`),
  },
);
const unixPath = fc.constantFrom('', '', '?path=/tmp/amps.sock');
const connectionString = fc
  .tuple(transport, separator, credentials, host, port, path, query, unixPath)
  .map(([t, sep, cred, h, p, pa, q, unix]) => {
    // unix:// needs path=: give it one often, so unix strings are accepted too.
    const options = t === 'unix' && unix !== '' ? (q === '' ? unix : `${q}&${unix.slice(1)}`) : q;
    return `${t}${sep}${cred}${h}${p}${pa}${options}`;
  });

function accepted(text: string): AmpsUri | undefined {
  try {
    return parseUri(text);
  } catch {
    return undefined;
  }
}

describe('the editor accepts exactly what the client accepts', () => {
  it('agrees on acceptance and on the problem’s range', () => {
    fc.assert(
      fc.property(connectionString, (text) => {
        fc.pre(text.trim() !== '');
        const diagnostics = diagnoseConnectionString(text);
        const uri = accepted(text);
        expect(diagnostics.length === 0).toBe(uri !== undefined);
        for (const d of diagnostics) {
          expect(d.start).toBeGreaterThanOrEqual(0);
          expect(d.end).toBeGreaterThanOrEqual(d.start);
          expect(d.end).toBeLessThanOrEqual(text.length);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('highlights every character once, and names the parts the parser read', () => {
    fc.assert(
      fc.property(connectionString, (text) => {
        const tokens = tokenizeConnectionString(text);
        let at = 0;
        for (const t of tokens) {
          expect(t.start).toBe(at);
          expect(t.end).toBeGreaterThan(t.start);
          at = t.end;
        }
        expect(at).toBe(text.length);
        const uri = accepted(text);
        if (uri === undefined) return;
        const of = (type: string): string[] =>
          tokens.filter((t) => t.type === type).map((t) => text.slice(t.start, t.end));
        expect(of('transport')).toEqual([uri.transport]);
        expect(of('host').join('')).toBe(uri.hostFamily === 'ipv6' ? `[${uri.host}]` : uri.host);
        expect(of('port').map(Number)).toEqual(uri.portGiven ? [uri.port] : []);
        // An empty password (`user:@host`) has no characters, so no token to highlight or mask.
        const password = uri.password === undefined || uri.password === '' ? [] : [uri.password];
        expect(of('password').map(decodeURIComponent)).toEqual(password);
        expect(of('messagetype')).toEqual(uri.messageType === undefined ? [] : [uri.messageType]);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('the generated strings', () => {
  it('reach both verdicts often (so the properties above test something)', () => {
    const sample = fc.sample(connectionString, { numRuns: 2000, seed: 7 });
    const ok = sample.filter((t) => accepted(t) !== undefined).length;
    expect(ok).toBeGreaterThan(100);
    expect(ok).toBeLessThan(1800);
  });
});
