/** The order of a paginated subscription (liveOrder.ts) and the live window it gives (spec §7.3). */
import { afterEach, describe, expect, it } from 'vitest';
import { LiveOrder } from '../src/liveOrder.js';
import { orderComparator, parseOrderBy } from '../src/orderBy.js';
import { totalOrder } from '../src/pageSelect.js';
import type { SandboxServer } from '../src/server.js';
import type { SowRecord } from '../src/sowStore.js';
import type { Received } from './helpers.js';
import { memoryClient, startServer } from './helpers.js';

/** A deterministic pseudo-random sequence in [0, 1) (xorshift32). */
function random(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 0x1_0000_0000;
  };
}

const record = (key: string, json: unknown): SowRecord => ({
  topic: 't',
  key,
  data: Buffer.from(JSON.stringify(json ?? null)),
  json,
  timestampMicros: 0,
});

describe('LiveOrder', () => {
  it.each([512, 4])(
    'keeps records in the order orderby defines through thousands of random changes (blocks of %i)',
    (block) => {
      const terms = parseOrderBy('/px DESC, /sym');
      const cmp = totalOrder<SowRecord>((a, b) => orderComparator(terms)(a.json, b.json));
      const rand = random(7);
      // Numbers, numeric strings, strings, missing values, booleans and objects, as orderby ranks them.
      const value = (): unknown => {
        const r = rand();
        if (r < 0.5) return Math.floor(rand() * 50);
        if (r < 0.6) return String(Math.floor(rand() * 50));
        if (r < 0.75) return ['a', 'b', 'c'][Math.floor(rand() * 3)];
        if (r < 0.85) return undefined;
        if (r < 0.9) return rand() < 0.5;
        return { n: Math.floor(rand() * 3) };
      };
      const held = new Map<string, SowRecord>();
      for (let i = 0; i < 300; i++) held.set(`k${i}`, record(`k${i}`, { px: value(), sym: value() }));
      const order = new LiveOrder(terms, held.values(), 0, block);
      for (let step = 0; step < 2000; step++) {
        const key = `k${Math.floor(rand() * 450)}`;
        // Every fifth change checks the ranks it reports against a sort of everything held.
        const ranked = step % 5 === 0;
        const rankOf = (k: string): number => [...held.values()].sort(cmp).findIndex((r) => r.key === k);
        const before = ranked ? rankOf(key) : undefined;
        if (rand() < 0.2) {
          const was = order.remove(key);
          held.delete(key);
          if (before !== undefined) expect(was).toBe(before);
        } else {
          const r = record(key, { px: value(), sym: value() });
          held.set(key, r);
          const ranks = order.upsert(r);
          if (before !== undefined) expect(ranks).toEqual({ was: before, now: rankOf(key) });
        }
        if (step % 250 === 0 || step === 1999) {
          const want = [...held.values()].sort(cmp).map((r) => r.key);
          expect(order.size).toBe(want.length);
          expect(order.slice(0, want.length).map((r) => r.key)).toEqual(want);
          expect(order.slice(100, 30).map((r) => r.key)).toEqual(want.slice(100, 130));
          expect(order.slice(want.length - 5, 30).map((r) => r.key)).toEqual(want.slice(-5));
        }
      }
    },
  );

  it('orders by SOW key alone without orderby, and empties and refills', () => {
    const order = new LiveOrder([], [record('b', {}), record('a', {})], 3);
    expect(order.slice(0, 5).map((r) => r.key)).toEqual(['a', 'b']);
    expect(order.remove('a')).toBe(0);
    expect(order.remove('b')).toBe(0);
    expect(order.remove('b')).toBe(-1);
    expect(order.slice(0, 5)).toEqual([]);
    expect(order.upsert(record('c', {}))).toEqual({ was: -1, now: 0 });
    expect(order.slice(0, 5).map((r) => r.key)).toEqual(['c']);
    expect(order.version).toBe(3);
  });
});

describe('a paginated sow_and_subscribe under random publishes and deletes', () => {
  let server: SandboxServer | undefined;
  afterEach(() => server?.close());

  const idOf = (payload: string): number => (JSON.parse(payload) as { id: number }).id;
  /** The ids of the records in a sow batch (each record behind its own header). */
  const idsIn = (payload: string): number[] => [...payload.matchAll(/"id":(\d+)/g)].map((m) => Number(m[1]));

  // Records that expire (here an hour on) keep the window on the selection from the whole store.
  it.each([
    ['kept in order', {}],
    ['selected from the store (records expire)', { expiration: 3600 }],
  ])('holds exactly the records a fresh query of the same page returns (%s)', async (_name, extra) => {
    server = await startServer({ topics: [{ name: 'px', keys: ['/id'], ...extra }] });
    const pub = memoryClient(server);
    const sub = memoryClient(server);
    const check = memoryClient(server);
    await pub.logon('pub');
    await sub.logon('sub');
    await check.logon('check');
    const rand = random(11);
    const flush = async (cid: string): Promise<void> => {
      pub.send({ c: 'flush', cid, a: 'processed' });
      await pub.waitFor((m) => m.fields.commandId === cid, 5000);
    };
    for (let id = 0; id < 300; id++)
      pub.send({ c: 'p', t: 'px' }, JSON.stringify({ id, px: Math.floor(rand() * 1000), odd: id % 2 }));
    await flush('load');
    // A window in the middle of the ordered, filtered SOW.
    const page = { t: 'px', orderby: '/px DESC', top_n: 20, skip_n: 40, filter: '/odd = 1' };
    sub.send({ c: 'sow_and_subscribe', cid: 'w', sub_id: 'w', bs: 1, o: 'oof', a: 'completed', ...page });
    await sub.waitFor((m) => m.fields.commandId === 'w' && m.fields.ackType === 'completed', 5000);
    const shown = new Set<number>();
    let seen = 0;
    const follow = (): void => {
      for (const m of sub.received.slice(seen)) {
        if (m.fields.command === 'sow') for (const id of idsIn(m.payload)) shown.add(id);
        if (m.fields.command === 'publish') shown.add(idOf(m.payload));
        if (m.fields.command === 'oof') shown.delete(idOf(m.payload));
      }
      seen = sub.received.length;
    };
    const fresh = async (cid: string): Promise<Set<number>> => {
      const from = check.received.length;
      check.send({ c: 'sow', cid, query_id: cid, bs: 1, a: 'completed', ...page });
      await check.waitFor((m) => m.fields.commandId === cid && m.fields.ackType === 'completed', 5000, from);
      const got: Received[] = check.received.slice(from).filter((m) => m.fields.command === 'sow');
      return new Set(got.flatMap((m) => idsIn(m.payload)));
    };
    follow();
    expect([...shown].sort()).toEqual([...(await fresh('f0'))].sort());
    for (let round = 1; round <= 6; round++) {
      for (let i = 0; i < 150; i++) {
        const id = Math.floor(rand() * 360);
        if (rand() < 0.1) pub.send({ c: 'sow_delete', t: 'px', filter: `/id = ${id}` });
        else
          pub.send({ c: 'p', t: 'px' }, JSON.stringify({ id, px: Math.floor(rand() * 1000), odd: id % 2 }));
      }
      await flush(`r${round}`);
      // The subscriber's messages are queued before the flush ack: a sow query behind them sees the same state.
      const want = await fresh(`f${round}`);
      follow();
      expect([...shown].sort()).toEqual([...want].sort());
      expect(shown.size).toBe(20);
    }
  });
});
