/**
 * sow_and_subscribe and the delta variants (spec §4.9, §9): no gap and no duplicate between
 * the query and the live stream, out-of-focus messages, delta subscribe and delta publish.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../../client/src/client.js';
import type { Message } from '../../client/src/protocol/message.js';
import type { MessageStream } from '../../client/src/stream.js';
import { startSandbox, type SandboxFixture } from '../sandboxFixture.js';
import { ClientPool, drain, payloads, publishAll, readAll, take, TRANSPORTS, WAIT_MS } from './helpers.js';

const TOPICS = ['race', 'updates', 'focus', 'delta', 'merge', 'expiring', 'replace', 'page'];
let sandbox: SandboxFixture;
beforeAll(async () => {
  sandbox = await startSandbox({
    // A fast housekeeping tick so record expiration is noticed quickly.
    tickMs: 100,
    topics: [...TOPICS.flatMap((t) => ['tcp', 'ws'].map((p) => ({ name: `${t}_${p}`, keys: ['/id'] })))],
  });
});
afterAll(() => sandbox.close());

/** Reads the query part of a sow_and_subscribe stream: the records between the group markers. */
async function queryPart(stream: MessageStream): Promise<Message[]> {
  const records: Message[] = [];
  const begin = await take(stream, 1, ['group_begin']);
  expect(begin).toHaveLength(1);
  for (;;) {
    const [m] = await take(stream, 1, ['sow', 'group_end', 'publish', 'oof']);
    if (m?.command === 'group_end') return records;
    // Nothing live may come before the query results end (spec §4.9).
    expect(m?.command).toBe('sow');
    if (m) records.push(m);
  }
}

describe.each(TRANSPORTS)('sow_and_subscribe over $transport', ({ transport, uriOf }) => {
  const pool = new ClientPool();
  afterEach(() => pool.closeAll());
  const topicOf = (t: string): string => `${t}_${transport}`;

  it('delivers the records, then every later publish, with no gap and no duplicate while a publisher runs', async () => {
    const topic = topicOf('race');
    const [sub, pub] = await Promise.all([pool.open(uriOf(sandbox)), pool.open(uriOf(sandbox))]);
    const total = 600;
    let published = 0;
    // The publisher runs concurrently: it yields to the event loop every few messages.
    const publishing = (async (): Promise<void> => {
      while (published < total) {
        published += 1;
        pub.publish(topic, JSON.stringify({ id: published, n: published }));
        if (published % 5 === 0) await new Promise<void>((r) => setImmediate(r));
      }
      await pub.publishFlush(WAIT_MS);
    })();
    // Start the query once publishing is well under way.
    while (published < total / 4) await new Promise<void>((r) => setImmediate(r));
    const stream = await sub.sowAndSubscribe(topic, undefined, { batchSize: 7 });
    const snapshot = payloads<{ id: number }>(await queryPart(stream)).map((r) => r.id);
    await publishing;
    const live = payloads<{ id: number }>(
      await take(stream, total - snapshot.length, ['publish'], 10_000),
    ).map((r) => r.id);
    // The query saw a prefix of the publishes, the live stream exactly the rest, in order.
    expect(snapshot.length).toBeGreaterThan(0);
    expect(snapshot.length).toBeLessThan(total);
    expect([...snapshot].sort((a, b) => a - b)).toEqual(
      Array.from({ length: snapshot.length }, (_, i) => i + 1),
    );
    expect(live).toEqual(Array.from({ length: total - snapshot.length }, (_, i) => snapshot.length + i + 1));
    expect(await drain(stream, 100)).toEqual([]);
  });

  it('updates to existing records racing the query: the snapshot plus the live updates equal the final SOW', async () => {
    const topic = topicOf('updates');
    const [sub, pub] = await Promise.all([pool.open(uriOf(sandbox)), pool.open(uriOf(sandbox))]);
    const keys = 10;
    const rounds = 40;
    let version = 0;
    const publishing = (async (): Promise<void> => {
      for (let r = 1; r <= rounds; r++) {
        for (let id = 1; id <= keys; id++) pub.publish(topic, JSON.stringify({ id, version: ++version }));
        await new Promise<void>((done) => setImmediate(done));
      }
      await pub.publishFlush(WAIT_MS);
    })();
    while (version < (keys * rounds) / 3) await new Promise<void>((r) => setImmediate(r));
    const stream = await sub.sowAndSubscribe(topic, undefined, { batchSize: 3 });
    const state = new Map<number, number>();
    for (const r of payloads<{ id: number; version: number }>(await queryPart(stream)))
      state.set(r.id, r.version);
    expect(state.size).toBe(keys);
    await publishing;
    const finalVersions = payloads<{ id: number; version: number }>(await drainSow(pub, topic));
    const last = Math.max(...finalVersions.map((r) => r.version));
    // Apply live updates until the last published version arrived; each must be newer than what we hold.
    for (;;) {
      const [m] = await take(stream, 1, ['publish']);
      const u = m?.json<{ id: number; version: number }>();
      if (!u) break;
      expect(u.version).toBeGreaterThan(state.get(u.id) ?? 0);
      state.set(u.id, u.version);
      if (u.version === last) break;
    }
    expect([...state.entries()].sort((a, b) => a[0] - b[0])).toEqual(
      finalVersions.map((r) => [r.id, r.version]),
    );
    expect(await drain(stream, 100)).toEqual([]);
  });

  it('sends oof with reason match when a record leaves the filter and deleted when it is deleted (spec §9.3)', async () => {
    const topic = topicOf('focus');
    const [sub, pub] = await Promise.all([pool.open(uriOf(sandbox)), pool.open(uriOf(sandbox))]);
    await publishAll(pub, topic, [
      { id: 1, status: 'open', qty: 10 },
      { id: 2, status: 'open', qty: 20 },
      { id: 3, status: 'done', qty: 30 },
      { id: 4, status: 'open', qty: 40 },
    ]);
    const stream = await sub.sowAndSubscribe(topic, "/status = 'open'", { oof: true });
    const snapshot = payloads<{ id: number }>(await queryPart(stream)).map((r) => r.id);
    expect(snapshot.sort()).toEqual([1, 2, 4]);

    // id 1 leaves the filter: oof match carrying the updated record.
    await publishAll(pub, topic, [{ id: 1, status: 'done', qty: 11 }]);
    const [leave] = await take(stream, 1);
    expect(leave?.command).toBe('oof');
    expect(leave?.reason).toBe('match');
    expect(leave?.json()).toEqual({ id: 1, status: 'done', qty: 11 });
    expect(leave?.subIds).toEqual([stream.subId]);

    // An update of a record that never matched sends nothing; id 4 still matching is a publish.
    await publishAll(pub, topic, [
      { id: 3, status: 'done', qty: 31 },
      { id: 4, status: 'open', qty: 41 },
    ]);
    const [update] = await take(stream, 1);
    expect(update?.command).toBe('publish');
    expect(update?.json()).toEqual({ id: 4, status: 'open', qty: 41 });
    expect(update?.sowKey).toMatch(/\S/);

    // id 2 is deleted: oof deleted carrying its last state.
    const stats = await pub.sowDelete(topic, '/id = 2');
    expect(stats.recordsDeleted).toBe(1);
    const [gone] = await take(stream, 1);
    expect(gone?.command).toBe('oof');
    expect(gone?.reason).toBe('deleted');
    expect(gone?.json()).toEqual({ id: 2, status: 'open', qty: 20 });

    // id 1 comes back into focus: a full publish.
    await publishAll(pub, topic, [{ id: 1, status: 'open', qty: 12 }]);
    const [back] = await take(stream, 1);
    expect(back?.command).toBe('publish');
    expect(back?.json()).toEqual({ id: 1, status: 'open', qty: 12 });
    expect(await drain(stream, 100)).toEqual([]);
  });

  it('without the oof option, a record leaving the filter sends nothing', async () => {
    const topic = topicOf('focus');
    const [sub, pub] = await Promise.all([pool.open(uriOf(sandbox)), pool.open(uriOf(sandbox))]);
    await publishAll(pub, topic, [{ id: 50, status: 'open', qty: 1 }]);
    const stream = await sub.sowAndSubscribe(topic, '/id = 50 AND /qty < 5');
    expect(payloads(await queryPart(stream))).toEqual([{ id: 50, status: 'open', qty: 1 }]);
    await publishAll(pub, topic, [{ id: 50, status: 'open', qty: 9 }]);
    await pub.sowDelete(topic, '/id = 50');
    expect(await drain(stream, 150)).toEqual([]);
  });

  it('delta_subscribe delivers the key and the changed fields only (spec §9.2)', async () => {
    const topic = topicOf('delta');
    const [sub, pub] = await Promise.all([pool.open(uriOf(sandbox)), pool.open(uriOf(sandbox))]);
    await publishAll(pub, topic, [{ id: 1, sym: 'IBM', px: 100, qty: 5 }]);
    const stream = await sub.deltaSubscribe(topic, '/id < 100');
    await publishAll(pub, topic, [
      { id: 1, sym: 'IBM', px: 101, qty: 5 },
      { id: 1, sym: 'IBM', px: 101, qty: 7 },
      { id: 2, sym: 'MSFT', px: 300, qty: 1 },
    ]);
    const got = await take(stream, 3);
    expect(payloads(got)).toEqual([
      { id: 1, px: 101 },
      { id: 1, qty: 7 },
      // A record new to the subscription arrives whole.
      { id: 2, sym: 'MSFT', px: 300, qty: 1 },
    ]);
    expect(got[0]?.sowKey).toBe(got[1]?.sowKey);
    expect(got[0]?.sowKey).not.toBe(got[2]?.sowKey);
  });

  it('sow_and_delta_subscribe: full records first, then only changed fields', async () => {
    const topic = topicOf('delta');
    const [sub, pub] = await Promise.all([pool.open(uriOf(sandbox)), pool.open(uriOf(sandbox))]);
    await publishAll(pub, topic, [
      { id: 10, sym: 'AAPL', px: 190, qty: 1 },
      { id: 11, sym: 'TSLA', px: 250, qty: 2 },
    ]);
    const stream = await sub.sowAndDeltaSubscribe(topic, '/id >= 10', { orderBy: '/id' });
    expect(payloads(await queryPart(stream))).toEqual([
      { id: 10, sym: 'AAPL', px: 190, qty: 1 },
      { id: 11, sym: 'TSLA', px: 250, qty: 2 },
    ]);
    await publishAll(pub, topic, [
      { id: 11, sym: 'TSLA', px: 251, qty: 2 },
      { id: 10, sym: 'AAPL', px: 190, qty: 1, venue: 'X' },
    ]);
    expect(payloads(await take(stream, 2))).toEqual([
      { id: 11, px: 251 },
      { id: 10, venue: 'X' },
    ]);
  });

  it('delta_publish merges into the SOW record; subscribers get the merged record (spec §9.1)', async () => {
    const topic = topicOf('merge');
    const [sub, pub] = await Promise.all([pool.open(uriOf(sandbox)), pool.open(uriOf(sandbox))]);
    await publishAll(pub, topic, [{ id: 7, sym: 'IBM', px: 100, tags: ['a', 'b'], note: 'keep' }]);
    const stream = await sub.subscribe(topic);
    pub.deltaPublish(topic, JSON.stringify({ id: 7, px: 105, venue: 'N' }));
    // A null is ignored (a delta cannot delete a field); an array is replaced whole.
    pub.deltaPublish(topic, JSON.stringify({ id: 7, note: null, tags: ['c'] }));
    // No record yet: behaves like a publish.
    pub.deltaPublish(topic, JSON.stringify({ id: 8, px: 1 }));
    await pub.publishFlush(WAIT_MS);
    expect(payloads(await take(stream, 3))).toEqual([
      { id: 7, sym: 'IBM', px: 105, tags: ['a', 'b'], note: 'keep', venue: 'N' },
      { id: 7, sym: 'IBM', px: 105, tags: ['c'], note: 'keep', venue: 'N' },
      { id: 8, px: 1 },
    ]);
    const records = payloads(await drainSow(sub, topic));
    expect(records).toEqual([
      { id: 7, sym: 'IBM', px: 105, tags: ['c'], note: 'keep', venue: 'N' },
      { id: 8, px: 1 },
    ]);
  });
  it('a plain subscribe with oof gets oof match and deleted for records it had matched only', async () => {
    const topic = topicOf('focus');
    const [sub, pub] = await Promise.all([pool.open(uriOf(sandbox)), pool.open(uriOf(sandbox))]);
    await publishAll(pub, topic, [
      { id: 60, status: 'open', qty: 1 },
      { id: 61, status: 'done', qty: 1 },
    ]);
    const stream = await sub.subscribe(topic, "/id >= 60 AND /id < 70 AND /status = 'open'", {
      options: 'oof',
    });
    await publishAll(pub, topic, [
      { id: 60, status: 'done', qty: 2 },
      { id: 62, status: 'open', qty: 3 },
    ]);
    await pub.sowDelete(topic, '/id = 61 OR /id = 62');
    const got = await take(stream, 3);
    expect(got.map((m) => [m.command, m.reason, m.json<{ id: number }>().id])).toEqual([
      ['oof', 'match', 60],
      ['publish', undefined, 62],
      ['oof', 'deleted', 62],
    ]);
    expect(await drain(stream, 100)).toEqual([]);
  });

  it('an expiring record leaves with oof expired and is gone from the SOW (spec §9.3)', async () => {
    const topic = topicOf('expiring');
    const [sub, pub] = await Promise.all([pool.open(uriOf(sandbox)), pool.open(uriOf(sandbox))]);
    pub.publish(topic, JSON.stringify({ id: 1, v: 'short' }), { expiration: 1 });
    pub.publish(topic, JSON.stringify({ id: 2, v: 'stays' }));
    await pub.publishFlush(WAIT_MS);
    const stream = await sub.sowAndSubscribe(topic, undefined, { oof: true, orderBy: '/id' });
    expect(payloads(await queryPart(stream))).toEqual([
      { id: 1, v: 'short' },
      { id: 2, v: 'stays' },
    ]);
    const [gone] = await take(stream, 1, ['publish', 'oof'], WAIT_MS);
    expect(gone?.command).toBe('oof');
    expect(gone?.reason).toBe('expired');
    expect(gone?.json()).toEqual({ id: 1, v: 'short' });
    expect(payloads(await drainSow(sub, topic))).toEqual([{ id: 2, v: 'stays' }]);
  });

  it('replace re-runs the query: new records in scope arrive, records out of scope get oof', async () => {
    const topic = topicOf('replace');
    const [sub, pub] = await Promise.all([pool.open(uriOf(sandbox)), pool.open(uriOf(sandbox))]);
    await publishAll(pub, topic, [
      { id: 1, qty: 10 },
      { id: 2, qty: 20 },
      { id: 3, qty: 30 },
    ]);
    const stream = await sub.sowAndSubscribe(topic, '/qty < 25', {
      oof: true,
      subId: 'window',
      orderBy: '/id',
    });
    expect(payloads(await queryPart(stream))).toEqual([
      { id: 1, qty: 10 },
      { id: 2, qty: 20 },
    ]);
    const same = await sub.sowAndSubscribe(topic, '/qty > 15', {
      oof: true,
      subId: 'window',
      orderBy: '/id',
      options: 'replace',
    });
    // The replaced subscription keeps its stream.
    expect(same).toBe(stream);
    const after = await take(stream, 2, ['sow', 'oof']);
    const summary = after.map((m) => [m.command, m.json<{ id: number }>().id]).sort();
    expect(summary).toEqual([
      ['oof', 1],
      ['sow', 3],
    ]);
    // Live updates now follow the new filter.
    await publishAll(pub, topic, [
      { id: 4, qty: 5 },
      { id: 5, qty: 50 },
    ]);
    expect(payloads(await take(stream, 1))).toEqual([{ id: 5, qty: 50 }]);
  });
  it('a top_n window: a record pushed out by a better one gets oof match (spec §9.3)', async () => {
    const topic = topicOf('page');
    const [sub, pub] = await Promise.all([pool.open(uriOf(sandbox)), pool.open(uriOf(sandbox))]);
    await publishAll(pub, topic, [
      { id: 1, px: 10 },
      { id: 2, px: 20 },
      { id: 3, px: 30 },
      { id: 4, px: 40 },
    ]);
    const stream = await sub.sowAndSubscribe(topic, undefined, { topN: 3, orderBy: '/px DESC', oof: true });
    expect(payloads(await queryPart(stream))).toEqual([
      { id: 4, px: 40 },
      { id: 3, px: 30 },
      { id: 2, px: 20 },
    ]);
    await publishAll(pub, topic, [{ id: 5, px: 50 }]);
    const got = await take(stream, 2);
    const summary = got.map((m) => [m.command, m.reason ?? '', m.json<{ id: number }>().id]).sort();
    expect(summary).toEqual([
      ['oof', 'match', 2],
      ['publish', '', 5],
    ]);
    // A record below the window changes nothing for the subscriber.
    await publishAll(pub, topic, [{ id: 6, px: 1 }]);
    expect(await drain(stream, 150)).toEqual([]);
  });
  it('on a topic without a SOW it degrades to a subscribe bracketed by empty group markers (spec §4.9)', async () => {
    const topic = `plain_${transport}_${Date.now()}`;
    const [sub, pub] = await Promise.all([pool.open(uriOf(sandbox)), pool.open(uriOf(sandbox))]);
    await publishAll(pub, topic, [{ id: 1 }]);
    const stream = await sub.sowAndSubscribe(topic, '/id > 1');
    expect(await queryPart(stream)).toEqual([]);
    await publishAll(pub, topic, [{ id: 1 }, { id: 2 }]);
    expect(payloads(await take(stream, 1))).toEqual([{ id: 2 }]);
  });
  it('a delta with no changed field: key fields only by default, nothing with sendEmpties false (spec §9.2)', async () => {
    const topic = topicOf('delta');
    const [sub, pub] = await Promise.all([pool.open(uriOf(sandbox)), pool.open(uriOf(sandbox))]);
    await publishAll(pub, topic, [{ id: 30, sym: 'ORCL', px: 120 }]);
    const empties = await sub.sowAndDeltaSubscribe(topic, '/id = 30');
    const quiet = await sub.sowAndDeltaSubscribe(topic, '/id = 30', { sendEmpties: false });
    expect(payloads(await queryPart(empties))).toEqual([{ id: 30, sym: 'ORCL', px: 120 }]);
    expect(payloads(await queryPart(quiet))).toEqual([{ id: 30, sym: 'ORCL', px: 120 }]);
    await publishAll(pub, topic, [
      { id: 30, sym: 'ORCL', px: 120 },
      { id: 30, sym: 'ORCL', px: 121 },
    ]);
    expect(payloads(await take(empties, 2))).toEqual([{ id: 30 }, { id: 30, px: 121 }]);
    expect(payloads(await take(quiet, 1))).toEqual([{ id: 30, px: 121 }]);
    expect(await drain(quiet, 100)).toEqual([]);
  });
});

/** Every record of a SOW topic, ordered by id. */
async function drainSow(client: Client, topic: string): Promise<Message[]> {
  const all = await readAll(await client.sow(topic, undefined, { orderBy: '/id' }));
  return all.filter((m) => m.command === 'sow');
}
