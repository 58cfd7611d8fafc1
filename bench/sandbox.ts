/**
 * Sandbox fan-out benchmark: deliveries per second to 4 subscribers with a content filter over
 * loopback TCP, beside a raw-framing baseline measured in the same run (a TCP relay that only
 * re-frames and copies each message to 4 sockets with the same write batching, no parsing, no
 * filtering). Publisher, subscribers and server share one process, as in the sandbox tests, so
 * the figures are also given per CPU-second of that process, which a busy machine disturbs less.
 */
import { connect, createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import { FrameReader } from '../client/src/protocol/frame.js';
import { createSandboxServer } from '../sandbox/src/server.js';

const SUBSCRIBERS = 4;
/** Messages in flight before the publisher waits for the slowest subscriber. */
const WINDOW = 20_000;
const BATCH = 200;

function frame(text: string): Buffer {
  const body = Buffer.from(text, 'utf8');
  const out = Buffer.allocUnsafe(4 + body.length);
  out.writeUInt32BE(body.length, 0);
  body.copy(out, 4);
  return out;
}

async function open(port: number): Promise<Socket> {
  const s = connect(port, '127.0.0.1');
  s.setNoDelay(true);
  await new Promise<void>((resolve, reject) => {
    s.once('connect', resolve);
    s.once('error', reject);
  });
  return s;
}

interface Counter {
  count: number;
}

/**
 * Counts delivered publishes (`{"c":"p"` headers) with as little work per frame as possible, so
 * that the subscribers, which share the process with the server, cost little of its time.
 */
function countFrames(s: Socket, c: Counter): void {
  const reader = new FrameReader((f) => {
    // Bytes 0..7 of a delivery header: {"c":"p"
    if (f[6] === P && f[7] === QUOTE && f[2] === C && f[5] === QUOTE) c.count++;
  }, 1 << 30);
  s.on('data', (d: Buffer) => reader.push(d));
}
const P = 0x70;
const C = 0x63;
const QUOTE = 0x22;

/** One measured interval: deliveries per wall-clock second and per second of this process's CPU. */
interface Rate {
  wall: number;
  cpu: number;
}

/** Publishes as fast as the slowest subscriber allows for `ms`. */
async function drive(pub: Socket, message: Buffer, counters: Counter[], ms: number): Promise<Rate> {
  const batch = Buffer.concat(Array.from({ length: BATCH }, () => message));
  let published = 0;
  const start = Date.now();
  const cpuStart = process.cpuUsage();
  const base = counters.reduce((a, c) => a + c.count, 0);
  while (Date.now() - start < ms) {
    const slowest = Math.min(...counters.map((c) => c.count));
    if (published - slowest > WINDOW || pub.writableLength > 4 * 1024 * 1024) {
      await new Promise((r) => setImmediate(r));
      continue;
    }
    pub.write(batch);
    published += BATCH;
    if (published % (BATCH * 20) === 0) await new Promise((r) => setImmediate(r));
  }
  const elapsed = (Date.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  const delivered = counters.reduce((a, c) => a + c.count, 0) - base;
  return { wall: delivered / elapsed, cpu: delivered / ((cpu.user + cpu.system) / 1e6) };
}

/**
 * A relay that re-frames every inbound frame of a publisher and copies it to every connection
 * that subscribed first. Same write batching as the sandbox: the frames of one inbound chunk are
 * copied into one buffer, written once to each subscriber.
 */
function rawRelay(): Promise<Server> {
  const subscribers: Socket[] = [];
  const server = createServer((sock) => {
    let role: 'unknown' | 'sub' | 'pub' = 'unknown';
    let frames: Buffer[] = [];
    let bytes = 0;
    const reader = new FrameReader((f) => {
      if (role === 'unknown') {
        role = f.toString('latin1').includes('"subscribe"') ? 'sub' : 'pub';
        if (role === 'sub') {
          subscribers.push(sock);
          return;
        }
      }
      if (role !== 'pub') return;
      frames.push(f);
      bytes += 4 + f.length;
    }, 1 << 30);
    sock.on('data', (d: Buffer) => {
      reader.push(d);
      if (bytes === 0) return;
      const out = Buffer.allocUnsafe(bytes);
      let at = 0;
      for (const f of frames) {
        out.writeUInt32BE(f.length, at);
        out.set(f, at + 4);
        at += 4 + f.length;
      }
      frames = [];
      bytes = 0;
      for (const s of subscribers) s.write(out);
    });
    sock.on('error', () => {});
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** Deliveries per second through the raw framing relay. */
export async function measureRelay(message: Buffer, ms: number): Promise<Rate> {
  const relay = await rawRelay();
  const relayPort = (relay.address() as AddressInfo).port;
  const counters: Counter[] = [];
  const sockets: Socket[] = [];
  for (let i = 0; i < SUBSCRIBERS; i++) {
    const s = await open(relayPort);
    const c = { count: 0 };
    countFrames(s, c);
    s.write(frame('{"c":"subscribe","t":"bench"}'));
    counters.push(c);
    sockets.push(s);
  }
  const pub = await open(relayPort);
  pub.write(frame('{"c":"logon"}'));
  await new Promise((r) => setTimeout(r, 100));
  const rate = await drive(pub, message, counters, ms);
  for (const s of [...sockets, pub]) s.destroy();
  await new Promise<void>((r) => relay.close(() => r()));
  return rate;
}

/** Deliveries per second through the sandbox: logon, 4 filtered subscriptions, one publisher (exported for profiling). */
export async function measureSandbox(message: Buffer, ms: number): Promise<Rate> {
  const server = await createSandboxServer({ port: 0, maxOutboundBytes: 1 << 30 });
  const port = server.ports.tcp as number;
  const counters: Counter[] = [];
  const sockets: Socket[] = [];
  for (let i = 0; i < SUBSCRIBERS; i++) {
    const s = await open(port);
    const c = { count: 0 };
    countFrames(s, c);
    s.write(frame(`{"c":"logon","cid":"l","client_name":"bench-sub-${i}"}`));
    s.write(frame(`{"c":"subscribe","t":"bench","sub_id":"s${i}","filter":"/qty > 10 AND /sym = 'MSFT'"}`));
    counters.push(c);
    sockets.push(s);
  }
  const pub = await open(port);
  pub.write(frame('{"c":"logon","cid":"l","client_name":"bench-pub"}'));
  await new Promise((r) => setTimeout(r, 100));
  const rate = await drive(pub, message, counters, ms);
  for (const s of [...sockets, pub]) s.destroy();
  await server.close();
  return rate;
}

/** Runs both measurements and returns report lines. */
export async function runSandboxBench(opts: { seconds?: number } = {}): Promise<string[]> {
  const ms = (opts.seconds ?? 4) * 1000;
  const payload = JSON.stringify({
    id: 1,
    sym: 'MSFT',
    qty: 100,
    px: 101.25,
    side: 'buy',
    note: 'benchmark message of ordinary size',
  });
  const lines: string[] = [];
  const message = frame(`{"c":"p","t":"bench"}${payload}`);
  // The machine may be shared: alternate the two measurements and keep the best round of each.
  const rounds = 2;
  const raw: Rate = { wall: 0, cpu: 0 };
  const sandbox: Rate = { wall: 0, cpu: 0 };
  for (let round = 0; round < rounds; round++) {
    const r = await measureRelay(message, ms / rounds);
    const s = await measureSandbox(message, ms / rounds);
    raw.wall = Math.max(raw.wall, r.wall);
    raw.cpu = Math.max(raw.cpu, r.cpu);
    sandbox.wall = Math.max(sandbox.wall, s.wall);
    sandbox.cpu = Math.max(sandbox.cpu, s.cpu);
  }
  const n = (x: number): string => Math.round(x).toLocaleString('en');
  lines.push(`sandbox fan-out (4 filtered subscribers, loopback TCP): ${n(sandbox.wall)} deliveries/s`);
  lines.push(`raw framing relay baseline (same run):               ${n(raw.wall)} deliveries/s`);
  lines.push(`ratio sandbox/baseline: ${(sandbox.wall / raw.wall).toFixed(2)}`);
  // Per CPU-second of this process (server, publisher and subscribers): steadier on a busy machine.
  lines.push(
    `per CPU-second: sandbox ${n(sandbox.cpu)}, baseline ${n(raw.cpu)} deliveries (ratio ${(sandbox.cpu / raw.cpu).toFixed(2)})`,
  );
  return lines;
}
