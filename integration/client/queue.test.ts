/** Message queues (spec §11): shared consumption, acknowledgement, redelivery after the lease. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '../../client/src/protocol/message.js';
import type { MessageStream } from '../../client/src/stream.js';
import { startSandbox, type SandboxFixture } from '../sandboxFixture.js';
import { ClientPool, drain, publishAll, readAll, take, TRANSPORTS, uniqueName, WAIT_MS } from './helpers.js';

const LEASE_MS = 400;
const QUEUES = ['shared', 'acked', 'lease', 'backlog', 'cancel'];

let sandbox: SandboxFixture;
beforeAll(async () => {
  sandbox = await startSandbox({
    // A short lease and a fast housekeeping tick so expired leases are noticed quickly.
    tickMs: 50,
    topics: QUEUES.flatMap((q) =>
      ['tcp', 'ws'].map((t) => ({
        name: `${q}_${t}`,
        // Only the lease tests use a short lease: the others must not see leases run out on a
        // busy machine while they hold messages.
        queue: { leasePeriodMs: q === 'acked' || q === 'lease' ? LEASE_MS : 30_000, maxBacklog: 5 },
      })),
    ),
  });
});
afterAll(() => sandbox.close());

const jobs = (count: number): { job: number }[] => Array.from({ length: count }, (_, i) => ({ job: i + 1 }));

/** Reads from both streams (acking each message) until `count` messages arrived in total. */
async function consumeBoth(a: MessageStream, b: MessageStream, count: number): Promise<[number[], number[]]> {
  const got: [number[], number[]] = [[], []];
  const deadline = Date.now() + WAIT_MS;
  while (got[0].length + got[1].length < count && Date.now() < deadline) {
    for (const [i, stream] of [a, b].entries()) {
      const m = await stream.read(20);
      if (m?.command !== 'publish') continue;
      expect(m.isQueueMessage).toBe(true);
      got[i]?.push(m.json<{ job: number }>().job);
      expect(m.ack()).toBe(true);
    }
  }
  return got;
}

describe.each(TRANSPORTS)('queues over $transport', ({ transport, uriOf }) => {
  const pool = new ClientPool();
  afterEach(() => pool.closeAll());

  it('two consumers share the messages: each message goes to exactly one of them', async () => {
    const topic = `shared_${transport}`;
    const [c1, c2, pub] = await Promise.all([
      pool.open(uriOf(sandbox), 'worker'),
      pool.open(uriOf(sandbox), 'worker'),
      pool.open(uriOf(sandbox), 'producer'),
    ]);
    const s1 = await c1.subscribe(topic, undefined, { options: 'max_backlog=2' });
    const s2 = await c2.subscribe(topic, undefined, { options: 'max_backlog=2' });
    await publishAll(pub, topic, jobs(30));
    const [first, second] = await consumeBoth(s1, s2, 30);
    expect(first.length).toBeGreaterThan(0);
    expect(second.length).toBeGreaterThan(0);
    expect(first.filter((j) => second.includes(j))).toEqual([]);
    expect([...first, ...second].sort((x, y) => x - y)).toEqual(jobs(30).map((j) => j.job));
    // Each consumer sees its share in queue order.
    expect(first).toEqual([...first].sort((x, y) => x - y));
    expect(second).toEqual([...second].sort((x, y) => x - y));
    expect([...(await drain(s1, 100)), ...(await drain(s2, 50))]).toEqual([]);
    // Everything was acknowledged: a new consumer finds the queue empty.
    await Promise.all([c1.publishFlush(WAIT_MS), c2.publishFlush(WAIT_MS)]);
    const late = await pool.open(uriOf(sandbox));
    const again = await late.subscribe(topic, undefined, { options: 'max_backlog=5' });
    expect(await drain(again, 150)).toEqual([]);
  });

  it('queue deliveries carry a bookmark and a lease; acknowledged messages leave the queue', async () => {
    const topic = `acked_${transport}`;
    const [consumer, pub] = await Promise.all([pool.open(uriOf(sandbox)), pool.open(uriOf(sandbox))]);
    const stream = await consumer.subscribe(topic, undefined, { options: 'max_backlog=5' });
    await publishAll(pub, topic, jobs(4));
    const got = await take(stream, 4);
    for (const m of got) {
      expect(m.bookmark).toBeTruthy();
      expect(m.leasePeriod).toBeTruthy();
    }
    expect(got.map((m) => m.json<{ job: number }>().job)).toEqual([1, 2, 3, 4]);
    for (const m of got) consumer.ack(m);
    await consumer.publishFlush(WAIT_MS);
    // No redelivery after the lease, and nothing is left in the queue.
    expect(await drain(stream, LEASE_MS + 200)).toEqual([]);
    const left = (await readAll(await pub.sow(topic))).filter((m) => m.command === 'sow');
    expect(left).toEqual([]);
    stream.close();
    const late = await pool.open(uriOf(sandbox));
    const again = await late.subscribe(topic, undefined, { options: 'max_backlog=5' });
    expect(await drain(again, 150)).toEqual([]);
  });

  it('an unacknowledged message is redelivered after its lease runs out', async () => {
    const topic = `lease_${transport}`;
    const [consumer, pub] = await Promise.all([
      pool.open(uriOf(sandbox), uniqueName('slow')),
      pool.open(uriOf(sandbox)),
    ]);
    // Backlog 1: the second message waits until the first is acknowledged.
    const stream = await consumer.subscribe(topic);
    await publishAll(pub, topic, jobs(2));
    const [first] = await take(stream, 1);
    expect(first?.json()).toEqual({ job: 1 });
    // Not acknowledged: after the lease the same message comes again (and not job 2).
    const [redelivered] = await take(stream, 1, ['publish'], LEASE_MS * 3 + WAIT_MS);
    expect(redelivered?.json()).toEqual({ job: 1 });
    expect(redelivered?.bookmark).toBe(first?.bookmark);
    expect((redelivered as Message).ack()).toBe(true);
    const [second] = await take(stream, 1);
    expect(second?.json()).toEqual({ job: 2 });
    second?.ack();
    await consumer.publishFlush(WAIT_MS);
    expect(await drain(stream, LEASE_MS + 200)).toEqual([]);
  });

  it('a cancelled message returns to the queue at once, long before its lease would end', async () => {
    // This queue's lease is 30 s: only the cancel can bring the message back within the wait.
    const topic = `cancel_${transport}`;
    const [consumer, pub] = await Promise.all([pool.open(uriOf(sandbox)), pool.open(uriOf(sandbox))]);
    const stream = await consumer.subscribe(topic);
    await publishAll(pub, topic, jobs(1));
    const [first] = await take(stream, 1);
    first?.ack('cancel');
    const [again] = await take(stream, 1);
    expect(again?.bookmark).toBe(first?.bookmark);
    again?.ack();
    await consumer.publishFlush(WAIT_MS);
  });
  it('never has more unacknowledged messages than the granted backlog (spec §11.1)', async () => {
    const topic = `backlog_${transport}`;
    const [consumer, pub] = await Promise.all([pool.open(uriOf(sandbox)), pool.open(uriOf(sandbox))]);
    // 8 requested, the queue grants at most 5.
    const stream = await consumer.subscribe(topic, undefined, { options: 'max_backlog=8' });
    await publishAll(pub, topic, jobs(9));
    const first = await take(stream, 5);
    expect(first.map((m) => m.json<{ job: number }>().job)).toEqual([1, 2, 3, 4, 5]);
    expect(await drain(stream, 150)).toEqual([]);
    // Two acks free two slots: exactly two more arrive.
    first[0]?.ack();
    first[1]?.ack();
    const next = await take(stream, 2);
    expect(next.map((m) => m.json<{ job: number }>().job)).toEqual([6, 7]);
    expect(await drain(stream, 150)).toEqual([]);
    for (const m of [...first.slice(2), ...next]) m.ack();
    const rest = await take(stream, 2);
    expect(rest.map((m) => m.json<{ job: number }>().job)).toEqual([8, 9]);
    for (const m of rest) m.ack();
    await consumer.publishFlush(WAIT_MS);
  });
});
