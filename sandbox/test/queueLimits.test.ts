/** Queue MaxDeliveries, MaxCancels, message expiration and the dead-letter topic (spec §11). */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SandboxServer } from '../src/server.js';
import type { RawClient } from './helpers.js';
import { memoryClient, startServer } from './helpers.js';

let server: SandboxServer;
let pub: RawClient;
let dead: RawClient;

beforeEach(async () => {
  server = await startServer({
    topics: [
      {
        name: 'jobs',
        queue: {
          leasePeriodMs: 60,
          maxBacklog: 1,
          maxDeliveries: 2,
          maxCancels: 2,
          deadLetterTopic: 'failed',
        },
      },
    ],
    tickMs: 20,
  });
  pub = memoryClient(server);
  dead = memoryClient(server);
  await pub.logon('pub');
  await dead.logon('dead');
  dead.send({ c: 'subscribe', t: 'failed', cid: 'd', sub_id: 'd', a: 'processed' });
  await dead.waitFor((m) => m.fields.commandId === 'd');
});
afterEach(() => server.close());

const payloads = (c: RawClient): string[] =>
  c.received.filter((m) => m.fields.command === 'publish').map((m) => m.payload);

async function consumer(name: string): Promise<RawClient> {
  const c = memoryClient(server);
  await c.logon(name);
  c.send({ c: 'subscribe', t: 'jobs', cid: 'q', sub_id: 'q', a: 'processed' });
  await c.waitFor((m) => m.fields.commandId === 'q');
  return c;
}

describe('queue limits', () => {
  it('expires a message after MaxDeliveries unsuccessful deliveries and publishes it to the dead-letter topic', async () => {
    pub.send({ c: 'p', t: 'jobs' }, '{"job":1}');
    pub.send({ c: 'p', t: 'jobs' }, '{"job":2}');
    const c = await consumer('lazy');
    // job 1 is leased twice (the lease runs out each time), then expires; job 2 follows
    await c.waitFor(() => payloads(c).length === 3, 3000);
    expect(payloads(c)).toEqual(['{"job":1}', '{"job":1}', '{"job":2}']);
    await dead.waitFor((m) => m.fields.command === 'publish');
    expect(dead.received.filter((m) => m.fields.command === 'publish').map((m) => m.text)).toEqual([
      '{"c":"p","t":"failed","sids":"d","l":9}{"job":1}',
    ]);
    expect(server.broker.topics.get('jobs').queue?.expired).toBe(1);
  });

  it('expires a message on its MaxCancels-th cancel', async () => {
    pub.send({ c: 'p', t: 'jobs' }, '{"job":7}');
    const c = await consumer('canceller');
    for (let n = 1; n <= 2; n++) {
      await c.waitFor(() => payloads(c).length === n);
      const bm = c.received.filter((m) => m.fields.command === 'publish')[n - 1]?.fields.bookmark as string;
      c.send({ c: 'sow_delete', t: 'jobs', bookmark: bm, o: 'cancel' });
    }
    await dead.waitFor((m) => m.fields.command === 'publish');
    expect(payloads(dead)).toEqual(['{"job":7}']);
    expect(payloads(c)).toEqual(['{"job":7}', '{"job":7}']);
    expect(server.broker.topics.get('jobs').queue?.entries.size).toBe(0);
  });

  it('expires a message whose expiration (e header) passes while it waits in the queue', async () => {
    pub.send({ c: 'p', t: 'jobs', e: '0.1' }, '{"job":9}');
    await dead.waitFor((m) => m.fields.command === 'publish', 3000);
    expect(payloads(dead)).toEqual(['{"job":9}']);
    expect(server.broker.topics.get('jobs').queue?.entries.size).toBe(0);
  });
});
