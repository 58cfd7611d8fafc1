/**
 * TLS over TCP (spec §1.7): the TCP connection is made as for tcp:// (same resolution, bind
 * and socket options), then TLS starts on it. Certificates are verified by default.
 */
import { readFile } from 'node:fs/promises';
import type { Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import type { AmpsUri } from '../uri.js';
import type { SocketTracker } from './tcp.js';

/** TLS settings given through the API; they override the URI's `tls_verify`, `ca`, `cert`, `key`. */
export interface TlsOptions {
  /** Trusted CA certificates (PEM); replaces the system list when given. */
  ca?: string | Buffer | (string | Buffer)[];
  /** Client certificate chain (PEM). */
  cert?: string | Buffer;
  /** Client private key (PEM). */
  key?: string | Buffer;
  /** Passphrase of `key`. */
  passphrase?: string;
  /** Verify the server certificate. Default true. */
  rejectUnauthorized?: boolean;
  /** TLS server name (SNI) and name checked against the certificate; default: `sni` option, else the host. */
  servername?: string;
}

const isIpLiteral = (uri: AmpsUri): boolean => uri.hostFamily !== 'dns';

/** Resolves the effective TLS settings: API options first, then URI options (reading PEM files). */
export async function resolveTlsOptions(uri: AmpsUri, api: TlsOptions = {}): Promise<TlsOptions> {
  const load = async (file: string | undefined): Promise<Buffer | undefined> =>
    file === undefined ? undefined : readFile(file);
  const out: TlsOptions = { rejectUnauthorized: api.rejectUnauthorized ?? uri.options.tlsVerify };
  const ca = api.ca ?? (await load(uri.options.ca));
  const cert = api.cert ?? (await load(uri.options.cert));
  const key = api.key ?? (await load(uri.options.key));
  if (ca !== undefined) out.ca = ca;
  if (cert !== undefined) out.cert = cert;
  if (key !== undefined) out.key = key;
  if (api.passphrase !== undefined) out.passphrase = api.passphrase;
  const servername = api.servername ?? uri.options.sni ?? (isIpLiteral(uri) ? undefined : uri.host);
  if (servername !== undefined) out.servername = servername;
  return out;
}

/**
 * Starts TLS on a connected TCP socket and resolves once the handshake (including
 * certificate verification) succeeded.
 */
export function startTls(
  socket: Socket,
  uri: AmpsUri,
  tls: TlsOptions,
  track: SocketTracker,
): Promise<TLSSocket> {
  return new Promise<TLSSocket>((resolve, reject) => {
    const secure = tlsConnect({
      socket,
      // The name checked against the certificate: SNI name, else the host as written (IPs included).
      host: uri.host,
      ...tls,
      rejectUnauthorized: tls.rejectUnauthorized ?? true,
    });
    track(secure);
    const onError = (e: Error): void => {
      secure.destroy();
      reject(e);
    };
    secure.once('error', onError);
    secure.once('secureConnect', () => {
      secure.off('error', onError);
      resolve(secure);
    });
    secure.once('close', () => reject(new Error('connection closed during the TLS handshake')));
  });
}
