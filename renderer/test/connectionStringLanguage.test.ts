import { describe, expect, it } from 'vitest';
import { URI_OPTIONS, parseUri } from '../../client/src/uri.js';
import { connectionStringCompletions, connectionStringHover } from '../src/connections/connectionStringAssist.js';
import { OPTION_DOCS } from '../src/connections/connectionStringDocs.js';
import {
  CONNECTION_STRING_LANGUAGE,
  diagnoseConnectionString,
  passwordSpans,
} from '../src/connections/connectionStringLanguage.js';
import { tokenizeConnectionString } from '../src/connections/connectionStringTokens.js';
import { languageDefinition, lineColumnOf } from '../src/lib/monaco/languages.js';
import { maskText } from '../src/lib/monaco/editorOptions.js';

const typed = (text: string): [string, string][] =>
  tokenizeConnectionString(text).map((t) => [t.type, text.slice(t.start, t.end)]);

describe('connection string tokens', () => {
  it('names every part of a full string', () => {
    expect(typed('tcps://bob:s3cret@db.example.com:9007/proxy/amps/json?tcp_nodelay=true&sni=db')).toEqual([
      ['transport', 'tcps'],
      ['delimiter', '://'],
      ['credentials', 'bob'],
      ['delimiter', ':'],
      ['password', 's3cret'],
      ['delimiter', '@'],
      ['host', 'db.example.com'],
      ['delimiter', ':'],
      ['port', '9007'],
      ['delimiter', '/'],
      ['path', 'proxy'],
      ['delimiter', '/'],
      ['protocol', 'amps'],
      ['delimiter', '/'],
      ['messagetype', 'json'],
      ['delimiter', '?'],
      ['option.key', 'tcp_nodelay'],
      ['delimiter', '='],
      ['option.value', 'true'],
      ['delimiter', '&'],
      ['option.key', 'sni'],
      ['delimiter', '='],
      ['option.value', 'db'],
    ]);
  });

  it('colours half-typed and legacy strings without throwing', () => {
    expect(typed('tc')).toEqual([['transport', 'tc']]);
    expect(typed('tcp://[::1]:9007/fix')).toEqual([
      ['transport', 'tcp'],
      ['delimiter', '://'],
      ['host', '[::1]'],
      ['delimiter', ':'],
      ['port', '9007'],
      ['delimiter', '/'],
      ['protocol', 'fix'],
    ]);
    expect(typed('tcp://h:1/amps/json?tcp_nodelay')).toContainEqual(['option.key', 'tcp_nodelay']);
  });
});

describe('connection string diagnostics', () => {
  it('is the client parser’s problem, with its exact span', () => {
    const text = 'tcp://127.0.0.1:99x9/amps/json';
    const [d] = diagnoseConnectionString(text);
    expect(d?.severity).toBe('error');
    expect(text.slice(d?.start, d?.end)).toBe('99x9');
    expect(d?.message).toMatch(/port .* at position 16/);
    expect(diagnoseConnectionString('tcp://127.0.0.1:9007/amps/json')).toEqual([]);
    expect(diagnoseConnectionString('')).toEqual([]);
  });

  it('never quotes the password in a message', () => {
    const text = 'tcp://bob:p%E0%A4ss@h:9007/amps/json';
    const [d] = diagnoseConnectionString(text);
    expect(d).toBeDefined();
    expect(d?.message).not.toContain('p%E0%A4ss');
  });

  it('masks exactly the password', () => {
    const text = 'tcp://bob:hunter2@h:9007/amps/json';
    expect(passwordSpans(text).map((s) => text.slice(s.start, s.end))).toEqual(['hunter2']);
    expect(maskText(text, passwordSpans(text))).toBe('tcp://bob:•••••••@h:9007/amps/json');
    expect(passwordSpans('tcp://bob@h:9007/amps/json')).toEqual([]);
  });

  it('is the definition the editor uses', () => {
    const def = languageDefinition(CONNECTION_STRING_LANGUAGE);
    expect(def?.diagnose?.('ftp://x')).toHaveLength(1);
    expect(def?.masked?.('tcp://a:b@h:1/amps/json')).toHaveLength(1);
  });
});

describe('connection string completion', () => {
  const labels = (text: string, offset = text.length): string[] =>
    connectionStringCompletions(text, offset).items.map((i) => i.label);

  it('offers transports, protocols and message types where they go', () => {
    expect(labels('')).toEqual(['tcp', 'tcps', 'unix', 'ws', 'wss']);
    expect(labels('tcp://h:9007/')).toEqual(['amps', 'fix', 'nvfix', 'xml', 'json']);
    expect(labels('ws://h:9007/')).toEqual(['amps']);
    expect(labels('tcp://h:9007/amps/')).toContain('json');
    expect(labels('tcp://h:9007/amps/')).toContain('bflat');
    expect(labels('tcp://h:9')).toEqual([]);
  });

  it('offers the options of the transport, not those already given, each with a doc', () => {
    const tcp = connectionStringCompletions('tcp://h:9007/amps/json?tcp_nodelay=true&', 40);
    const names = tcp.items.map((i) => i.label);
    expect(names).toContain('tcp_sndbuf');
    expect(names).not.toContain('tcp_nodelay');
    expect(names).not.toContain('tls_verify');
    expect(tcp.items.every((i) => i.doc.length > 10 && i.insertText === `${i.label}=`)).toBe(true);
    expect(labels('tcps://h:9007/amps/json?')).toContain('tls_verify');
  });

  it('offers the allowed values of an option, replacing what is typed', () => {
    const list = connectionStringCompletions('tcp://h:1/amps/json?ip_protocol_prefer=ip', 41);
    expect(list.items.map((i) => i.label)).toEqual(['ipv4', 'ipv6']);
    expect(list.start).toBe(39);
    expect(labels('tcp://h:1/amps/json?compression=')).toEqual(['zlib']);
    expect(labels('tcps://h:1/amps/json?tls_verify=')).toEqual(['true', 'false']);
  });

  it('every option offered with every value offered is accepted by the client', () => {
    for (const transport of ['tcp', 'tcps', 'unix', 'ws', 'wss']) {
      const base = `${transport}://h:1/amps/json?${transport === 'unix' ? 'path=/tmp/s&' : ''}`;
      for (const option of connectionStringCompletions(base, base.length).items) {
        const withKey = base + option.insertText;
        for (const value of connectionStringCompletions(withKey, withKey.length).items) {
          expect(() => parseUri(withKey + value.insertText)).not.toThrow();
        }
      }
    }
  });

  it('has a doc for exactly the client’s options', () => {
    expect(Object.keys(OPTION_DOCS).sort()).toEqual(Object.keys(URI_OPTIONS).sort());
  });
});

describe('connection string hover', () => {
  it('documents the part under the cursor', () => {
    const text = 'tcps://h:9007/amps/json?tls_verify=false';
    expect(connectionStringHover(text, 1)?.title).toBe('transport tcps');
    expect(connectionStringHover(text, text.indexOf('tls_verify') + 2)?.doc).toMatch(/Verify the server certificate.*true, false/);
    expect(connectionStringHover(text, text.indexOf('json') + 1)?.title).toBe('message type json');
    expect(connectionStringHover(text, text.indexOf('9007'))?.title).toBe('port');
    expect(connectionStringHover(text, 4)).toBeUndefined();
  });
});

describe('lineColumnOf', () => {
  it('counts lines and columns from 1', () => {
    expect(lineColumnOf('ab\ncd', 0)).toEqual({ line: 1, column: 1 });
    expect(lineColumnOf('ab\ncd', 4)).toEqual({ line: 2, column: 2 });
  });
});
