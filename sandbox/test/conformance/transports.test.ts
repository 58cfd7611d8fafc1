/**
 * Stream transports in the order the official client uses them (spec §1.6–§1.9): connect,
 * optional HTTP preflight (also POST, a proxy path prefix, inside TLS), optional raw-deflate
 * compression, then AMPS frames; the server says nothing before the first command.
 */
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { fileURLToPath } from 'node:url';
import { constants as zlibConstants, createDeflateRaw, createInflateRaw } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { FrameReader } from '../../../client/src/protocol/frame.js';
import type { SandboxServer } from '../../src/server.js';
import { settle, startServer } from '../helpers.js';

let server: SandboxServer | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await server?.close();
  server = undefined;
});

const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

const frame = (text: string): Buffer => {
  const body = Buffer.from(text);
  const p = Buffer.alloc(4);
  p.writeUInt32BE(body.length, 0);
  return Buffer.concat([p, body]);
};

async function until(check: () => boolean, what: () => string): Promise<void> {
  const deadline = Date.now() + 3000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out; got ${what()}`);
    await settle(5);
  }
}

async function tcp(port: number): Promise<Socket> {
  const sock = connect(port, '127.0.0.1');
  sockets.push(sock);
  await new Promise((resolve, reject) => {
    sock.once('connect', resolve);
    sock.once('error', reject);
  });
  return sock;
}

describe('connection start', () => {
  it('sends nothing before the first command (§1.6)', async () => {
    server = await startServer({ tickMs: 20 });
    const sock = await tcp(server.ports.tcp as number);
    let bytes = 0;
    sock.on('data', (d: Buffer) => (bytes += d.length));
    await settle(100);
    expect(bytes).toBe(0);
    expect(sock.destroyed).toBe(false);
  });

  it('answers a POST preflight to a proxy-prefixed path, then reads a raw-deflate stream (§1.8, §1.9)', async () => {
    server = await startServer();
    const sock = await tcp(server.ports.tcp as number);
    let head = '';
    let inflating = false;
    const frames: string[] = [];
    const reader = new FrameReader((f) => frames.push(Buffer.from(f).toString()), 1 << 20);
    const inflate = createInflateRaw();
    inflate.on('data', (d: Buffer) => reader.push(d));
    sock.on('data', (d: Buffer) => {
      if (inflating) {
        inflate.write(d);
        return;
      }
      head += d.toString('latin1');
    });
    sock.write(
      'POST /client/amps/json HTTP/1.1\r\nHost: proxy.example.com:80\r\nConnection: Upgrade\r\nUpgrade: tcp\r\nCookie: a=1\r\n\r\n',
    );
    await until(
      () => head.endsWith('\r\n\r\n'),
      () => head,
    );
    expect(head).toBe('HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n');
    inflating = true;
    const deflate = createDeflateRaw({ level: 6, memLevel: 8 });
    deflate.on('data', (d: Buffer) => sock.write(d));
    deflate.write(
      frame('{"c":"logon","cid":"1","client_name":"pz","a":"processed","version":"5.3.5.1.0:c"}'),
    );
    deflate.flush(zlibConstants.Z_SYNC_FLUSH);
    await until(
      () => frames.length === 1,
      () => JSON.stringify(frames),
    );
    expect(frames[0]).toBe(
      '{"c":"ack","cid":"1","a":"processed","status":"success","s":0,"client_name":"pz","version":"5.3.5.1"}',
    );
  });

  it('performs the preflight inside TLS on tcps (§1.7)', async () => {
    server = await startServer({
      port: null,
      tls: { port: 0, certFile: fixture('test-cert.pem'), keyFile: fixture('test-key.pem') },
    });
    const sock = tlsConnect({
      host: '127.0.0.1',
      port: server.ports.tls as number,
      ca: readFileSync(fixture('test-cert.pem')),
    });
    sockets.push(sock);
    await new Promise((resolve, reject) => {
      sock.once('secureConnect', resolve);
      sock.once('error', reject);
    });
    let text = '';
    sock.on('data', (d: Buffer) => (text += d.toString('latin1')));
    sock.write('GET /amps/json HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: tcps\r\n\r\n');
    await until(
      () => text.endsWith('\r\n\r\n'),
      () => text,
    );
    sock.write(frame('{"c":"logon","cid":"1","a":"processed"}'));
    await until(
      () => text.includes('"cid":"1"'),
      () => text,
    );
    expect(text.startsWith('HTTP/1.1 101 ')).toBe(true);
    expect(text).toContain('{"c":"ack","cid":"1","a":"processed","status":"success"');
  });
});
