/**
 * The query options of a connection string (spec §2.3): the table of known names, which
 * transports accept each one, how its value is read, and how it is written back.
 */
import { uriError } from './error.js';
import { isHostName, isIpv4, isIpv6 } from './hosts.js';

/** Transports a connection string may name (spec §2.2). */
export type UriTransport = 'tcp' | 'tcps' | 'unix' | 'ws' | 'wss';

/** Local address to bind before connecting (`bind=addr`, `addr:port`, `[v6addr]:port`). */
export interface UriBind {
  /** IP address, without brackets for IPv6. */
  address: string;
  /** Local port; absent lets the OS choose. */
  port?: number;
  /** Address family of `address`. */
  family: 4 | 6;
}

/** Typed URI options. Absent fields were not given (the OS or library default applies). */
export interface UriOptions {
  /** `tcp_nodelay`: disable Nagle's algorithm. */
  tcpNodelay?: boolean;
  /** `tcp_sndbuf`: socket send buffer size in bytes. */
  tcpSndbuf?: number;
  /** `tcp_rcvbuf`: socket receive buffer size in bytes. */
  tcpRcvbuf?: number;
  /** `tcp_linger`: SO_LINGER timeout in seconds (0 = off). */
  tcpLinger?: number;
  /** `tcp_keepalive`: SO_KEEPALIVE; on unless the URI turns it off. */
  tcpKeepalive: boolean;
  /** `bind`: local address (and port) to bind. */
  bind?: UriBind;
  /** `ip_protocol_prefer`: which address family to try first when a name resolves to both (default ipv4). */
  ipProtocolPrefer?: 'ipv4' | 'ipv6';
  /** `compression`: raw-deflate stream compression (spec §1.8); only `zlib` exists. */
  compression?: 'zlib';
  /** `http_preflight`: HTTP Upgrade exchange before AMPS traffic (spec §1.9). */
  httpPreflight?: boolean;
  /** `pretty`: ask the server for readable renderings of binary message types (logon option). */
  pretty?: boolean;
  /** `sni`: TLS server name (tcps only). */
  sni?: string;
  /** `path`: the Unix-domain socket file (unix only, required there). */
  socketPath?: string;
  /**
   * `tls_verify`: verify the server certificate (tcps, wss); on unless the URI turns it off.
   * Our extension: the official clients configure TLS through their API, not the URI.
   */
  tlsVerify: boolean;
  /** `ca`: file of trusted CA certificates, PEM (tcps, wss). Our extension. */
  ca?: string;
  /** `cert`: file of the client certificate chain, PEM (tcps, wss). Our extension. */
  cert?: string;
  /** `key`: file of the client private key, PEM (tcps, wss). Our extension. */
  key?: string;
}

/** Options before any are read: the two that default to on. */
export function defaultOptions(): UriOptions {
  return { tcpKeepalive: true, tlsVerify: true };
}

type Kind = 'bool' | 'count' | 'bind' | 'prefer' | 'compression' | 'host' | 'text';

interface OptionSpec {
  field: keyof UriOptions;
  kind: Kind;
  transports: readonly UriTransport[];
}

const TCP: readonly UriTransport[] = ['tcp', 'tcps'];
const STREAM: readonly UriTransport[] = ['tcp', 'tcps', 'unix'];
const TLS: readonly UriTransport[] = ['tcps', 'wss'];

/** Every option name a connection string may carry, in the order `formatUri` writes them. */
export const URI_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  tcp_nodelay: { field: 'tcpNodelay', kind: 'bool', transports: TCP },
  tcp_sndbuf: { field: 'tcpSndbuf', kind: 'count', transports: TCP },
  tcp_rcvbuf: { field: 'tcpRcvbuf', kind: 'count', transports: TCP },
  tcp_keepalive: { field: 'tcpKeepalive', kind: 'bool', transports: TCP },
  tcp_linger: { field: 'tcpLinger', kind: 'count', transports: TCP },
  bind: { field: 'bind', kind: 'bind', transports: TCP },
  ip_protocol_prefer: { field: 'ipProtocolPrefer', kind: 'prefer', transports: TCP },
  compression: { field: 'compression', kind: 'compression', transports: STREAM },
  http_preflight: { field: 'httpPreflight', kind: 'bool', transports: STREAM },
  pretty: { field: 'pretty', kind: 'bool', transports: ['tcp', 'tcps', 'unix', 'ws', 'wss'] },
  sni: { field: 'sni', kind: 'host', transports: ['tcps'] },
  path: { field: 'socketPath', kind: 'text', transports: ['unix'] },
  tls_verify: { field: 'tlsVerify', kind: 'bool', transports: TLS },
  ca: { field: 'ca', kind: 'text', transports: TLS },
  cert: { field: 'cert', kind: 'text', transports: TLS },
  key: { field: 'key', kind: 'text', transports: TLS },
};

/**
 * Reads a boolean the way the official clients do: `true`/`false` in any of the spellings
 * `T t True true TRUE` / `F f False false FALSE`, or a decimal number (0 = false).
 */
export function parseBool(value: string): boolean | undefined {
  if (/^\d+$/.test(value)) return Number(value) !== 0;
  if (['t', 'T', 'true', 'True', 'TRUE'].includes(value)) return true;
  if (['f', 'F', 'false', 'False', 'FALSE'].includes(value)) return false;
  return undefined;
}

/** Largest value a numeric option may take (fits a C int, as the official client stores it). */
const MAX_COUNT = 2_147_483_647;

/** Reads `bind`'s value; undefined when it is not an address with an optional port. */
export function parseBind(value: string): UriBind | undefined {
  let address = value;
  let portText: string | undefined;
  if (value.startsWith('[')) {
    const close = value.indexOf(']');
    if (close < 0) return undefined;
    address = value.slice(1, close);
    const rest = value.slice(close + 1);
    if (rest !== '') {
      if (!rest.startsWith(':')) return undefined;
      portText = rest.slice(1);
    }
    if (!isIpv6(address)) return undefined;
  } else if (value.split(':').length === 2) {
    const colon = value.indexOf(':');
    address = value.slice(0, colon);
    portText = value.slice(colon + 1);
  }
  const family = isIpv4(address) ? 4 : isIpv6(address) ? 6 : undefined;
  if (family === undefined) return undefined;
  if (portText === undefined) return { address, family };
  if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535) return undefined;
  return { address, port: Number(portText), family };
}

/**
 * Reads one option into `into`. `text` is the whole connection string and `at` the
 * position of the value in it (for error positions); `keyAt` that of the name.
 * @throws InvalidUriError with part `option:<name>`
 */
export function readOption(
  text: string,
  transport: UriTransport,
  name: string,
  keyAt: number,
  value: string,
  at: number,
  rawLength: number,
  into: UriOptions,
): void {
  const part = `option:${name}` as const;
  const spec = Object.hasOwn(URI_OPTIONS, name) ? URI_OPTIONS[name] : undefined;
  if (spec === undefined) {
    throw uriError(text, part, keyAt, name.length, `unknown option "${name}"`);
  }
  if (!spec.transports.includes(transport)) {
    throw uriError(
      text,
      part,
      keyAt,
      name.length,
      `option "${name}" is not valid for ${transport}:// (only ${spec.transports.join(', ')})`,
    );
  }
  const bad = (reason: string): Error => uriError(text, part, at, rawLength, reason);
  if (rawLength === 0 && spec.kind !== 'text')
    throw uriError(text, part, at, 0, `option "${name}" needs a value`);
  const target = into as unknown as Record<string, unknown>;
  switch (spec.kind) {
    case 'bool': {
      const b = parseBool(value);
      if (b === undefined) throw bad('expected true, false or a number');
      target[spec.field] = b;
      return;
    }
    case 'count': {
      if (!/^\d+$/.test(value) || Number(value) > MAX_COUNT) throw bad('expected a non-negative integer');
      target[spec.field] = Number(value);
      return;
    }
    case 'bind': {
      const bind = parseBind(value);
      if (bind === undefined) throw bad('expected an IP address, address:port or [IPv6]:port');
      into.bind = bind;
      return;
    }
    case 'prefer': {
      if (value !== 'ipv4' && value !== 'ipv6') throw bad('expected ipv4 or ipv6');
      into.ipProtocolPrefer = value;
      return;
    }
    case 'compression': {
      if (value !== 'zlib') throw bad('the only compression is zlib');
      into.compression = 'zlib';
      return;
    }
    case 'host': {
      if (!isHostName(value)) throw bad('expected a host name');
      target[spec.field] = value;
      return;
    }
    case 'text': {
      if (value.length === 0) throw uriError(text, part, at, 0, `option "${name}" needs a value`);
      target[spec.field] = value;
      return;
    }
  }
}

/** Writes the options that differ from the defaults, as `name=value` pairs (values unencoded). */
export function formatOptions(options: UriOptions): [string, string][] {
  const out: [string, string][] = [];
  for (const [name, spec] of Object.entries(URI_OPTIONS)) {
    const value = options[spec.field];
    if (value === undefined) continue;
    if ((spec.field === 'tcpKeepalive' || spec.field === 'tlsVerify') && value === true) continue;
    if (typeof value === 'object') {
      const addr = value.family === 6 && value.port !== undefined ? `[${value.address}]` : value.address;
      out.push([name, value.port === undefined ? addr : `${addr}:${value.port}`]);
    } else {
      out.push([name, String(value)]);
    }
  }
  return out;
}
