/**
 * Unauthenticated memory (hardening issue, item 7): before logon a connection may send only
 * small frames, must log on within a deadline, and its buffers go when it closes.
 */
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { StreamServerTransport } from '../src/net/streamTransport.js';
import type { SandboxServer } from '../src/server.js';
import type { SandboxConfig } from '../src/config.js';
import { ackOf, closedWithin, RawClientPool, settle, startServer } from './helpers.js';

const KiB = 1024;
const pool = new RawClientPool();
let server: SandboxServer | undefined;
const sockets: Socket[] = [];

afterEach(async () => {
  pool.closeAll();
  for (const s of sockets.splice(0)) s.destroy();
  await server?.close();
  server = undefined;
});

async function start(config: SandboxConfig = {}): Promise<number> {
  server = await startServer(config);
  return server.ports.tcp as number;
}

/** A bare socket (no framing helper), for sending partial frames. */
async function rawSocket(port: number): Promise<Socket & { gone: Promise<void> }> {
  const socket = connect(port, '127.0.0.1');
  sockets.push(socket);
  socket.on('error', () => {});
  const gone = new Promise<void>((r) => socket.once('close', () => r()));
  await new Promise<void>((r) => socket.once('connect', () => r()));
  return Object.assign(socket, { gone });
}

/** Resolves when `p` does, failing after `ms`. */
async function within(p: Promise<void>, ms: number, what: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      p,
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(what)), ms))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

const prefix = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n, 0);
  return b;
};

describe('frame size before logon', () => {
  it('closes a connection that starts a 64 MiB frame before logon once it holds over 64 KiB of it', async () => {
    const port = await start();
    const s = await rawSocket(port);
    s.write(prefix(64 * 1024 * KiB));
    s.write(Buffer.alloc(200 * KiB, 0x61));
    await within(s.gone, 3000, 'the partial frame was kept');
    expect(server?.broker.sessions.size).toBe(0);
  });

  it('closes a connection whose complete first frame is over the limit, and says logon required to small ones', async () => {
    const port = await start({ preLogonMaxFrameBytes: 16 * KiB });
    const small = await pool.connect(port);
    small.send({ c: 'publish', t: 'x', cid: '1', a: 'processed' }, 'y'.repeat(1000));
    expect((await small.waitFor(ackOf('1'))).fields.reason).toBe('logon required');
    const big = await pool.connect(port);
    big.send({ c: 'publish', t: 'x', cid: '2', a: 'processed' }, 'y'.repeat(20 * KiB));
    await closedWithin(big, 3000);
    expect(big.received).toEqual([]);
    expect(small.isClosed()).toBe(false);
  });

  it('accepts big frames once logged on, and from the start in implicit-logon mode', async () => {
    let port = await start();
    const c = await pool.connect(port, 'big');
    c.send({ c: 'publish', t: 'x', cid: 'p', a: 'processed' }, 'z'.repeat(1024 * KiB));
    expect((await c.waitFor(ackOf('p'))).fields.status).toBe('success');
    pool.closeAll();
    await server?.close();
    port = await start({ implicitLogon: true });
    const d = await pool.connect(port);
    d.send({ c: 'publish', t: 'x', cid: 'q', a: 'processed' }, 'z'.repeat(1024 * KiB));
    expect((await d.waitFor(ackOf('q'))).fields.status).toBe('success');
  });

  it('gives back what a connection held for a partial frame when it closes', async () => {
    const port = await start();
    const held: StreamServerTransport[] = [];
    for (let i = 0; i < 6; i++) {
      const s = await rawSocket(port);
      s.write(prefix(60 * KiB));
      s.write(Buffer.alloc(50 * KiB, 0x62));
    }
    // Wait until all six partial frames are held server-side.
    for (let tries = 0; tries < 100; tries++) {
      held.length = 0;
      for (const session of server?.broker.sessions ?? [])
        held.push(session.transport as unknown as StreamServerTransport);
      if (held.length === 6 && held.every((t) => t.bufferedBytes >= 50 * KiB)) break;
      await settle(20);
    }
    expect(held.map((t) => t.bufferedBytes)).toEqual(Array(6).fill(50 * KiB + 4));
    for (const s of sockets) s.destroy();
    for (let tries = 0; tries < 100 && (server?.broker.sessions.size ?? 0) > 0; tries++) await settle(20);
    expect(server?.broker.sessions.size).toBe(0);
    expect(held.map((t) => t.bufferedBytes)).toEqual(Array(6).fill(0));
  });
});

describe('logon deadline', () => {
  it('closes a connection that has not logged on in time, and keeps one that did', async () => {
    const port = await start({ logonTimeoutMs: 300 });
    const silent = await pool.connect(port);
    const chatty = await pool.connect(port);
    chatty.send({ c: 'sow', t: 'x', cid: 's', a: 'processed' });
    expect((await chatty.waitFor(ackOf('s'))).fields.reason).toBe('logon required');
    const good = await pool.connect(port, 'on-time');
    await closedWithin(silent, 3000);
    await closedWithin(chatty, 3000);
    await settle(400);
    expect(good.isClosed()).toBe(false);
    good.send({ c: 'flush', cid: 'f', a: 'processed' });
    expect((await good.waitFor(ackOf('f'))).fields.status).toBe('success');
  });

  it('also closes a socket still sending its HTTP preflight', async () => {
    const port = await start({ logonTimeoutMs: 300 });
    const s = await rawSocket(port);
    s.write('GET /amps/json HTTP/1.1\r\nHost: x\r\n');
    await within(s.gone, 3000, 'the half-sent preflight was kept open');
  });

  it('does not apply in implicit-logon mode, where any command logs on', async () => {
    const port = await start({ logonTimeoutMs: 200, implicitLogon: true });
    const late = await pool.connect(port);
    await settle(600);
    expect(late.isClosed()).toBe(false);
    late.send({ c: 'flush', cid: 'f', a: 'processed' });
    expect((await late.waitFor(ackOf('f'))).fields.status).toBe('success');
  });

  it('defaults to 10 s', async () => {
    const { DEFAULTS } = await import('../src/config.js');
    expect(DEFAULTS.logonTimeoutMs).toBe(10_000);
    expect(DEFAULTS.preLogonMaxFrameBytes).toBe(64 * KiB);
  });
});
