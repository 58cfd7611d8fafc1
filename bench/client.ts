/**
 * Client throughput over loopback TCP, each figure against a same-run baseline:
 * (a) RAW: pre-encoded 200-byte frames written in big corked batches and split by FrameReader,
 *     no header parsing — the ceiling of this machine's socket + framing path;
 * (b) INGEST: the same stream with every header decoded (payload kept as a lazy slice);
 * (c) PUBLISH: the tcp Transport's `send` (batched writes), counted at the receiving end —
 *     once with one pre-encoded header (the transport alone), once with a header encoded by
 *     encodeHeader for every message.
 */
import { once } from 'node:events';
import { createServer, connect as netConnect, type AddressInfo, type Server, type Socket } from 'node:net';
import { FrameReader, encodeFrame } from '../client/src/protocol/frame.js';
import { decodeHeader, encodeHeader } from '../client/src/protocol/header.js';
import { connectTransport } from '../client/src/transport/connect.js';
import type { Transport } from '../client/src/transport/transport.js';

/** Bytes of each message (header + payload, without the 4-byte prefix). */
const MESSAGE_BYTES = 200;
/** Frames per pre-encoded write in the RAW and INGEST phases. */
const FRAMES_PER_WRITE = 256;

const HEADER_TEXT = '{"c":"p","t":"orders","sids":"1","s":123456789,"bm":"1|1700000000000000|","k":"1001"}';

function payloadFor(headerBytes: number): Buffer {
  const fill = MESSAGE_BYTES - headerBytes - '{"id":1,"note":""}'.length;
  return Buffer.from(`{"id":1,"note":"${'x'.repeat(Math.max(0, fill))}"}`);
}

interface Listener {
  server: Server;
  port: number;
  accepted: Promise<Socket>;
}

async function listen(): Promise<Listener> {
  const server = createServer();
  const accepted = once(server, 'connection').then(([s]) => s as Socket);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, port: (server.address() as AddressInfo).port, accepted };
}

const rate = (n: number, ms: number): number => (n * 1000) / ms;
const fmt = (n: number): string => `${(n / 1e6).toFixed(2)} M/s`;

/**
 * Streams pre-encoded frames from a writer socket to a reader socket for `ms` and returns the
 * number of frames the reader saw; `onFrame` is the per-frame work of the phase.
 */
async function streamPhase(ms: number, onFrame: (frame: Buffer) => void): Promise<number> {
  const l = await listen();
  const writer = netConnect({ host: '127.0.0.1', port: l.port });
  await once(writer, 'connect');
  const reader = await l.accepted;
  const header = Buffer.from(HEADER_TEXT);
  const one = encodeFrame(header, payloadFor(header.length));
  const batch = Buffer.concat(Array.from({ length: FRAMES_PER_WRITE }, () => one));
  let frames = 0;
  const framer = new FrameReader((f) => {
    onFrame(f);
    frames++;
  }, 1 << 20);
  reader.on('data', (c: Buffer) => framer.push(c));
  const deadline = Date.now() + ms;
  const started = Date.now();
  while (Date.now() < deadline) {
    writer.cork();
    let ok = true;
    for (let i = 0; i < 4 && ok; i++) ok = writer.write(batch);
    process.nextTick(() => writer.uncork());
    if (!ok) await once(writer, 'drain');
    else await new Promise((r) => setImmediate(r));
  }
  const counted = frames;
  const elapsed = Date.now() - started;
  writer.destroy();
  reader.destroy();
  await new Promise<void>((r) => l.server.close(() => r()));
  return rate(counted, elapsed);
}

/**
 * Publishes through the tcp Transport for `ms`; returns messages per second seen by the receiver.
 * With `encode`, every message's header is built by encodeHeader; otherwise one pre-encoded
 * header is reused (the cost of the transport alone).
 */
async function publishPhase(ms: number, encode: boolean): Promise<number> {
  const l = await listen();
  let drained: (() => void) | undefined;
  const t: Transport = await connectTransport(`tcp://127.0.0.1:${l.port}/amps/json`, {
    onFrame() {},
    onClose() {},
    onDrain() {
      drained?.();
    },
  });
  const reader = await l.accepted;
  let frames = 0;
  const framer = new FrameReader(() => {
    frames++;
  }, 1 << 20);
  reader.on('data', (c: Buffer) => framer.push(c));
  const sample = Buffer.from(
    encodeHeader({ command: 'publish', topic: 'orders', sequence: '123456789', commandId: 'c1' }),
  );
  const payload = payloadFor(sample.length);
  const deadline = Date.now() + ms;
  const started = Date.now();
  let seq = 123_456_789;
  while (Date.now() < deadline) {
    let ok = true;
    for (let i = 0; i < 1000 && ok; i++) {
      const header = encode
        ? Buffer.from(
            encodeHeader({ command: 'publish', topic: 'orders', sequence: String(seq++), commandId: 'c1' }),
          )
        : sample;
      ok = t.send(header, payload);
    }
    if (!ok) await new Promise<void>((r) => (drained = r));
    else await new Promise((r) => setImmediate(r));
  }
  const counted = frames;
  const elapsed = Date.now() - started;
  t.close();
  reader.destroy();
  await new Promise<void>((r) => l.server.close(() => r()));
  return rate(counted, elapsed);
}

/** Runs the three phases (`seconds` each, default 2) and returns printable result lines. */
export async function runClientBench(opts: { seconds?: number } = {}): Promise<string[]> {
  const ms = (opts.seconds ?? 2) * 1000;
  const raw = await streamPhase(ms, () => {});
  let sink = 0;
  const ingest = await streamPhase(ms, (f) => {
    const { fields, end } = decodeHeader(f);
    const payload = f.subarray(end);
    sink += payload.length + (fields.command === 'publish' ? 1 : 0);
  });
  const send = await publishPhase(ms, false);
  const publish = await publishPhase(ms, true);
  return [
    `client bench: loopback TCP, ${MESSAGE_BYTES}-byte messages, ${ms / 1000} s per phase (sink ${sink > 0 ? 'ok' : 'empty'})`,
    `  raw (pre-encoded frames, corked batches, FrameReader only): ${fmt(raw)} frames`,
    `  ingest (FrameReader + decodeHeader, lazy payload):          ${fmt(ingest)} msgs  (${((ingest / raw) * 100).toFixed(0)}% of raw)`,
    `  publish (Transport.send, one pre-encoded header):           ${fmt(send)} msgs  (${((send / raw) * 100).toFixed(0)}% of raw writing)`,
    `  publish (Transport.send + encodeHeader per message):        ${fmt(publish)} msgs  (${((publish / raw) * 100).toFixed(0)}% of raw writing)`,
  ];
}
