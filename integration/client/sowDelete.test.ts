/** sow_delete (spec §4.10, §9.3): by filter, keys and data; stats; oof deleted to subscribers. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../../client/src/client.js';
import { BadFilterError, InvalidTopicError } from '../../client/src/errors.js';
import type { Message } from '../../client/src/protocol/message.js';
import type { MessageStream } from '../../client/src/stream.js';
import { startSandbox, type SandboxFixture } from '../sandboxFixture.js';
import { ClientPool, drain, payloads, publishAll, readAll, take, TRANSPORTS, WAIT_MS } from './helpers.js';

interface Order {
  region: string;
  id: number;
  qty: number;
}

const ORDERS: Order[] = [
  { region: 'eu', id: 1, qty: 5 },
  { region: 'eu', id: 2, qty: 15 },
  { region: 'us', id: 1, qty: 25 },
  { region: 'us', id: 2, qty: 35 },
  { region: 'ap', id: 1, qty: 45 },
  { region: 'ap', id: 2, qty: 55 },
];

let sandbox: SandboxFixture;
beforeAll(async () => {
  sandbox = await startSandbox({
    topics: ['tcp', 'ws'].map((t) => ({ name: `book_${t}`, keys: ['/region', '/id'] })),
  });
});
afterAll(() => sandbox.close());

const ids = (records: readonly Order[]): string[] => records.map((r) => `${r.region}${r.id}`).sort();

describe.each(TRANSPORTS)('sow_delete over $transport', ({ transport, uriOf }) => {
  const pool = new ClientPool();
  const topic = `book_${transport}`;
  let client: Client;
  let watcher: MessageStream;
  /** SOW key of each record, taken from the `k` of its delivery. */
  let keys: Map<string, string>;

  /** The records left in the SOW. */
  const remaining = async (): Promise<Order[]> =>
    payloads<Order>((await readAll(await client.sow(topic))).filter((m) => m.command === 'sow'));

  beforeAll(async () => {
    client = await pool.open(uriOf(sandbox), 'del');
  });
  afterAll(() => pool.closeAll());
  afterEach(async () => {
    watcher.close();
    await client.sowDelete(topic, '1 = 1');
  });

  /** Seeds the topic; `watcher` is an oof subscription that saw every record. */
  const seed = async (): Promise<void> => {
    watcher = await client.subscribe(topic, undefined, { options: 'oof' });
    await publishAll(client, topic, ORDERS);
    const seen: Message[] = await take(watcher, ORDERS.length);
    keys = new Map(
      seen.map((m) => {
        const o = m.json<Order>();
        return [`${o.region}${o.id}`, m.sowKey ?? ''];
      }),
    );
    expect(new Set(keys.values()).size).toBe(ORDERS.length);
  };

  it('deletes by filter, returns the stats and sends oof deleted with the last state', async () => {
    await seed();
    const stats = await client.sowDelete(topic, "/region = 'us' OR /qty < 10");
    expect(stats.ackType).toBe('stats');
    expect(stats.recordsDeleted).toBe(3);
    expect(stats.matches).toBe(3);
    expect(stats.topicMatches).toBe(6);
    const oofs = await take(watcher, 3);
    for (const m of oofs) {
      expect(m.command).toBe('oof');
      expect(m.reason).toBe('deleted');
    }
    const gone = [ORDERS[0], ORDERS[2], ORDERS[3]] as Order[];
    expect(ids(payloads<Order>(oofs))).toEqual(ids(gone));
    for (const m of oofs) {
      const o = m.json<Order>();
      expect(m.sowKey).toBe(keys.get(`${o.region}${o.id}`));
    }
    expect(ids(await remaining())).toEqual(['ap1', 'ap2', 'eu2']);
    expect(await drain(watcher, 100)).toEqual([]);
  });

  it('deletes by SOW keys', async () => {
    await seed();
    const stats = await client.sowDeleteByKeys(topic, [keys.get('eu2') ?? '', keys.get('ap1') ?? '']);
    expect(stats.recordsDeleted).toBe(2);
    const oofs = await take(watcher, 2);
    expect(oofs.map((m) => [m.command, m.reason])).toEqual([
      ['oof', 'deleted'],
      ['oof', 'deleted'],
    ]);
    expect(ids(payloads<Order>(oofs))).toEqual(['ap1', 'eu2']);
    expect(ids(await remaining())).toEqual(['ap2', 'eu1', 'us1', 'us2']);
  });

  it('deletes by data: the server computes the key from the message', async () => {
    await seed();
    const stats = await client.sowDeleteByData(topic, JSON.stringify({ region: 'ap', id: 2, qty: 0 }));
    expect(stats.recordsDeleted).toBe(1);
    const [oof] = await take(watcher, 1);
    expect(oof?.reason).toBe('deleted');
    // The oof carries the stored record, not the data of the delete.
    expect(oof?.json()).toEqual({ region: 'ap', id: 2, qty: 55 });
    expect(ids(await remaining())).toEqual(['ap1', 'eu1', 'eu2', 'us1', 'us2']);
  });

  it('deleting nothing reports zero and sends no oof', async () => {
    await seed();
    const stats = await client.sowDelete(topic, '/qty > 1000');
    expect(stats.recordsDeleted).toBe(0);
    const byKey = await client.sowDeleteByKeys(topic, '12345');
    expect(byKey.recordsDeleted).toBe(0);
    expect(await drain(watcher, 100)).toEqual([]);
    expect(await remaining()).toHaveLength(6);
  });

  it('fails with InvalidTopicError on a topic without a SOW and BadFilterError for a bad filter', async () => {
    await seed();
    await expect(client.sowDelete('not_a_sow_topic', '/id = 1')).rejects.toBeInstanceOf(InvalidTopicError);
    const error = await client.sowDelete(topic, "/region = 'us").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadFilterError);
    expect(await remaining()).toHaveLength(6);
    await client.publishFlush(WAIT_MS);
  });
});
