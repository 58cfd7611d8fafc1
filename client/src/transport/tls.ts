/**
 * TLS over TCP (spec §1.7): the TCP connection is made as for tcp:// (same resolution, bind
 * and socket options), then TLS starts on it. Certificates are verified by default.
 */
import type { Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import type { AmpsUri } from '../uri.js';
import type { SocketTracker } from './tcp.js';
import { readTlsFile, type TlsFileOption } from './tlsFile.js';

/**
 * TLS settings given through the API; each overrides the URI's `tls_verify`, `ca`, `cert` or
 * `key`. This is how an application passes TLS material as bytes (for example files the user
 * picked in a dialog) instead of letting a connection string name paths to read.
 *
 * @example
 * await connectTransport(uri, handlers, { tls: { ca: caPem, cert: certPem, key: keyPem } });
 * new Client('viewer', { tls: { ca: caPem } });
 */
export interface TlsOptions {
  /** Trusted CA certificates (PEM text or bytes); replaces the system list when given. */
  ca?: string | Buffer | (string | Buffer)[];
  /** Client certificate chain (PEM text or bytes). */
  cert?: string | Buffer;
  /** Client private key (PEM text or bytes). */
  key?: string | Buffer;
  /** Passphrase of `key`. */
  passphrase?: string;
  /** Verify the server certificate. Default true. */
  rejectUnauthorized?: boolean;
  /** TLS server name (SNI) and name checked against the certificate; default: `sni` option, else the host. */
  servername?: string;
}

const isIpLiteral = (uri: AmpsUri): boolean => uri.hostFamily !== 'dns';

/**
 * Resolves the effective TLS settings: API options first, then the URI's options. Files the URI
 * names are read with {@link readTlsFile}: regular files of at most 1 MiB only, stopped by `signal`.
 * @throws InvalidTransportOptionsError (code `tls file`) when a named file cannot be used
 */
export async function resolveTlsOptions(
  uri: AmpsUri,
  api: TlsOptions = {},
  signal?: AbortSignal,
): Promise<TlsOptions> {
  const load = async (option: TlsFileOption, file: string | undefined): Promise<Buffer | undefined> =>
    file === undefined ? undefined : readTlsFile(option, file, signal);
  const out: TlsOptions = { rejectUnauthorized: api.rejectUnauthorized ?? uri.options.tlsVerify };
  const ca = api.ca ?? (await load('ca', uri.options.ca));
  const cert = api.cert ?? (await load('cert', uri.options.cert));
  const key = api.key ?? (await load('key', uri.options.key));
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
