/**
 * Conformance: commands the client writes, against the defaults and examples of spec §4.1,
 * §4.10, §8.5 (acks compared as sets: their order carries no meaning).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Client } from '../../src/client.js';
import { Command } from '../../src/protocol/command.js';
import { MemoryBookmarkStore } from '../../src/stores/bookmark/memoryBookmarkStore.js';
import { MemoryPublishStore } from '../../src/stores/publish/memoryPublishStore.js';
import { ackFor, type FakeServer, type Received } from '../client/fakeServer.js';
import { loggedOn, settle } from '../client/helpers.js';

let client: Client | undefined;
let server: FakeServer;
afterEach(async () => {
  await client?.disconnect();
  client = undefined;
});

const acks = (r: Received | undefined): string[] => (r?.fields.ackType ?? '').split(',').sort();

/** Answers sow_delete with processed and stats acks. */
function answerDelete(cmd: Received, s: FakeServer): void {
  s.reply(ackFor(cmd, 'processed'));
  s.reply(ackFor(cmd, 'stats', { recordsDeleted: '1', matches: '1', topicMatches: '5' }));
}

describe('§8.5 bookmark subscription with a bookmark store', () => {
  it('asks for processed, completed and persisted; sub_id = cid; bookmark as given', async () => {
    ({ client, server } = await loggedOn({ bookmarkStore: new MemoryBookmarkStore() }));
    await client.execute(
      new Command('subscribe').setTopic('orders').setBookmark('0').addAckType('completed'),
    );
    const sent = server.commands('subscribe')[0];
    expect(acks(sent)).toEqual(['completed', 'persisted', 'processed']);
    expect(sent?.fields.subId).toBe(sent?.fields.commandId);
    expect(sent?.fields.bookmark).toBe('0');
    expect(sent?.fields.topic).toBe('orders');
  });
});

describe('§4.10 sow_delete', () => {
  it('the three query forms ask for processed,stats with query_id = cid; by data carries the payload', async () => {
    ({ client, server } = await loggedOn());
    server.on('sow_delete', answerDelete);
    await client.sowDelete('orders', "/status = 'closed'");
    await client.sowDeleteByKeys('orders', ['1001', '1002']);
    await client.sowDeleteByData('orders', '{"id":1}');
    const [byFilter, byKeys, byData] = server.commands('sow_delete');
    for (const r of [byFilter, byKeys, byData]) {
      expect(acks(r)).toEqual(['processed', 'stats']);
      expect(r?.fields.queryId).toBe(r?.fields.commandId);
    }
    expect(byFilter?.fields.filter).toBe("/status = 'closed'");
    expect(byKeys?.fields.sowKeys).toBe('1001,1002');
    expect(byData?.payload.toString()).toBe('{"id":1}');
    expect(byData?.fields.filter ?? byData?.fields.sowKeys ?? byData?.fields.bookmark).toBeUndefined();
  });

  it('with a publish store it is stored: persisted is added and s is sent (§4.10, §12.4)', async () => {
    ({ client, server } = await loggedOn({ publishStore: new MemoryPublishStore({ now: () => 1 }) }));
    server.on('sow_delete', answerDelete);
    const stats = await client.sowDelete('orders', '1=1');
    expect(stats.recordsDeleted).toBe(1);
    const sent = server.commands('sow_delete')[0];
    expect(acks(sent)).toEqual(['persisted', 'processed', 'stats']);
    expect(sent?.header).toContain('"s":1000000');
    expect(client.getUnpersistedCount()).toBe(1);
  });

  it('the queue-ack form (bookmark) asks for no ack without a publish store (§4.1, §11.2)', async () => {
    ({ client, server } = await loggedOn());
    await client.execute(new Command('sow_delete').setTopic('work.q').setBookmark('7|1|'));
    await settle();
    const sent = server.commands('sow_delete')[0];
    expect(sent?.fields.ackType).toBeUndefined();
    expect(sent?.fields.bookmark).toBe('7|1|');
  });
});

describe('§4.1 / §4.11 defaults', () => {
  it('sow_and_delta_subscribe: sub_id = query_id = cid, batch_size 10 as a number, processed only', async () => {
    ({ client, server } = await loggedOn());
    await client.sowAndDeltaSubscribe('orders', '/qty > 1');
    const sent = server.commands('sow_and_delta_subscribe')[0];
    const cid = sent?.fields.commandId ?? '';
    expect([sent?.fields.subId, sent?.fields.queryId]).toEqual([cid, cid]);
    expect(sent?.header).toContain('"batch_size":10');
    expect(acks(sent)).toEqual(['processed']);
  });

  it('unsubscribe asks for no ack; without an id it sends sub_id all', async () => {
    ({ client, server } = await loggedOn());
    const s = await client.subscribe('orders', undefined, { subId: 'S1' });
    await client.unsubscribe('S1');
    await client.unsubscribe();
    await settle();
    expect(server.commands('unsubscribe').map((r) => r.header)).toEqual([
      '{"c":"unsubscribe","sub_id":"S1"}',
      '{"c":"unsubscribe","sub_id":"all"}',
    ]);
    expect(await s.read(10)).toBeUndefined();
  });
});
