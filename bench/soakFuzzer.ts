/**
 * The fuzzing side of soak phase 3, run as a child process so its work does not slow the
 * measuring client: CONNECTIONS sockets to a sandbox on loopback send random and mutated frames
 * for DURATION_MS, reconnecting whenever the server closes one. Half log on first (so their
 * junk reaches the command handlers), half never do (so the pre-logon limits see it). Prints
 * `fuzzed FRAMES RECONNECTS` at the end.
 *
 * usage: node --import tsx bench/soakFuzzer.ts PORT DURATION_MS CONNECTIONS SEED
 */
import { connect, type Socket } from 'node:net';

/** mulberry32: a small seeded random source, so a run can be replayed. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const COMMANDS = [
  'publish',
  'subscribe',
  'sow',
  'sow_and_subscribe',
  'sow_delete',
  'unsubscribe',
  'flush',
  'heartbeat',
  'logon',
  'delta_publish',
  'bogus',
];
const FILTERS = [
  "/x LIKE '(a*)*b'",
  '/x >',
  '/id = 1 OR',
  "/x LIKE '(a|a)*\\\\1'",
  '/a.b[',
  'NOT NOT NOT',
  '/id BETWEEN 1 AND',
  "REGEXP_MATCH(/x, '(x+x+)+y')",
];
const TOPICS = ['orders', 'fuzz', '.*', '(', 'orders|fuzz', ''];

function frame(body: Buffer): Buffer {
  const out = Buffer.allocUnsafe(4 + body.length);
  out.writeUInt32BE(body.length, 0);
  body.copy(out, 4);
  return out;
}

/** One junk frame (with its length prefix, or deliberately without a sane one). */
function junk(random: () => number): Buffer {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const kind = random();
  if (kind < 0.15) {
    const bytes = Buffer.allocUnsafe(Math.floor(random() * 600));
    for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(random() * 256);
    return frame(bytes);
  }
  const header: Record<string, unknown> = {
    c: pick(COMMANDS),
    cid: String(Math.floor(random() * 1e6)),
    t: pick(TOPICS),
  };
  if (random() < 0.5) header['a'] = pick(['processed', 'received,completed', 'x', '']);
  if (random() < 0.4) header['filter'] = pick(FILTERS);
  if (random() < 0.2) header['bm'] = pick(['0', 'EPOCH', '|||', '1|2|']);
  if (random() < 0.2) header['opts'] = pick(['oof', 'replace', 'top_n=-1', 'conflation=1ms']);
  const payload =
    random() < 0.6
      ? JSON.stringify({ id: Math.floor(random() * 50), x: 'a'.repeat(Math.floor(random() * 40)) })
      : '{"id":';
  let body = Buffer.from(JSON.stringify(header) + payload, 'utf8');
  if (kind < 0.4) {
    body = Buffer.from(body); // mutate a few bytes of a well-formed command
    for (let n = 1 + Math.floor(random() * 4); n > 0; n--)
      body[Math.floor(random() * body.length)] = Math.floor(random() * 256);
  }
  if (kind > 0.97) {
    const lie = Buffer.alloc(4);
    lie.writeUInt32BE(Math.floor(random() * 0xffffffff), 0); // a length that does not fit the bytes
    return Buffer.concat([lie, body]);
  }
  return frame(body);
}

async function main(argv: string[]): Promise<void> {
  const [port, duration, connections, seed] = argv.map(Number);
  if (!port || !duration) throw new Error('usage: soakFuzzer.ts PORT DURATION_MS CONNECTIONS SEED');
  const random = seeded(seed ?? 1);
  const until = Date.now() + duration;
  let frames = 0;
  let reconnects = 0;
  const logon = frame(
    Buffer.from('{"c":"logon","cid":"l","client_name":"fuzz-' + String(Math.floor(random() * 1e9)) + '"}'),
  );
  const run = async (index: number): Promise<void> => {
    while (Date.now() < until) {
      const socket: Socket = connect(port, '127.0.0.1');
      socket.on('error', () => undefined);
      socket.on('data', () => undefined);
      const closed = new Promise<void>((r) => socket.once('close', () => r()));
      let open = true;
      void closed.then(() => (open = false));
      await new Promise<void>((r) => {
        socket.once('connect', () => r());
        void closed.then(() => r());
      });
      if (open && index % 2 === 0) socket.write(logon);
      while (open && Date.now() < until) {
        let ok = true;
        for (let i = 0; i < 20 && ok; i++) {
          ok = socket.write(junk(random));
          frames++;
        }
        if (!ok) await Promise.race([new Promise<void>((r) => socket.once('drain', () => r())), closed]);
        else await new Promise<void>((r) => setImmediate(r));
      }
      socket.destroy();
      await closed;
      if (Date.now() < until) reconnects++;
    }
  };
  await Promise.all(Array.from({ length: connections ?? 8 }, (_, i) => run(i)));
  process.stdout.write(`fuzzed ${frames} ${reconnects}\n`);
}

main(process.argv.slice(2)).catch((e: unknown) => {
  process.stderr.write(`fuzzer: ${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
});
