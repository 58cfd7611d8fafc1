/** A self-signed certificate made with the machine's openssl at test time, and a TLS test server. */
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type TLSSocket } from 'node:tls';

/** Paths and PEM text of a certificate for `localhost` and `127.0.0.1`. */
export interface Certificate {
  dir: string;
  certFile: string;
  keyFile: string;
  cert: Buffer;
  key: Buffer;
  remove(): void;
}

/** Generates a P-256 self-signed certificate valid for DNS:localhost and IP:127.0.0.1. */
export function makeCertificate(): Certificate {
  const dir = mkdtempSync(join(tmpdir(), 'amps-tls-'));
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  return {
    dir,
    certFile,
    keyFile,
    cert: readFileSync(certFile),
    key: readFileSync(keyFile),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A TLS server on 127.0.0.1:0 that keeps its sockets. */
export interface TlsTestServer {
  port: number;
  sockets: TLSSocket[];
  accepted(): Promise<TLSSocket>;
  close(): Promise<void>;
}

/** Starts a TLS server with `cert`. */
export async function startTlsServer(cert: Certificate): Promise<TlsTestServer> {
  const sockets: TLSSocket[] = [];
  let waiter: (() => void) | undefined;
  const server = createServer({ cert: cert.cert, key: cert.key }, (s) => {
    s.on('error', () => {});
    sockets.push(s);
    waiter?.();
  });
  server.on('tlsClientError', () => {});
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    sockets,
    async accepted() {
      if (sockets.length === 0) await new Promise<void>((resolve) => (waiter = resolve));
      return sockets[0] as TLSSocket;
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
