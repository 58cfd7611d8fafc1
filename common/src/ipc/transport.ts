import type { Envelope } from '../dto/errors.js';

/**
 * What {@link createApi} needs from a transport: one request/response call per channel and a
 * subscription to pushed events. The preload wraps ipcRenderer; the browser host a WebSocket.
 */
export interface ApiTransport {
  invoke(channel: string, payload: unknown): Promise<Envelope<unknown>>;
  subscribe(channel: string, callback: (payload: unknown) => void): () => void;
}
