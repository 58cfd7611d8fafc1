/**
 * Unix-domain stream sockets (spec §2.2): `unix://host:0/amps/json?path=/run/amps.sock`;
 * host and port are not used, the `path` option names the socket file. Same framing as TCP.
 */
import { connect as netConnect, type Socket } from 'node:net';
import type { AmpsUri } from '../uri.js';
import type { SocketTracker } from './tcp.js';

/** Connects to the socket file named by the URI's `path` option. */
export function connectUnix(uri: AmpsUri, track: SocketTracker): Promise<Socket> {
  const path = uri.options.socketPath;
  if (path === undefined) return Promise.reject(new Error('unix:// URI has no path option'));
  return new Promise<Socket>((resolve, reject) => {
    const socket = netConnect({ path });
    track(socket);
    const onError = (e: Error): void => {
      socket.destroy();
      reject(e);
    };
    socket.once('error', onError);
    socket.once('connect', () => {
      socket.off('error', onError);
      resolve(socket);
    });
    socket.once('close', () => reject(new Error(`connection to ${path} closed while connecting`)));
  });
}
