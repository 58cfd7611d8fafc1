import { afterEach, describe, expect, it } from 'vitest';
import { Client } from '../../src/client.js';
import {
  AlreadyConnectedError,
  ConnectionRefusedError,
  DisconnectedError,
  StreamError,
  TimedOutError,
} from '../../src/errors.js';
import type { Message } from '../../src/protocol/message.js';
import { ProtocolError } from '../../src/protocol/protocolError.js';
import type { ConnectionStatus } from '../../src/status.js';
import { FakeServer } from './fakeServer.js';
import { ManualTimers, TEST_URI, loggedOn, settle } from './helpers.js';

let client: Client;
let server: FakeServer;
afterEach(async () => {
  await client.disconnect();
});

async function drain(stream: AsyncIterable<Message>): Promise<{ texts: string[]; error: unknown }> {
  const texts: string[] = [];
  try {
    for await (const m of stream) texts.push(m.text);
    return { texts, error: undefined };
  } catch (e) {
    return { texts, error: e };
  }
}

describe('connection loss', () => {
  it('a server drop rejects pending commands and ends streams with DisconnectedError', async () => {
    ({ client, server } = await loggedOn());
    const states: ConnectionStatus[] = [];
    client.addConnectionStateListener((s) => states.push(s));
    const handlerCalls: Error[] = [];
    client.setDisconnectHandler((_c, e) => handlerCalls.push(e));
    const stream = await client.subscribe('orders', undefined, { subId: 'S' });
    server.on('sow', () => {});
    const pending = client.sow('orders');
    server.reply({ command: 'publish', topic: 'orders', subIds: 'S' }, 'before drop');
    await server.next('sow');
    server.drop();
    await expect(pending).rejects.toBeInstanceOf(DisconnectedError);
    const { texts, error } = await drain(stream);
    expect(texts).toEqual(['before drop']);
    expect(error).toBeInstanceOf(DisconnectedError);
    expect((error as Error).message).toMatch(/closed by the server/);
    expect(states.map((s) => s.state)).toEqual(['disconnected']);
    expect(handlerCalls).toHaveLength(1);
    expect(client.isConnected).toBe(false);
    await expect(client.flush()).rejects.toBeInstanceOf(DisconnectedError);
  });

  it('a malformed frame closes the connection with a StreamError; nothing hangs', async () => {
    ({ client, server } = await loggedOn());
    const stream = await client.subscribe('orders', undefined, { subId: 'S' });
    server.on('flush', () => {});
    const pending = client.flush();
    await server.next('flush');
    server.sendRaw('{"c":"p","t":"orders" "sids":"S"}x');
    const err = await pending.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StreamError);
    expect((err as Error).message).toMatch(/expected "," or "}" in header \(at byte 22\)/);
    const { error } = await drain(stream);
    expect(error).toBe(err);
    await settle();
    expect(server.closedByClient).toBe(true);
  });

  it('a protocol error reported by the transport becomes a StreamError', async () => {
    ({ client, server } = await loggedOn());
    server.on('flush', () => {});
    const pending = client.flush();
    await server.next('flush');
    server.client.close(new ProtocolError('frame of 5000000000 bytes exceeds the limit', 'frame-too-large'));
    const err = await pending.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StreamError);
    expect((err as StreamError).code).toBe('frame-too-large');
    expect(client.currentStatus?.state).toBe('disconnected');
  });

  it('a SOW batch whose record overruns its frame is a StreamError', async () => {
    ({ client, server } = await loggedOn());
    server.on('sow', (cmd, s) => {
      s.reply({
        command: 'ack',
        commandId: cmd.fields.commandId ?? '',
        ackType: 'processed',
        status: 'success',
      });
      s.reply(
        { command: 'sow', topic: 'orders', queryId: cmd.fields.queryId ?? '', batchSize: '1' },
        '{"k":"1","l":99}{"id":1}',
      );
    });
    const stream = await client.sow('orders');
    const { error } = await drain(stream);
    expect(error).toBeInstanceOf(StreamError);
    expect((error as StreamError).code).toBe('bad-sow-batch');
  });

  it('a header without a command is a StreamError', async () => {
    ({ client, server } = await loggedOn());
    const pending = client.subscribe('orders').catch((e: unknown) => e);
    server.on('subscribe', (_c, s) => s.sendRaw('{"t":"orders"}'));
    await server.next('subscribe');
    expect(await pending).toBeInstanceOf(StreamError);
  });

  it('commands time out without an ack; the late subscription is unsubscribed', async () => {
    ({ client, server } = await loggedOn());
    server.on('subscribe', () => {});
    const err = await client
      .subscribe('orders', undefined, { subId: 'late', timeoutMs: 25 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TimedOutError);
    expect((err as Error).message).toBe(
      'subscribe "orders" timed out after 25 ms waiting for the processed ack',
    );
    const un = await server.next('unsubscribe');
    expect(un.fields.subId).toBe('late');
    expect(client.isConnected).toBe(true);
  });

  it('disconnect by the application ends streams cleanly and rejects what is pending', async () => {
    ({ client, server } = await loggedOn());
    const stream = await client.subscribe('orders', undefined, { subId: 'S' });
    server.on('flush', () => {});
    const pending = client.flush();
    await server.next('flush');
    const closed: string[] = [];
    client.addConnectionStateListener((s) => closed.push(s.state));
    await client.disconnect();
    await expect(pending).rejects.toBeInstanceOf(DisconnectedError);
    expect(await drain(stream)).toEqual({ texts: [], error: undefined });
    expect(closed).toEqual(['closed']);
  });

  it('connects and logs on again after a drop, with a fresh command id sequence', async () => {
    const servers: FakeServer[] = [];
    client = new Client('again', {
      transportFactory: (uri, handlers) => {
        const s = new FakeServer();
        servers.push(s);
        return s.factory(uri, handlers);
      },
    });
    client.setHeartbeat(30);
    await client.connect(TEST_URI);
    await client.logon();
    servers[0]?.drop();
    await settle();
    expect(client.isConnected).toBe(false);
    await client.connect(TEST_URI);
    await client.logon();
    expect(client.isLoggedOn).toBe(true);
    const second = servers[1] as FakeServer;
    expect(second.received.map((r) => r.fields.command)).toEqual(['logon', 'heartbeat']);
    expect(second.received[0]?.fields.commandId).toBe('2');
    server = second;
  });

  it('refuses a second connect and maps connection failures', async () => {
    ({ client, server } = await loggedOn());
    await expect(client.connect(TEST_URI)).rejects.toBeInstanceOf(AlreadyConnectedError);
    const refused = new Client('x', {
      transportFactory: () =>
        Promise.reject(
          Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9007'), { code: 'ECONNREFUSED' }),
        ),
    });
    await expect(refused.connect(TEST_URI)).rejects.toBeInstanceOf(ConnectionRefusedError);
    expect(refused.isConnected).toBe(false);
    await expect(refused.connect('nonsense')).rejects.toThrow(/transport/);
  });
});

describe('heartbeats (spec §10.1)', () => {
  it('starts after logon, answers server beats, beats when idle, and disconnects when the server goes silent', async () => {
    const timers = new ManualTimers();
    server = new FakeServer();
    client = new Client('hb', { transportFactory: server.factory, timers });
    client.setHeartbeat(5);
    await client.connect(TEST_URI);
    await client.logon();
    const start = await server.next('heartbeat');
    expect(start.header).toBe('{"c":"heartbeat","o":"start,5"}');
    server.reply({ command: 'heartbeat' });
    await settle();
    expect(server.commands('heartbeat').map((h) => h.fields.options)).toEqual(['start,5', 'beat']);
    // The server keeps talking (an ack every 4 s) but the client sends nothing: it beats on its own.
    for (let i = 0; i < 2; i++) {
      timers.advance(4000);
      server.reply({ command: 'ack', commandId: 'none', ackType: 'processed', status: 'success' });
      await settle();
    }
    expect(server.commands('heartbeat').length).toBeGreaterThanOrEqual(3);
    expect(client.isConnected).toBe(true);
    const stream = await client.subscribe('orders', undefined, { subId: 'S' });
    const states: string[] = [];
    client.addConnectionStateListener((s) => states.push(s.state));
    timers.advance(15_000);
    await settle();
    expect(states).toEqual(['heartbeatMissed', 'disconnected']);
    const { error } = await drain(stream);
    expect(error).toBeInstanceOf(DisconnectedError);
    expect((error as Error).message).toMatch(/no heartbeat or message from .* for \d+ ms/);
    expect(server.closedByClient).toBe(true);
  });

  it('validates heartbeat settings', () => {
    client = new Client('hb2');
    expect(() => client.setHeartbeat(1.5)).toThrow(RangeError);
    expect(() => client.setHeartbeat(10, 5)).toThrow(/at least the interval/);
  });
});
