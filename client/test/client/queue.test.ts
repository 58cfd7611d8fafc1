import { afterEach, describe, expect, it } from 'vitest';
import type { Client } from '../../src/client.js';
import { ackFor, type FakeServer } from './fakeServer.js';
import { loggedOn, settle } from './helpers.js';

let client: Client;
let server: FakeServer;
afterEach(async () => {
  await client.disconnect();
});

const LP = '20300101T000000.000000Z';

function deliver(subId: string, n: number, lp: string | null = LP): void {
  const f = { command: 'publish', topic: 'work.q', subIds: subId, bookmark: `7|${n}|` } as Record<
    string,
    string
  >;
  if (lp) f.leasePeriod = lp;
  server.reply(f, `{"n":${n}}`);
}

describe('queue acknowledgement (spec §11.2)', () => {
  it('message.ack sends sow_delete with the bookmark; messages without lp are not acked', async () => {
    ({ client, server } = await loggedOn());
    const s = await client.subscribe('work.q', undefined, { subId: 'Q' });
    deliver('Q', 1);
    deliver('Q', 2, null);
    const m1 = await s.read(500);
    const m2 = await s.read(500);
    expect(m1?.isQueueMessage).toBe(true);
    expect(m1?.ack()).toBe(true);
    expect(m2?.ack()).toBe(false);
    const del = await server.next('sow_delete');
    expect(del.header).toBe('{"c":"sow_delete","t":"work.q","cid":"AMPS-queue-ack","bookmark":"7|1|"}');
    await settle();
    expect(server.commands('sow_delete')).toHaveLength(1);
  });

  it('batches acks per topic and options into one comma-separated sow_delete', async () => {
    ({ client, server } = await loggedOn({ ackBatchSize: 3, ackTimeoutMs: 60_000 }));
    client.ack('work.q', '7|1|');
    client.ack('work.q', '7|2|', 'cancel');
    client.ack('work.q', '7|3|');
    await settle();
    expect(server.commands('sow_delete')).toHaveLength(0);
    client.ack('work.q', '7|4|');
    const del = await server.next('sow_delete');
    expect(del.fields.bookmark).toBe('7|1|,7|3|,7|4|');
    expect(del.fields.options).toBeUndefined();
    client.flushAcks();
    await settle();
    const cancel = server.commands('sow_delete')[1];
    expect(cancel?.header).toBe(
      '{"c":"sow_delete","t":"work.q","cid":"AMPS-queue-ack","bookmark":"7|2|","o":"cancel"}',
    );
  });

  it('sends a partial batch when the ack timeout expires', async () => {
    ({ client, server } = await loggedOn({ ackBatchSize: 10, ackTimeoutMs: 20 }));
    client.ack('work.q', '7|1|');
    client.ack('work.q', '7|2|');
    const del = await server.next('sow_delete', () => true, 1000);
    expect(del.fields.bookmark).toBe('7|1|,7|2|');
    expect(client.getAckBatchSize()).toBe(10);
  });

  it('lowers the batch size to the granted max_backlog', async () => {
    ({ client, server } = await loggedOn({ ackBatchSize: 10 }));
    server.on('subscribe', (cmd, s) => s.reply(ackFor(cmd, 'processed', { options: 'max_backlog=2' })));
    await client.subscribe('work.q', undefined, { options: 'max_backlog=50' });
    expect(client.getAckBatchSize()).toBe(2);
  });

  it('auto-acks handled messages and cancels those whose handler throws', async () => {
    ({ client, server } = await loggedOn({ autoAck: true, ackBatchSize: 1 }));
    client.setExceptionListener(() => {});
    await client.subscribe('work.q', undefined, {
      subId: 'Q',
      handler: (m) => {
        if (m.text.includes('2')) throw new Error('cannot handle');
      },
    });
    deliver('Q', 1);
    deliver('Q', 2);
    await settle();
    expect(server.commands('sow_delete').map((d) => [d.fields.bookmark, d.fields.options])).toEqual([
      ['7|1|', undefined],
      ['7|2|', 'cancel'],
    ]);
  });

  it('auto-acks stream messages as the application takes them', async () => {
    ({ client, server } = await loggedOn({ autoAck: true }));
    const s = await client.subscribe('work.q', undefined, { subId: 'Q' });
    deliver('Q', 1);
    deliver('Q', 2);
    await settle();
    expect(server.commands('sow_delete')).toHaveLength(0);
    await s.read();
    await settle();
    expect(server.commands('sow_delete').map((d) => d.fields.bookmark)).toEqual(['7|1|']);
  });
});
