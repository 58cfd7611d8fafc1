import { CHANNELS } from '../../../common/src/ipc/contract.js';
import type { EventName, EventPayload } from '../../../common/src/ipc/contract.js';

/** Where events for one client go: a window's webContents or a browser-host socket. */
export interface EventSink {
  send(channel: string, payload: unknown): void;
}

/**
 * Registered clients and the events pushed to them. Only registered clients receive events;
 * when one goes away (window closed, socket closed) the "gone" listeners clean up after it.
 */
export class EventHub {
  readonly #sinks = new Map<string, EventSink>();
  readonly #goneListeners = new Set<(clientId: string) => void>();
  readonly #cameListeners = new Set<(clientId: string, replaced: boolean) => void>();

  /**
   * Adds a client; the returned function removes it, unless another sink has since been
   * registered under the same id (a page that came back).
   */
  register(clientId: string, sink: EventSink): () => void {
    const replaced = this.#sinks.has(clientId);
    this.#sinks.set(clientId, sink);
    for (const listener of this.#cameListeners) listener(clientId, replaced);
    return () => {
      if (this.#sinks.get(clientId) === sink) this.unregister(clientId);
    };
  }

  /**
   * Called with the id of every client that registers: again after a reload, or `replaced`
   * when a newer sink took over from one still registered.
   */
  onClientCame(listener: (clientId: string, replaced: boolean) => void): () => void {
    this.#cameListeners.add(listener);
    return () => this.#cameListeners.delete(listener);
  }

  /** Removes a client and tells the "gone" listeners. Idempotent. */
  unregister(clientId: string): void {
    if (!this.#sinks.delete(clientId)) return;
    for (const listener of this.#goneListeners) listener(clientId);
  }

  /** Called with the id of every client that goes away. */
  onClientGone(listener: (clientId: string) => void): () => void {
    this.#goneListeners.add(listener);
    return () => this.#goneListeners.delete(listener);
  }

  has(clientId: string): boolean {
    return this.#sinks.has(clientId);
  }

  get clientIds(): string[] {
    return [...this.#sinks.keys()];
  }

  /** Sends to one client, or to every client when `clientId` is omitted. */
  emit<K extends EventName>(name: K, payload: EventPayload<K>, clientId?: string): void {
    const channel = CHANNELS[name];
    if (clientId !== undefined) {
      this.#sinks.get(clientId)?.send(channel, payload);
      return;
    }
    for (const sink of this.#sinks.values()) sink.send(channel, payload);
  }
}
