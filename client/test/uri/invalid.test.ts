import { describe, expect, it } from 'vitest';
import { InvalidUriError, parseUri, validateUri, type UriPart } from '../../src/uri.js';

/**
 * Invalid connection strings: the part named, and the exact span of the offending text.
 * `span` is the offending substring (its first occurrence, or the one after `after`);
 * a number is the position of something missing (length 0).
 */
interface Case {
  text: string;
  part: UriPart;
  span: string | number;
  after?: string;
}

const INVALID: Case[] = [
  // Transport.
  { text: 'http://h:1/amps/json', part: 'transport', span: 'http' },
  { text: 'TCP://h:1/amps/json', part: 'transport', span: 'TCP' },
  { text: 'localhost:9007/amps/json', part: 'transport', span: 'localhost' },
  { text: '', part: 'transport', span: 0 },
  { text: '://h:1/amps/json', part: 'transport', span: 0 },
  // User info.
  { text: 'tcp://:pw@h:1/amps/json', part: 'userinfo', span: 6 },
  { text: 'tcp://us%4:pw@h:1/amps/json', part: 'userinfo', span: '%4' },
  { text: 'tcp://user:p%zzw@h:1/amps/json', part: 'userinfo', span: '%zz' },
  { text: 'tcp://user:p w@h:1/amps/json', part: 'userinfo', span: ' ' },
  { text: 'tcp://user:%FF@h:1/amps/json', part: 'userinfo', span: '%FF' },
  // Host.
  { text: 'tcp://:9007/amps/json', part: 'host', span: 6 },
  { text: 'tcp://user@:9007/amps/json', part: 'host', span: 11 },
  { text: 'tcp://ho st:9007/amps/json', part: 'host', span: 'ho st' },
  { text: 'tcp://-bad-:9007/amps/json', part: 'host', span: '-bad-' },
  { text: 'tcp://256.1.1.1:9007/amps/json', part: 'host', span: '256.1.1.1' },
  { text: 'tcp://1.2.3:9007/amps/json', part: 'host', span: '1.2.3' },
  { text: 'tcp://::1:9007/amps/json', part: 'host', span: '::1:9007' },
  { text: 'tcp://[::1:9007/amps/json', part: 'host', span: '[::1:9007' },
  { text: 'tcp://[1::2::3]:9007/amps/json', part: 'host', span: '1::2::3' },
  { text: 'tcp://[example.com]:9007/amps/json', part: 'host', span: 'example.com' },
  { text: 'tcp://[::1]x:9007/amps/json', part: 'host', span: 'x:9007' },
  // Port.
  { text: 'tcp://localhost:x9/amps/json', part: 'port', span: 'x9' },
  { text: 'tcp://localhost:70000/amps/json', part: 'port', span: '70000' },
  { text: 'tcp://localhost:/amps/json', part: 'port', span: 16 },
  { text: 'tcp://localhost/amps/json', part: 'port', span: 15 },
  { text: 'tcps://[::1]/amps/json', part: 'port', span: 12 },
  { text: 'unix://localhost/amps/json?path=/s', part: 'port', span: 16 },
  { text: 'tcp://h:-1/amps/json', part: 'port', span: '-1' },
  { text: 'tcp://h:12345678/amps/json', part: 'port', span: '12345678' },
  // Path.
  { text: 'tcp://h:9007', part: 'path', span: 12 },
  { text: 'tcp://h:9007?tcp_nodelay=true', part: 'path', span: 12 },
  { text: 'tcp://h:9007/', part: 'path', span: 13 },
  { text: 'tcp://h:9007/foo', part: 'path', span: 'foo' },
  { text: 'tcp://h:9007/amps/json/extra', part: 'path', span: 'extra' },
  { text: 'tcp://h:9007//amps/json', part: 'path', span: 13 },
  { text: 'tcp://h:9007/amps/js on', part: 'path', span: 'js on' },
  { text: 'tcp://h:9007/amps/j$on', part: 'path', span: 'j$on' },
  { text: 'ws://h:9008/fix', part: 'path', span: 'fix' },
  { text: 'ws://h:9008/amps', part: 'path', span: 'amps' },
  // Options.
  { text: 'tcp://h:1/amps/json?tcp_sndbuf=abc', part: 'option:tcp_sndbuf', span: 'abc' },
  { text: 'tcp://h:1/amps/json?tcp_sndbuf=-5', part: 'option:tcp_sndbuf', span: '-5' },
  { text: 'tcp://h:1/amps/json?tcp_sndbuf=1.5', part: 'option:tcp_sndbuf', span: '1.5' },
  { text: 'tcp://h:1/amps/json?tcp_rcvbuf=99999999999', part: 'option:tcp_rcvbuf', span: '99999999999' },
  { text: 'tcp://h:1/amps/json?tcp_linger=ten', part: 'option:tcp_linger', span: 'ten' },
  { text: 'tcp://h:1/amps/json?tcp_nodelay=yes', part: 'option:tcp_nodelay', span: 'yes' },
  { text: 'tcp://h:1/amps/json?tcp_nodelay=', part: 'option:tcp_nodelay', span: 32 },
  { text: 'tcp://h:1/amps/json?tcp_keepalive=maybe', part: 'option:tcp_keepalive', span: 'maybe' },
  { text: 'tcp://h:1/amps/json?http_preflight=on', part: 'option:http_preflight', span: 'on', after: '=' },
  { text: 'tcp://h:1/amps/json?pretty=-1', part: 'option:pretty', span: '-1' },
  { text: 'tcp://h:1/amps/json?ip_protocol_prefer=ipv5', part: 'option:ip_protocol_prefer', span: 'ipv5' },
  { text: 'tcp://h:1/amps/json?ip_protocol_prefer=IPV4', part: 'option:ip_protocol_prefer', span: 'IPV4' },
  { text: 'tcp://h:1/amps/json?compression=gzip', part: 'option:compression', span: 'gzip' },
  { text: 'tcp://h:1/amps/json?bind=somehost', part: 'option:bind', span: 'somehost' },
  { text: 'tcp://h:1/amps/json?bind=1.2.3.4:99999', part: 'option:bind', span: '1.2.3.4:99999' },
  { text: 'tcp://h:1/amps/json?bind=[::1', part: 'option:bind', span: '[::1' },
  { text: 'tcp://h:1/amps/json?nodelay=true', part: 'option:nodelay', span: 'nodelay' },
  { text: 'tcp://h:1/amps/json?tcp_nodelay', part: 'option:tcp_nodelay', span: 'tcp_nodelay' },
  { text: 'tcp://h:1/amps/json?tcp_nodelay=1&&pretty=1', part: 'options', span: 34 },
  { text: 'tcp://h:1/amps/json?tcp_nodelay=true&', part: 'options', span: 37 },
  { text: 'tcp://h:1/amps/json?=1', part: 'options', span: '=1' },
  { text: 'tcp://h:1/amps/json?sni=h', part: 'option:sni', span: 'sni' },
  { text: 'wss://h/amps/json?sni=h', part: 'option:sni', span: 'sni' },
  { text: 'tcps://h:1/amps/json?sni=bad_host!', part: 'option:sni', span: 'bad_host!' },
  { text: 'tcp://h:1/amps/json?path=/tmp/s', part: 'option:path', span: 'path' },
  { text: 'unix://h:0/amps/json', part: 'option:path', span: 20 },
  { text: 'unix://h:0/amps/json?path=', part: 'option:path', span: 26 },
  { text: 'unix://h:0/amps/json?path=/s&tcp_nodelay=1', part: 'option:tcp_nodelay', span: 'tcp_nodelay' },
  { text: 'tcp://h:1/amps/json?tls_verify=false', part: 'option:tls_verify', span: 'tls_verify' },
  { text: 'ws://h/amps/json?compression=zlib', part: 'option:compression', span: 'compression' },
  { text: 'ws://h/amps/json?http_preflight=true', part: 'option:http_preflight', span: 'http_preflight' },
  { text: 'tcps://h:1/amps/json?tls_verify=nope', part: 'option:tls_verify', span: 'nope' },
  { text: 'tcp://h:1/amps/json?tcp_nodelay=%2', part: 'option:tcp_nodelay', span: '%2' },
  { text: 'tcp://h:1/amps/json?constructor=1', part: 'option:constructor', span: 'constructor' },
];

function expectedSpan(c: Case): { position: number; length: number } {
  if (typeof c.span === 'number') return { position: c.span, length: 0 };
  const from = c.after === undefined ? 0 : c.text.indexOf(c.after) + c.after.length;
  const position = c.text.indexOf(c.span, from);
  if (position < 0) throw new Error(`test table: "${c.span}" not in "${c.text}"`);
  return { position, length: c.span.length };
}

describe('parseUri: invalid connection strings', () => {
  it.each(INVALID)('$text → $part', (c) => {
    const { position, length } = expectedSpan(c);
    let caught: unknown;
    try {
      parseUri(c.text);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(InvalidUriError);
    const err = caught as InvalidUriError;
    expect({ part: err.part, position: err.position, length: err.length }).toEqual({
      part: c.part,
      position,
      length,
    });
    expect(err.message).toContain(`at position ${position}`);
    expect(validateUri(c.text)).toEqual({ part: c.part, position, length, message: err.message });
  });

  it('names the part, the text and the position in the message', () => {
    expect(() => parseUri('tcp://localhost:x9/amps/json')).toThrow('invalid port "x9" at position 16');
    expect(() => parseUri('tcp://h:1/amps/json?tcp_sndbuf=abc')).toThrow(
      'invalid option tcp_sndbuf "abc" at position 31',
    );
    expect(() => parseUri('tcp://h:1/amps/json?nodelay=1')).toThrow('unknown option "nodelay"');
    expect(() => parseUri('tcp://localhost/amps/json')).toThrow('missing port at position 15');
  });

  it('validateUri returns undefined for a valid string', () => {
    expect(validateUri('tcp://127.0.0.1:9007/amps/json')).toBeUndefined();
  });
});
