import type { Socket } from 'node:net';
import { constants, createDeflateRaw, createInflateRaw, inflateRawSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { FrameReader } from '../../src/protocol/frame.js';
import { ProtocolError } from '../../src/protocol/protocolError.js';
import { connectTransport } from '../../src/transport/connect.js';
import type { Transport } from '../../src/transport/transport.js';
import { Recorder, frame, startServer, withTimeout, type TestServer } from './helpers.js';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

/** Server side of a compressed stream: inflate what arrives, deflate (with sync flush) what is sent. */
function compressedPeer(sock: Socket): {
  frames: Buffer[];
  raw: Buffer[];
  send(f: Buffer): void;
  wait(n: number): Promise<void>;
} {
  const frames: Buffer[] = [];
  const raw: Buffer[] = [];
  const inflate = createInflateRaw();
  const deflate = createDeflateRaw({ level: 6 });
  deflate.pipe(sock);
  const reader = new FrameReader((f) => frames.push(Buffer.from(f)), 1 << 30);
  sock.on('data', (c: Buffer) => {
    raw.push(c);
    inflate.write(c);
  });
  inflate.on('data', (c: Buffer) => reader.push(c));
  return {
    frames,
    raw,
    send(f: Buffer) {
      deflate.write(f);
      deflate.flush(constants.Z_SYNC_FLUSH);
    },
    wait(n: number) {
      return withTimeout(
        (async () => {
          while (frames.length < n) await new Promise((r) => setTimeout(r, 5));
        })(),
        5000,
        `${n} inflated frames`,
      );
    },
  };
}

async function setup(query: string): Promise<{ s: TestServer; t: Transport; rec: Recorder; sock: Socket }> {
  const s = await startServer();
  cleanup.push(() => s.close());
  const rec = new Recorder();
  const t = await connectTransport(`tcp://127.0.0.1:${s.port}/amps/json?${query}`, rec);
  cleanup.push(() => t.close());
  return { s, t, rec, sock: await s.accepted() };
}

describe('compression=zlib', () => {
  it('sends a raw-deflate stream with a sync flush per write, and inflates what it receives', async () => {
    const { t, rec, sock } = await setup('compression=zlib');
    const peer = compressedPeer(sock);
    const payload = JSON.stringify({ text: 'hello '.repeat(200) });
    t.send(Buffer.from('{"c":"p","t":"orders"}'), Buffer.from(payload));
    await peer.wait(1);
    expect(peer.frames[0]?.toString()).toBe(`{"c":"p","t":"orders"}${payload}`);
    // Raw deflate: no zlib header (0x78) and the stream decodes without one.
    const wire = Buffer.concat(peer.raw);
    expect(wire[0]).not.toBe(0x78);
    expect(wire.length).toBeLessThan(payload.length);
    // Sync flush ends every write on an empty stored block: 00 00 ff ff.
    expect(wire.subarray(-4)).toEqual(Buffer.from([0, 0, 0xff, 0xff]));
    expect(inflateRawSync(wire, { finishFlush: constants.Z_SYNC_FLUSH }).subarray(4).toString()).toBe(
      `{"c":"p","t":"orders"}${payload}`,
    );

    peer.send(frame('{"c":"ack","cid":"1"}'));
    peer.send(Buffer.concat([frame('{"c":"p","t":"a"}', '{"n":1}'), frame('{"c":"p","t":"a"}', '{"n":2}')]));
    await rec.waitFrames(3);
    expect(rec.texts()).toEqual([
      '{"c":"ack","cid":"1"}',
      '{"c":"p","t":"a"}{"n":1}',
      '{"c":"p","t":"a"}{"n":2}',
    ]);
  });

  it('round-trips many frames in both directions', async () => {
    const { t, rec, sock } = await setup('compression=zlib&tcp_nodelay=true');
    const peer = compressedPeer(sock);
    for (let i = 0; i < 500; i++) t.send(Buffer.from('{"c":"p","t":"t"}'), Buffer.from(`{"i":${i}}`));
    for (let i = 0; i < 500; i++) peer.send(frame('{"c":"p","t":"t","sids":"1"}', `{"i":${i}}`));
    await peer.wait(500);
    await rec.waitFrames(500);
    expect(peer.frames.map(String)).toEqual(
      Array.from({ length: 500 }, (_, i) => `{"c":"p","t":"t"}{"i":${i}}`),
    );
    expect(rec.texts()).toEqual(
      Array.from({ length: 500 }, (_, i) => `{"c":"p","t":"t","sids":"1"}{"i":${i}}`),
    );
  });

  it('a corrupt compressed stream closes the transport with an error', async () => {
    const { rec, sock } = await setup('compression=zlib');
    sock.write(Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]));
    const err = await rec.waitClose();
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(ProtocolError);
    expect(rec.closes).toHaveLength(1);
  });

  it('works behind an HTTP preflight (compression starts after the 101)', async () => {
    const s = await startServer();
    cleanup.push(() => s.close());
    const rec = new Recorder();
    const connecting = connectTransport(
      `tcp://127.0.0.1:${s.port}/amps/json?http_preflight=true&compression=zlib`,
      rec,
    );
    const sock = await s.accepted();
    let head = '';
    await withTimeout(
      new Promise<void>((resolve) => {
        const onData = (c: Buffer): void => {
          head += c.toString('latin1');
          if (head.includes('\r\n\r\n')) {
            sock.off('data', onData);
            resolve();
          }
        };
        sock.on('data', onData);
      }),
      5000,
      'request',
    );
    sock.write('HTTP/1.1 101 Switching Protocols\r\n\r\n');
    const t = await connecting;
    cleanup.push(() => t.close());
    const peer = compressedPeer(sock);
    t.send(Buffer.from('{"c":"logon","cid":"1"}'));
    await peer.wait(1);
    expect(peer.frames.map(String)).toEqual(['{"c":"logon","cid":"1"}']);
    peer.send(frame('{"c":"ack","cid":"1"}'));
    await rec.waitFrames(1);
    expect(rec.texts()).toEqual(['{"c":"ack","cid":"1"}']);
  });
});
