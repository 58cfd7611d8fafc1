/**
 * A loopback TCP relay between a client and the sandbox, for failure scripts: it forwards
 * bytes both ways, can withhold what either side sends (unanswered commands, a silent
 * server or client), and closes the client side when the server side closes.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';

/** A running relay. */
export interface Relay {
  /** The port clients connect to. */
  readonly port: number;
  /** From now on, bytes from clients are held back instead of reaching the server. */
  holdUpstream(): void;
  /** From now on, bytes from the server are held back instead of reaching clients. */
  holdDownstream(): void;
  /** Stops listening and drops every relayed connection. */
  close(): Promise<void>;
}

/** Starts a relay on 127.0.0.1, port 0, forwarding to `targetPort` on 127.0.0.1. */
export async function startRelay(targetPort: number): Promise<Relay> {
  const sockets = new Set<Socket>();
  let held = false;
  let heldDown = false;
  const server: Server = createServer((downstream) => {
    const upstream = connect(targetPort, '127.0.0.1');
    for (const s of [downstream, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    }
    downstream.on('data', (chunk: Buffer) => {
      if (!held) upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (!heldDown) downstream.write(chunk);
    });
    upstream.on('close', () => downstream.destroy());
    downstream.on('close', () => upstream.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('relay has no TCP address');
  return {
    port: address.port,
    holdUpstream: () => {
      held = true;
    },
    holdDownstream: () => {
      heldDown = true;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
