/** The Client with the real stores of `stores/` (through the store-hook adapters). */
import { afterEach, describe, expect, it } from 'vitest';
import { Client } from '../../src/client.js';
import type { Message } from '../../src/protocol/message.js';
import { MemoryBookmarkStore } from '../../src/stores/bookmark/memoryBookmarkStore.js';
import { MemoryPublishStore } from '../../src/stores/publish/memoryPublishStore.js';
import { ackFor, FakeServer } from './fakeServer.js';
import { TEST_URI, loggedOn, settle } from './helpers.js';

let client: Client;
let server: FakeServer;
afterEach(async () => {
  await client.disconnect();
});

describe('publish store', () => {
  it('stores, discards on persisted acks, replays the rest after the next logon, and publishFlush waits for it', async () => {
    const store = new MemoryPublishStore({ now: () => 1 });
    ({ client, server } = await loggedOn({ publishStore: store }));
    const s1 = client.publish('orders', '1');
    const s2 = client.publish('orders', '2');
    const s3 = client.publish('orders', '3');
    expect([s1, s2, s3]).toEqual(['1000000', '1000001', '1000002']);
    server.reply({ command: 'ack', ackType: 'persisted', status: 'success', sequence: s1 ?? '' });
    await settle();
    expect(client.getUnpersistedCount()).toBe(2);
    server.drop();
    await settle();
    // Reconnect: the server says it already has s2; s3 is replayed with its own sequence.
    const server2 = new FakeServer();
    server2.on('logon', (cmd, s) =>
      s.reply(ackFor(cmd, 'processed', { version: '5.3.5.1', sequence: s2 ?? '' })),
    );
    client = new Client('viewer-1', { transportFactory: server2.factory, publishStore: store });
    await client.connect(TEST_URI);
    await client.logon();
    const replayed = await server2.next('publish');
    expect(replayed.header).toBe(`{"c":"p","t":"orders","a":"persisted","s":${s3}}`);
    expect(replayed.payload.toString()).toBe('3');
    server2.on('flush', (cmd, s) => {
      s.reply(ackFor(cmd, 'processed'));
      s.reply({ command: 'ack', ackType: 'persisted', status: 'success', sequence: s3 ?? '' });
    });
    await client.publishFlush(1000);
    expect(client.getUnpersistedCount()).toBe(0);
    server = server2;
  });
});

describe('bookmark store', () => {
  it('suppresses duplicates and resumes from the most recent bookmark', async () => {
    const store = new MemoryBookmarkStore();
    ({ client, server } = await loggedOn({ bookmarkStore: store }));
    const stream = await client.bookmarkSubscribe('orders', Client.Bookmarks.EPOCH, undefined, {
      subId: 'B',
    });
    server.reply({ command: 'publish', topic: 'orders', subIds: 'B', bookmark: '11|1|' }, 'one');
    server.reply({ command: 'publish', topic: 'orders', subIds: 'B', bookmark: '11|2|' }, 'two');
    await settle();
    expect(stream.depth).toBe(2);
    for (let i = 0; i < 2; i++) client.ack((await stream.read()) as Message);
    server.reply({ command: 'publish', topic: 'orders', subIds: 'B', bookmark: '11|2|' }, 'two again');
    await settle();
    expect(stream.depth).toBe(0);
    await client.unsubscribe('B');
    await client.bookmarkSubscribe('orders', Client.Bookmarks.MOST_RECENT, undefined, { subId: 'B' });
    expect(server.commands('subscribe')[1]?.fields.bookmark).toBe('11|2|');
  });
});
