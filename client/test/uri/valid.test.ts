import { describe, expect, it } from 'vitest';
import { formatUri, parseUri, type AmpsUri } from '../../src/uri.js';

type Expect = Partial<Omit<AmpsUri, 'options'>> & { options?: Partial<AmpsUri['options']> };

/** Valid connection strings and the fields they must parse to. */
const VALID: [string, Expect][] = [
  // Every example of spec §2.1.
  [
    'tcp://127.0.0.1:9007/amps/json',
    {
      transport: 'tcp',
      host: '127.0.0.1',
      hostFamily: 'ipv4',
      port: 9007,
      path: '/amps/json',
      protocol: 'amps',
      messageType: 'json',
      pathPrefix: [],
    },
  ],
  [
    'tcp://user:secret@amps.example.com:9007/amps/json',
    { user: 'user', password: 'secret', host: 'amps.example.com', hostFamily: 'dns', port: 9007 },
  ],
  [
    'tcps://amps.example.com:9443/amps/json?sni=amps.example.com',
    { transport: 'tcps', port: 9443, options: { sni: 'amps.example.com', tlsVerify: true } },
  ],
  [
    'tcp://amps.example.com:9007/amps/json?tcp_nodelay=true&tcp_sndbuf=1048576',
    { options: { tcpNodelay: true, tcpSndbuf: 1048576, tcpKeepalive: true } },
  ],
  [
    'tcp://amps.example.com:9007/amps/json?bind=10.0.0.5:0&ip_protocol_prefer=ipv6',
    { options: { bind: { address: '10.0.0.5', port: 0, family: 4 }, ipProtocolPrefer: 'ipv6' } },
  ],
  [
    'tcp://localhost:80/client/amps/json?http_preflight=true',
    {
      port: 80,
      path: '/client/amps/json',
      pathPrefix: ['client'],
      messageType: 'json',
      options: { httpPreflight: true },
    },
  ],
  [
    'unix://localhost:0/amps/json?path=/var/run/amps/amps.sock',
    { transport: 'unix', port: 0, options: { socketPath: '/var/run/amps/amps.sock' } },
  ],
  ['ws://localhost:9008/amps/json', { transport: 'ws', port: 9008, portGiven: true, messageType: 'json' }],
  [
    'wss://user:pw@gateway.example.com/amps-prod/amps/json',
    {
      transport: 'wss',
      user: 'user',
      password: 'pw',
      port: 443,
      portGiven: false,
      pathPrefix: ['amps-prod'],
    },
  ],
  ['tcp://localhost:9007/fix', { protocol: 'fix', path: '/fix', pathPrefix: [] }],
  // Port defaults and message types.
  ['ws://gateway.example.com/amps/json', { port: 80, portGiven: false }],
  [
    'ws://proxyhost:8080/amps-prod-system/amps/json',
    { pathPrefix: ['amps-prod-system'], messageType: 'json' },
  ],
  ['tcp://h:9007/amps/nvfix', { messageType: 'nvfix' }],
  ['tcp://h:9007/amps/my-composite_type.v2', { messageType: 'my-composite_type.v2' }],
  ['tcp://h:9007/amps/json/', { messageType: 'json', path: '/amps/json/' }],
  ['tcp://h:9007/amps', { protocol: 'amps', pathPrefix: [] }],
  ['tcp://h:9007/a/b/c/amps/bflat', { pathPrefix: ['a', 'b', 'c'], messageType: 'bflat' }],
  // Legacy protocols.
  ['tcp://h:9007/nvfix', { protocol: 'nvfix' }],
  ['tcp://h:9007/xml', { protocol: 'xml' }],
  ['tcp://h:9007/json', { protocol: 'json' }],
  ['tcp://h:9007/proxy/fix/', { protocol: 'fix', pathPrefix: ['proxy'] }],
  // IPv6 literals.
  ['tcp://[::1]:9007/amps/json', { host: '::1', hostFamily: 'ipv6' }],
  ['tcp://[2001:db8::42]:9007/amps/json', { host: '2001:db8::42', hostFamily: 'ipv6' }],
  ['tcp://[::ffff:192.0.2.1]:9007/amps/json', { host: '::ffff:192.0.2.1', hostFamily: 'ipv6' }],
  ['tcp://[fe80::1%eth0]:9007/amps/json', { host: 'fe80::1%eth0', hostFamily: 'ipv6' }],
  ['tcp://[1:2:3:4:5:6:7:8]:1/amps/json', { host: '1:2:3:4:5:6:7:8', port: 1 }],
  ['ws://[::1]/amps/json', { host: '::1', port: 80, portGiven: false }],
  ['tcp://u:p@[::1]:9007/amps/json', { user: 'u', password: 'p', host: '::1' }],
  // Credentials, percent-decoded.
  ['tcp://us%40er:p%40ss%3Aw%2Frd@h:9007/amps/json', { user: 'us@er', password: 'p@ss:w/rd' }],
  ['tcp://user@h:9007/amps/json', { user: 'user' }],
  ['tcp://user:@h:9007/amps/json', { user: 'user', password: '' }],
  ['tcp://user:pa:ss@h:9007/amps/json', { user: 'user', password: 'pa:ss' }],
  ['tcp://user:p@ss@h:9007/amps/json', { user: 'user', password: 'p@ss', host: 'h' }],
  ['tcp://%C3%A9l%C3%A8ve:%E2%82%AC@h:9007/amps/json', { user: 'élève', password: '€' }],
  // Hosts and ports.
  ['tcp://my_host-1.example.com:65535/amps/json', { host: 'my_host-1.example.com', port: 65535 }],
  ['tcp://h:0/amps/json', { port: 0 }],
  // Every option, valid.
  ['tcp://h:1/amps/json?tcp_nodelay=false', { options: { tcpNodelay: false } }],
  ['tcp://h:1/amps/json?tcp_nodelay=T', { options: { tcpNodelay: true } }],
  ['tcp://h:1/amps/json?tcp_nodelay=t', { options: { tcpNodelay: true } }],
  ['tcp://h:1/amps/json?tcp_nodelay=True', { options: { tcpNodelay: true } }],
  ['tcp://h:1/amps/json?tcp_nodelay=TRUE', { options: { tcpNodelay: true } }],
  ['tcp://h:1/amps/json?tcp_nodelay=1', { options: { tcpNodelay: true } }],
  ['tcp://h:1/amps/json?tcp_nodelay=17', { options: { tcpNodelay: true } }],
  ['tcp://h:1/amps/json?tcp_nodelay=0', { options: { tcpNodelay: false } }],
  ['tcp://h:1/amps/json?tcp_nodelay=F', { options: { tcpNodelay: false } }],
  ['tcp://h:1/amps/json?tcp_rcvbuf=65536', { options: { tcpRcvbuf: 65536 } }],
  ['tcp://h:1/amps/json?tcp_keepalive=false', { options: { tcpKeepalive: false } }],
  ['tcp://h:1/amps/json', { options: { tcpKeepalive: true, tlsVerify: true } }],
  ['tcp://h:1/amps/json?tcp_linger=10', { options: { tcpLinger: 10 } }],
  ['tcp://h:1/amps/json?tcp_linger=0', { options: { tcpLinger: 0 } }],
  ['tcp://h:1/amps/json?bind=10.0.0.5', { options: { bind: { address: '10.0.0.5', family: 4 } } }],
  ['tcp://h:1/amps/json?bind=[::1]:4000', { options: { bind: { address: '::1', port: 4000, family: 6 } } }],
  ['tcp://h:1/amps/json?bind=::1', { options: { bind: { address: '::1', family: 6 } } }],
  ['tcp://h:1/amps/json?ip_protocol_prefer=ipv4', { options: { ipProtocolPrefer: 'ipv4' } }],
  ['tcp://h:1/amps/json?compression=zlib', { options: { compression: 'zlib' } }],
  [
    'unix://x:0/amps/json?path=/tmp/a%20b.sock&compression=zlib',
    { options: { socketPath: '/tmp/a b.sock', compression: 'zlib' } },
  ],
  ['tcp://h:1/amps/json?http_preflight=0', { options: { httpPreflight: false } }],
  ['tcp://h:1/amps/json?pretty=true', { options: { pretty: true } }],
  ['ws://h:1/amps/json?pretty=1', { options: { pretty: true } }],
  ['tcps://h:1/amps/json?tls_verify=false', { options: { tlsVerify: false } }],
  [
    'tcps://h:1/amps/json?ca=/etc/ca.pem&cert=/etc/c.pem&key=/etc/k.pem',
    { options: { ca: '/etc/ca.pem', cert: '/etc/c.pem', key: '/etc/k.pem' } },
  ],
  ['wss://h/amps/json?tls_verify=0&ca=/etc/ca.pem', { options: { tlsVerify: false, ca: '/etc/ca.pem' } }],
  ['tcp://h:1/amps/json?tcp_nodelay=true&tcp_nodelay=false', { options: { tcpNodelay: false } }],
  ['tcp://h:1/amps/json?', { path: '/amps/json', options: { tcpKeepalive: true, tlsVerify: true } }],
];

describe('parseUri: valid connection strings', () => {
  it.each(VALID)('%s', (text, expected) => {
    const uri = parseUri(text);
    const { options, ...rest } = expected;
    expect(uri).toMatchObject(rest);
    if (options) expect(uri.options).toMatchObject(options);
  });

  it.each(VALID)('round trip: %s', (text) => {
    const uri = parseUri(text);
    const again = parseUri(formatUri(uri));
    expect(again).toEqual(uri);
  });

  it('omits user and password when absent', () => {
    const uri = parseUri('tcp://h:9007/amps/json');
    expect('user' in uri).toBe(false);
    expect('password' in uri).toBe(false);
    expect(uri.options).toEqual({ tcpKeepalive: true, tlsVerify: true });
  });
});

describe('formatUri', () => {
  it('writes the canonical form, defaults omitted', () => {
    expect(formatUri(parseUri('tcp://h:9007/amps/json?tcp_keepalive=1&tcp_nodelay=t'))).toBe(
      'tcp://h:9007/amps/json?tcp_nodelay=true',
    );
  });

  it('percent-encodes credentials and brackets IPv6 hosts', () => {
    const uri = parseUri('tcp://a%40b:p%3A%2F%40@[::1]:9007/amps/json');
    expect(formatUri(uri)).toBe('tcp://a%40b:p%3A%2F%40@[::1]:9007/amps/json');
  });

  it('redacts the password on request', () => {
    const uri = parseUri('tcp://me:topsecret@h:9007/amps/json');
    expect(formatUri(uri, { redactPassword: true })).toBe('tcp://me:***@h:9007/amps/json');
  });

  it('leaves a defaulted WebSocket port out', () => {
    expect(formatUri(parseUri('wss://h/x/amps/json'))).toBe('wss://h/x/amps/json');
  });

  it('writes bind with its port and family', () => {
    expect(formatUri(parseUri('tcp://h:1/amps/json?bind=[::1]:5'))).toBe('tcp://h:1/amps/json?bind=[::1]:5');
    expect(formatUri(parseUri('tcp://h:1/amps/json?bind=::1'))).toBe('tcp://h:1/amps/json?bind=::1');
  });
});
