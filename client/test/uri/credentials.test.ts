import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  encodeCredential,
  formatUri,
  insertPassword,
  parseUri,
  redactUri,
  splitCredentials,
} from '../../src/uri.js';

const REST = 'host.example:9007/amps/json?tcp_nodelay=true';

/** Characters people put in passwords, the URI delimiters among them. */
const credentialChar = fc.constantFrom(
  ...'abcXYZ019@:%/?#&=+ !$*()[]~-_.é€'.split(''),
  '\u{1F511}',
);
const credential = fc.array(credentialChar, { minLength: 1, maxLength: 16 }).map((a) => a.join(''));
/** A password that contains something not found elsewhere in the string, so a leak is visible. */
const password = fc.tuple(credential, credential).map(([a, b]) => `${a}PW${b}`);
const user = credential.filter((u) => !u.includes('PW'));

/** How a password may be written: fully encoded, or with its `@` and `:` typed as they are. */
function written(pw: string, raw: boolean): string {
  if (!raw) return encodeCredential(pw);
  return Array.from(pw)
    .map((c) => (c === '@' || c === ':' || /[A-Za-z0-9]/.test(c) ? c : encodeCredential(c)))
    .join('');
}

describe('one credential splitter', () => {
  it('takes a password with "@" out at the last "@" of the authority, as parseUri reads it', () => {
    const text = 'tcp://bob:pa@SECRET@host:9007/amps/json';
    expect(parseUri(text)).toMatchObject({ user: 'bob', password: 'pa@SECRET', host: 'host' });
    expect(splitCredentials(text)).toEqual({
      connectionString: 'tcp://bob@host:9007/amps/json',
      user: 'bob',
      password: 'pa@SECRET',
    });
    expect(redactUri(text)).toBe('tcp://bob:***@host:9007/amps/json');
    expect(insertPassword('tcp://bob@host:9007/amps/json', 'pa@SECRET')).toBe(
      'tcp://bob:pa%40SECRET@host:9007/amps/json',
    );
  });

  it('leaves "@" after the authority (paths, option values) alone', () => {
    const text = 'tcps://h:9/amps/json?ca=/certs/a@b.pem';
    expect(splitCredentials(text)).toEqual({ connectionString: text });
    expect(redactUri(text)).toBe(text);
    expect(insertPassword(text, 'p')).toBe('tcps://:p@h:9/amps/json?ca=/certs/a@b.pem');
  });

  it('keeps a user name without a password, drops an empty user name with its password', () => {
    expect(splitCredentials('tcp://bob@h:1/amps/json')).toEqual({
      connectionString: 'tcp://bob@h:1/amps/json',
      user: 'bob',
    });
    expect(splitCredentials('tcp://:pw@h:1/amps/json')).toEqual({
      connectionString: 'tcp://h:1/amps/json',
      password: 'pw',
    });
    expect(redactUri('tcp://bob@h:1/amps/json')).toBe('tcp://bob@h:1/amps/json');
  });

  it('property: split, strip and redact never leave the password; re-inserting gives the original', () => {
    fc.assert(
      fc.property(user, password, fc.boolean(), (u, pw, raw) => {
        const text = `tcp://${encodeCredential(u)}:${written(pw, raw)}@${REST}`;
        const parsed = parseUri(text);
        expect(parsed.user).toBe(u);
        expect(parsed.password).toBe(pw);

        const split = splitCredentials(text);
        expect(split.password).toBe(pw);
        expect(split.user).toBe(u);
        for (const shown of [split.connectionString, redactUri(text), formatUri(parsed, { redactPassword: true })]) {
          expect(shown).not.toContain('PW');
          expect(shown.endsWith(`@${REST}`)).toBe(true);
          expect(parseUri(shown).host).toBe('host.example');
        }
        expect(parseUri(split.connectionString).password).toBeUndefined();

        const again = parseUri(insertPassword(split.connectionString, split.password));
        expect(again).toEqual(parsed);
        // Inserting into a string that still holds a password replaces it.
        expect(parseUri(insertPassword(text, 'other')).password).toBe('other');
      }),
      { numRuns: 500 },
    );
  });
});
