import { afterEach, describe, expect, it } from 'vitest';
import { Client } from '../../src/client.js';
import { BadFilterError, SubscriptionAlreadyExistsError } from '../../src/errors.js';
import { Command } from '../../src/protocol/command.js';
import type { Message } from '../../src/protocol/message.js';
import { MessageOptions } from '../../src/protocol/options.js';
import { ackFor, type FakeServer } from './fakeServer.js';
import { loggedOn, settle } from './helpers.js';

let client: Client;
let server: FakeServer;
afterEach(async () => {
  await client.disconnect();
});

describe('subscribe', () => {
  it('sends the defaults of spec §4.1 and resolves on the processed ack', async () => {
    ({ client, server } = await loggedOn());
    const stream = await client.subscribe('orders', '/qty > 5', {
      options: new MessageOptions().oof().timestamp(),
    });
    const sub = server.commands('subscribe')[0];
    expect(sub?.header).toBe(
      `{"c":"subscribe","t":"orders","cid":"${stream.commandId}","filter":"/qty > 5","a":"processed","sub_id":"${stream.commandId}","o":"oof,timestamp"}`,
    );
    expect(stream.subId).toBe(stream.commandId);
  });

  it('routes deliveries by each id in sids', async () => {
    ({ client, server } = await loggedOn());
    const a = await client.subscribe('orders', undefined, { subId: 'A' });
    const b = await client.subscribe('orders', undefined, { subId: 'B' });
    server.reply(
      { command: 'publish', topic: 'orders', subIds: 'A,B', sowKey: '1', length: '8' },
      '{"id":1}',
    );
    server.reply({ command: 'publish', topic: 'orders', subIds: 'B', length: '8' }, '{"id":2}');
    server.reply({ command: 'oof', topic: 'orders', subIds: 'A', sowKey: '1', reason: 'match' }, '{"id":1}');
    await settle();
    expect(a.depth).toBe(2);
    expect(b.depth).toBe(2);
    const fromA = [await a.read(), await a.read()];
    expect(fromA.map((m) => m?.command)).toEqual(['publish', 'oof']);
    expect(fromA[0]?.json()).toEqual({ id: 1 });
    expect(fromA[1]?.reason).toBe('match');
    expect((await b.read())?.text).toBe('{"id":1}');
    expect((await b.read())?.text).toBe('{"id":2}');
  });

  it('rejects with the mapped error of a failed ack', async () => {
    ({ client, server } = await loggedOn());
    server.on('subscribe', (cmd, s) =>
      s.reply(ackFor(cmd, 'processed', { status: 'failure', reason: 'bad filter' })),
    );
    const err = await client.subscribe('orders', '/qty >').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadFilterError);
    expect((err as Error).message).toBe('subscribe "orders" failed: bad filter');
  });

  it('calls a handler and resolves with the subscription id', async () => {
    ({ client, server } = await loggedOn());
    const got: Message[] = [];
    const subId = await client.subscribe('orders', undefined, { handler: (m) => got.push(m) });
    server.reply({ command: 'publish', topic: 'orders', subIds: subId }, 'x');
    await settle();
    expect(got.map((m) => m.text)).toEqual(['x']);
  });

  it('reports handler errors to the exception listener and keeps delivering', async () => {
    ({ client, server } = await loggedOn());
    const errors: unknown[] = [];
    client.setExceptionListener((e) => errors.push(e));
    let n = 0;
    const subId = await client.subscribe('orders', undefined, {
      handler: () => {
        n++;
        throw new Error(`boom ${n}`);
      },
    });
    server.reply({ command: 'publish', topic: 'orders', subIds: subId }, '1');
    server.reply({ command: 'publish', topic: 'orders', subIds: subId }, '2');
    await settle();
    expect(n).toBe(2);
    expect(errors.map((e) => (e as Error).message)).toEqual(['boom 1', 'boom 2']);
  });

  it('gives messages no route wants to the last-chance handler', async () => {
    ({ client, server } = await loggedOn());
    const lost: Message[] = [];
    client.setLastChanceMessageHandler((m) => lost.push(m));
    server.reply({ command: 'publish', topic: 'orders', subIds: 'nobody' }, 'x');
    server.reply({ command: 'ack', commandId: '999', ackType: 'processed', status: 'success' });
    await settle();
    expect(lost.map((m) => m.command)).toEqual(['publish', 'ack']);
  });

  it('unsubscribes one or all subscriptions and ends their streams', async () => {
    ({ client, server } = await loggedOn());
    const a = await client.subscribe('orders', undefined, { subId: 'A' });
    const b = await client.subscribe('trades', undefined, { subId: 'B' });
    await client.unsubscribe('A');
    expect(a.isEnded).toBe(true);
    expect(b.isEnded).toBe(false);
    await client.unsubscribe();
    expect(b.isEnded).toBe(true);
    await settle();
    expect(server.commands('unsubscribe').map((u) => u.header)).toEqual([
      '{"c":"unsubscribe","sub_id":"A"}',
      '{"c":"unsubscribe","sub_id":"all"}',
    ]);
  });

  it('unsubscribes when the application leaves the loop', async () => {
    ({ client, server } = await loggedOn());
    const s = await client.subscribe('orders', undefined, { subId: 'S' });
    server.reply({ command: 'publish', topic: 'orders', subIds: 'S' }, '1');
    for await (const m of s) {
      expect(m.text).toBe('1');
      break;
    }
    const un = await server.next('unsubscribe');
    expect(un.fields.subId).toBe('S');
  });

  it('refuses a second subscription with the same id unless it replaces', async () => {
    ({ client, server } = await loggedOn());
    const first = await client.subscribe('orders', '/a = 1', { subId: 'S' });
    await expect(client.subscribe('orders', '/a = 2', { subId: 'S' })).rejects.toBeInstanceOf(
      SubscriptionAlreadyExistsError,
    );
    const again = await client.subscribe('orders', '/a = 3', { subId: 'S', options: 'replace' });
    expect(again).toBe(first);
    server.reply({ command: 'publish', topic: 'orders', subIds: 'S' }, 'after');
    expect((await first.read(500))?.text).toBe('after');
    const replace = server.commands('subscribe')[1];
    expect(replace?.fields.options).toBe('replace');
    expect(replace?.fields.filter).toBe('/a = 3');
  });

  it('delta subscribes and bookmark subscribes with the special values', async () => {
    ({ client, server } = await loggedOn());
    await client.deltaSubscribe('orders', undefined, { subId: 'D' });
    await client.bookmarkSubscribe('orders', Client.Bookmarks.NOW, undefined, { subId: 'N', topN: 5 });
    await client.bookmarkSubscribe('orders', 'recent', undefined, { subId: 'R' });
    const [d, n, r] = [server.commands('delta_subscribe')[0], ...server.commands('subscribe')];
    expect(d?.fields.subId).toBe('D');
    expect(n?.header).toContain('"top_n":5');
    expect(n?.fields.bookmark).toBe('0|1|');
    expect(r?.fields.bookmark).toBe('0');
  });

  it('passes a bookmark subscription its replay, completed ack and live messages in order', async () => {
    ({ client, server } = await loggedOn());
    const cmd = new Command('subscribe')
      .setTopic('orders')
      .setBookmark('0')
      .setSubId('bm')
      .addAckType('completed');
    const stream = await client.execute(cmd);
    const sent = server.commands('subscribe')[0];
    expect(sent?.fields.ackType).toBe('processed,completed');
    server.reply({ command: 'publish', topic: 'orders', subIds: 'bm', bookmark: '1|1|' }, 'r1');
    server.reply(ackFor(sent!, 'completed', { bookmark: '1|1|' }));
    server.reply({ command: 'publish', topic: 'orders', subIds: 'bm', bookmark: '1|2|' }, 'live');
    const seen: string[] = [];
    for (let i = 0; i < 3; i++) {
      const m = await stream.read(500);
      seen.push(
        m?.command === 'ack' ? `ack ${m.ackType} ${m.bookmark}` : `${m?.command} ${m?.bookmark} ${m?.text}`,
      );
    }
    expect(seen).toEqual(['publish 1|1| r1', 'ack completed 1|1|', 'publish 1|2| live']);
  });
});
