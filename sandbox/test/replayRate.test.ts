/** Rate-controlled bookmark replay: rate, rate_max_gap, pause and resume (spec §8.5). */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseMaxGap, parseRate, replayGapMs } from '../src/handlers/pacedReplay.js';
import type { SandboxServer } from '../src/server.js';
import type { LogEntry } from '../src/txlog.js';
import type { Received, RawClient } from './helpers.js';
import { memoryClient, settle, startServer } from './helpers.js';

const entry = (micros: number, bytes = 10): LogEntry => ({
  bookmark: `1|${micros}|`,
  topic: 'orders',
  kind: 'publish',
  data: Buffer.alloc(bytes),
  timestampMicros: micros,
});

describe('replay rate forms', () => {
  it('reads messages/s, bytes/s and multiples of the original pace, and refuses the rest', () => {
    expect(parseRate('1000')).toEqual({ kind: 'messages', perSecond: 1000 });
    expect(parseRate('500KB')).toEqual({ kind: 'bytes', perSecond: 500 * 1024 });
    expect(parseRate('2X')).toEqual({ kind: 'multiple', factor: 2 });
    expect(parseRate('.5x')).toEqual({ kind: 'multiple', factor: 0.5 });
    for (const bad of ['', '0', 'fast', '-1', '2Y', '0X']) expect(parseRate(bad)).toBeUndefined();
    expect(parseMaxGap('10s')).toBe(10_000);
    expect(parseMaxGap('250ms')).toBe(250);
    expect(parseMaxGap('soon')).toBeUndefined();
  });

  it('spaces messages by the rate, the first at once, capped by rate_max_gap', () => {
    const a = entry(1_000_000);
    const b = entry(3_000_000, 2048);
    expect(replayGapMs({ kind: 'messages', perSecond: 4 }, a, undefined, undefined)).toBe(0);
    expect(replayGapMs({ kind: 'messages', perSecond: 4 }, b, a, undefined)).toBe(250);
    expect(replayGapMs({ kind: 'bytes', perSecond: 1024 }, b, a, undefined)).toBe(2000);
    expect(replayGapMs({ kind: 'multiple', factor: 2 }, b, a, undefined)).toBe(1000);
    expect(replayGapMs({ kind: 'multiple', factor: 0.5 }, b, a, undefined)).toBe(4000);
    expect(replayGapMs({ kind: 'multiple', factor: 0.5 }, b, a, 300)).toBe(300);
  });
});

let server: SandboxServer;
let pub: RawClient;
let c: RawClient;

beforeEach(async () => {
  server = await startServer({ topics: [{ name: 'orders', keys: ['/id'], txlog: true }], tickMs: 20 });
  pub = memoryClient(server);
  c = memoryClient(server);
  await pub.logon('pub');
  await c.logon('c');
  for (let i = 1; i <= 4; i++) pub.send({ c: 'p', t: 'orders', s: i }, `{"id":${i}}`);
  pub.send({ c: 'flush', cid: 'init', a: 'processed' });
  await pub.waitFor((m) => m.fields.commandId === 'init');
});
afterEach(() => server.close());

const published = (from = 0): Received[] => c.received.slice(from).filter((m) => m.fields.command === 'publish');
const completed = (cid: string) => (m: Received) => m.fields.commandId === cid && m.fields.ackType === 'completed';

describe('paced replay', () => {
  it('replays at the rate asked, then completed, then live messages; nothing missed or repeated', async () => {
    const t0 = performance.now();
    c.send({ c: 'subscribe', t: 'orders', cid: 'r', sub_id: 'r', bm: '0', a: 'processed,completed', o: 'rate=20' });
    await c.waitFor((m) => m.payload === '{"id":1}');
    // Paced: the rest have not all arrived with the first.
    expect(published().length).toBeLessThan(4);
    // Published while the replay runs: replayed in order, before completed.
    pub.send({ c: 'p', t: 'orders', s: 5 }, '{"id":5}');
    await c.waitFor(completed('r'), 3000);
    const elapsed = performance.now() - t0;
    expect(published().map((m) => m.payload)).toEqual(['{"id":1}', '{"id":2}', '{"id":3}', '{"id":4}', '{"id":5}']);
    // Four gaps of 50 ms at 20 messages/s (a lower bound: the replay cannot go faster).
    expect(elapsed).toBeGreaterThanOrEqual(4 * 50 * 0.9);
    const done = c.received.find(completed('r'));
    expect(done?.fields.bookmark).toBe(server.broker.txlog.entries[4]?.bookmark);
    pub.send({ c: 'p', t: 'orders', s: 6 }, '{"id":6}');
    await c.waitFor((m) => m.payload === '{"id":6}');
    expect(published().map((m) => m.payload)).toHaveLength(6);
  });

  it('pauses a replay where it is and resumes it from there', async () => {
    c.send({ c: 'subscribe', t: 'orders', cid: 'q', sub_id: 'q', bm: '0', a: 'processed,completed', o: 'rate=10' });
    await c.waitFor((m) => m.payload === '{"id":1}');
    c.send({ c: 'subscribe', t: 'orders', cid: 'qp', sub_id: 'q', a: 'processed', o: 'pause' });
    await c.waitFor((m) => m.fields.commandId === 'qp' && m.fields.ackType === 'processed');
    const atPause = published().length;
    await settle(350);
    expect(published().length).toBe(atPause);
    expect(c.received.some(completed('q'))).toBe(false);
    c.send({ c: 'subscribe', t: 'orders', cid: 'qr', sub_id: 'q', a: 'processed', o: 'resume' });
    await c.waitFor(completed('q'), 3000);
    expect(published().map((m) => m.payload)).toEqual(['{"id":1}', '{"id":2}', '{"id":3}', '{"id":4}']);
  });

  it('unsubscribing stops a replay; a bad rate is refused', async () => {
    c.send({ c: 'subscribe', t: 'orders', cid: 'u', sub_id: 'u', bm: '0', a: 'processed,completed', o: 'rate=10' });
    await c.waitFor((m) => m.payload === '{"id":1}');
    c.send({ c: 'unsubscribe', cid: 'uu', sub_id: 'u', a: 'processed' });
    await c.waitFor((m) => m.fields.commandId === 'uu');
    const at = published().length;
    await settle(300);
    expect(published().length).toBe(at);
    const from = c.received.length;
    c.send({ c: 'subscribe', t: 'orders', cid: 'b', sub_id: 'b', bm: '0', a: 'processed', o: 'rate=fast' });
    const refused = await c.waitFor((m) => m.fields.commandId === 'b', 3000, from);
    expect(refused.fields.status).toBe('failure');
    expect(refused.fields.reason).toBe('invalid options');
  });

  it('paces a 2X replay by the logged times, capped by rate_max_gap', async () => {
    // Log two messages 300 ms apart, then replay them at 2X (150 ms) and with a 20 ms cap.
    pub.send({ c: 'p', t: 'orders', s: 7 }, '{"id":7}');
    await settle(300);
    pub.send({ c: 'p', t: 'orders', s: 8 }, '{"id":8}');
    pub.send({ c: 'flush', cid: 'f2', a: 'processed' });
    await pub.waitFor((m) => m.fields.commandId === 'f2');
    const seven = server.broker.txlog.entries[3]?.bookmark as string;
    const arrival = async (cid: string, options: string): Promise<number> => {
      const from = c.received.length;
      c.send({ c: 'subscribe', t: 'orders', cid, sub_id: cid, bm: seven, a: 'processed,completed', o: options });
      await c.waitFor((m) => m.payload === '{"id":7}', 3000, from);
      const t = performance.now();
      await c.waitFor((m) => m.payload === '{"id":8}', 3000, from);
      return performance.now() - t;
    };
    const paced = await arrival('x2', 'rate=2X');
    expect(paced).toBeGreaterThanOrEqual(100);
    // .1X alone would wait 3 s, past the wait's bound: the 20 ms cap sends it much sooner.
    await arrival('cap', 'rate=.1X,rate_max_gap=20ms');
    await c.waitFor(completed('cap'), 3000);
  });
});
