import { afterEach, describe, expect, it } from 'vitest';
import type { Client } from '../../src/client.js';
import type { HeaderFields } from '../../src/protocol/fields.js';
import type { FakeServer } from './fakeServer.js';
import { loggedOn, settle } from './helpers.js';

let client: Client;
let server: FakeServer;
afterEach(async () => {
  await client.disconnect();
});

describe('Client.setCommandTap', () => {
  it('sees each command sent (fields and payload bytes) and each message received, decoded once', async () => {
    ({ client, server } = await loggedOn());
    const sent: string[] = [];
    const received: string[] = [];
    client.setCommandTap({
      sent: (fields: Readonly<HeaderFields>, bytes) =>
        sent.push(`${fields.command} ${fields.topic ?? ''} ${bytes}`),
      received: (m) => received.push(`${m.command} ${m.text}`),
    });
    client.publish('orders', '{"id":"é"}');
    server.reply({ command: 'heartbeat' });
    server.reply({ command: 'publish', topic: 'orders', subIds: 'x' }, 'hello');
    await settle();
    expect(sent).toEqual(['publish orders 11']);
    expect(received).toEqual(['heartbeat ', 'publish hello']);
  });

  it('a tap that throws reaches the exception listener and the message is still routed', async () => {
    ({ client, server } = await loggedOn());
    const errors: unknown[] = [];
    const got: string[] = [];
    client.setExceptionListener((e) => errors.push(e));
    client.addMessageHandler('ext-1', (m) => got.push(m.text), 'processed', true);
    client.setCommandTap({
      sent: () => undefined,
      received: () => {
        throw new Error('tap failed');
      },
    });
    server.reply({ command: 'publish', topic: 't', subIds: 'ext-1' }, 'x');
    await settle();
    expect(got).toEqual(['x']);
    expect(errors).toHaveLength(1);
  });

  it('undefined removes the tap', async () => {
    ({ client, server } = await loggedOn());
    const seen: string[] = [];
    client.setCommandTap({ sent: (f) => seen.push(f.command ?? ''), received: () => undefined });
    client.setCommandTap(undefined);
    client.publish('orders', 'x');
    await settle();
    expect(seen).toEqual([]);
  });
});
