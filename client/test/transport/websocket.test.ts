import { once } from 'node:events';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { decodeHeader } from '../../src/protocol/header.js';
import { ProtocolError } from '../../src/protocol/protocolError.js';
import { splitSowBatch } from '../../src/protocol/sowBatch.js';
import { TransportConnectError, connectTransport } from '../../src/transport/connect.js';
import type { Transport } from '../../src/transport/transport.js';
import { Recorder, closedPort, withTimeout } from './helpers.js';
import { makeCertificate } from './tlsFixture.js';

interface Received {
  data: Buffer;
  binary: boolean;
}

interface WsPeer {
  socket: WebSocket;
  request: IncomingMessage;
  messages: Received[];
  wait(n: number): Promise<void>;
}

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

/** A WebSocket server on 127.0.0.1:0 recording every message with its opcode. */
async function wsServer(options: { server?: HttpsServer } = {}): Promise<{
  port: number;
  next(): Promise<WsPeer>;
}> {
  const wss = options.server
    ? new WebSocketServer({ server: options.server })
    : new WebSocketServer({ port: 0, host: '127.0.0.1' });
  const peers: WsPeer[] = [];
  let waiter: (() => void) | undefined;
  wss.on('connection', (socket, request) => {
    const messages: Received[] = [];
    socket.on('message', (data, binary) => messages.push({ data: Buffer.from(data as Buffer), binary }));
    peers.push({
      socket,
      request,
      messages,
      wait: (n) =>
        withTimeout(
          (async () => {
            while (messages.length < n) await new Promise((r) => setTimeout(r, 5));
          })(),
          5000,
          `${n} WebSocket messages`,
        ),
    });
    waiter?.();
  });
  if (!options.server) await once(wss, 'listening');
  cleanup.push(
    () =>
      new Promise<void>((resolve) => {
        for (const c of wss.clients) c.terminate();
        wss.close(() => resolve());
      }),
  );
  const port = options.server
    ? (options.server.address() as AddressInfo).port
    : (wss.address() as AddressInfo).port;
  return {
    port,
    async next() {
      if (peers.length === 0)
        await withTimeout(new Promise<void>((r) => (waiter = r)), 5000, 'WebSocket connection');
      return peers.shift() as WsPeer;
    },
  };
}

async function open(uri: string, rec: Recorder, options = {}): Promise<Transport> {
  const t = await connectTransport(uri, rec, options);
  cleanup.push(() => t.close());
  return t;
}

const text = (s: string): Received => ({ data: Buffer.from(s), binary: false });
const count = (n: number): Received => ({ data: Buffer.from([n, 0, 0, 0]), binary: true });

describe('websocket transport (official JavaScript framing)', () => {
  it('handshakes to the path without the query, with Basic credentials, then sends "text"', async () => {
    const srv = await wsServer();
    const t = await open(`ws://me:p%40ss@127.0.0.1:${srv.port}/proxy/amps/json?pretty=true`, new Recorder());
    expect(t.kind).toBe('websocket');
    expect(t.peer).toBe(`ws://127.0.0.1:${srv.port}/proxy/amps/json`);
    const peer = await srv.next();
    expect(peer.request.url).toBe('/proxy/amps/json');
    expect(peer.request.headers.authorization).toBe(`Basic ${Buffer.from('me:p@ss').toString('base64')}`);
    expect(peer.request.headers['sec-websocket-protocol']).toBeUndefined();
    await peer.wait(1);
    expect(peer.messages).toEqual([text('text')]);
  });

  it('sends each command as a little-endian count, the header text, then the payload', async () => {
    const srv = await wsServer();
    const t = await open(`ws://127.0.0.1:${srv.port}/amps/json`, new Recorder());
    const peer = await srv.next();
    t.send(Buffer.from('{"c":"publish","t":"orders"}'), Buffer.from('{"id":1}'));
    t.send(Buffer.from('{"c":"heartbeat","o":"beat"}'));
    await peer.wait(6);
    expect(peer.messages).toEqual([
      text('text'),
      count(2),
      text('{"c":"publish","t":"orders"}'),
      text('{"id":1}'),
      count(1),
      text('{"c":"heartbeat","o":"beat"}'),
    ]);
  });

  it('for non-JSON message types announces "binary" and sends payloads as binary messages', async () => {
    const srv = await wsServer();
    const t = await open(`ws://127.0.0.1:${srv.port}/amps/bflat`, new Recorder());
    const peer = await srv.next();
    t.send(Buffer.from('{"c":"publish","t":"b"}'), Buffer.from([0, 1, 2, 255]));
    await peer.wait(4);
    expect(peer.messages).toEqual([
      text('binary'),
      count(2),
      text('{"c":"publish","t":"b"}'),
      { data: Buffer.from([0, 1, 2, 255]), binary: true },
    ]);
  });

  it('reassembles server messages into stream frames', async () => {
    const srv = await wsServer();
    const rec = new Recorder();
    await open(`ws://127.0.0.1:${srv.port}/amps/json`, rec);
    const { socket } = await srv.next();
    socket.send('{"c":"ack","cid":"1","a":"processed","status":"success"}');
    socket.send('{"c":"p","t":"orders","sids":"5","s":1,"l":8}');
    socket.send('{"id":1}');
    socket.send('{"c":"oof","t":"orders","sids":"5","s":2,"l":0}');
    socket.send('{"c":"group_begin","query_id":"q"}');
    socket.send('{"c":"sow","query_id":"q","s":3,"bs":2}');
    socket.send('{"k":"1","x":"c1","l":10}');
    socket.send('{"id":"a"}');
    socket.send('{"k":"2","ts":"20240101T000000"}');
    socket.send('{"id":"bb"}');
    socket.send('{"c":"group_end","query_id":"q"}');
    // The Go variant: one binary message holding a whole length-prefixed frame.
    const go = Buffer.from('{"c":"heartbeat"}');
    const prefix = Buffer.alloc(4);
    prefix.writeUInt32BE(go.length);
    socket.send(Buffer.concat([prefix, go]));
    await rec.waitFrames(7);
    const texts = rec.texts();
    expect(texts[0]).toBe('{"c":"ack","cid":"1","a":"processed","status":"success"}');
    expect(texts[1]).toBe('{"c":"p","t":"orders","sids":"5","s":1,"l":8}{"id":1}');
    expect(texts[2]).toBe('{"c":"oof","t":"orders","sids":"5","s":2,"l":0}');
    expect(texts[3]).toBe('{"c":"group_begin","query_id":"q"}');
    expect(texts[5]).toBe('{"c":"group_end","query_id":"q"}');
    expect(texts[6]).toBe('{"c":"heartbeat"}');
    const sow = rec.frames[4] as Buffer;
    const { fields, end } = decodeHeader(sow);
    expect(fields).toMatchObject({ command: 'sow', queryId: 'q', batchSize: '2' });
    const records = splitSowBatch(sow, end);
    expect(records.map((r) => ({ k: r.fields.sowKey, l: r.fields.length, data: r.data.toString() }))).toEqual(
      [
        { k: '1', l: '10', data: '{"id":"a"}' },
        { k: '2', l: '11', data: '{"id":"bb"}' },
      ],
    );
    expect(records[1]?.fields.timestamp).toBe('20240101T000000');
  });

  it('a binary message where a header belongs closes with a ProtocolError', async () => {
    const srv = await wsServer();
    const rec = new Recorder();
    await open(`ws://127.0.0.1:${srv.port}/amps/json`, rec);
    const { socket } = await srv.next();
    socket.send(Buffer.from([1, 2, 3, 4, 5, 6]));
    const err = await rec.waitClose();
    expect(err).toBeInstanceOf(ProtocolError);
    expect((err as ProtocolError).kind).toBe('bad-websocket-sequence');
    expect(rec.closes).toHaveLength(1);
  });

  it('reports one close without error when the server closes normally', async () => {
    const srv = await wsServer();
    const rec = new Recorder();
    await open(`ws://127.0.0.1:${srv.port}/amps/json`, rec);
    const { socket } = await srv.next();
    socket.close(1000);
    expect(await rec.waitClose()).toBeUndefined();
    expect(rec.closes).toHaveLength(1);
  });

  it('close() performs the closing handshake', async () => {
    const srv = await wsServer();
    const rec = new Recorder();
    const t = await open(`ws://127.0.0.1:${srv.port}/amps/json`, rec);
    const { socket } = await srv.next();
    const closed = once(socket, 'close');
    t.close();
    const [code] = (await withTimeout(closed, 5000, 'server close')) as [number];
    expect(code).toBe(1000);
    expect(await rec.waitClose()).toBeUndefined();
  });

  it('refused port → TransportConnectError', async () => {
    const port = await closedPort();
    const err = await connectTransport(`ws://127.0.0.1:${port}/amps/json`, new Recorder()).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(TransportConnectError);
    expect((err as TransportConnectError).code).toBe('ECONNREFUSED');
  });

  it('wss verifies the certificate by default and connects with the CA given', async () => {
    const cert = makeCertificate();
    cleanup.push(() => cert.remove());
    const https = createHttpsServer({ cert: cert.cert, key: cert.key });
    https.listen(0, '127.0.0.1');
    await once(https, 'listening');
    cleanup.push(() => new Promise<void>((resolve) => https.close(() => resolve())));
    const srv = await wsServer({ server: https });
    const bad = await connectTransport(`wss://127.0.0.1:${srv.port}/amps/json`, new Recorder()).catch(
      (e: unknown) => e,
    );
    expect(bad).toBeInstanceOf(TransportConnectError);
    expect((bad as TransportConnectError).code).toBe('TLS');

    const rec = new Recorder();
    await open(`wss://localhost:${srv.port}/amps/json?ca=${cert.certFile}`, rec);
    const { socket } = await srv.next();
    socket.send('{"c":"heartbeat"}');
    await rec.waitFrames(1);
    expect(rec.texts()).toEqual(['{"c":"heartbeat"}']);
  });
});
