/**
 * Outbound framing of the stream transport: frames written into a shared output slab leave in
 * order and byte exact, whatever their size, across slab boundaries and with big payloads
 * written as they are; the delivery header written in parts equals the one built as a string.
 */
import { createServer, connect } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { FrameReader } from '../../client/src/protocol/frame.js';
import { StreamServerTransport } from '../src/net/streamTransport.js';

interface Pair {
  transport: StreamServerTransport;
  frames: Buffer[];
  client: Socket;
  server: Server;
  closed: Promise<void>;
}

const open: Pair[] = [];

afterEach(async () => {
  for (const p of open.splice(0)) {
    p.client.destroy();
    await new Promise<void>((r) => p.server.close(() => r()));
  }
});

/** A transport on the server end of a loopback connection and the frames its peer reads. */
async function pair(): Promise<Pair> {
  let accepted!: (s: Socket) => void;
  const sockets = new Promise<Socket>((r) => (accepted = r));
  const server = createServer((s) => accepted(s));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const client = connect((server.address() as AddressInfo).port, '127.0.0.1');
  const frames: Buffer[] = [];
  const reader = new FrameReader((f) => frames.push(Buffer.from(f)), 1 << 24);
  client.on('data', (d: Buffer) => reader.push(d));
  const closed = new Promise<void>((r) => client.on('close', () => r()));
  const transport = new StreamServerTransport(await sockets, 1 << 24, 'tcp');
  transport.start({ onFrame: () => {}, onClose: () => {} });
  const p = { transport, frames, client, server, closed };
  open.push(p);
  return p;
}

async function receive(p: Pair, count: number): Promise<Buffer[]> {
  const deadline = Date.now() + 5000;
  while (p.frames.length < count) {
    if (Date.now() > deadline) throw new Error(`got ${p.frames.length} of ${count} frames`);
    await new Promise((r) => setTimeout(r, 5));
  }
  return p.frames;
}

function payloadOf(length: number, seed: number): Buffer {
  const out = Buffer.allocUnsafe(length);
  for (let i = 0; i < length; i++) out[i] = (seed + i) % 251;
  return out;
}

describe('stream transport output', () => {
  it('writes the delivery header in parts exactly as the whole string would be', async () => {
    const p = await pair();
    const text = '{"c":"p","t":"orders","sids":"s-é"';
    const start = Buffer.from(text, 'utf8');
    const lengths = [0, 1, 9, 10, 99, 100, 12345, 65536, 65537, 200_000];
    const expected: Buffer[] = [];
    lengths.forEach((n, i) => {
      const middle = i % 2 === 0 ? '' : `,"k":"key-${i}-ü"`;
      const payload = payloadOf(n, i);
      expect(p.transport.sendWithLength(start, middle, payload)).toBe(
        Buffer.byteLength(`${text}${middle},"l":${n}}`),
      );
      expected.push(Buffer.concat([Buffer.from(`${text}${middle},"l":${n}}`, 'utf8'), payload]));
    });
    const got = await receive(p, lengths.length);
    expect(got.length).toBe(lengths.length);
    got.forEach((f, i) => expect(f.equals(expected[i] as Buffer)).toBe(true));
  });

  it('keeps the order of many frames of mixed sizes and kinds across slab boundaries', async () => {
    const p = await pair();
    const expected: Buffer[] = [];
    for (let i = 0; i < 3000; i++) {
      const size = i % 500 === 7 ? 70_000 + i : (i * 37) % 900;
      const payload = payloadOf(size, i);
      const header = `{"c":"p","t":"t${i}","l":${size}}`;
      if (i % 3 === 0) p.transport.sendText(header, payload);
      else if (i % 3 === 1) p.transport.send(Buffer.from(header, 'utf8'), payload);
      else p.transport.sendWithLength(Buffer.from(`{"c":"p","t":"t${i}"`), '', payload);
      expected.push(Buffer.concat([Buffer.from(header, 'utf8'), payload]));
      // Let some turns end mid-way so that slabs are flushed partly filled and then reused.
      if (i % 700 === 0) await new Promise((r) => setImmediate(r));
    }
    const got = await receive(p, expected.length);
    expect(got.length).toBe(expected.length);
    const mismatch = got.findIndex((f, i) => !f.equals(expected[i] as Buffer));
    expect(mismatch).toBe(-1);
  });

  it('counts frames waiting in the slab as outbound bytes and sends them before closing', async () => {
    const p = await pair();
    const payload = payloadOf(1000, 3);
    p.transport.sendText('{"c":"ack","a":"processed"}', payload);
    expect(p.transport.outboundBytes).toBeGreaterThanOrEqual(4 + 27 + 1000);
    p.transport.close();
    expect(p.transport.sendText('{"c":"late"}')).toBe(-1);
    await p.closed;
    expect(p.frames.map((f) => f.subarray(0, 27).toString())).toEqual(['{"c":"ack","a":"processed"}']);
    expect(p.frames[0]?.length).toBe(27 + 1000);
  });
});
