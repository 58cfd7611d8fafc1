/**
 * Plain TCP connections (spec §1.6): resolve the host (preferred family first), connect to
 * each address in turn until one answers, and apply the socket options of the URI.
 */
import { connect as netConnect, type Socket } from 'node:net';
import type { AmpsUri } from '../uri.js';
import { applySocketOptions, bindOptions, resolveAddresses } from './socketOptions.js';

/** Called with every socket as soon as it exists, so a timed-out connect can destroy it. */
export type SocketTracker = (socket: Socket) => void;

/** Connects one TCP socket to `address:port`; resolves once connected. */
export function connectSocket(
  address: string,
  family: 4 | 6,
  port: number,
  uri: AmpsUri,
  track: SocketTracker,
): Promise<Socket> {
  return new Promise<Socket>((resolve, reject) => {
    const socket = netConnect({ host: address, family, port, ...bindOptions(uri) });
    track(socket);
    const onError = (e: Error): void => {
      socket.off('connect', onConnect);
      socket.destroy();
      reject(e);
    };
    const onConnect = (): void => {
      socket.off('error', onError);
      applySocketOptions(socket, uri);
      resolve(socket);
    };
    socket.once('error', onError);
    socket.once('connect', onConnect);
    socket.once('close', () =>
      reject(new Error(`connection to ${address} port ${port} closed while connecting`)),
    );
  });
}

/**
 * Opens the TCP connection of a tcp:// or tcps:// URI. Tries every resolved address, the
 * preferred family first, and fails with the last address's error when none connects.
 */
export async function connectTcp(uri: AmpsUri, track: SocketTracker): Promise<Socket> {
  const addresses = await resolveAddresses(uri);
  if (addresses.length === 0) {
    throw new Error(
      uri.options.bind
        ? `${uri.host} has no IPv${uri.options.bind.family} address to match bind=${uri.options.bind.address}`
        : `${uri.host} resolved to no address`,
    );
  }
  let lastError: unknown;
  for (const { address, family } of addresses) {
    try {
      return await connectSocket(address, family, uri.port, uri, track);
    } catch (e) {
      lastError = e;
    }
  }
  throw lastError;
}
