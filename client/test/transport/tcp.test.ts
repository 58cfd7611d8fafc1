import { setImmediate as tick } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { ProtocolError } from '../../src/protocol/protocolError.js';
import { TransportConnectError, connectTransport } from '../../src/transport/connect.js';
import type { Transport } from '../../src/transport/transport.js';
import { InvalidUriError } from '../../src/uri.js';
import {
  Recorder,
  closedPort,
  frame,
  readFrames,
  startServer,
  withTimeout,
  type TestServer,
} from './helpers.js';

const open: { servers: TestServer[]; transports: Transport[] } = { servers: [], transports: [] };

async function server(host = '127.0.0.1'): Promise<TestServer> {
  const s = await startServer(host);
  open.servers.push(s);
  return s;
}

async function connect(uri: string, rec: Recorder, options = {}): Promise<Transport> {
  const t = await connectTransport(uri, rec, options);
  open.transports.push(t);
  return t;
}

afterEach(async () => {
  for (const t of open.transports.splice(0)) t.close();
  for (const s of open.servers.splice(0)) await s.close();
});

describe('tcp transport', () => {
  it('writes prefix, header and payload byte for byte', async () => {
    const s = await server();
    const rec = new Recorder();
    const t = await connect(`tcp://127.0.0.1:${s.port}/amps/json`, rec);
    expect(t.kind).toBe('stream');
    expect(t.peer).toBe(`tcp://127.0.0.1:${s.port}/amps/json`);
    const sock = await s.accepted();
    const chunks: Buffer[] = [];
    sock.on('data', (c: Buffer) => chunks.push(c));
    expect(t.send(Buffer.from('{"c":"p","t":"orders"}'), Buffer.from('{"id":1,"qty":10}'))).toBe(true);
    const expected = Buffer.from(
      '000000277b2263223a2270222c2274223a226f7264657273227d7b226964223a312c22717479223a31307d',
      'hex',
    );
    await withTimeout(
      (async () => {
        while (Buffer.concat(chunks).length < expected.length) await new Promise((r) => setTimeout(r, 5));
      })(),
      5000,
      'bytes',
    );
    expect(Buffer.concat(chunks)).toEqual(expected);
  });

  it('delivers several frames from one read, and frames split at every byte', async () => {
    const s = await server();
    const rec = new Recorder();
    await connect(`tcp://127.0.0.1:${s.port}/amps/json`, rec);
    const sock = await s.accepted();
    const stream = Buffer.concat([
      frame('{"c":"ack","cid":"1"}'),
      frame('{"c":"p","t":"a","sids":"1"}', '{"x":1}'),
      frame('{"c":"p","t":"b","sids":"1"}', 'payload with } and { inside'),
    ]);
    sock.write(stream);
    await rec.waitFrames(3);
    for (let i = 0; i < stream.length; i++) {
      sock.write(stream.subarray(i, i + 1));
      await tick();
    }
    await rec.waitFrames(6);
    const texts = rec.texts();
    expect(texts.slice(0, 3)).toEqual([
      '{"c":"ack","cid":"1"}',
      '{"c":"p","t":"a","sids":"1"}{"x":1}',
      '{"c":"p","t":"b","sids":"1"}payload with } and { inside',
    ]);
    expect(texts.slice(3)).toEqual(texts.slice(0, 3));
  });

  it('skips zero-length frames', async () => {
    const s = await server();
    const rec = new Recorder();
    await connect(`tcp://127.0.0.1:${s.port}/amps/json`, rec);
    const sock = await s.accepted();
    sock.write(Buffer.concat([Buffer.alloc(4), frame('{"c":"heartbeat"}')]));
    await rec.waitFrames(1);
    expect(rec.texts()).toEqual(['{"c":"heartbeat"}']);
  });

  it('batches a burst of sends and keeps their order', async () => {
    const s = await server();
    const rec = new Recorder();
    const t = await connect(`tcp://127.0.0.1:${s.port}/amps/json`, rec);
    const sock = await s.accepted();
    const got = readFrames(sock);
    const header = Buffer.from('{"c":"p","t":"orders"}');
    for (let i = 0; i < 5000; i++) t.send(header, Buffer.from(`{"n":${i}}`));
    // One large payload goes around the batch but stays in order.
    const big = Buffer.alloc(100_000, 0x61);
    t.send(header, big);
    t.send(header, Buffer.from('{"n":"last"}'));
    await got.wait(5002);
    expect(got.frames[0]?.toString()).toBe('{"c":"p","t":"orders"}{"n":0}');
    expect(got.frames[4999]?.toString()).toBe('{"c":"p","t":"orders"}{"n":4999}');
    expect(got.frames[5000]?.subarray(header.length)).toEqual(big);
    expect(got.frames[5001]?.toString()).toBe('{"c":"p","t":"orders"}{"n":"last"}');
    for (let i = 0; i < 5000; i++) expect(got.frames[i]?.toString()).toBe(`{"c":"p","t":"orders"}{"n":${i}}`);
  });

  it('holds corked sends until uncork', async () => {
    const s = await server();
    const rec = new Recorder();
    const t = await connect(`tcp://127.0.0.1:${s.port}/amps/json`, rec);
    const sock = await s.accepted();
    const got = readFrames(sock);
    t.cork();
    t.send(Buffer.from('{"c":"heartbeat"}'));
    t.send(Buffer.from('{"c":"flush","cid":"2"}'));
    await new Promise((r) => setTimeout(r, 50));
    expect(got.frames).toHaveLength(0);
    t.uncork();
    await got.wait(2);
    expect(got.frames.map(String)).toEqual(['{"c":"heartbeat"}', '{"c":"flush","cid":"2"}']);
  });

  it('reports back-pressure through send() and onDrain', async () => {
    const s = await server();
    const rec = new Recorder();
    const t = await connect(`tcp://127.0.0.1:${s.port}/amps/json`, rec);
    const sock = await s.accepted();
    sock.pause();
    const payload = Buffer.alloc(32 * 1024, 0x62);
    let accepted = 0;
    while (t.send(Buffer.from('{"c":"p","t":"x"}'), payload)) {
      accepted++;
      if (accepted > 10_000) throw new Error('send never reported back-pressure');
    }
    expect(rec.drains).toBe(0);
    const got = readFrames(sock);
    sock.resume();
    await got.wait(accepted + 1);
    await withTimeout(
      (async () => {
        while (rec.drains === 0) await new Promise((r) => setTimeout(r, 5));
      })(),
      5000,
      'drain',
    );
    expect(rec.drains).toBeGreaterThan(0);
  });

  it('pause stops delivery, resume restarts it', async () => {
    const s = await server();
    const rec = new Recorder();
    const t = await connect(`tcp://127.0.0.1:${s.port}/amps/json`, rec);
    const sock = await s.accepted();
    t.pause();
    sock.write(frame('{"c":"heartbeat"}'));
    await new Promise((r) => setTimeout(r, 50));
    expect(rec.frames).toHaveLength(0);
    t.resume();
    await rec.waitFrames(1);
    expect(rec.texts()).toEqual(['{"c":"heartbeat"}']);
  });

  it('closes with a ProtocolError when a frame is over the limit', async () => {
    const s = await server();
    const rec = new Recorder();
    await connect(`tcp://127.0.0.1:${s.port}/amps/json`, rec, { maxFrameBytes: 64 });
    const sock = await s.accepted();
    sock.write(frame('{"c":"heartbeat"}'));
    sock.write(frame('{"c":"p"}', 'x'.repeat(100)));
    const error = await rec.waitClose();
    expect(error).toBeInstanceOf(ProtocolError);
    expect((error as ProtocolError).kind).toBe('frame-too-large');
    expect(rec.texts()).toEqual(['{"c":"heartbeat"}']);
    expect(rec.closes).toHaveLength(1);
  });

  it('reports exactly one close when the server hangs up, and none of send after', async () => {
    const s = await server();
    const rec = new Recorder();
    const t = await connect(`tcp://127.0.0.1:${s.port}/amps/json`, rec);
    (await s.accepted()).end();
    expect(await rec.waitClose()).toBeUndefined();
    expect(t.send(Buffer.from('{"c":"heartbeat"}'))).toBe(false);
    t.close();
    await new Promise((r) => setTimeout(r, 20));
    expect(rec.closes).toHaveLength(1);
  });

  it('close() ends the connection; the server sees end of stream and the pending frame', async () => {
    const s = await server();
    const rec = new Recorder();
    const t = await connect(`tcp://127.0.0.1:${s.port}/amps/json`, rec);
    const sock = await s.accepted();
    const got = readFrames(sock);
    const ended = new Promise<void>((resolve) => sock.on('end', () => resolve()));
    sock.on('end', () => sock.end());
    t.send(Buffer.from('{"c":"logoff"}'));
    t.close();
    await withTimeout(ended, 5000, 'end');
    expect(got.frames.map(String)).toEqual(['{"c":"logoff"}']);
    expect(await rec.waitClose()).toBeUndefined();
    expect(rec.closes).toHaveLength(1);
  });

  it('tcp_linger: 0 lets the socket go once its bytes are out, N waits N s for the peer', async () => {
    for (const linger of [0, 1]) {
      // a server that keeps its side of the connection open after the client's end
      const s = await startServer('127.0.0.1', undefined, { allowHalfOpen: true });
      open.servers.push(s);
      const rec = new Recorder();
      const t = await connect(`tcp://127.0.0.1:${s.port}/amps/json?tcp_linger=${linger}`, rec);
      const sock = await s.accepted();
      const got = readFrames(sock);
      const ended = new Promise<void>((resolve) => sock.on('end', () => resolve()));
      t.send(Buffer.from('{"c":"logoff"}'));
      t.close();
      await withTimeout(ended, 5000, 'end');
      expect(got.frames.map(String)).toEqual(['{"c":"logoff"}']);
      if (linger === 0) {
        expect(await rec.waitClose(1500)).toBeUndefined();
      } else {
        await new Promise((r) => setTimeout(r, 300));
        expect(rec.closes, 'still lingering at 300 ms').toHaveLength(0);
        expect(await rec.waitClose(3000)).toBeUndefined();
      }
      expect(rec.closes).toHaveLength(1);
    }
  });

  it('refused port → TransportConnectError naming the peer', async () => {
    const port = await closedPort();
    const err = await connectTransport(`tcp://127.0.0.1:${port}/amps/json`, new Recorder()).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(TransportConnectError);
    const e = err as TransportConnectError;
    expect(e.code).toBe('ECONNREFUSED');
    expect(e.peer).toBe(`tcp://127.0.0.1:${port}/amps/json`);
    expect(e.message).toContain(`cannot connect to tcp://127.0.0.1:${port}/amps/json`);
    expect(e.cause).toBeInstanceOf(Error);
  });

  it('a connection string that does not parse is an InvalidUriError, before any connection', async () => {
    const err = await connectTransport('tcp://127.0.0.1:x/amps/json', new Recorder()).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(InvalidUriError);
    expect((err as InvalidUriError).part).toBe('port');
  });

  it('never puts credentials in the peer or the error', async () => {
    const port = await closedPort();
    const err = (await connectTransport(`tcp://me:hunter2@127.0.0.1:${port}/amps/json`, new Recorder()).catch(
      (e: unknown) => e,
    )) as TransportConnectError;
    expect(err.message).not.toContain('hunter2');
    expect(err.peer).not.toContain('hunter2');
  });

  it('connects to an IPv6 literal', async () => {
    const s = await server('::1');
    const rec = new Recorder();
    const t = await connect(`tcp://[::1]:${s.port}/amps/json`, rec);
    expect(t.peer).toBe(`tcp://[::1]:${s.port}/amps/json`);
    const sock = await s.accepted();
    expect(sock.remoteAddress).toBe('::1');
    sock.write(frame('{"c":"heartbeat"}'));
    await rec.waitFrames(1);
  });

  it('resolves names, falling back to the other family (ip_protocol_prefer=ipv6, server on IPv4)', async () => {
    const s = await server('127.0.0.1');
    const rec = new Recorder();
    await connect(`tcp://localhost:${s.port}/amps/json?ip_protocol_prefer=ipv6`, rec);
    const sock = await s.accepted();
    expect(sock.remoteAddress).toBe('127.0.0.1');
  });

  it('binds the local address and port of the bind option', async () => {
    const s = await server();
    const localPort = await closedPort();
    const rec = new Recorder();
    await connect(`tcp://127.0.0.1:${s.port}/amps/json?bind=127.0.0.1:${localPort}`, rec);
    const sock = await s.accepted();
    expect(sock.remoteAddress).toBe('127.0.0.1');
    expect(sock.remotePort).toBe(localPort);
  });

  it('accepts every socket option of the URI', async () => {
    const s = await server();
    const rec = new Recorder();
    const t = await connect(
      `tcp://127.0.0.1:${s.port}/amps/json?tcp_nodelay=true&tcp_keepalive=false&tcp_sndbuf=65536&tcp_rcvbuf=65536&tcp_linger=5`,
      rec,
    );
    const sock = await s.accepted();
    sock.write(frame('{"c":"heartbeat"}'));
    await rec.waitFrames(1);
    expect(t.send(Buffer.from('{"c":"heartbeat"}'))).toBe(true);
  });

  it('a handler exception closes the transport with that error', async () => {
    const s = await server();
    const boom = new Error('handler failed');
    const rec = new Recorder();
    rec.onFrame = () => {
      throw boom;
    };
    await connect(`tcp://127.0.0.1:${s.port}/amps/json`, rec);
    (await s.accepted()).write(frame('{"c":"heartbeat"}'));
    expect(await rec.waitClose()).toBe(boom);
  });
});
