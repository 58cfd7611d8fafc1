/** Listeners: TCP framing, HTTP preflight (§1.9), WebSocket official-JS and Go framing (§1.10), robustness. */
import { readFileSync } from 'node:fs';
import { get as httpsGet } from 'node:https';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { connect as tlsConnect } from 'node:tls';
import { constants as zlibConstants, createDeflateRaw, createInflateRaw } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { SandboxServer } from '../src/server.js';
import { memoryClient, startServer, tcpClient } from './helpers.js';

let server: SandboxServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const frame = (text: string): Buffer => {
  const body = Buffer.from(text);
  const p = Buffer.alloc(4);
  p.writeUInt32BE(body.length, 0);
  return Buffer.concat([p, body]);
};

describe('TCP', () => {
  it('handles frames split across reads and several per read', async () => {
    server = await startServer();
    const sock = connect(server.ports.tcp as number, '127.0.0.1');
    const got: Buffer[] = [];
    sock.on('data', (d: Buffer) => got.push(d));
    await new Promise((r) => sock.once('connect', r));
    const bytes = Buffer.concat([
      frame('{"c":"logon","cid":"1","a":"processed"}'),
      frame('{"c":"flush","cid":"2","a":"processed"}'),
    ]);
    for (let i = 0; i < bytes.length; i += 7) {
      sock.write(bytes.subarray(i, i + 7));
      await new Promise((r) => setImmediate(r));
    }
    await new Promise<void>((resolve) => {
      const check = (): void => {
        if (Buffer.concat(got).includes('"cid":"2"')) resolve();
        else setTimeout(check, 5);
      };
      check();
    });
    expect(Buffer.concat(got).toString()).toContain(
      '{"c":"ack","cid":"2","a":"processed","status":"success"}',
    );
    sock.destroy();
  });

  it('answers an HTTP preflight with 101 and then speaks AMPS on the same socket', async () => {
    server = await startServer();
    const sock = connect(server.ports.tcp as number, '127.0.0.1');
    await new Promise((r) => sock.once('connect', r));
    let text = '';
    sock.on('data', (d: Buffer) => (text += d.toString('latin1')));
    sock.write('GET /amps/json HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n');
    sock.write(frame('{"c":"logon","cid":"1","a":"processed"}'));
    await new Promise<void>((resolve) => {
      const check = (): void => (text.includes('"cid":"1"') ? resolve() : void setTimeout(check, 5));
      check();
    });
    expect(
      text.startsWith('HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n'),
    ).toBe(true);
    expect(text).toContain('"status":"success"');
    sock.destroy();
  });

  it('closes only the connection that sends an oversized frame', async () => {
    const lines: string[] = [];
    const logger = {
      info: (m: string) => lines.push(m),
      warn: (m: string) => lines.push(m),
      error: (m: string) => lines.push(m),
    };
    server = await startServer({ maxFrameBytes: 1024, logger });
    const good = await tcpClient(server.ports.tcp as number);
    await good.logon('good');
    const bad = await tcpClient(server.ports.tcp as number);
    const p = Buffer.alloc(4);
    p.writeUInt32BE(1 << 20, 0);
    bad.socket.write(p);
    await bad.closed;
    expect(lines.some((l) => l.includes('exceeds the limit of 1024 bytes'))).toBe(true);
    good.send({ c: 'flush', cid: 'f', a: 'processed' });
    expect((await good.waitFor((m) => m.fields.commandId === 'f')).fields.status).toBe('success');
    good.close();
  });

  it('disconnects a slow consumer past the outbound limit without affecting others', async () => {
    const lines: string[] = [];
    const logger = {
      info: (m: string) => lines.push(m),
      warn: (m: string) => lines.push(m),
      error: (m: string) => lines.push(m),
    };
    server = await startServer({ maxOutboundBytes: 256 * 1024, logger });
    const slow = await tcpClient(server.ports.tcp as number);
    await slow.logon('slow');
    slow.send({ c: 'subscribe', t: 'flood', cid: 's', a: 'processed' });
    await slow.waitFor((m) => m.fields.commandId === 's');
    slow.socket.pause();
    const pub = memoryClient(server);
    await pub.logon('pub');
    const big = 'x'.repeat(64 * 1024);
    for (let i = 0; i < 200; i++) pub.send({ c: 'p', t: 'flood' }, `{"v":"${big}"}`);
    pub.send({ c: 'flush', cid: 'f', a: 'processed' });
    await pub.waitFor((m) => m.fields.commandId === 'f');
    const names = [...(server.broker.sessions ?? [])].map((s) => s.clientName);
    expect(names).not.toContain('slow');
    expect(names).toContain('pub');
    expect(lines.some((l) => l.includes('slow client'))).toBe(true);
    slow.close();
  });
});

describe('compression=zlib (§1.8)', () => {
  it('detects a raw-DEFLATE stream and answers in kind, sync-flushed', async () => {
    server = await startServer();
    const sock = connect(server.ports.tcp as number, '127.0.0.1');
    await new Promise((r) => sock.once('connect', r));
    const deflate = createDeflateRaw({ level: 6 });
    const inflate = createInflateRaw();
    deflate.on('data', (d: Buffer) => sock.write(d));
    sock.on('data', (d: Buffer) => inflate.write(d));
    let text = '';
    inflate.on('data', (d: Buffer) => (text += d.toString('latin1')));
    const send = (t: string): Promise<void> =>
      new Promise((resolve) => {
        deflate.write(frame(t));
        deflate.flush(zlibConstants.Z_SYNC_FLUSH, () => resolve());
      });
    await send('{"c":"logon","cid":"1","a":"processed","client_name":"z"}');
    await send('{"c":"subscribe","t":"zt","cid":"2","a":"processed"}');
    await send('{"c":"p","t":"zt"}{"compressed":true}');
    await new Promise<void>((resolve) => {
      const check = (): void =>
        text.includes('{"compressed":true}') ? resolve() : void setTimeout(check, 5);
      check();
    });
    expect(text).toContain('{"c":"ack","cid":"2","a":"processed","status":"success"}');
    expect(text).toContain('{"c":"p","t":"zt","sids":"2","l":19}{"compressed":true}');
    sock.destroy();
  });
});

describe('TLS', () => {
  it('serves AMPS framing inside TLS (self-signed test certificate, test-only key)', async () => {
    const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
    server = await startServer({
      port: null,
      tls: { port: 0, certFile: fixture('test-cert.pem'), keyFile: fixture('test-key.pem') },
    });
    const sock = tlsConnect({
      host: '127.0.0.1',
      port: server.ports.tls as number,
      ca: readFileSync(fixture('test-cert.pem')),
    });
    await new Promise((r, j) => {
      sock.once('secureConnect', r);
      sock.once('error', j);
    });
    sock.write(frame('{"c":"logon","cid":"1","a":"processed"}'));
    const reply = await new Promise<Buffer>((r) => sock.once('data', r));
    expect(reply.subarray(4).toString()).toContain('"status":"success"');
    sock.destroy();
  });
});

describe('WSS', () => {
  it('serves the official JS WebSocket framing over TLS and answers plain HTTPS with 426', async () => {
    const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
    server = await startServer({
      port: null,
      wss: { port: 0, certFile: fixture('test-cert.pem'), keyFile: fixture('test-key.pem') },
    });
    const ca = readFileSync(fixture('test-cert.pem'));
    const port = server.ports.wss as number;
    const ws = new WebSocket(`wss://127.0.0.1:${port}/amps/json`, { ca });
    const got: string[] = [];
    ws.on('message', (data: Buffer) => got.push(data.toString('utf8')));
    await new Promise((r, j) => {
      ws.once('open', r);
      ws.once('error', j);
    });
    ws.send('text');
    ws.send(count(1));
    ws.send('{"c":"logon","cid":"1","a":"processed","client_name":"w"}');
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no logon ack; got ${got.join(' | ')}`)), 3000);
      ws.on('message', () => {
        if (got.length > 0) {
          clearTimeout(t);
          resolve();
        }
      });
    });
    expect(got[0]).toBe(
      '{"c":"ack","cid":"1","a":"processed","status":"success","s":0,"client_name":"w","version":"5.3.5.1"}',
    );
    ws.close();
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpsGet({ host: '127.0.0.1', port, path: '/', ca, servername: 'localhost' }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.once('error', reject);
    });
    expect(status).toBe(426);
  });
});

/** Opens a raw WebSocket and collects messages (text as string, binary as Buffer). */
async function rawWs(
  port: number,
  auth?: string,
): Promise<{ ws: WebSocket; got: (string | Buffer)[]; wait: (n: number) => Promise<void> }> {
  const ws = new WebSocket(
    `ws://127.0.0.1:${port}/amps/json`,
    auth ? { headers: { Authorization: `Basic ${Buffer.from(auth).toString('base64')}` } } : {},
  );
  const got: (string | Buffer)[] = [];
  ws.on('message', (data: Buffer, isBinary: boolean) =>
    got.push(isBinary ? Buffer.from(data) : data.toString('utf8')),
  );
  await new Promise((r, j) => {
    ws.once('open', r);
    ws.once('error', j);
  });
  const wait = async (n: number): Promise<void> => {
    const deadline = Date.now() + 3000;
    while (got.length < n) {
      if (Date.now() > deadline) throw new Error(`timed out with ${JSON.stringify(got)}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  return { ws, got, wait };
}

const count = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n, 0);
  return b;
};

describe('WebSocket', () => {
  it('speaks the official JS framing: count + header + payload in, header and body messages out, sow split per record', async () => {
    server = await startServer({ wsPort: 0, topics: [{ name: 'orders', sow: true, keys: [] }] });
    const { ws, got, wait } = await rawWs(server.ports.ws as number);
    ws.send('text');
    ws.send(count(1));
    ws.send('{"c":"logon","cid":"1","a":"processed","client_name":"js"}');
    await wait(1);
    expect(got[0]).toBe(
      '{"c":"ack","cid":"1","a":"processed","status":"success","s":0,"client_name":"js","version":"5.3.5.1"}',
    );
    ws.send(count(2));
    ws.send('{"c":"publish","t":"orders","k":"1001"}');
    ws.send('{"id":1,"qty":10}');
    ws.send(count(2));
    ws.send('{"c":"publish","t":"orders","k":"1002"}');
    ws.send('{"id":2,"qty":20}');
    ws.send(count(1));
    ws.send(
      '{"c":"sow_and_subscribe","t":"orders","cid":"2","query_id":"2","sub_id":"2","bs":10,"a":"processed"}',
    );
    await wait(8);
    expect(got.slice(1, 8)).toEqual([
      '{"c":"ack","cid":"2","a":"processed","status":"success","sub_id":"2","query_id":"2"}',
      '{"c":"group_begin","query_id":"2"}',
      '{"c":"sow","t":"orders","query_id":"2","bs":2}',
      '{"k":"1001","l":17}',
      '{"id":1,"qty":10}',
      '{"k":"1002","l":17}',
      '{"id":2,"qty":20}',
    ]);
    await wait(9);
    expect(got[8]).toBe('{"c":"group_end","query_id":"2"}');
    ws.send(count(2));
    ws.send('{"c":"publish","t":"orders","k":"1003"}');
    ws.send('{"id":3}');
    ws.send(count(1));
    ws.send('{"c":"publish","t":"orders","k":"1004"}');
    await wait(12);
    expect(got.slice(9, 12)).toEqual([
      '{"c":"p","t":"orders","sids":"2","k":"1003","l":8}',
      '{"id":3}',
      '{"c":"p","t":"orders","sids":"2","k":"1004","l":0}',
    ]);
    ws.close();
  });

  it('speaks the Go variant: one binary message per length-prefixed frame', async () => {
    server = await startServer({ wsPort: 0 });
    const { ws, got, wait } = await rawWs(server.ports.ws as number);
    ws.send(frame('{"c":"logon","cid":"1","a":"processed"}'));
    await wait(1);
    const first = got[0] as Buffer;
    expect(Buffer.isBuffer(first)).toBe(true);
    expect(first.readUInt32BE(0)).toBe(first.length - 4);
    expect(first.subarray(4).toString()).toContain('"status":"success"');
    ws.close();
  });

  it('accepts credentials from the upgrade Authorization header for the logon command', async () => {
    server = await startServer({ wsPort: 0, users: { alice: 'secret' } });
    const { ws, got, wait } = await rawWs(server.ports.ws as number, 'alice:secret');
    ws.send('text');
    ws.send(count(1));
    ws.send('{"c":"logon","cid":"1","a":"processed","client_name":"js"}');
    await wait(1);
    expect(got[0]).toContain('"status":"success"');
    ws.close();
    const other = await rawWs(server.ports.ws as number, 'alice:wrong');
    other.ws.send('text');
    other.ws.send(count(1));
    other.ws.send('{"c":"logon","cid":"1","a":"processed","client_name":"js2"}');
    await other.wait(1);
    expect(other.got[0]).toContain('"reason":"auth failure"');
    other.ws.close();
  });

  it('closes a WebSocket whose first message is neither mode nor frame', async () => {
    server = await startServer({ wsPort: 0 });
    const { ws } = await rawWs(server.ports.ws as number);
    const closed = new Promise((r) => ws.once('close', r));
    ws.send('hello');
    await closed;
    expect(server.broker.sessions.size).toBe(0);
  });
});
