/** publish → subscribe (spec §4.4, §4.6, §4.11, §14.8): filters, regex topics, order, unsubscribe. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  BadFilterError,
  BadRegexTopicError,
  SubscriptionAlreadyExistsError,
} from '../../client/src/errors.js';
import type { Message } from '../../client/src/protocol/message.js';
import { startSandbox, type SandboxFixture } from '../sandboxFixture.js';
import { ClientPool, drain, payloads, publishAll, take, TRANSPORTS, uniqueName, WAIT_MS } from './helpers.js';

let sandbox: SandboxFixture;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox.close());

describe.each(TRANSPORTS)('publish and subscribe over $transport', ({ uriOf }) => {
  const pool = new ClientPool();
  afterEach(() => pool.closeAll());

  it('delivers exactly the messages matching a content filter, in publish order', async () => {
    const topic = uniqueName('orders');
    const [sub, pub] = await Promise.all([pool.open(uriOf(sandbox)), pool.open(uriOf(sandbox))]);
    const stream = await sub.subscribe(topic, "/qty > 5 AND /side = 'buy'");
    const records = Array.from({ length: 12 }, (_, i) => ({
      id: i,
      qty: i,
      side: i % 3 === 0 ? 'sell' : 'buy',
    }));
    await publishAll(pub, topic, records);
    const expected = records.filter((r) => r.qty > 5 && r.side === 'buy');
    const got = await take(stream, expected.length);
    expect(payloads(got)).toEqual(expected);
    for (const m of got) {
      expect(m.command).toBe('publish');
      expect(m.topic).toBe(topic);
      expect(m.subIds).toEqual([stream.subId]);
    }
    // Nothing else arrives.
    expect(await drain(stream, 150)).toEqual([]);
  });

  it('a regex topic receives from every matching topic with the actual topic name, and nothing else', async () => {
    const base = uniqueName('px');
    const [sub, pub] = await Promise.all([pool.open(uriOf(sandbox)), pool.open(uriOf(sandbox))]);
    const stream = await sub.subscribe(`^${base}\\.(eq|fx)$`);
    pub.publish(`${base}.eq`, '{"n":1}');
    pub.publish(`${base}.bond`, '{"n":2}');
    pub.publish(`${base}.fx`, '{"n":3}');
    pub.publish(`${base}.eqx`, '{"n":4}');
    pub.publish(`${base}.eq`, '{"n":5}');
    await pub.publishFlush(WAIT_MS);
    const got = await take(stream, 3);
    expect(got.map((m) => [m.topic, m.json<{ n: number }>().n])).toEqual([
      [`${base}.eq`, 1],
      [`${base}.fx`, 3],
      [`${base}.eq`, 5],
    ]);
    expect(await drain(stream, 150)).toEqual([]);
  });

  it('a regex topic combines with a content filter', async () => {
    const base = uniqueName('ticks');
    const [sub, pub] = await Promise.all([pool.open(uriOf(sandbox)), pool.open(uriOf(sandbox))]);
    const stream = await sub.subscribe(`^${base}\\..*`, '/px >= 100');
    await publishAll(pub, `${base}.a`, [{ px: 99 }, { px: 100 }]);
    await publishAll(pub, `${base}.b`, [{ px: 250 }, { px: 1 }]);
    await publishAll(pub, `other.${base}`, [{ px: 500 }]);
    const got = await take(stream, 2);
    expect(got.map((m) => [m.topic, m.json<{ px: number }>().px])).toEqual([
      [`${base}.a`, 100],
      [`${base}.b`, 250],
    ]);
    expect(await drain(stream, 150)).toEqual([]);
  });

  it('two subscriptions of one client each get their own matches', async () => {
    const topic = uniqueName('multi');
    const [sub, pub] = await Promise.all([pool.open(uriOf(sandbox)), pool.open(uriOf(sandbox))]);
    const low = await sub.subscribe(topic, '/v < 10');
    const even = await sub.subscribe(topic, '/v % 2 = 0');
    await publishAll(pub, topic, [{ v: 1 }, { v: 2 }, { v: 12 }, { v: 13 }]);
    expect(payloads(await take(low, 2))).toEqual([{ v: 1 }, { v: 2 }]);
    expect(payloads(await take(even, 2))).toEqual([{ v: 2 }, { v: 12 }]);
  });

  it('unsubscribe ends the stream and the server stops delivering to it', async () => {
    const topic = uniqueName('unsub');
    const [sub, pub] = await Promise.all([pool.open(uriOf(sandbox)), pool.open(uriOf(sandbox))]);
    const stream = await sub.subscribe(topic);
    const witness = await sub.subscribe(topic);
    await publishAll(pub, topic, [{ n: 1 }]);
    expect(payloads(await take(stream, 1))).toEqual([{ n: 1 }]);
    expect(payloads(await take(witness, 1))).toEqual([{ n: 1 }]);

    const subId = stream.subId ?? '';
    await sub.unsubscribe(subId);
    expect(await stream.read(WAIT_MS)).toBeUndefined();
    expect(stream.isEnded).toBe(true);
    // Listen on the old id: anything the server still sent for it would show up here.
    const late: Message[] = [];
    sub.addMessageHandler(subId, (m) => late.push(m), '', true);
    await sub.publishFlush(WAIT_MS);
    await publishAll(pub, topic, [{ n: 2 }, { n: 3 }]);
    // The other subscription still receives, so the publishes did arrive.
    expect(payloads(await take(witness, 2))).toEqual([{ n: 2 }, { n: 3 }]);
    await sub.publishFlush(WAIT_MS);
    expect(late.filter((m) => m.command === 'publish')).toEqual([]);
    sub.removeMessageHandler(subId);
  });

  it('leaving a for-await loop early unsubscribes', async () => {
    const topic = uniqueName('loop');
    const [sub, pub] = await Promise.all([pool.open(uriOf(sandbox)), pool.open(uriOf(sandbox))]);
    const stream = await sub.subscribe(topic);
    const witness = await sub.subscribe(topic);
    await publishAll(pub, topic, [{ n: 1 }, { n: 2 }]);
    const seen: number[] = [];
    for await (const m of stream.timeout(WAIT_MS)) {
      seen.push(m.json<{ n: number }>().n);
      break;
    }
    expect(seen).toEqual([1]);
    expect(stream.isEnded).toBe(true);
    const subId = stream.subId ?? '';
    const late: Message[] = [];
    sub.addMessageHandler(subId, (m) => late.push(m), '', true);
    await publishAll(pub, topic, [{ n: 3 }]);
    expect(payloads(await take(witness, 3))).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    await sub.publishFlush(WAIT_MS);
    expect(late.filter((m) => m.command === 'publish')).toEqual([]);
    sub.removeMessageHandler(subId);
  });
  it('passes the publisher correlation id through to subscribers', async () => {
    const topic = uniqueName('corr');
    const [sub, pub] = await Promise.all([pool.open(uriOf(sandbox)), pool.open(uriOf(sandbox))]);
    const stream = await sub.subscribe(topic);
    pub.publish(topic, '{"n":1}', { correlationId: 'b3JkZXItNDI=' });
    pub.publish(topic, '{"n":2}');
    const [tagged, plain] = await take(stream, 2);
    expect(tagged?.correlationId).toBe('b3JkZXItNDI=');
    expect(plain?.correlationId).toBeUndefined();
  });

  it('a bad filter or regex fails the subscribe with the mapped error and the connection stays usable', async () => {
    const sub = await pool.open(uriOf(sandbox));
    const bad = await sub.subscribe(uniqueName('bad'), '/a = = 1').catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(BadFilterError);
    expect((bad as BadFilterError).code).toBe('bad filter');
    await expect(sub.subscribe('^orders(')).rejects.toBeInstanceOf(BadRegexTopicError);
    // The failed ids are free again, and the connection still works.
    const topic = uniqueName('after');
    const stream = await sub.subscribe(topic);
    sub.publish(topic, '{"ok":true}');
    expect(payloads(await take(stream, 1))).toEqual([{ ok: true }]);
  });

  it('reusing a live subscription id without replace is refused', async () => {
    const sub = await pool.open(uriOf(sandbox));
    await sub.subscribe(uniqueName('dup'), undefined, { subId: 'mine' });
    await expect(sub.subscribe(uniqueName('dup'), undefined, { subId: 'mine' })).rejects.toBeInstanceOf(
      SubscriptionAlreadyExistsError,
    );
  });
  it('delivers large and multi-byte payloads intact', async () => {
    const topic = uniqueName('bulk');
    const [sub, pub] = await Promise.all([pool.open(uriOf(sandbox)), pool.open(uriOf(sandbox))]);
    const stream = await sub.subscribe(topic, "/name = 'Zoë 🚀'");
    const big = { name: 'Zoë 🚀', blob: 'x€'.repeat(300_000) };
    pub.publish(topic, JSON.stringify({ name: 'Zoe', blob: 'no' }));
    pub.publish(topic, JSON.stringify(big));
    pub.publish(topic, JSON.stringify({ name: 'Zoë 🚀', blob: 'small' }));
    await pub.publishFlush(WAIT_MS);
    const [first, second] = await take(stream, 2);
    expect(first?.size).toBe(Buffer.byteLength(JSON.stringify(big)));
    expect(first?.json()).toEqual(big);
    expect(second?.json()).toEqual({ name: 'Zoë 🚀', blob: 'small' });
  });
  it('unsubscribe() without an id ends every subscription of the client', async () => {
    const topic = uniqueName('all');
    const [sub, pub] = await Promise.all([pool.open(uriOf(sandbox)), pool.open(uriOf(sandbox))]);
    const streams = await Promise.all([sub.subscribe(topic), sub.subscribe(topic, '/n > 0')]);
    await sub.unsubscribe();
    for (const stream of streams) {
      expect(await stream.read(WAIT_MS)).toBeUndefined();
      expect(stream.isEnded).toBe(true);
    }
    const late: Message[] = [];
    for (const stream of streams) sub.addMessageHandler(stream.subId ?? '', (m) => late.push(m), '', true);
    await sub.publishFlush(WAIT_MS);
    await publishAll(pub, topic, [{ n: 1 }]);
    const witness = await pub.subscribe(topic);
    await publishAll(pub, topic, [{ n: 2 }]);
    expect(payloads(await take(witness, 1))).toEqual([{ n: 2 }]);
    await sub.publishFlush(WAIT_MS);
    expect(late.filter((m) => m.command === 'publish')).toEqual([]);
  });
});
