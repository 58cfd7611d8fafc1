/**
 * Conformance: the client with a publish store (spec §6.3, §11.2, §12.1, §12.4):
 * - queue acks are stored and sent with `a=persisted` and a sequence, so that they are
 *   replayed after a reconnect; stored `cancel` acks are not replayed;
 * - a logon ack whose `s` is above everything the store holds moves the next sequence past it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Client } from '../../src/client.js';
import { MemoryPublishStore } from '../../src/stores/publish/memoryPublishStore.js';
import { ackFor, FakeServer } from '../client/fakeServer.js';
import { TEST_URI, loggedOn, settle } from '../client/helpers.js';

let client: Client | undefined;
afterEach(async () => {
  await client?.disconnect();
  client = undefined;
});

/** A client logged on to a new fake server whose logon ack carries `s` = `sequence`. */
async function logonWith(store: MemoryPublishStore, sequence: string): Promise<FakeServer> {
  const server = new FakeServer();
  server.on('logon', (cmd, s) => s.reply(ackFor(cmd, 'processed', { version: '5.3.5.1', sequence })));
  client = new Client('viewer-1', { transportFactory: server.factory, publishStore: store });
  await client.connect(TEST_URI);
  await client.logon();
  return server;
}

describe('queue acks with a publish store (§11.2, §12.1)', () => {
  it('are sent with a=persisted and the stored sequence, and discarded by the persisted ack', async () => {
    const store = new MemoryPublishStore({ now: () => 1 });
    let server: FakeServer;
    ({ client, server } = await loggedOn({ publishStore: store }));
    client.ack('work.q', '7|1|');
    const del = await server.next('sow_delete');
    expect(del.header).toBe(
      '{"c":"sow_delete","t":"work.q","cid":"AMPS-queue-ack","a":"persisted","s":1000000,"bookmark":"7|1|"}',
    );
    expect(client.getUnpersistedCount()).toBe(1);
    server.reply({ command: 'ack', ackType: 'persisted', status: 'success', sequence: '1000000' });
    await settle();
    expect(client.getUnpersistedCount()).toBe(0);
  });

  it('unacknowledged ones are replayed after the next logon with their sequence; cancels are not', async () => {
    const store = new MemoryPublishStore({ now: () => 1 });
    let server: FakeServer;
    ({ client, server } = await loggedOn({ publishStore: store }));
    client.ack('work.q', '7|1|');
    client.ack('work.q', '7|2|', 'cancel');
    client.publish('orders', '{"id":1}');
    await settle();
    expect(server.commands('sow_delete')).toHaveLength(2);
    server.drop();
    await settle();
    const second = await logonWith(store, '0');
    await second.next('publish');
    expect(second.received.map((r) => r.header)).toEqual([
      second.received[0]?.header,
      '{"c":"sow_delete","t":"work.q","cid":"AMPS-queue-ack","a":"persisted","s":1000000,"bookmark":"7|1|"}',
      '{"c":"p","t":"orders","a":"persisted","s":1000002}',
    ]);
    expect(second.received[0]?.fields.command).toBe('logon');
  });
});

describe('replayed commands and command ids (§4.1, §12.4)', () => {
  it("a stored command's old cid is not sent again, so its acks cannot reach a new command", async () => {
    // A store that outlives its client (a file store after a restart, or the HA client's next
    // connection): the new client numbers its commands from 1 again.
    const store = new MemoryPublishStore({ now: () => 1 });
    let first: FakeServer;
    ({ client, server: first } = await loggedOn({ publishStore: store }));
    first.on('sow_delete', (cmd, s) => {
      s.reply(ackFor(cmd, 'processed'));
      s.reply(ackFor(cmd, 'stats', { recordsDeleted: '0' }));
    });
    await client.sowDelete('orders', '1=1');
    const oldCid = first.commands('sow_delete')[0]?.fields.commandId;
    first.drop();
    await settle();
    const second = await logonWith(store, '0');
    const replayed = await second.next('sow_delete');
    expect(replayed.fields.sequence).toBe('1000000');
    expect(replayed.fields.ackType).toBe('persisted');
    expect(replayed.fields.commandId).toBeUndefined();
    const stream = await client!.subscribe('orders', undefined, { subId: 'S' });
    expect(second.commands('subscribe')[0]?.fields.commandId).toBe(oldCid);
    // The server refuses the replayed delete as a duplicate, echoing whatever cid it carried.
    second.reply({
      command: 'ack',
      ...(replayed.fields.commandId !== undefined ? { commandId: replayed.fields.commandId } : {}),
      ackType: 'persisted',
      status: 'failure',
      reason: 'duplicate',
      sequence: '1000000',
    });
    second.reply({ command: 'publish', topic: 'orders', subIds: 'S' }, 'still here');
    expect((await stream.read(500))?.text).toBe('still here');
  });
});

describe('logon ack sequence (§6.3)', () => {
  it('a logon ack s above the store moves the next publish past it', async () => {
    const store = new MemoryPublishStore({ now: () => 1 });
    const server = await logonWith(store, '1700000000000000005');
    expect(client?.publish('orders', '{"id":1}')).toBe('1700000000000000006');
    const sent = await server.next('publish');
    expect(sent.header).toBe('{"c":"p","t":"orders","a":"persisted","s":1700000000000000006}');
  });
});
