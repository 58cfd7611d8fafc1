import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { setImmediate as tick } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { TransportConnectError, connectTransport } from '../../src/transport/connect.js';
import { preflightRequestText } from '../../src/transport/preflight.js';
import type { Transport } from '../../src/transport/transport.js';
import { Recorder, frame, readFrames, startServer, withTimeout, type TestServer } from './helpers.js';
import { makeCertificate, startTlsServer } from './tlsFixture.js';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

const SWITCHING = 'HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n';

/** Reads the request head (up to the blank line) from a proxy-side socket; returns it and any bytes after. */
function readRequest(sock: Socket | TLSSocket): Promise<{ head: string; rest: Buffer }> {
  return withTimeout(
    new Promise((resolve) => {
      let buf = Buffer.alloc(0);
      const onData = (c: Buffer): void => {
        buf = Buffer.concat([buf, c]);
        const end = buf.indexOf('\r\n\r\n');
        if (end >= 0) {
          sock.off('data', onData);
          sock.pause();
          resolve({ head: buf.toString('latin1', 0, end + 4), rest: buf.subarray(end + 4) });
        }
      };
      sock.on('data', onData);
    }),
    5000,
    'preflight request',
  );
}

async function proxy(): Promise<TestServer> {
  const s = await startServer();
  cleanup.push(() => s.close());
  return s;
}

function keep(t: Transport): Transport {
  cleanup.push(() => t.close());
  return t;
}

describe('HTTP preflight', () => {
  it('sends the upgrade request, accepts 101, and hands bytes after the headers to AMPS framing', async () => {
    const s = await proxy();
    const rec = new Recorder();
    const connecting = connectTransport(
      `tcp://127.0.0.1:${s.port}/client/amps/json?http_preflight=true`,
      rec,
      {
        preflightHeaders: ['Cookie: a=1; b=2', 'X-Token: abc'],
      },
    );
    const sock = await s.accepted();
    const { head } = await readRequest(sock);
    expect(head).toBe(
      `GET /client/amps/json HTTP/1.1\r\nHost: 127.0.0.1:${s.port}\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n` +
        'Cookie: a=1; b=2\r\nX-Token: abc\r\n\r\n',
    );
    // The answer and the first AMPS frame arrive in the same segment.
    sock.write(Buffer.concat([Buffer.from(SWITCHING), frame('{"c":"heartbeat"}')]));
    const t = keep(await connecting);
    await rec.waitFrames(1);
    expect(rec.texts()).toEqual(['{"c":"heartbeat"}']);
    sock.resume();
    const got = readFrames(sock);
    t.send(Buffer.from('{"c":"logon","cid":"1"}'));
    await got.wait(1);
    expect(got.frames.map(String)).toEqual(['{"c":"logon","cid":"1"}']);
  });

  it('accepts an answer that arrives one byte at a time', async () => {
    const s = await proxy();
    const rec = new Recorder();
    const connecting = connectTransport(`tcp://127.0.0.1:${s.port}/amps/json?http_preflight=1`, rec);
    const sock = await s.accepted();
    await readRequest(sock);
    const bytes = Buffer.concat([Buffer.from(SWITCHING), frame('{"c":"ack","cid":"9"}')]);
    for (let i = 0; i < bytes.length; i++) {
      sock.write(bytes.subarray(i, i + 1));
      await tick();
    }
    keep(await connecting);
    await rec.waitFrames(1);
    expect(rec.texts()).toEqual(['{"c":"ack","cid":"9"}']);
  });

  it('a 403 answer → TransportConnectError "HTTP preflight refused: <status line>"', async () => {
    const s = await proxy();
    const connecting = connectTransport(
      `tcp://127.0.0.1:${s.port}/amps/json?http_preflight=true`,
      new Recorder(),
    );
    const sock = await s.accepted();
    await readRequest(sock);
    sock.write('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n');
    const err = await connecting.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransportConnectError);
    expect((err as TransportConnectError).code).toBe('PREFLIGHT');
    expect((err as Error).message).toBe(
      `cannot connect to tcp://127.0.0.1:${s.port}/amps/json: HTTP preflight refused: HTTP/1.1 403 Forbidden`,
    );
  });

  it('a non-HTTP answer is refused', async () => {
    const s = await proxy();
    const connecting = connectTransport(
      `tcp://127.0.0.1:${s.port}/amps/json?http_preflight=true`,
      new Recorder(),
    );
    const sock = await s.accepted();
    await readRequest(sock);
    sock.write('SSH-2.0-OpenSSH_9.6 101 x\r\n');
    const err = (await connecting.catch((e: unknown) => e)) as Error;
    expect(err.message).toContain('HTTP preflight refused: SSH-2.0-OpenSSH_9.6 101 x');
  });

  it('a proxy that closes before answering → clear error', async () => {
    const s = await proxy();
    const connecting = connectTransport(
      `tcp://127.0.0.1:${s.port}/amps/json?http_preflight=true`,
      new Recorder(),
    );
    const sock = await s.accepted();
    await readRequest(sock);
    sock.end('HTTP/1.1 101 Switching');
    const err = (await connecting.catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(TransportConnectError);
    expect(err.message).toContain('connection closed');
  });

  it('a proxy that never answers → connect timeout', async () => {
    const s = await proxy();
    const err = (await connectTransport(
      `tcp://127.0.0.1:${s.port}/amps/json?http_preflight=true`,
      new Recorder(),
      {
        connectTimeoutMs: 200,
      },
    ).catch((e: unknown) => e)) as TransportConnectError;
    expect(err).toBeInstanceOf(TransportConnectError);
    expect(err.code).toBe('ETIMEDOUT');
  });

  it('runs inside TLS for tcps, asking for Upgrade: tcps', async () => {
    const cert = makeCertificate();
    cleanup.push(() => cert.remove());
    const s = await startTlsServer(cert);
    cleanup.push(() => s.close());
    const rec = new Recorder();
    const connecting = connectTransport(`tcps://localhost:${s.port}/amps/json?http_preflight=true`, rec, {
      tls: { ca: cert.cert },
    });
    const sock = await s.accepted();
    const { head } = await readRequest(sock);
    expect(head).toContain(`Host: localhost:${s.port}\r\n`);
    expect(head).toContain('Upgrade: tcps\r\n');
    sock.write(SWITCHING);
    sock.write(frame('{"c":"heartbeat"}'));
    keep(await connecting);
    await rec.waitFrames(1);
    expect(rec.texts()).toEqual(['{"c":"heartbeat"}']);
  });

  it('rejects header lines that would break the request', () => {
    expect(() =>
      preflightRequestText({ path: '/amps/json', host: 'h:1', upgrade: 'tcp', headers: ['X: a\r\nEvil: 1'] }),
    ).toThrow('invalid HTTP preflight header line');
    expect(() =>
      preflightRequestText({ path: '/amps/json', host: 'h:1', upgrade: 'tcp', headers: ['no colon'] }),
    ).toThrow('expected "Name: value"');
  });
});
