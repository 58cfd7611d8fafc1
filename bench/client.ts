/**
 * Client throughput over loopback TCP, each figure against a same-run baseline:
 * (a) RAW: pre-encoded 200-byte frames written in big corked batches and split by FrameReader,
 *     no header parsing — the ceiling of this machine's socket + framing path, for reading and
 *     for writing alike (measured first and last; the baseline is their mean);
 * (b) INGEST: the same stream into a logged-on Client: FrameReader → decodeHeader → Message
 *     (payload left lazy) → Router → a subscription's handler (and, as extra lines, a
 *     subscription's MessageStream, the handler with a bookmark as long as a real server's
 *     — same 200 bytes, longer header — and decodeHeader alone);
 * (c) PUBLISH: `client.publish(topic, data)` through a logged-on Client, counted by a peer
 *     that only splits frames (and, as an extra line, the tcp Transport's `send` alone).
 * Writer, reader and client share one thread, as the figures of the baseline do.
 */
import { once } from 'node:events';
import { createServer, connect as netConnect, type AddressInfo, type Server, type Socket } from 'node:net';
import { Client } from '../client/src/client.js';
import { FrameReader, encodeFrame } from '../client/src/protocol/frame.js';
import { decodeHeader, encodeHeader } from '../client/src/protocol/header.js';
import type { MessageStream } from '../client/src/stream.js';
import { connectTransport } from '../client/src/transport/connect.js';
import type { Transport } from '../client/src/transport/transport.js';
import { WireRecorder } from '../electron/main/services/inspector/wireRecorder.js';
import { startPeer } from './clientPeer.js';

/** Bytes of each message (header + payload, without the 4-byte prefix). */
const MESSAGE_BYTES = 200;
/** Frames per pre-encoded write in the RAW and INGEST phases. */
const FRAMES_PER_WRITE = 256;
/** Publishes between two yields to the event loop. */
const PUBLISH_BURST = 1000;
/** Publishes the client may be ahead of the peer before it waits (keeps buffers bounded). */
const PUBLISH_WINDOW = 64_000;

/** A short bookmark (publisher id 1), as in the figures of earlier runs. */
const SHORT_BOOKMARK = '1|1700000000000000|';
/** A bookmark as a real server writes it: a 20-digit publisher id, then the sequence. */
const LONG_BOOKMARK = '13880000000000000000|1700000000000000|';

/** A delivery as AMPS sends it, for subscription `subId`. */
const deliveryHeader = (subId: string, bookmark = SHORT_BOOKMARK): string =>
  `{"c":"p","t":"orders","sids":"${subId}","s":123456789,"bm":"${bookmark}","k":"1001"}`;

function payloadText(headerBytes: number): string {
  const fill = MESSAGE_BYTES - headerBytes - '{"id":1,"note":""}'.length;
  return `{"id":1,"note":"${'x'.repeat(Math.max(0, fill))}"}`;
}

/** One complete prefixed 200-byte delivery frame. */
function deliveryFrame(subId: string, bookmark?: string): Buffer {
  const header = Buffer.from(deliveryHeader(subId, bookmark));
  return encodeFrame(header, Buffer.from(payloadText(header.length)));
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
const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

/**
 * Streams pre-encoded frames from a writer socket to a reader socket for `ms` and returns the
 * frames per second the reader saw; `onFrame` is the per-frame work of the phase.
 */
async function streamPhase(ms: number, onFrame: (frame: Buffer) => void): Promise<number> {
  const l = await listen();
  const writer = netConnect({ host: '127.0.0.1', port: l.port });
  await once(writer, 'connect');
  const reader = await l.accepted;
  const batch = Buffer.concat(Array.from({ length: FRAMES_PER_WRITE }, () => deliveryFrame('1')));
  let frames = 0;
  const framer = new FrameReader((f) => {
    onFrame(f);
    frames++;
  }, 1 << 20);
  reader.on('data', (c: Buffer) => framer.push(c));
  const started = Date.now();
  const deadline = started + ms;
  while (Date.now() < deadline) {
    writer.cork();
    let ok = true;
    for (let i = 0; i < 4 && ok; i++) ok = writer.write(batch);
    process.nextTick(() => writer.uncork());
    if (!ok) await once(writer, 'drain');
    else await tick();
  }
  const counted = frames;
  const elapsed = Date.now() - started;
  writer.destroy();
  reader.destroy();
  await new Promise<void>((r) => l.server.close(() => r()));
  return rate(counted, elapsed);
}

/**
 * Streams deliveries for `ms` from the peer into a logged-on Client subscribed to `orders`,
 * through a handler (`handler`) or a MessageStream read with `for await` (`stream`).
 * Returns messages per second that reached the application.
 */
export async function clientIngestPhase(
  ms: number,
  via: 'handler' | 'stream',
  bookmark?: string,
  inspected = false,
): Promise<number> {
  const peer = await startPeer();
  const client = new Client(`bench-ingest-${via}`);
  // The app's wire inspector, as main installs it on every connection.
  if (inspected) client.setCommandTap(new WireRecorder());
  await client.connect(peer.uri);
  await client.logon();
  let messages = 0;
  let bytes = 0;
  let reading: Promise<void> | undefined;
  if (via === 'handler') {
    await client.subscribe('orders', undefined, {
      handler: (m) => {
        messages++;
        bytes += m.size;
      },
    });
  } else {
    const stream: MessageStream = await client.subscribe('orders');
    reading = (async () => {
      for await (const m of stream) {
        messages++;
        bytes += m.size;
      }
    })();
  }
  const subId = peer.subId;
  if (subId === undefined) throw new Error('the client subscribed without a sub id');
  const started = Date.now();
  const deadline = started + ms;
  await peer.pump(deliveryFrame(subId, bookmark), FRAMES_PER_WRITE, () => Date.now() >= deadline);
  const counted = messages;
  const elapsed = Date.now() - started;
  await client.disconnect();
  await reading;
  await peer.close();
  if (bytes === 0) throw new Error('no payload reached the application');
  return rate(counted, elapsed);
}

/**
 * Publishes `data` to `orders` through a logged-on Client for `ms`; returns the messages per
 * second the peer received.
 */
export async function clientPublishPhase(ms: number, data: string | Buffer): Promise<number> {
  const peer = await startPeer();
  const client = new Client('bench-publish');
  await client.connect(peer.uri);
  await client.logon();
  const base = peer.received;
  let sent = 0;
  const started = Date.now();
  const deadline = started + ms;
  while (Date.now() < deadline) {
    for (let i = 0; i < PUBLISH_BURST; i++) client.publish('orders', data);
    sent += PUBLISH_BURST;
    await tick();
    while (sent - (peer.received - base) > PUBLISH_WINDOW && Date.now() < deadline) await tick();
  }
  const counted = peer.received - base;
  const elapsed = Date.now() - started;
  await client.disconnect();
  await peer.close();
  return rate(counted, elapsed);
}

/** Publishes through the tcp Transport alone (one pre-encoded header) for `ms`. */
async function transportSendPhase(ms: number): Promise<number> {
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
  const header = Buffer.from(encodeHeader({ command: 'publish', topic: 'orders' }));
  const payload = Buffer.from(payloadText(header.length));
  const started = Date.now();
  const deadline = started + ms;
  while (Date.now() < deadline) {
    let ok = true;
    for (let i = 0; i < PUBLISH_BURST && ok; i++) ok = t.send(header, payload);
    if (!ok) await new Promise<void>((r) => (drained = r));
    else await tick();
  }
  const counted = frames;
  const elapsed = Date.now() - started;
  t.close();
  reader.destroy();
  await new Promise<void>((r) => l.server.close(() => r()));
  return rate(counted, elapsed);
}

const fmt = (n: number): string => `${(n / 1e6).toFixed(2)} M/s`;

/** The phases, in the order each round runs them. */
const PHASES = {
  raw: (ms: number) => streamPhase(ms, () => {}),
  ingest: (ms: number) => clientIngestPhase(ms, 'handler'),
  ingestInspected: (ms: number) => clientIngestPhase(ms, 'handler', undefined, true),
  ingestStream: (ms: number) => clientIngestPhase(ms, 'stream'),
  ingestLongBookmark: (ms: number) => clientIngestPhase(ms, 'handler', LONG_BOOKMARK),
  decodeOnly: (ms: number) =>
    streamPhase(ms, (f) => {
      const { fields, end } = decodeHeader(f);
      if (end >= f.length || fields.command !== 'publish') throw new Error('the delivery did not decode');
    }),
  publish: (ms: number) => clientPublishPhase(ms, PUBLISH_PAYLOAD),
  publishBuffer: (ms: number) => clientPublishPhase(ms, Buffer.from(PUBLISH_PAYLOAD)),
  send: (ms: number) => transportSendPhase(ms),
} as const;
type Phase = keyof typeof PHASES;

const PUBLISH_PAYLOAD = payloadText(Buffer.byteLength(encodeHeader({ command: 'publish', topic: 'orders' })));

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

/** The middle value (the mean of the two middle values for an even count). */
function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * Runs `rounds` rounds (default 5) of every phase (`seconds` each, default 1) and returns
 * printable result lines. Each rate is the best of its rounds (the machine may be shared, and
 * the best round is the one least disturbed by other work). Each ratio is the median over the
 * rounds of that round's rate divided by the same round's raw rate: raw and the phases of one
 * round run back to back, so a round's ratio compares like with like, while the best raw and
 * the best ingest rounds may come from different moments (on this machine the raw rate alone
 * ranges over a factor of 1.5 from round to round).
 */
export async function runClientBench(opts: { seconds?: number; rounds?: number } = {}): Promise<string[]> {
  const ms = (opts.seconds ?? 1) * 1000;
  const rounds = opts.rounds ?? 5;
  const runs = new Map<Phase, number[]>();
  for (let r = 0; r < rounds; r++) {
    for (const phase of Object.keys(PHASES) as Phase[]) {
      const value = await PHASES[phase](ms);
      runs.set(phase, [...(runs.get(phase) ?? []), value]);
    }
  }
  const of = (p: Phase): number[] => runs.get(p) ?? [0];
  const best = (p: Phase): number => Math.max(...of(p));
  const all = (p: Phase): string =>
    of(p)
      .map((v) => (v / 1e6).toFixed(2))
      .join(' ');
  const raws = of('raw');
  /** Median of the per-round ratios phase/raw. */
  const ratio = (p: Phase): number => median(of(p).map((v, r) => v / (raws[r] as number)));
  const pct = (x: number): string => `${(x * 100).toFixed(0)}%`;
  const line = (label: string, p: Phase, unit: string, note = ''): string =>
    `  ${label.padEnd(58)} ${fmt(best(p))} ${unit}  (${pct(ratio(p))} of raw, best/best ${pct(best(p) / best('raw'))}${note}; rounds ${all(p)})`;
  /** Median over rounds of 1 - inspected/plain ingest of the same round (the tap's cost). */
  const ingests = of('ingest');
  const inspectorCost = median(of('ingestInspected').map((v, r) => 1 - v / (ingests[r] as number)));
  const summary = {
    bench: 'client',
    rawPerSec: Math.round(best('raw')),
    ingestPerSec: Math.round(best('ingest')),
    ingestRatio: round3(ratio('ingest')),
    ingestInspectedPerSec: Math.round(best('ingestInspected')),
    inspectorCost: round3(inspectorCost),
    ingestStreamPerSec: Math.round(best('ingestStream')),
    publishPerSec: Math.round(best('publish')),
    publishBufferPerSec: Math.round(best('publishBuffer')),
  };
  return [
    `client bench: loopback TCP, ${MESSAGE_BYTES}-byte JSON messages, ${rounds} rounds of ${ms / 1000} s per phase;`,
    `  rate = best round; ratio = median over rounds of (phase / raw of the same round)`,
    `  ${'raw: pre-encoded frames, corked batches, FrameReader only'.padEnd(58)} ${fmt(best('raw'))} frames  (rounds ${all('raw')})`,
    line('ingest: Client, subscription handler, lazy payload', 'ingest', 'msgs', '; target >= 30%'),
    line('ingest: handler, with the wire inspector tap on', 'ingestInspected', 'msgs'),
    `  ${'inspector cost: median over rounds of 1 - inspected/plain'.padEnd(58)} ${pct(inspectorCost)}  (goal <= 5%)`,
    line('ingest: Client, subscription MessageStream (for await)', 'ingestStream', 'msgs'),
    line('ingest: handler, 38-byte bookmark as real servers write', 'ingestLongBookmark', 'msgs'),
    line('ingest: FrameReader + decodeHeader only', 'decodeOnly', 'msgs'),
    line(
      'publish: client.publish(topic, string), batched writes',
      'publish',
      'msgs',
      ' writing; target >= 1 M/s',
    ),
    line('publish: client.publish(topic, Buffer), batched writes', 'publishBuffer', 'msgs', ' writing'),
    line('publish: Transport.send alone, one pre-encoded header', 'send', 'msgs', ' writing'),
    JSON.stringify(summary),
  ];
}
