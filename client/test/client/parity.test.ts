import { afterEach, describe, expect, it } from 'vitest';
import { Client } from '../../src/client.js';
import {
  BadFilterError,
  DisconnectedError,
  SubscriptionAlreadyExistsError,
  TimedOutError,
  UsageError,
} from '../../src/errors.js';
import { DefaultAuthenticator } from '../../src/authenticator.js';
import { Message } from '../../src/protocol/message.js';
import { ackFor, FakeServer } from './fakeServer.js';
import { loggedOn, settle, TEST_URI } from './helpers.js';
import { SEED_METHODS } from './seedMethods.js';

let client: Client;
let server: FakeServer;
afterEach(async () => {
  await client.disconnect();
});

describe('parity with the seed Client', () => {
  it('has a method for every non-deprecated seed method, plus name and convertVersionToNumber', () => {
    client = new Client('parity');
    const record = client as unknown as Record<string, unknown>;
    const missing = SEED_METHODS.filter((m) => typeof record[m] !== 'function');
    expect(missing).toEqual([]);
    expect(client.name).toBe('parity');
    client.setName('renamed');
    expect(client.name).toBe('renamed');
    expect(client.getName()).toBe('renamed');
    expect(Client.convertVersionToNumber('3.8.1.7')).toBe(3080107);
    expect(Client.Bookmarks).toMatchObject({ EPOCH: '0', NOW: '0|1|', MOST_RECENT: 'recent' });
  });
});

describe('classes the seed Client hands out', () => {
  it('VersionInfo of the logon ack, and the DefaultAuthenticator', async () => {
    ({ client, server } = await loggedOn());
    expect(client.getServerVersion()).toBe(5030501);
    const info = client.getServerVersionInfo();
    expect(info.getVersionString()).toBe('5.3.5.1');
    expect(info.getOldStyleVersion()).toBe(5030501);
    expect(info.getVersionNumber()).toBe(500030000500001n);
    expect(info.setVersion('3.8.1.7').getOldStyleVersion()).toBe(3080107);
    const auth = new DefaultAuthenticator();
    expect(auth.authenticate('alice', 'secret')).toBe('secret');
    expect(auth.retry('alice', 'token-2')).toBe('token-2');
    expect(auth.completed('alice', 'secret', 'success')).toBeUndefined();
  });
});

describe('allocateMessage and sendMessage (the seed send)', () => {
  it('sends an allocated message exactly as built, without adding ids or acks', async () => {
    ({ client, server } = await loggedOn());
    const message = client.allocateMessage({ command: 'publish', topic: 'orders' }, '{"id":1}');
    expect(message.text).toBe('{"id":1}');
    await expect(client.sendMessage(message)).resolves.toBeUndefined();
    const sent = await server.next('publish');
    expect(sent.fields).toEqual({ command: 'publish', topic: 'orders' });
    expect(sent.payload.toString()).toBe('{"id":1}');
    const withId = client.allocateMessage({ command: 'flush', commandId: 'f-9' });
    await expect(client.sendMessage(withId)).resolves.toBe('f-9');
    expect((await server.next('flush')).fields).toEqual({ command: 'flush', commandId: 'f-9' });
  });

  it('with a handler: adds a command id and sub id, waits for processed, routes deliveries', async () => {
    ({ client, server } = await loggedOn());
    const got: string[] = [];
    const message = client.allocateMessage({ command: 'subscribe', topic: 'orders', ackType: 'processed' });
    const id = await client.sendMessage(message, (m) => got.push(`${m.command}:${m.ackType ?? m.text}`));
    const sent = await server.next('subscribe');
    expect(id).toBeDefined();
    expect(sent.fields.commandId).toBe(id);
    expect(sent.fields.subId).toBe(id);
    expect(sent.fields.ackType).toBe('processed');
    server.reply({ command: 'publish', topic: 'orders', subIds: id ?? '' }, 'live');
    await settle();
    expect(got).toEqual(['ack:processed', 'publish:live']);
    const again = client.allocateMessage({ command: 'subscribe', topic: 'orders', subId: id ?? '' });
    await expect(client.sendMessage(again, () => {})).rejects.toBeInstanceOf(SubscriptionAlreadyExistsError);
  });

  it('with a handler: a failed ack rejects with the mapped error; silence times out', async () => {
    ({ client, server } = await loggedOn());
    server.on('sow', (cmd, s) =>
      s.reply(ackFor(cmd, 'processed', { status: 'failure', reason: 'bad filter' })),
    );
    const sow = client.allocateMessage({
      command: 'sow',
      topic: 'orders',
      filter: '/x =',
      ackType: 'processed',
    });
    const err = await client.sendMessage(sow, () => {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadFilterError);
    expect((await server.next('sow')).fields.queryId).toBeDefined();
    server.on('flush', () => {});
    const flush = client.allocateMessage({ command: 'flush', ackType: 'processed' });
    const late = await client.sendMessage(flush, () => {}, 20).catch((e: unknown) => e);
    expect(late).toBeInstanceOf(TimedOutError);
    expect((late as Error).message).toMatch(/flush timed out after 20 ms/);
  });

  it('rejects bad input with a clear error, and DisconnectedError without a connection', async () => {
    ({ client, server } = await loggedOn());
    await expect(client.sendMessage(client.allocateMessage({ topic: 't' }))).rejects.toThrow(
      /the message has no command/,
    );
    await expect(client.sendMessage(new Message({ command: 'frobnicate' }))).rejects.toThrow(
      /unknown command "frobnicate"/,
    );
    await expect(client.sendMessage(new Message({ command: 'logon' }))).rejects.toThrow(/use logon\(\)/);
    await expect(
      client.sendMessage(new Message({ command: 'flush', ackType: 'done' }), () => {}),
    ).rejects.toThrow(/unknown ack type "done"/);
    await expect(client.sendMessage(new Message({ command: 'flush' }), undefined, -1)).rejects.toBeInstanceOf(
      UsageError,
    );
    await expect(client.sendMessage({} as Message)).rejects.toThrow(/needs a Message/);
    await client.disconnect();
    const offline = new Client('offline', { transportFactory: new FakeServer().factory });
    await expect(
      offline.sendMessage(offline.allocateMessage({ command: 'publish', topic: 't' }, 'x')),
    ).rejects.toBeInstanceOf(DisconnectedError);
    await offline.connect(TEST_URI);
    await offline.disconnect();
  });

  it('sowDelete family with a handler: the acks go to it and the call returns the command id', async () => {
    ({ client, server } = await loggedOn());
    server.on('sow_delete', (cmd, s) => {
      s.reply(ackFor(cmd, 'processed'));
      s.reply(ackFor(cmd, 'stats', { recordsDeleted: '2', matches: '2' }));
    });
    const acks: string[] = [];
    const handler = (m: Message): void => {
      acks.push(`${m.ackType ?? ''}:${m.header('recordsDeleted') ?? '-'}`);
    };
    const id = await client.sowDelete('orders', '/qty > 5', { handler });
    const sent = await server.next('sow_delete');
    expect(id).toBe(sent.fields.commandId);
    expect(sent.fields.filter).toBe('/qty > 5');
    await settle();
    expect(acks).toEqual(['processed:-', 'stats:2']);
    await client.sowDeleteByKeys('orders', ['k1', 'k2'], { handler });
    await client.sowDeleteByData('orders', '{"id":1}', { handler });
    await settle();
    expect(server.commands('sow_delete').map((c) => c.fields.sowKeys ?? c.payload.toString())).toEqual([
      '',
      'k1,k2',
      '{"id":1}',
    ]);
    const stats = await client.sowDelete('orders', '1=1');
    expect(stats.ackType).toBe('stats');
  });
});
