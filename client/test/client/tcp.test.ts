/** The Client over its default transport factory: a real TCP connection on loopback, port 0. */
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Client } from '../../src/client.js';
import { encodeFrame, FrameReader } from '../../src/protocol/frame.js';
import { decodeHeader, encodeHeader } from '../../src/protocol/header.js';

let server: Server | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

describe('Client over TCP (loopback)', () => {
  it('connects, logs on, subscribes and receives through connectTransport', async () => {
    server = createServer((socket) => {
      sockets.push(socket);
      const reader = new FrameReader((frame) => {
        const { fields } = decodeHeader(frame);
        const reply = (f: Record<string, string>, payload?: string): void => {
          socket.write(
            encodeFrame(Buffer.from(encodeHeader(f, 'server')), payload ? Buffer.from(payload) : undefined),
          );
        };
        if (fields.command === 'logon') {
          reply({
            command: 'ack',
            commandId: fields.commandId ?? '',
            ackType: 'processed',
            status: 'success',
            version: '5.3.5.1',
          });
        } else if (fields.command === 'subscribe') {
          reply({
            command: 'ack',
            commandId: fields.commandId ?? '',
            ackType: 'processed',
            status: 'success',
            subId: fields.subId ?? '',
          });
          reply({ command: 'publish', topic: 'orders', subIds: fields.subId ?? '' }, '{"over":"tcp"}');
        }
      }, 1 << 20);
      socket.on('data', (chunk) => reader.push(chunk));
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', () => resolve()));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const client = new Client('tcp-test', { commandTimeoutMs: 2000 });
    try {
      await client.connect(`tcp://127.0.0.1:${port}/amps/json`);
      await client.logon();
      expect(client.getServerVersion()).toBe(5030501);
      const stream = await client.subscribe('orders');
      expect((await stream.read(2000))?.json()).toEqual({ over: 'tcp' });
    } finally {
      await client.disconnect();
    }
  });
});
