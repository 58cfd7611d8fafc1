/**
 * StreamTransport.sendText (a string payload encoded straight into the batch buffer) and the
 * Client's publish of string payloads over a real loopback TCP connection.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Client } from '../../src/client.js';
import { encodeFrame } from '../../src/protocol/frame.js';
import { decodeHeader, encodeHeader } from '../../src/protocol/header.js';
import { connectTransport } from '../../src/transport/connect.js';
import { StreamTransport } from '../../src/transport/stream.js';
import type { Transport } from '../../src/transport/transport.js';
import { Recorder, readFrames, startServer, withTimeout, type TestServer } from './helpers.js';

const open: { servers: TestServer[]; transports: Transport[]; clients: Client[] } = {
  servers: [],
  transports: [],
  clients: [],
};

afterEach(async () => {
  for (const c of open.clients.splice(0)) await c.disconnect();
  for (const t of open.transports.splice(0)) t.close();
  for (const s of open.servers.splice(0)) await s.close();
});

const TEXTS = ['', 'plain ascii', 'héllo wörld ✓ 𝄞', 'x'.repeat(5000), '€'.repeat(6000), '\ud800 lone'];

describe('StreamTransport.sendText', () => {
  it('writes the same frames as send() with the UTF-8 bytes, in order, small and big', async () => {
    const s = await startServer();
    open.servers.push(s);
    const t = await connectTransport(`tcp://127.0.0.1:${s.port}/amps/json`, new Recorder());
    open.transports.push(t);
    expect(t).toBeInstanceOf(StreamTransport);
    const stream = t as StreamTransport;
    const got = readFrames(await s.accepted());
    const header = Buffer.from('{"c":"p","t":"orders"}');
    for (const text of TEXTS) {
      expect(stream.sendText(header, text)).toBe(true);
      stream.send(header, Buffer.from(text, 'utf8'));
    }
    await got.wait(TEXTS.length * 2);
    TEXTS.forEach((text, i) => {
      const expected = Buffer.concat([header, Buffer.from(text, 'utf8')]);
      expect(got.frames[2 * i]?.equals(expected), `text ${i}`).toBe(true);
      expect(got.frames[2 * i + 1]?.equals(expected), `bytes ${i}`).toBe(true);
    });
  });
});

describe('Client.publish over TCP', () => {
  it('publishes string and byte payloads with their exact bytes and cached headers', async () => {
    const headers: string[] = [];
    const payloads: string[] = [];
    let done: (() => void) | undefined;
    const s = await startServer('127.0.0.1', (socket) => {
      const frames = readFrames(socket);
      const seen = { n: 0 };
      socket.on('data', () => {
        for (; seen.n < frames.frames.length; seen.n++) {
          const f = frames.frames[seen.n] as Buffer;
          const { fields, end } = decodeHeader(f);
          if (fields.command === 'logon') {
            const ack = { command: 'ack', commandId: fields.commandId ?? '', ackType: 'processed' };
            socket.write(encodeFrame(Buffer.from(encodeHeader({ ...ack, status: 'success' }, 'server'))));
            continue;
          }
          headers.push(f.subarray(0, end).toString());
          payloads.push(f.subarray(end).toString());
          if (payloads.length === 4) done?.();
        }
      });
    });
    open.servers.push(s);
    const client = new Client('send-text-test');
    open.clients.push(client);
    await client.connect(`tcp://127.0.0.1:${s.port}/amps/json`);
    await client.logon({ timeoutMs: 5000 });
    const all = new Promise<void>((resolve) => (done = resolve));
    client.publish('orders', '{"n":"é"}');
    client.publish('orders', Buffer.from('{"n":2}'));
    client.publish('orders', '{"n":3}', { sowKey: 'k3' });
    client.deltaPublish('orders', new Uint8Array(Buffer.from('{"n":4}')));
    await withTimeout(all, 5000, 'four publishes');
    expect(headers).toEqual([
      '{"c":"p","t":"orders"}',
      '{"c":"p","t":"orders"}',
      '{"c":"p","t":"orders","k":"k3"}',
      '{"c":"delta_publish","t":"orders"}',
    ]);
    expect(payloads).toEqual(['{"n":"é"}', '{"n":2}', '{"n":3}', '{"n":4}']);
  });
});
