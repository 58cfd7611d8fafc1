/**
 * The official JavaScript client's WebSocket framing from the server side (spec §1.10.1,
 * §1.10.3, §10.1): the `received` ack of the heartbeat start, server heartbeats on an idle
 * connection (JS 5.3.x only beats in answer to server traffic), `binary` mode bodies, `oof`
 * as header + body, and a proxy path prefix in the upgrade request.
 */
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { SandboxServer } from '../../src/server.js';
import { startServer } from '../helpers.js';

let server: SandboxServer | undefined;
const sockets: WebSocket[] = [];
afterEach(async () => {
  for (const ws of sockets.splice(0)) ws.terminate();
  await server?.close();
  server = undefined;
});

interface Got {
  data: string;
  binary: boolean;
}

/** Opens a WebSocket like the JS client (no subprotocol) and records every message. */
async function jsSocket(
  port: number,
  path = '/amps/json',
  headers: Record<string, string> = {},
): Promise<{
  ws: WebSocket;
  got: Got[];
  wait: (pred: (g: Got[]) => boolean, ms?: number) => Promise<void>;
  command: (header: string, ...parts: (string | Buffer)[]) => void;
}> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`, { headers });
  sockets.push(ws);
  const got: Got[] = [];
  ws.on('message', (data: Buffer, isBinary: boolean) =>
    got.push({ data: data.toString('utf8'), binary: isBinary }),
  );
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  const wait = async (pred: (g: Got[]) => boolean, ms = 3000): Promise<void> => {
    const deadline = Date.now() + ms;
    while (!pred(got)) {
      if (Date.now() > deadline) throw new Error(`timed out with ${JSON.stringify(got)}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  const command = (header: string, ...parts: (string | Buffer)[]): void => {
    const count = Buffer.alloc(4);
    count.writeUInt32LE(1 + parts.length, 0);
    ws.send(count);
    ws.send(header);
    for (const p of parts) ws.send(p);
  };
  return { ws, got, wait, command };
}

describe('official JS WebSocket framing, server side', () => {
  it('acks the heartbeat start with received and then beats on an idle connection', async () => {
    server = await startServer({ wsPort: 0, tickMs: 50 });
    const js = await jsSocket(server.ports.ws as number);
    js.ws.send('text');
    js.command(
      '{"c":"logon","cid":"auto1","a":"processed","client_name":"js","version":"5.3.4.0:javascript"}',
    );
    await js.wait((g) => g.length === 1);
    js.command('{"c":"heartbeat","cid":"auto2","a":"received","o":"start,1"}');
    await js.wait((g) => g.length === 2);
    expect(js.got[1]).toEqual({
      data: '{"c":"ack","cid":"auto2","a":"received","status":"success"}',
      binary: false,
    });
    // JS 5.3.x answers server traffic with a beat (no ack); the server keeps beating.
    await js.wait((g) => g.length === 3, 3000);
    expect(js.got[2]).toEqual({ data: '{"c":"heartbeat"}', binary: false });
    js.command('{"c":"heartbeat","o":"beat"}');
    await js.wait((g) => g.length === 4, 3000);
    expect(js.got[3]).toEqual({ data: '{"c":"heartbeat"}', binary: false });
    expect(js.ws.readyState).toBe(WebSocket.OPEN);
  });

  it('in binary mode sends headers as text messages and bodies as binary messages', async () => {
    server = await startServer({ wsPort: 0, topics: [{ name: 'blobs', sow: true, messageType: 'binary' }] });
    const js = await jsSocket(server.ports.ws as number, '/amps/binary');
    js.ws.send('binary');
    js.command('{"c":"logon","cid":"1","a":"processed","client_name":"jsb"}');
    await js.wait((g) => g.length === 1);
    js.command('{"c":"subscribe","t":"blobs","cid":"2","sub_id":"2","a":"processed"}');
    await js.wait((g) => g.length === 2);
    js.command('{"c":"publish","t":"blobs","k":"a1"}', Buffer.from([1, 2, 3]));
    await js.wait((g) => g.length === 4);
    expect(js.got[2]).toEqual({ data: '{"c":"p","t":"blobs","sids":"2","k":"a1","l":3}', binary: false });
    expect(js.got[3]?.binary).toBe(true);
    expect(Buffer.from(js.got[3]?.data ?? '', 'utf8')).toEqual(Buffer.from([1, 2, 3]));
  });

  it('sends oof as a header message with l followed by the body message, after a proxy path prefix', async () => {
    server = await startServer({ wsPort: 0, topics: [{ name: 'orders', keys: ['/id'] }] });
    const js = await jsSocket(server.ports.ws as number, '/amps-prod-system/amps/json');
    js.ws.send('text');
    js.command('{"c":"logon","cid":"1","a":"processed","client_name":"jso"}');
    await js.wait((g) => g.length === 1);
    js.command(
      '{"c":"subscribe","t":"orders","cid":"2","sub_id":"2","a":"processed","filter":"/q > 1","o":"oof"}',
    );
    await js.wait((g) => g.length === 2);
    js.command('{"c":"publish","t":"orders"}', '{"id":1,"q":5}');
    js.command('{"c":"publish","t":"orders"}', '{"id":1,"q":0}');
    await js.wait((g) => g.length === 6);
    expect(js.got.slice(2).map((g) => g.data.replace(/"k":"\d+",/, ''))).toEqual([
      '{"c":"p","t":"orders","sids":"2","l":14}',
      '{"id":1,"q":5}',
      '{"c":"oof","t":"orders","sids":"2","reason":"match","l":14}',
      '{"id":1,"q":0}',
    ]);
    expect(js.got.every((g) => !g.binary)).toBe(true);
  });

  it('logs a WebSocket on implicitly when the first command is not a logon and nobody is checked', async () => {
    server = await startServer({ wsPort: 0 });
    const js = await jsSocket(server.ports.ws as number);
    js.ws.send('text');
    js.command('{"c":"flush","cid":"f","a":"processed"}');
    await js.wait((g) => g.length === 1);
    expect(js.got[0]?.data).toBe('{"c":"ack","cid":"f","a":"processed","status":"success"}');
  });

  it('takes the upgrade credentials in place of a logon command (§1.10.1: header and/or logon)', async () => {
    server = await startServer({
      wsPort: 0,
      users: { alice: 'secret' },
      topics: [{ name: 'orders', keys: ['/id'] }],
    });
    const port = server.ports.ws as number;
    const authed = await jsSocketWithAuth(port, 'alice:secret');
    authed.ws.send('text');
    authed.command('{"c":"subscribe","t":"orders","cid":"1","sub_id":"1","a":"processed"}');
    authed.command('{"c":"publish","t":"orders"}', '{"id":1}');
    await authed.wait((g) => g.length === 3);
    expect(authed.got.map((g) => g.data.replace(/"k":"\d+",/, ''))).toEqual([
      '{"c":"ack","cid":"1","a":"processed","status":"success","sub_id":"1"}',
      '{"c":"p","t":"orders","sids":"1","l":8}',
      '{"id":1}',
    ]);
    const wrong = await jsSocketWithAuth(port, 'alice:nope');
    wrong.ws.send('text');
    wrong.command('{"c":"subscribe","t":"orders","cid":"1","sub_id":"1","a":"processed"}');
    await wrong.wait((g) => g.length === 1);
    expect(wrong.got[0]?.data).toBe(
      '{"c":"ack","cid":"1","a":"processed","status":"failure","sub_id":"1","reason":"logon required"}',
    );
  });
});

/** {@link jsSocket} with an `Authorization: Basic` header, as the JS client sends in Node. */
async function jsSocketWithAuth(port: number, auth: string): ReturnType<typeof jsSocket> {
  return jsSocket(port, '/amps/json', { Authorization: `Basic ${Buffer.from(auth).toString('base64')}` });
}
