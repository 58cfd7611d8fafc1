import { afterEach, describe, expect, it } from 'vitest';
import { Client, type ClientOptions } from '../../src/client.js';
import { DisconnectedError, UsageError } from '../../src/errors.js';
import type { Message } from '../../src/protocol/message.js';
import { FakeServer } from './fakeServer.js';
import { ManualTimers, TEST_URI, settle } from './helpers.js';

let client: Client;
afterEach(async () => {
  await client.disconnect();
});

/** A client whose every `connect` reaches the next of `servers`. */
async function onServers(servers: FakeServer[], options: ClientOptions = {}): Promise<Client> {
  let next = 0;
  const c = new Client('retry-1', {
    commandTimeoutMs: 1000,
    ...options,
    transportFactory: (uri, handlers) => {
      const server = servers[next++];
      if (!server) throw new Error('test: no more servers');
      return server.factory(uri, handlers);
    },
  });
  await c.connect(TEST_URI);
  await c.logon();
  return c;
}

/** A disconnect handler that reconnects and logs on again, as seed applications do. */
function reconnectOnDrop(c: Client, logon = true): void {
  c.setDisconnectHandler(() => {
    const connecting = c.connect(TEST_URI);
    void (logon ? connecting.then(() => c.logon()) : connecting).catch(() => {});
  });
}

describe('retry on disconnect', () => {
  it('is on by default; can be turned off by option or setter; rejects non-booleans', () => {
    client = new Client('r');
    expect(client.getRetryOnDisconnect()).toBe(true);
    client.setRetryOnDisconnect(false);
    expect(client.getRetryOnDisconnect()).toBe(false);
    expect(new Client('r2', { retryOnDisconnect: false }).getRetryOnDisconnect()).toBe(false);
    expect(() => client.setRetryOnDisconnect('yes' as unknown as boolean)).toThrow(UsageError);
  });

  it('a subscribe cut off before its ack is sent again after the handler reconnects', async () => {
    const first = new FakeServer();
    const second = new FakeServer();
    client = await onServers([first, second]);
    reconnectOnDrop(client);
    first.on('subscribe', () => {});
    const pending = client.subscribe('orders', undefined, { subId: 'S1' });
    await first.next('subscribe');
    first.drop();
    const stream = await pending;
    const resent = await second.next('subscribe');
    expect(resent.fields.subId).toBe('S1');
    expect(resent.fields.topic).toBe('orders');
    second.reply({ command: 'publish', topic: 'orders', subIds: 'S1' }, 'after reconnect');
    const it = stream[Symbol.asyncIterator]();
    const got = await it.next();
    expect((got.value as Message).text).toBe('after reconnect');
    expect(client.isLoggedOn).toBe(true);
  });

  it('a command issued while the reconnect is under way goes to the new connection', async () => {
    const first = new FakeServer();
    const second = new FakeServer();
    client = await onServers([first, second]);
    let flushed: Promise<void> | undefined;
    client.setDisconnectHandler(() => {
      void client
        .connect(TEST_URI)
        .then(() => client.logon())
        .catch(() => {});
      flushed = client.flush();
    });
    first.drop();
    await second.next('flush');
    await expect(flushed).resolves.toBeUndefined();
    expect(second.commands('flush')).toHaveLength(1);
    expect(first.commands('flush')).toHaveLength(0);
  });

  it('a handler subscription (executeAsync) and sendMessage are retried the same way', async () => {
    const first = new FakeServer();
    const second = new FakeServer();
    const third = new FakeServer();
    client = await onServers([first, second, third]);
    reconnectOnDrop(client);
    const got: string[] = [];
    first.on('subscribe', () => {});
    const pending = client.subscribe('orders', undefined, { subId: 'H', handler: (m) => got.push(m.text) });
    await first.next('subscribe');
    first.drop();
    await expect(pending).resolves.toBe('H');
    second.reply({ command: 'publish', topic: 'orders', subIds: 'H' }, 'via handler');
    await settle();
    expect(got).toEqual(['via handler']);
    second.on('flush', () => {});
    const sent = client.sendMessage(
      client.allocateMessage({ command: 'flush', ackType: 'processed' }),
      () => {},
    );
    const cut = await second.next('flush');
    second.drop();
    await expect(sent).resolves.toBe(cut.fields.commandId);
    expect((await third.next('flush')).fields.commandId).toBe(cut.fields.commandId);
  });

  it('without a reconnect under way, a cut-off command fails at once (no wait)', async () => {
    const timers = new ManualTimers();
    const first = new FakeServer();
    client = await onServers([first], { timers });
    const dropped: Error[] = [];
    client.setDisconnectHandler((_c, e) => dropped.push(e));
    first.on('sow', () => {});
    const pending = client.sow('orders').catch((e: unknown) => e);
    await first.next('sow');
    first.drop();
    // No timer is advanced: the rejection cannot come from a timeout.
    const err = await pending;
    expect(err).toBeInstanceOf(DisconnectedError);
    expect((err as Error).message).toMatch(/closed by the server/);
    expect(dropped).toHaveLength(1);
  });

  it('with retry off, a cut-off command fails even though the handler reconnects', async () => {
    const first = new FakeServer();
    const second = new FakeServer();
    client = await onServers([first, second], { retryOnDisconnect: false });
    reconnectOnDrop(client);
    first.on('flush', () => {});
    const pending = client.flush().catch((e: unknown) => e);
    await first.next('flush');
    first.drop();
    expect(await pending).toBeInstanceOf(DisconnectedError);
    await second.next('logon');
    await settle();
    expect(second.commands('flush')).toHaveLength(0);
  });

  it('fails with DisconnectedError when no logon follows within the command timeout', async () => {
    const timers = new ManualTimers();
    const first = new FakeServer();
    const second = new FakeServer();
    client = await onServers([first, second], { timers, commandTimeoutMs: 500 });
    reconnectOnDrop(client, false);
    first.on('flush', () => {});
    let outcome: unknown = 'pending';
    void client.flush().then(
      () => (outcome = 'resolved'),
      (e: unknown) => (outcome = e),
    );
    await first.next('flush');
    first.drop();
    await settle();
    expect(outcome).toBe('pending');
    timers.advance(499);
    await settle();
    expect(outcome).toBe('pending');
    timers.advance(1);
    await settle();
    expect(outcome).toBeInstanceOf(DisconnectedError);
    expect((outcome as Error).message).toBe(
      'flush was cut off by a disconnect and the client did not log on again within 500 ms',
    );
  });

  it('fails with DisconnectedError when the application closes the client while it waits', async () => {
    const timers = new ManualTimers();
    const first = new FakeServer();
    const second = new FakeServer();
    client = await onServers([first, second], { timers });
    reconnectOnDrop(client, false);
    first.on('flush', () => {});
    const pending = client.flush().catch((e: unknown) => e);
    await first.next('flush');
    first.drop();
    await settle();
    await client.disconnect();
    const err = await pending;
    expect(err).toBeInstanceOf(DisconnectedError);
    expect((err as Error).message).toMatch(/client was closed before it could be sent again/);
  });

  it('a command cut off by the application disconnecting is not retried by a reconnect', async () => {
    const first = new FakeServer();
    const second = new FakeServer();
    client = await onServers([first, second]);
    first.on('flush', () => {});
    const pending = client.flush().catch((e: unknown) => e);
    await first.next('flush');
    await client.disconnect();
    const reconnected = client.connect(TEST_URI).then(() => client.logon());
    const err = await pending;
    expect(err).toBeInstanceOf(DisconnectedError);
    expect((err as DisconnectedError).code).toBe('closed');
    await reconnected;
    await settle();
    expect(second.commands('flush')).toHaveLength(0);
  });
});
