/**
 * Socket-level URI options (spec §1.6, §2.3) for Node sockets, and the address resolution
 * that honours `ip_protocol_prefer`.
 *
 * What Node allows and what it does not:
 * - `tcp_nodelay` → `socket.setNoDelay`; `tcp_keepalive` → `socket.setKeepAlive` (on by default,
 *   as the official client switches SO_KEEPALIVE on for every connection).
 * - `bind` → `localAddress` / `localPort` of `net.connect`.
 * - `tcp_sndbuf`, `tcp_rcvbuf`: Node's `net.Socket` offers no way to set SO_SNDBUF/SO_RCVBUF
 *   (only UDP sockets have `setSendBufferSize`). They are validated by the URI parser and
 *   otherwise ignored.
 * - `tcp_linger`: Node has no SO_LINGER setter either; its effect on close is reproduced by
 *   the stream transport (stream.ts): N lets queued bytes go out and the peer end its side for
 *   N seconds before the socket is destroyed; 0 (off) destroys it once the bytes are handed to
 *   the kernel.
 */
import { lookup } from 'node:dns/promises';
import type { Socket } from 'node:net';
import type { AmpsUri } from '../uri.js';

/** One address to try, in preference order. */
export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/**
 * Resolves the URI host to the addresses to try: an IP literal as is; a name through
 * `dns.lookup`, preferred family first (`ip_protocol_prefer`, default ipv4), then the other.
 * @throws the resolver's error (e.g. ENOTFOUND) when the name does not resolve
 */
export async function resolveAddresses(uri: AmpsUri): Promise<ResolvedAddress[]> {
  if (uri.hostFamily === 'ipv4') return [{ address: uri.host, family: 4 }];
  if (uri.hostFamily === 'ipv6') return [{ address: uri.host, family: 6 }];
  const found = await lookup(uri.host, { all: true, verbatim: true });
  const preferred = uri.options.ipProtocolPrefer === 'ipv6' ? 6 : 4;
  const addresses = found
    .filter((a) => a.family === 4 || a.family === 6)
    .map((a) => ({ address: a.address, family: a.family as 4 | 6 }));
  // A bound local address only works with a remote address of its own family.
  const usable = uri.options.bind
    ? addresses.filter((a) => a.family === uri.options.bind?.family)
    : addresses;
  return [...usable.filter((a) => a.family === preferred), ...usable.filter((a) => a.family !== preferred)];
}

/** `net.connect` options for the URI's `bind` option. */
export function bindOptions(uri: AmpsUri): { localAddress?: string; localPort?: number } {
  const bind = uri.options.bind;
  if (!bind) return {};
  return bind.port === undefined
    ? { localAddress: bind.address }
    : { localAddress: bind.address, localPort: bind.port };
}

/** Applies `tcp_nodelay` and `tcp_keepalive` to a connected TCP socket. */
export function applySocketOptions(socket: Socket, uri: AmpsUri): void {
  if (uri.options.tcpNodelay !== undefined) socket.setNoDelay(uri.options.tcpNodelay);
  socket.setKeepAlive(uri.options.tcpKeepalive);
}
