/** Bookmark subscriptions over the transaction log (spec §8.2–§8.7). */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SandboxServer } from '../src/server.js';
import type { Received, RawClient } from './helpers.js';
import { memoryClient, settle, startServer } from './helpers.js';

let server: SandboxServer;
let pub: RawClient;
let c: RawClient;

beforeEach(async () => {
  server = await startServer({
    topics: [{ name: 'orders', keys: ['/id'], txlog: true }],
    txlogPatterns: ['^log\\.'],
    tickMs: 20,
  });
  pub = memoryClient(server);
  c = memoryClient(server);
  await pub.logon('pub');
  await c.logon('c');
  for (let i = 1; i <= 4; i++) pub.send({ c: 'p', t: i % 2 ? 'orders' : 'log.a', s: i }, `{"id":${i}}`);
  pub.send({ c: 'flush', cid: 'init', a: 'processed' });
  await pub.waitFor((m) => m.fields.commandId === 'init');
});
afterEach(() => server.close());

const payloads = (msgs: Received[]): string[] =>
  msgs.filter((m) => m.fields.command === 'publish').map((m) => m.payload);

async function bookmarkSub(header: Record<string, unknown>): Promise<Received[]> {
  const from = c.received.length;
  c.send({ c: 'subscribe', a: 'processed,completed', ...header });
  await c.waitFor(
    (m) =>
      m.fields.commandId === header['cid'] &&
      (m.fields.ackType === 'completed' || m.fields.status === 'failure'),
    3000,
    from,
  );
  return c.received.slice(from);
}

describe('bookmark replay', () => {
  it('replays from EPOCH, then completed with bm, then live with bm; no gap, no duplicate', async () => {
    const msgs = await bookmarkSub({ t: 'orders', cid: 'b', sub_id: 'b', bm: '0' });
    expect(payloads(msgs)).toEqual(['{"id":1}', '{"id":3}']);
    const last = server.broker.txlog.entries[2]?.bookmark as string;
    expect(msgs.at(-1)?.text).toBe(
      `{"c":"ack","cid":"b","a":"completed","status":"success","sub_id":"b","bm":"${last}"}`,
    );
    expect(msgs[1]?.text).toMatch(
      /^\{"c":"p","t":"orders","sids":"b","bm":"\d+\|1\|","k":"\d+","l":8\}\{"id":1\}$/,
    );
    pub.send({ c: 'p', t: 'orders', s: 5 }, '{"id":5}');
    const live = await c.waitFor((m) => m.payload === '{"id":5}');
    expect(live.fields.bookmark).toMatch(/\|5\|$/);
  });

  it('starts after a given bookmark, at NOW, at a timestamp, and at the earliest of a list', async () => {
    const e = server.broker.txlog.entries;
    const afterFirst = await bookmarkSub({ t: 'orders', cid: 'a', sub_id: 'a', bm: e[0]?.bookmark });
    expect(payloads(afterFirst)).toEqual(['{"id":3}']);
    const now = await bookmarkSub({ t: 'orders', cid: 'n', sub_id: 'n', bm: '0|1|' });
    expect(payloads(now)).toEqual([]);
    expect(now.at(-1)?.fields.bookmark).toBe(e[3]?.bookmark);
    const ts = await bookmarkSub({ t: 'orders', cid: 't', sub_id: 't', bm: '20000101T000000Z' });
    expect(payloads(ts)).toEqual(['{"id":1}', '{"id":3}']);
    const list = await bookmarkSub({
      t: '^log\\.',
      cid: 'l',
      sub_id: 'l',
      bm: `${e[3]?.bookmark},${e[0]?.bookmark}`,
    });
    expect(payloads(list)).toEqual(['{"id":2}', '{"id":4}']);
    const limited = await bookmarkSub({ t: 'orders', cid: 'tn', sub_id: 'tn', bm: '0', top_n: 1 });
    expect(payloads(limited)).toEqual(['{"id":1}']);
  });

  it('refuses topics without a transaction log, malformed bookmarks, and unknown ones with bookmark_not_found=fail', async () => {
    const plain = await bookmarkSub({ t: 'plain', cid: 'p', sub_id: 'p', bm: '0' });
    expect(plain[0]?.fields.reason).toBe('invalid topic');
    const bad = await bookmarkSub({ t: 'orders', cid: 'x', sub_id: 'x', bm: 'garbage' });
    expect(bad[0]?.fields.reason).toBe('invalid bookmark');
    const missing = await bookmarkSub({
      t: 'orders',
      cid: 'm',
      sub_id: 'm',
      bm: '1|2|',
      o: 'bookmark_not_found=fail',
    });
    expect(missing[0]?.fields.reason).toBe('invalid bookmark');
    const fallback = await bookmarkSub({
      t: 'orders',
      cid: 'f',
      sub_id: 'f',
      bm: '1|2|',
      o: 'bookmark_not_found=epoch',
    });
    expect(payloads(fallback)).toEqual(['{"id":1}', '{"id":3}']);
  });

  it('sends periodic persisted acks with the newest bookmark', async () => {
    await bookmarkSub({
      t: 'orders',
      cid: 'pa',
      sub_id: 'pa',
      bm: '0|1|',
      a: 'processed,completed,persisted',
    });
    pub.send({ c: 'p', t: 'orders', s: 9 }, '{"id":9}');
    const p = await c.waitFor((m) => m.fields.ackType === 'persisted');
    expect(p.text).toMatch(
      /^\{"c":"ack","a":"persisted","status":"success","sub_id":"pa","bm":"\d+\|9\|"\}$/,
    );
  });

  it('pauses and resumes a replay', async () => {
    c.send({ c: 'subscribe', t: 'orders', cid: 'z', sub_id: 'z', bm: '0', o: 'pause', a: 'processed' });
    await c.waitFor((m) => m.fields.commandId === 'z');
    await settle(20);
    expect(payloads(c.received)).toEqual([]);
    c.send({ c: 'subscribe', t: 'orders', cid: 'z2', sub_id: 'z', o: 'resume', a: 'processed' });
    await c.waitFor((m) => m.payload === '{"id":3}');
    expect(payloads(c.received)).toEqual(['{"id":1}', '{"id":3}']);
  });
});

describe('bookmark ranges (§8.4)', () => {
  it('replays an inclusive/exclusive range inside the log and completes at its end', async () => {
    const e = server.broker.txlog.entries;
    const [b0, , b2] = [e[0]?.bookmark, e[1]?.bookmark, e[2]?.bookmark];
    const incl = await bookmarkSub({ t: 'orders', cid: 'ri', sub_id: 'ri', bm: `[${b0}:${b2}]` });
    expect(payloads(incl)).toEqual(['{"id":1}', '{"id":3}']);
    expect(incl.at(-1)?.fields.bookmark).toBe(b2);
    const excl = await bookmarkSub({ t: 'orders', cid: 're', sub_id: 're', bm: `(${b0}:${b2})` });
    expect(payloads(excl)).toEqual([]);
    pub.send({ c: 'p', t: 'orders', s: 20 }, '{"id":20}');
    const f = `f${Math.random()}`;
    c.send({ c: 'flush', cid: f, a: 'processed' });
    await c.waitFor((m) => m.fields.commandId === f);
    expect(payloads(c.received)).not.toContain('{"id":20}');
  });

  it('delivers live up to a future end time, then sends completed', async () => {
    const msgs = await (async () => {
      const from = c.received.length;
      c.send({
        c: 'subscribe',
        t: 'orders',
        cid: 'fut',
        sub_id: 'fut',
        a: 'processed,completed',
        bm: '[0:29991231T000000Z]',
      });
      await c.waitFor((m) => m.fields.commandId === 'fut' && m.fields.ackType === 'processed', 3000, from);
      return from;
    })();
    pub.send({ c: 'p', t: 'orders', s: 30 }, '{"id":30}');
    await c.waitFor((m) => m.payload === '{"id":30}', 3000, msgs);
    expect(payloads(c.received.slice(msgs))).toEqual(['{"id":1}', '{"id":3}', '{"id":30}']);
    expect(c.received.slice(msgs).some((m) => m.fields.ackType === 'completed')).toBe(false);
  });
});

describe('bookmark range ending soon', () => {
  it('stops at the end time with a completed ack and delivers nothing after it', async () => {
    const endMs = Math.ceil((Date.now() + 500) / 1000) * 1000;
    const endText = new Date(endMs)
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d+Z$/, 'Z');
    c.send({
      c: 'subscribe',
      t: 'orders',
      cid: 'soon',
      sub_id: 'soon',
      a: 'processed,completed',
      bm: `(0|1|:${endText})`,
    });
    await c.waitFor((m) => m.fields.commandId === 'soon' && m.fields.ackType === 'processed');
    pub.send({ c: 'p', t: 'orders', s: 40 }, '{"id":40}');
    await c.waitFor((m) => m.payload === '{"id":40}');
    await settle(endMs - Date.now() + 20);
    pub.send({ c: 'p', t: 'orders', s: 41 }, '{"id":41}');
    const done = await c.waitFor((m) => m.fields.commandId === 'soon' && m.fields.ackType === 'completed');
    expect(done.fields.bookmark).toMatch(/\|40\|$/);
    pub.send({ c: 'p', t: 'orders', s: 42 }, '{"id":42}');
    const f = `f${Math.random()}`;
    c.send({ c: 'flush', cid: f, a: 'processed' });
    await c.waitFor((m) => m.fields.commandId === f);
    expect(payloads(c.received)).toEqual(['{"id":40}']);
  });
});
