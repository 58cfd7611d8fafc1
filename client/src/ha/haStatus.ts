/**
 * Connection states of the HA client (spec §12.4 "connection-state notifications"): the
 * plain client's states plus `resubscribed`, reported once every subscription has been
 * placed again after a reconnect.
 */
import type { ConnectionState } from '../status.js';

/** Every state an {@link HAClient} reports. */
export type HAConnectionState = ConnectionState | 'resubscribed';

/** One state change of an HA client. */
export interface HAConnectionStatus {
  state: HAConnectionState;
  /** The server's connection string, password masked. */
  uri?: string;
  /** What caused the change (disconnects, give-up). */
  error?: Error;
  /** Milliseconds since the epoch. */
  at: number;
}

/** Receives HA state changes. */
export type HAConnectionStateListener = (status: HAConnectionStatus) => void;

/** Fans HA state changes out to listeners; a throwing listener is reported, not propagated. */
export class HAStatusHub {
  private readonly listeners = new Set<HAConnectionStateListener>();
  private last: HAConnectionStatus | undefined;

  constructor(
    private readonly now: () => number,
    private readonly onListenerError: (error: unknown) => void,
  ) {}

  /** The latest state change, if any. */
  get current(): HAConnectionStatus | undefined {
    return this.last;
  }

  /** Adds a listener; returns a function that removes it. */
  add(listener: HAConnectionStateListener): () => void {
    this.listeners.add(listener);
    return () => this.remove(listener);
  }

  /** Removes a listener. */
  remove(listener: HAConnectionStateListener): void {
    this.listeners.delete(listener);
  }

  /** Reports a state change to every listener. */
  emit(state: HAConnectionState, uri?: string, error?: Error): void {
    const status: HAConnectionStatus = { state, at: this.now() };
    if (uri !== undefined) status.uri = uri;
    if (error !== undefined) status.error = error;
    this.last = status;
    for (const listener of [...this.listeners]) {
      try {
        listener(status);
      } catch (e) {
        this.onListenerError(e);
      }
    }
  }
}
