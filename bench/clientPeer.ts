/**
 * A minimal loopback AMPS peer for the client benchmark: it answers `logon` and every
 * command asking for a `processed` ack with a success ack, remembers the last subscription
 * id, then either streams pre-encoded deliveries to the client (`pump`) or just counts the
 * client's frames without parsing them.
 */
import { once } from 'node:events';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { HeaderFields } from '../client/src/protocol/fields.js';
import { FrameReader, encodeFrame } from '../client/src/protocol/frame.js';
import { decodeHeader, encodeHeader } from '../client/src/protocol/header.js';

/** A running peer. */
export interface BenchPeer {
  /** `tcp://127.0.0.1:<port>/amps/json`. */
  uri: string;
  /** Frames received from the client since it logged on. */
  readonly received: number;
  /** Sub id of the latest subscribe. */
  readonly subId: string | undefined;
  /**
   * Writes `frame` (one complete, prefixed frame) to the client in corked batches of
   * `perWrite` until `until()` is true, waiting for `drain` when the socket asks.
   */
  pump(frame: Buffer, perWrite: number, until: () => boolean): Promise<void>;
  close(): Promise<void>;
}

/** Resolves on the socket's next `drain` or its `close`, whichever comes first. */
function drainOrClose(s: Socket): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      s.off('drain', done);
      s.off('close', done);
      resolve();
    };
    s.on('drain', done);
    s.on('close', done);
  });
}

/** Starts a peer on 127.0.0.1, port 0, for one client connection. */
export async function startPeer(): Promise<BenchPeer> {
  const server: Server = createServer();
  let socket: Socket | undefined;
  let received = 0;
  let loggedOn = false;
  let subId: string | undefined;
  const reply = (s: Socket, fields: HeaderFields): void => {
    s.write(encodeFrame(Buffer.from(encodeHeader(fields, 'server'))));
  };
  server.on('connection', (s: Socket) => {
    socket = s;
    const reader = new FrameReader((frame) => {
      if (loggedOn) {
        received++;
        // Only commands that wait for an ack are decoded once logged on (the publishes are not).
        if (frame[6] === 0x70 && frame[7] === 0x22) return; // {"c":"p"
      }
      const { fields } = decodeHeader(frame);
      if (fields.command === 'publish' || fields.command === 'delta_publish') return;
      if (fields.command === 'logon') loggedOn = true;
      if (fields.command === 'subscribe' || fields.command === 'delta_subscribe') subId = fields.subId;
      if (fields.command === 'logon' || (fields.ackType ?? '').split(',').includes('processed')) {
        const ack: HeaderFields = { command: 'ack', ackType: 'processed', status: 'success' };
        if (fields.commandId !== undefined) ack.commandId = fields.commandId;
        if (fields.subId !== undefined) ack.subId = fields.subId;
        if (fields.command === 'logon') ack.version = '5.3.5.1';
        reply(s, ack);
      }
    }, 1 << 20);
    s.on('data', (chunk: Buffer) => reader.push(chunk));
    s.on('error', () => {});
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  return {
    uri: `tcp://127.0.0.1:${port}/amps/json`,
    get received() {
      return received;
    },
    get subId() {
      return subId;
    },
    async pump(frame, perWrite, until) {
      const s = socket;
      if (!s) throw new Error('no client connected to the bench peer');
      const batch = Buffer.concat(Array.from({ length: perWrite }, () => frame));
      while (!until() && !s.destroyed) {
        s.cork();
        let ok = true;
        for (let i = 0; i < 4 && ok; i++) ok = s.write(batch);
        process.nextTick(() => s.uncork());
        if (!ok) await drainOrClose(s);
        else await new Promise((r) => setImmediate(r));
      }
    },
    async close() {
      socket?.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
