/**
 * Fuzz: over a million mutated frames and headers (wrong types, unknown commands, huge values,
 * broken JSON, bad filters, torn length prefixes) through the server's frame reader and command
 * dispatch, in-process; afterwards the server must still serve a well-behaved client, and no
 * handler may have failed internally.
 */
import { describe, expect, it } from 'vitest';
import { FrameReader } from '../../client/src/protocol/frame.js';
import type { TransportHandlers, TransportKind } from '../../client/src/transport/transport.js';
import { createSandboxServer } from '../src/server.js';
import type { SandboxServer } from '../src/server.js';
import { memoryClient } from './helpers.js';

const FRAMES = 1_000_000;
const POOL = 1 << 16;

let seed = 0x9e3779b9;
const rand = (): number => {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) / 0x100000000;
};
const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)] as T;

const BASE: [Record<string, unknown>, string][] = [
  [{ c: 'publish', t: 'orders' }, '{"id":1,"qty":5,"sym":"A"}'],
  [{ c: 'p', t: 'orders', a: 'processed', cid: 'x', s: 5 }, '{"id":2,"qty":50}'],
  [{ c: 'delta_publish', t: 'orders' }, '{"id":1,"qty":7}'],
  [{ c: 'publish', t: 'ticks', e: '1' }, '{"px":1.5}'],
  [{ c: 'publish', t: 'jobs' }, '{"job":1}'],
  [{ c: 'publish', t: 'log.a', s: 1 }, '{"n":1}'],
  [
    { c: 'subscribe', t: 'orders', cid: 's1', sub_id: 's1', filter: '/qty > 3', a: 'processed', o: 'oof' },
    '',
  ],
  [{ c: 'delta_subscribe', t: 'orders', cid: 's2', sub_id: 's2', o: 'no_empties', a: 'processed' }, ''],
  [{ c: 'subscribe', t: '^ord', cid: 's3', sub_id: 's3', a: 'processed' }, ''],
  [{ c: 'subscribe', t: 'log.a', cid: 's4', sub_id: 's4', bm: '0', a: 'processed,completed' }, ''],
  [{ c: 'subscribe', t: 'jobs', cid: 's5', sub_id: 's5', o: 'max_backlog=2' }, ''],
  [
    {
      c: 'sow',
      t: 'orders',
      cid: 'q',
      query_id: 'q',
      bs: 3,
      orderby: '/qty DESC',
      top_n: 5,
      a: 'processed,completed,stats',
    },
    '',
  ],
  [
    { c: 'sow_and_subscribe', t: 'orders', cid: 'sq', sub_id: 'sq', filter: '/qty < 10', o: 'oof,timestamp' },
    '',
  ],
  [{ c: 'sow_delete', t: 'orders', cid: 'd', filter: '/qty > 40', a: 'processed,stats' }, ''],
  [{ c: 'sow_delete', t: 'orders', cid: 'd2' }, '{"id":2}'],
  [{ c: 'sow_delete', t: 'jobs', bookmark: '1|1|,2|2|', o: 'cancel' }, ''],
  [{ c: 'unsubscribe', sub_id: 'all', cid: 'u', a: 'processed' }, ''],
  [{ c: 'heartbeat', o: 'start,5', a: 'received' }, ''],
  [{ c: 'heartbeat', o: 'beat' }, ''],
  [{ c: 'flush', cid: 'f', a: 'processed,persisted' }, ''],
];

const WEIRD_VALUES: unknown[] = [
  0,
  -1,
  1e308,
  '99999999999999999999999',
  '',
  null,
  true,
  'all',
  ',,,',
  'x'.repeat(1000),
  '\u0000\u0001',
  '[unclosed',
  '/a = = 1',
  "/a LIKE '('",
  'start,-5',
  'start,1e9',
  '0|1|',
  '20240101T000000Z',
  'garbage|bm',
  'processed,stats,completed,persisted,received',
  'skip_n=abc',
  'conflation=zz',
  'max_backlog=999999999999',
  '/a DESC, ,',
];

const KEYS = [
  'c',
  't',
  'cid',
  'a',
  'filter',
  'o',
  'sub_id',
  'query_id',
  'bs',
  'top_n',
  'orderby',
  'sow_keys',
  'bm',
  's',
  'e',
  'k',
  'x',
  'client_name',
  'zz',
];
const COMMANDS = [
  'publish',
  'p',
  'logon',
  'sow',
  'bogus',
  'SOW',
  '',
  'sow_and_delta_subscribe',
  'start_timer',
  'ack',
  'oof',
  'group_begin',
];

function mutateHeader(h: Record<string, unknown>): string {
  const out: Record<string, unknown> = { ...h };
  const n = 1 + Math.floor(rand() * 3);
  for (let i = 0; i < n; i++) {
    const r = rand();
    if (r < 0.35) out[pick(KEYS)] = pick(WEIRD_VALUES);
    else if (r < 0.5) out['c'] = pick(COMMANDS);
    else if (r < 0.6) delete out[pick(Object.keys(out))];
    else if (r < 0.7) out[pick(KEYS)] = pick([{ nested: 1 }, [1, 2], 3.5, -0]);
    else out[pick(KEYS)] = String(pick(WEIRD_VALUES));
  }
  let text = JSON.stringify(out);
  if (rand() < 0.15) text = text.slice(0, Math.floor(rand() * text.length));
  return text;
}

function mutateBytes(b: Buffer): Buffer {
  const out = Buffer.from(b);
  const n = 1 + Math.floor(rand() * 4);
  for (let i = 0; i < n && out.length > 0; i++)
    out[Math.floor(rand() * out.length)] = Math.floor(rand() * 256);
  return out;
}

/** A transport that discards output; `feed` pushes raw bytes through a real FrameReader. */
class FuzzTransport {
  readonly kind: TransportKind = 'stream';
  readonly peer = 'fuzz';
  closed = false;
  sent = 0;
  private handlers: TransportHandlers | undefined;
  private readonly reader = new FrameReader((f) => this.handlers?.onFrame(f), 1 << 16);
  attach(h: TransportHandlers): void {
    this.handlers = h;
  }
  feed(bytes: Buffer): void {
    if (this.closed) return;
    try {
      this.reader.push(bytes);
    } catch (e) {
      this.close();
      void e;
    }
  }
  send(header: Uint8Array, payload?: Uint8Array): boolean {
    this.sent += header.length + (payload ? payload.length : 0);
    return true;
  }
  cork(): void {}
  uncork(): void {}
  pause(): void {}
  resume(): void {}
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.handlers?.onClose();
  }
}

const framed = (header: string, payload: string): Buffer => {
  const body = Buffer.from(header + payload, 'utf8');
  const out = Buffer.allocUnsafe(4 + body.length);
  out.writeUInt32BE(body.length, 0);
  body.copy(out, 4);
  return out;
};

describe('fuzz', () => {
  it(`survives ${FRAMES.toLocaleString('en')} mutated frames and still serves a good client`, async () => {
    const errors: string[] = [];
    const server: SandboxServer = await createSandboxServer({
      port: null,
      topics: [
        { name: 'orders', keys: ['/id'] },
        { name: 'log.a', txlog: true },
        { name: 'jobs', queue: { maxBacklog: 2 } },
      ],
      logger: { info: () => {}, warn: () => {}, error: (m) => errors.push(m) },
      maxOutboundBytes: Number.MAX_SAFE_INTEGER,
    });
    try {
      let t = new FuzzTransport();
      let sessions = 0;
      const open = (): void => {
        t = new FuzzTransport();
        server.attach(t);
        sessions++;
        t.feed(framed(JSON.stringify({ c: 'logon', client_name: `fz${sessions % 50}`, a: 'processed' }), ''));
      };
      open();
      // A pool of distinct mutated frames, built once; every fed frame also gets fresh byte flips
      // with some probability, so the stream the server sees keeps changing.
      const pool: Buffer[] = [];
      for (let i = 0; i < POOL; i++) {
        const [h, payload] = pick(BASE);
        const r = rand();
        if (r < 0.5) pool.push(framed(mutateHeader(h), payload));
        else if (r < 0.6) pool.push(mutateBytes(framed(JSON.stringify(h), payload)));
        else if (r < 0.65) {
          const whole = framed(JSON.stringify(h), payload);
          pool.push(whole.subarray(0, Math.floor(rand() * whole.length)));
        } else pool.push(framed(JSON.stringify(h), rand() < 0.2 ? '{broken' : payload));
      }
      const stackLimit = Error.stackTraceLimit;
      Error.stackTraceLimit = 0;
      try {
        for (let i = 0; i < FRAMES; i++) {
          if (t.closed) open();
          const base = pool[Math.floor(rand() * POOL)] as Buffer;
          t.feed(rand() < 0.25 ? mutateBytes(base) : base);
          if (i % 50_000 === 0) server.broker.topics.get('orders').sow?.records.clear();
        }
      } finally {
        Error.stackTraceLimit = stackLimit;
      }
      expect(errors).toEqual([]);
      expect(sessions).toBeGreaterThan(1000);

      const good = memoryClient(server);
      await good.logon('well-behaved');
      good.send({
        c: 'sow_and_subscribe',
        t: 'orders',
        cid: 'g',
        sub_id: 'g',
        query_id: 'g',
        filter: '/id = 424242',
        a: 'processed,completed',
      });
      await good.waitFor((m) => m.fields.commandId === 'g' && m.fields.ackType === 'completed');
      good.send({ c: 'p', t: 'orders' }, '{"id":424242,"ok":true}');
      const got = await good.waitFor((m) => m.fields.command === 'publish');
      expect(got.payload).toBe('{"id":424242,"ok":true}');
    } finally {
      await server.close();
    }
  }, 120_000);
});
