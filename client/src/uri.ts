/**
 * AMPS connection strings (spec §2): parse, format and validate
 * `transport://[user[:password]@]host:port/[prefix/]amps/<type>[?options]`.
 *
 * Pure TypeScript with no Node imports: the renderer uses it in a browser to check what a
 * user types and to underline the offending part ({@link InvalidUriError} carries its span).
 */
import { encodeCredential, locateCredentials, REDACTED_PASSWORD } from './uri/credentials.js';
import { InvalidUriError, uriError, type UriPart, type UriProblem } from './uri/error.js';
import { hostFamily, type HostFamily } from './uri/hosts.js';
import {
  defaultOptions,
  formatOptions,
  readOption,
  type UriOptions,
  type UriTransport,
} from './uri/options.js';

export {
  encodeCredential,
  insertPassword,
  locateCredentials,
  redactUri,
  REDACTED_PASSWORD,
  splitCredentials,
  type CredentialSpan,
  type SplitCredentials,
} from './uri/credentials.js';
export { InvalidUriError, type UriPart, type UriProblem } from './uri/error.js';
export type { HostFamily } from './uri/hosts.js';
export { URI_OPTIONS, type UriBind, type UriOptions, type UriTransport } from './uri/options.js';

/** Header protocol named by the path: `amps`, or one of the legacy single-type protocols. */
export type UriProtocol = 'amps' | 'fix' | 'nvfix' | 'xml' | 'json';

/** A parsed connection string. */
export interface AmpsUri {
  transport: UriTransport;
  /** User name (percent-decoded); becomes the logon's `user_id`. */
  user?: string;
  /** Password (percent-decoded); becomes the logon's `pw`. */
  password?: string;
  /** Host name or IP address; IPv6 literals without their brackets. */
  host: string;
  /** How `host` is written: DNS name, IPv4 or IPv6 literal. */
  hostFamily: HostFamily;
  /** TCP port (ignored by unix). For ws/wss it defaults to 80/443 when omitted. */
  port: number;
  /** False when the port was omitted (ws/wss only) and `port` holds the default. */
  portGiven: boolean;
  /** The raw path, starting with `/`, e.g. `/client/amps/json`. */
  path: string;
  /** Path segments before the protocol part, meaningful to proxies only, e.g. `['client']`. */
  pathPrefix: string[];
  /** `amps`, or a legacy protocol (`tcp://host:9007/fix`). */
  protocol: UriProtocol;
  /** Message type after `/amps/`, e.g. `json`; any configured name (composite, custom). Absent for legacy paths and a bare `/amps`. */
  messageType?: string;
  /** Typed query options. */
  options: UriOptions;
}

const TRANSPORTS: readonly UriTransport[] = ['tcp', 'tcps', 'unix', 'ws', 'wss'];
const LEGACY: readonly UriProtocol[] = ['fix', 'nvfix', 'xml', 'json'];
const SEGMENT = /^[A-Za-z0-9_.~!$'()*+,;=:@%-]+$/;
const MESSAGE_TYPE = /^[A-Za-z0-9_.-]+$/;

/**
 * Parses a connection string.
 * @throws InvalidUriError naming the offending part, its position and length
 */
export function parseUri(text: string): AmpsUri {
  // Transport.
  const sep = text.indexOf('://');
  if (sep < 0) {
    const span = /^[A-Za-z]*/.exec(text)?.[0].length ?? 0;
    throw uriError(text, 'transport', 0, span, 'expected "<transport>://" (tcp, tcps, unix, ws or wss)');
  }
  const transportText = text.slice(0, sep);
  if (!(TRANSPORTS as readonly string[]).includes(transportText)) {
    throw uriError(text, 'transport', 0, sep, 'expected tcp, tcps, unix, ws or wss');
  }
  const transport = transportText as UriTransport;
  const authStart = sep + 3;

  // Authority: up to the first "/" or "?"; credentials end at its last "@".
  let authEnd = authStart;
  while (authEnd < text.length && text[authEnd] !== '/' && text[authEnd] !== '?') authEnd++;
  const credentials = locateCredentials(text);
  let user: string | undefined;
  let password: string | undefined;
  let hostStart = authStart;
  if (credentials !== undefined) {
    const { userEnd, at } = credentials;
    if (userEnd === authStart) throw uriError(text, 'userinfo', authStart, 0, 'empty user name before "@"');
    user = decodePart(text, 'userinfo', authStart, userEnd);
    if (credentials.hasPassword) password = decodePart(text, 'userinfo', userEnd + 1, at);
    hostStart = at + 1;
  }

  // Host and port.
  let host: string;
  let family: HostFamily;
  let portAt: number;
  if (text[hostStart] === '[') {
    const close = text.indexOf(']', hostStart);
    if (close < 0 || close > authEnd) {
      throw uriError(text, 'host', hostStart, authEnd - hostStart, 'IPv6 address has no closing "]"');
    }
    host = text.slice(hostStart + 1, close);
    if (hostFamily(host) !== 'ipv6') {
      throw uriError(text, 'host', hostStart + 1, host.length, 'not an IPv6 address');
    }
    family = 'ipv6';
    portAt = close + 1;
    if (portAt < authEnd && text[portAt] !== ':') {
      throw uriError(text, 'host', portAt, authEnd - portAt, 'expected ":" and a port after "]"');
    }
  } else {
    if (text.slice(hostStart, authEnd).split(':').length > 2) {
      throw uriError(
        text,
        'host',
        hostStart,
        authEnd - hostStart,
        'IPv6 addresses must be written in brackets',
      );
    }
    const colon = text.indexOf(':', hostStart);
    const hostEnd = colon >= 0 && colon < authEnd ? colon : authEnd;
    host = text.slice(hostStart, hostEnd);
    if (host.length === 0) throw uriError(text, 'host', hostStart, 0, 'a host is required');
    const found = hostFamily(host);
    if (found === undefined || found === 'ipv6') {
      throw uriError(
        text,
        'host',
        hostStart,
        host.length,
        found === 'ipv6'
          ? 'IPv6 addresses must be written in brackets'
          : 'expected a host name or an IP address',
      );
    }
    family = found;
    portAt = hostEnd;
  }
  let port: number;
  let portGiven = true;
  if (portAt >= authEnd) {
    if (transport !== 'ws' && transport !== 'wss') {
      throw uriError(text, 'port', authEnd, 0, `a port is required for ${transport}:// (use ":<port>")`);
    }
    port = transport === 'ws' ? 80 : 443;
    portGiven = false;
  } else {
    const portText = text.slice(portAt + 1, authEnd);
    if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535) {
      throw uriError(text, 'port', portAt + 1, portText.length, 'expected a number from 0 to 65535');
    }
    port = Number(portText);
  }

  // Path.
  if (text[authEnd] !== '/') {
    throw uriError(text, 'path', authEnd, 0, 'expected a path such as "/amps/json"');
  }
  const query = text.indexOf('?', authEnd);
  const pathEnd = query >= 0 ? query : text.length;
  const path = text.slice(authEnd, pathEnd);
  const { pathPrefix, protocol, messageType } = readPath(text, transport, authEnd, pathEnd);

  // Options.
  const options = defaultOptions();
  // An empty query (`...json?`) carries no options.
  if (query >= 0 && query + 1 < text.length) readQuery(text, transport, query + 1, options);
  if (transport === 'unix' && options.socketPath === undefined) {
    throw uriError(text, 'option:path', text.length, 0, 'unix:// needs "path=<socket file>"');
  }

  const uri: AmpsUri = {
    transport,
    host,
    hostFamily: family,
    port,
    portGiven,
    path,
    pathPrefix,
    protocol,
    options,
  };
  if (user !== undefined) uri.user = user;
  if (password !== undefined) uri.password = password;
  if (messageType !== undefined) uri.messageType = messageType;
  return uri;
}

/** Splits the path into proxy prefix, protocol and message type (spec §2.1). */
function readPath(
  text: string,
  transport: UriTransport,
  start: number,
  end: number,
): { pathPrefix: string[]; protocol: UriProtocol; messageType?: string } {
  const segments: { value: string; at: number }[] = [];
  let i = start + 1;
  while (i <= end) {
    let j = i;
    while (j < end && text[j] !== '/') j++;
    segments.push({ value: text.slice(i, j), at: i });
    i = j + 1;
  }
  // One trailing "/" is allowed.
  if (segments.length > 1 && segments[segments.length - 1]?.value === '') segments.pop();
  for (const s of segments) {
    if (s.value === '') throw uriError(text, 'path', s.at, 0, 'empty path segment');
    if (!SEGMENT.test(s.value))
      throw uriError(text, 'path', s.at, s.value.length, 'invalid characters in path');
  }
  const last = segments[segments.length - 1] as { value: string; at: number };
  const before = segments[segments.length - 2];
  const ws = transport === 'ws' || transport === 'wss';
  if (before?.value === 'amps') {
    if (!MESSAGE_TYPE.test(last.value)) {
      throw uriError(text, 'path', last.at, last.value.length, 'invalid message type name');
    }
    return {
      pathPrefix: segments.slice(0, -2).map((s) => s.value),
      protocol: 'amps',
      messageType: last.value,
    };
  }
  if (last.value === 'amps' && !ws)
    return { pathPrefix: segments.slice(0, -1).map((s) => s.value), protocol: 'amps' };
  if (!ws && (LEGACY as readonly string[]).includes(last.value)) {
    return { pathPrefix: segments.slice(0, -1).map((s) => s.value), protocol: last.value as UriProtocol };
  }
  throw uriError(
    text,
    'path',
    last.at,
    last.value.length,
    ws
      ? 'a WebSocket path must end in /amps/<message type>'
      : 'expected /amps/<message type> or a legacy protocol (fix, nvfix, xml, json)',
  );
}

/** Reads `name=value&...` starting at `start`. */
function readQuery(text: string, transport: UriTransport, start: number, into: UriOptions): void {
  let i = start;
  while (i <= text.length) {
    let j = i;
    while (j < text.length && text[j] !== '&') j++;
    if (j === i) throw uriError(text, 'options', i, 0, 'empty option (expected name=value)');
    const eq = text.indexOf('=', i);
    if (eq < 0 || eq > j) {
      const name = text.slice(i, j);
      throw uriError(text, `option:${name}`, i, j - i, `expected "${name}=<value>"`);
    }
    const name = text.slice(i, eq);
    if (name.length === 0) throw uriError(text, 'options', i, j - i, 'option without a name');
    const value = decodePart(text, `option:${name}`, eq + 1, j);
    readOption(text, transport, name, i, value, eq + 1, j - eq - 1, into);
    i = j + 1;
  }
}

/** Percent-decodes `text[from, to)`, rejecting malformed escapes and raw spaces. */
function decodePart(text: string, part: UriPart, from: number, to: number): string {
  const raw = text.slice(from, to);
  for (let k = 0; k < raw.length; k++) {
    const c = raw.charCodeAt(k);
    if (c <= 0x20 || c === 0x7f)
      throw uriError(text, part, from + k, 1, 'spaces and control characters must be percent-encoded');
    if (raw[k] === '%' && !/^[0-9A-Fa-f]{2}$/.test(raw.slice(k + 1, k + 3))) {
      throw uriError(
        text,
        part,
        from + k,
        Math.min(3, raw.length - k),
        'malformed percent-escape (expected %XX)',
      );
    }
  }
  try {
    return decodeURIComponent(raw);
  } catch {
    throw uriError(text, part, from, raw.length, 'percent-escapes do not form valid UTF-8');
  }
}

/** Options of {@link formatUri}. */
export interface FormatUriOptions {
  /** Write `***` instead of the password (for logs and display). */
  redactPassword?: boolean;
}

/** Percent-encodes an option value, keeping the characters paths and addresses use. */
function encodeOptionValue(value: string): string {
  return encodeURIComponent(value).replace(/%(2F|3A|5B|5D|40|2C)/g, (m) => decodeURIComponent(m));
}

/**
 * Writes a connection string that parses back to an equivalent {@link AmpsUri}
 * (options in a fixed order, defaults omitted).
 */
export function formatUri(uri: AmpsUri, options: FormatUriOptions = {}): string {
  let out = `${uri.transport}://`;
  if (uri.user !== undefined) {
    out += encodeCredential(uri.user);
    if (uri.password !== undefined)
      out += `:${options.redactPassword ? REDACTED_PASSWORD : encodeCredential(uri.password)}`;
    out += '@';
  }
  out += uri.hostFamily === 'ipv6' ? `[${uri.host}]` : uri.host;
  if (uri.portGiven !== false) out += `:${uri.port}`;
  out += uri.path;
  const pairs = formatOptions(uri.options);
  if (pairs.length > 0) out += `?${pairs.map(([k, v]) => `${k}=${encodeOptionValue(v)}`).join('&')}`;
  return out;
}

/** The peer as `transport://host:port/path`, without credentials or options (for logs and errors). */
export function describePeer(uri: AmpsUri): string {
  const host = uri.hostFamily === 'ipv6' ? `[${uri.host}]` : uri.host;
  if (uri.transport === 'unix') return `unix://${uri.options.socketPath ?? ''}`;
  return `${uri.transport}://${host}:${uri.port}${uri.path}`;
}

/** Checks a connection string; returns the first problem, or undefined when it is valid. */
export function validateUri(text: string): UriProblem | undefined {
  try {
    parseUri(text);
    return undefined;
  } catch (e) {
    if (e instanceof InvalidUriError) return e.toProblem();
    throw e;
  }
}
