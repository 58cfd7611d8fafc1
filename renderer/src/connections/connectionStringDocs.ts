/**
 * One-line docs of every part of an AMPS connection string, for completion and hover. Written
 * from the AMPS connection-string reference; a test checks that every option the client's
 * table (client/src/uri/options.ts URI_OPTIONS) knows has a doc here, and no other.
 */
import type { UriTransport } from '../../../client/src/uri.js';

/** A documented name with the values it allows, when it has a fixed set. */
export interface PartDoc {
  doc: string;
  values?: readonly { value: string; doc: string }[];
}

const BOOL = [
  { value: 'true', doc: 'on' },
  { value: 'false', doc: 'off' },
] as const;

/** Transports, in the order completion offers them. */
export const TRANSPORT_DOCS: Readonly<Record<UriTransport, string>> = {
  tcp: 'Plain TCP to the AMPS transport (host:port).',
  tcps: 'TCP with TLS; the server certificate is verified unless tls_verify=false.',
  unix: 'Unix-domain socket; the socket file is the path= option, host:port is ignored (localhost:0 by convention).',
  ws: 'WebSocket (default port 80); the path must end in /amps/<message type>.',
  wss: 'WebSocket over TLS (default port 443); the path must end in /amps/<message type>.',
};

/** Protocols a path may name. */
export const PROTOCOL_DOCS: Readonly<Record<string, string>> = {
  amps: 'The amps protocol: JSON headers, any message type the transport accepts (name it after /amps/).',
  fix: 'Legacy FIX protocol: one message type, none named in the string.',
  nvfix: 'Legacy NVFIX protocol: one message type, none named in the string.',
  xml: 'Legacy XML protocol: one message type, none named in the string.',
  json: 'Legacy JSON protocol: one message type, none named in the string.',
};

/** Message types commonly configured on an AMPS instance (any configured name is accepted). */
export const MESSAGE_TYPE_DOCS: Readonly<Record<string, string>> = {
  json: 'JSON documents.',
  fix: 'FIX tag=value messages (SOH separated).',
  nvfix: 'Name/value FIX: name=value pairs.',
  xml: 'XML documents.',
  binary: 'Opaque bytes, passed through unparsed.',
  bflat: 'BFlat binary documents.',
  msgpack: 'MessagePack documents.',
  bson: 'BSON documents.',
};

/** Every query option with its doc and, where fixed, its allowed values. */
export const OPTION_DOCS: Readonly<Record<string, PartDoc>> = {
  tcp_nodelay: { doc: 'Disable Nagle’s algorithm: send small frames at once (tcp, tcps).', values: BOOL },
  tcp_sndbuf: { doc: 'Socket send buffer size in bytes (tcp, tcps).' },
  tcp_rcvbuf: { doc: 'Socket receive buffer size in bytes (tcp, tcps).' },
  tcp_keepalive: { doc: 'TCP keepalive probes on the socket; on unless turned off (tcp, tcps).', values: BOOL },
  tcp_linger: { doc: 'SO_LINGER timeout in seconds when closing; 0 = off (tcp, tcps).' },
  bind: { doc: 'Local address (and port) to bind before connecting: addr, addr:port or [v6addr]:port (tcp, tcps).' },
  ip_protocol_prefer: {
    doc: 'Address family tried first when the host resolves to both (default ipv4) (tcp, tcps).',
    values: [
      { value: 'ipv4', doc: 'IPv4 first' },
      { value: 'ipv6', doc: 'IPv6 first' },
    ],
  },
  compression: {
    doc: 'Compress the stream with raw deflate (tcp, tcps, unix).',
    values: [{ value: 'zlib', doc: 'raw-deflate compression' }],
  },
  http_preflight: {
    doc: 'Send an HTTP Upgrade request first, to share a port with WebSockets behind a proxy (tcp, tcps, unix).',
    values: BOOL,
  },
  pretty: { doc: 'Ask the server for readable renderings of binary message types.', values: BOOL },
  sni: { doc: 'TLS server name sent in the handshake (tcps).' },
  path: { doc: 'The Unix-domain socket file (unix; required there).' },
  tls_verify: {
    doc: 'Verify the server certificate; on unless turned off, which is unsafe (tcps, wss).',
    values: BOOL,
  },
  ca: { doc: 'File of trusted CA certificates, PEM (tcps, wss).' },
  cert: { doc: 'File of the client certificate chain, PEM (tcps, wss).' },
  key: { doc: 'File of the client private key, PEM (tcps, wss).' },
};

/** Docs of the other parts, for hover. */
export const PART_DOCS = {
  credentials: 'User name, sent at logon as user_id.',
  password: 'Password, sent at logon; shown masked when the editor is not focused.',
  host: 'Host name or IP address of the AMPS server (IPv6 in brackets).',
  port: 'TCP port of the AMPS transport (0–65535).',
  path: 'A path prefix, meaningful to proxies only.',
} as const;
