import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatUri, parseUri, type AmpsUri } from '../../src/uri.js';

const segment = fc.stringMatching(/^[a-z0-9][a-z0-9_-]{0,8}$/);

const uriArb: fc.Arbitrary<AmpsUri> = fc
  .record({
    transport: fc.constantFrom('tcp', 'tcps') as fc.Arbitrary<'tcp' | 'tcps'>,
    user: fc.option(fc.string({ minLength: 1, maxLength: 12, unit: 'binary' }), { nil: undefined }),
    password: fc.option(fc.string({ maxLength: 12, unit: 'binary' }), { nil: undefined }),
    host: fc.constantFrom(
      ['127.0.0.1', 'ipv4'] as const,
      ['amps.example.com', 'dns'] as const,
      ['::1', 'ipv6'] as const,
      ['2001:db8::7', 'ipv6'] as const,
    ),
    port: fc.integer({ min: 0, max: 65535 }),
    prefix: fc.array(
      segment.filter((s) => s !== 'amps'),
      { maxLength: 3 },
    ),
    messageType: fc.constantFrom('json', 'fix', 'bflat', 'my-type'),
    nodelay: fc.option(fc.boolean(), { nil: undefined }),
    sndbuf: fc.option(fc.nat(), { nil: undefined }),
    keepalive: fc.boolean(),
    preflight: fc.option(fc.boolean(), { nil: undefined }),
  })
  .map((r) => {
    const uri: AmpsUri = {
      transport: r.transport,
      host: r.host[0],
      hostFamily: r.host[1],
      port: r.port,
      portGiven: true,
      path: `/${[...r.prefix, 'amps', r.messageType].join('/')}`,
      pathPrefix: r.prefix,
      protocol: 'amps',
      messageType: r.messageType,
      options: { tcpKeepalive: r.keepalive, tlsVerify: true },
    };
    if (r.user !== undefined) {
      uri.user = r.user;
      if (r.password !== undefined) uri.password = r.password;
    }
    if (r.nodelay !== undefined) uri.options.tcpNodelay = r.nodelay;
    if (r.sndbuf !== undefined) uri.options.tcpSndbuf = r.sndbuf;
    if (r.preflight !== undefined) uri.options.httpPreflight = r.preflight;
    return uri;
  });

describe('formatUri / parseUri round trip (property)', () => {
  it('parseUri(formatUri(u)) equals u for generated URIs, credentials with any characters', () => {
    fc.assert(
      fc.property(uriArb, (uri) => {
        expect(parseUri(formatUri(uri))).toEqual(uri);
      }),
      { numRuns: 300 },
    );
  });
});
