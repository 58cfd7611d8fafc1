import { afterEach, describe, expect, it } from 'vitest';
import type { Client } from '../../src/client.js';
import type { PublishStoreHook } from '../../src/client/hooks.js';
import { DisconnectedError, PublishError, TimedOutError, UsageError } from '../../src/errors.js';
import { Command } from '../../src/protocol/command.js';
import type { Message } from '../../src/protocol/message.js';
import { ackFor, type FakeServer } from './fakeServer.js';
import { loggedOn, settle } from './helpers.js';

let client: Client;
let server: FakeServer;
afterEach(async () => {
  await client.disconnect();
});

describe('publish', () => {
  it('writes the spec §1.5 publish frame (c=p, no cid, no ack)', async () => {
    ({ client, server } = await loggedOn());
    expect(client.publish('orders', '{"id":1,"qty":10}')).toBeUndefined();
    const p = await server.next('publish');
    expect(p.header).toBe('{"c":"p","t":"orders"}');
    expect(p.payload.toString()).toBe('{"id":1,"qty":10}');
  });

  it('sends expiration, correlation id and sow key; delta publishes', async () => {
    ({ client, server } = await loggedOn());
    client.publish('orders', Buffer.from('{"id":2}'), {
      expiration: 30,
      correlationId: 'eA==',
      sowKey: 'k2',
    });
    client.deltaPublish('orders', '{"id":2,"qty":5}');
    const d = await server.next('delta_publish');
    const [p] = server.commands('publish');
    expect(p?.header).toBe('{"c":"p","t":"orders","e":"30","x":"eA==","k":"k2"}');
    expect(d.header).toBe('{"c":"delta_publish","t":"orders"}');
    expect(() => client.publish('', 'x')).toThrow(UsageError);
    expect(() => client.publish('t', 'x', { expiration: -1 })).toThrow(/non-negative integer/);
  });

  it('publishFlush waits for the flush ack of the requested type', async () => {
    ({ client, server } = await loggedOn());
    client.publish('orders', '1');
    await client.publishFlush();
    let persisted = false;
    server.on('flush', (cmd, s) => {
      setTimeout(() => {
        persisted = true;
        s.reply(ackFor(cmd, 'persisted'));
      }, 20);
    });
    await client.publishFlush(1000, 'persisted');
    expect(persisted).toBe(true);
    const flushes = server.commands('flush');
    expect(flushes.map((f) => f.fields.ackType)).toEqual(['processed', 'persisted']);
    expect(flushes[0]?.header).toBe(`{"c":"flush","cid":"${flushes[0]?.fields.commandId}","a":"processed"}`);
  });

  it('flush times out and rejects on a failed ack', async () => {
    ({ client, server } = await loggedOn());
    server.on('flush', () => {});
    await expect(client.flush(30)).rejects.toBeInstanceOf(TimedOutError);
    server.on('flush', (cmd, s) =>
      s.reply(ackFor(cmd, 'processed', { status: 'failure', reason: 'tx store failure' })),
    );
    await expect(client.flush()).rejects.toBeInstanceOf(PublishError);
  });

  it('execute resolves a publish with a processed ack request', async () => {
    ({ client, server } = await loggedOn());
    const stream = await client.execute(
      new Command('publish').setTopic('orders').setData('x').setAckType('processed'),
    );
    const acks = await stream.toArray();
    expect(acks.map((a) => a.ackType)).toEqual(['processed']);
    expect(server.commands('publish')[0]?.header).toMatch(
      /^\{"c":"p","t":"orders","cid":"\d+","a":"processed"\}$/,
    );
  });

  it('throws DisconnectedError when not connected', async () => {
    ({ client, server } = await loggedOn());
    await client.disconnect();
    expect(() => client.publish('orders', 'x')).toThrow(DisconnectedError);
  });
});

describe('publish store hook and persisted acks (spec §5.5)', () => {
  function memoryStore(): PublishStoreHook & { stored: string[]; discarded: string[] } {
    let seq = 1700000000000000000n;
    const stored: string[] = [];
    const discarded: string[] = [];
    return {
      stored,
      discarded,
      store: () => {
        seq += 1n;
        stored.push(seq.toString());
        return seq.toString();
      },
      discardUpTo: (s) => {
        discarded.push(s);
      },
      unpersistedCount: () => stored.length - discarded.length,
    };
  }

  it('stores, sends a=persisted with an exact big sequence, and discards on the conflated persisted ack', async () => {
    const store = memoryStore();
    ({ client, server } = await loggedOn({ publishStore: store }));
    const seq = client.publish('orders', '{"id":1}');
    expect(seq).toBe('1700000000000000001');
    const p = await server.next('publish');
    expect(p.header).toBe('{"c":"p","t":"orders","a":"persisted","s":1700000000000000001}');
    server.reply({
      command: 'ack',
      ackType: 'persisted',
      status: 'success',
      sequence: '1700000000000000001',
    });
    await settle();
    expect(store.discarded).toEqual(['1700000000000000001']);
    expect(client.getUnpersistedCount()).toBe(0);
  });

  it('reports refused writes to the failed-write handler', async () => {
    const store = memoryStore();
    ({ client, server } = await loggedOn({ publishStore: store }));
    const failed: [Message, string][] = [];
    client.setFailedWriteHandler((m, reason) => failed.push([m, reason]));
    client.publish('orders', '{"id":1}');
    server.reply({
      command: 'ack',
      ackType: 'persisted',
      status: 'failure',
      reason: 'not entitled',
      sequence: '1700000000000000001',
    });
    await settle();
    expect(failed.map(([m, r]) => [m.sequence, r])).toEqual([['1700000000000000001', 'not entitled']]);
    expect(store.discarded).toEqual([]);
  });

  it('passes bookmark persisted acks to the bookmark store and filters duplicates', async () => {
    const persisted: string[] = [];
    const seen = new Set<string>();
    ({ client, server } = await loggedOn({
      bookmarkStore: {
        log: (sub, bm) => {
          const key = `${sub}/${bm}`;
          if (seen.has(key)) return false;
          seen.add(key);
          return true;
        },
        persisted: (sub, bm) => persisted.push(`${sub}/${bm}`),
        mostRecent: () => '5|9|',
      },
    }));
    const dups: Message[] = [];
    client.setDuplicateMessageHandler((m) => dups.push(m));
    const stream = await client.bookmarkSubscribe('orders', 'recent', undefined, { subId: 'B' });
    const sent = server.commands('subscribe')[0];
    expect(sent?.fields.bookmark).toBe('5|9|');
    expect(sent?.fields.ackType).toBe('processed,persisted');
    server.reply({ command: 'publish', topic: 'orders', subIds: 'B', bookmark: '5|10|' }, 'a');
    server.reply({ command: 'publish', topic: 'orders', subIds: 'B', bookmark: '5|10|' }, 'a again');
    server.reply({ command: 'ack', ackType: 'persisted', status: 'success', subId: 'B', bookmark: '5|10|' });
    await settle();
    expect(stream.depth).toBe(1);
    expect(dups.map((m) => m.text)).toEqual(['a again']);
    expect(persisted).toEqual(['B/5|10|']);
  });
});
