import { once } from 'node:events';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TransportConnectError, connectTransport } from '../../src/transport/connect.js';
import type { Transport } from '../../src/transport/transport.js';
import { Recorder, frame, readFrames, startServer } from './helpers.js';
import { makeCertificate, startTlsServer, type Certificate, type TlsTestServer } from './tlsFixture.js';

let cert: Certificate;
let server: TlsTestServer;
const transports: Transport[] = [];

beforeAll(async () => {
  cert = makeCertificate();
  server = await startTlsServer(cert);
});

afterAll(async () => {
  await server.close();
  cert.remove();
});

afterEach(() => {
  for (const t of transports.splice(0)) t.close();
  for (const s of server.sockets.splice(0)) s.destroy();
});

async function connect(uri: string, rec: Recorder, options = {}): Promise<Transport> {
  const t = await connectTransport(uri, rec, options);
  transports.push(t);
  return t;
}

async function roundTrip(t: Transport, rec: Recorder): Promise<void> {
  const sock = await server.accepted();
  const got = readFrames(sock);
  t.send(Buffer.from('{"c":"logon","cid":"1"}'));
  await got.wait(1);
  expect(got.frames.map(String)).toEqual(['{"c":"logon","cid":"1"}']);
  sock.write(frame('{"c":"ack","cid":"1","a":"processed","status":"success"}'));
  await rec.waitFrames(1);
  expect(rec.texts()).toEqual(['{"c":"ack","cid":"1","a":"processed","status":"success"}']);
}

describe('tcps transport', () => {
  it('refuses a self-signed certificate by default', async () => {
    const err = await connectTransport(`tcps://127.0.0.1:${server.port}/amps/json`, new Recorder()).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(TransportConnectError);
    expect((err as TransportConnectError).code).toBe('TLS');
    expect((err as Error).message).toMatch(/self[- ]signed/);
  });

  it('connects when the certificate is trusted through the API, and frames flow both ways', async () => {
    const rec = new Recorder();
    const t = await connect(`tcps://127.0.0.1:${server.port}/amps/json`, rec, { tls: { ca: cert.cert } });
    await roundTrip(t, rec);
  });

  it('reads the CA file named by the ca option', async () => {
    const rec = new Recorder();
    const t = await connect(`tcps://localhost:${server.port}/amps/json?ca=${cert.certFile}`, rec);
    await roundTrip(t, rec);
    expect((await server.accepted()).servername).toBe('localhost');
  });

  it('connects without verification when tls_verify=false', async () => {
    const rec = new Recorder();
    const t = await connect(`tcps://127.0.0.1:${server.port}/amps/json?tls_verify=false`, rec);
    await roundTrip(t, rec);
  });

  it('sends the sni name and checks the certificate against it', async () => {
    const bad = await connectTransport(
      `tcps://127.0.0.1:${server.port}/amps/json?sni=other.example.com`,
      new Recorder(),
      {
        tls: { ca: cert.cert },
      },
    ).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(TransportConnectError);
    expect((bad as TransportConnectError).code).toBe('TLS');
    expect((bad as Error).message).toContain('other.example.com');

    const rec = new Recorder();
    await connect(`tcps://127.0.0.1:${server.port}/amps/json?sni=localhost`, rec, { tls: { ca: cert.cert } });
    for (let i = 0; i < 100 && !server.sockets.some((s) => s.servername === 'localhost'); i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(server.sockets.map((s) => s.servername)).toContain('localhost');
  });

  it('times out a handshake that never completes', async () => {
    const silent = await startServer('127.0.0.1', (s) => s.resume());
    try {
      const err = await connectTransport(`tcps://127.0.0.1:${silent.port}/amps/json`, new Recorder(), {
        connectTimeoutMs: 200,
      }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TransportConnectError);
      expect((err as TransportConnectError).code).toBe('ETIMEDOUT');
      expect((err as Error).message).toBe(
        `connecting to tcps://127.0.0.1:${silent.port}/amps/json timed out after 200 ms`,
      );
      // The abandoned socket is closed.
      const sock = await silent.accepted();
      if (!sock.destroyed) await once(sock, 'close');
      expect(sock.destroyed).toBe(true);
    } finally {
      await silent.close();
    }
  });
});
