import { afterEach, describe, expect, it } from 'vitest';
import type { Client } from '../../src/client.js';
import { UsageError } from '../../src/errors.js';
import type { Message } from '../../src/protocol/message.js';
import type { FakeServer } from './fakeServer.js';
import { loggedOn, settle } from './helpers.js';

let client: Client;
let server: FakeServer;
afterEach(async () => {
  await client.disconnect();
});

describe('handlers and hooks of the seed Client', () => {
  it('addMessageHandler routes a command id it did not send; removeMessageHandler stops it', async () => {
    ({ client, server } = await loggedOn());
    const got: string[] = [];
    client.addMessageHandler(
      'ext-1',
      (m) => got.push(`${m.command}:${m.ackType ?? m.text}`),
      'processed',
      true,
    );
    server.reply({ command: 'ack', commandId: 'ext-1', ackType: 'processed', status: 'success' });
    server.reply({ command: 'publish', topic: 't', subIds: 'ext-1' }, 'x');
    await settle();
    client.removeMessageHandler('ext-1');
    server.reply({ command: 'publish', topic: 't', subIds: 'ext-1' }, 'y');
    await settle();
    expect(got).toEqual(['ack:processed', 'publish:x']);
  });

  it('a global command-type handler sees every message of that type', async () => {
    ({ client, server } = await loggedOn());
    const beats: Message[] = [];
    client.setGlobalCommandTypeMessageHandler('heartbeat', (m) => beats.push(m));
    server.reply({ command: 'heartbeat' });
    await settle();
    expect(beats).toHaveLength(1);
    expect(() => client.setGlobalCommandTypeMessageHandler('', undefined)).toThrow(UsageError);
  });

  it('the transport filter sees raw traffic both ways', async () => {
    ({ client, server } = await loggedOn());
    const seen: string[] = [];
    client.setTransportFilter((bytes, incoming) => seen.push(`${incoming ? '<' : '>'} ${bytes.toString()}`));
    client.publish('orders', '{"id":1}');
    server.reply({ command: 'heartbeat' });
    await settle();
    expect(seen).toEqual(['> {"c":"p","t":"orders"}{"id":1}', '< {"c":"heartbeat"}']);
  });

  it('setName works only while disconnected', async () => {
    ({ client, server } = await loggedOn());
    expect(() => client.setName('other')).toThrow(/cannot change while connected/);
    await client.disconnect();
    client.setName('other');
    expect(client.getName()).toBe('other');
    expect(() => client.setName('')).toThrow(UsageError);
  });

  it('exposes its settings with getters', async () => {
    ({ client, server } = await loggedOn());
    client.setAckBatchSize(5);
    client.setAckTimeout(250);
    client.setAutoAck(true);
    client.setDefaultMaxDepth(100);
    client.setCommandTimeout(2000);
    expect([
      client.getAckBatchSize(),
      client.getAckTimeout(),
      client.getAutoAck(),
      client.getDefaultMaxDepth(),
      client.getCommandTimeout(),
    ]).toEqual([5, 250, true, 100, 2000]);
    expect(() => client.setAckBatchSize(0)).toThrow(RangeError);
    expect(() => client.setDefaultMaxDepth(0)).toThrow(UsageError);
    const s = await client.subscribe('t');
    expect(s.getMaxDepth()).toBe(100);
  });
});
