/**
 * The pieces the app plugs into the client's HAClient so the UI can see and steer it: a
 * server chooser that knows the index of the current server and reports each failure, a
 * delay strategy that reports each scheduled wait and counts attempts, and an HAClient that
 * can skip its wait ("reconnect now") and drop its live transport ("simulate failover").
 */
import { HAClient } from '../../../client/src/ha/haClient.js';
import type { ReconnectDelayStrategy } from '../../../client/src/ha/delayStrategy.js';
import { isUserInitiated } from '../../../client/src/ha/serverChooser.js';
import type { Authenticator, ConnectionInfo, ServerChooser } from '../../../client/src/ha/serverChooser.js';
import type { Transport, TransportHandlers } from '../../../client/src/transport/transport.js';

const passThrough: Authenticator = {
  authenticate: (_user, password) => password,
  retry: (_user, password) => password,
  completed: () => undefined,
};

/** Receives what the HA pieces observe. */
export interface HaObserver {
  /** An attempt on server `index` failed (connect, logon or resubscribe). */
  attemptFailed(index: number, error: Error): void;
  /** The next attempt, on server `index`, waits `waitMs` (0 = at once); `attempt` counts from 1. */
  attemptScheduled(index: number, attempt: number, waitMs: number): void;
}

/**
 * The servers in order: starts at the first, moves to the next on each failure (wrapping
 * around), stays on success. `advance()` moves on by hand (simulated failover).
 */
export class IndexedServerChooser implements ServerChooser {
  #index = 0;
  #lastError = new Map<number, string>();

  constructor(
    private readonly uris: readonly string[],
    private readonly observer: Pick<HaObserver, 'attemptFailed'>,
  ) {
    if (uris.length === 0) throw new RangeError('an HA connection needs at least one server');
  }

  /** Index of the server in use or to try next. */
  get index(): number {
    return this.#index;
  }

  getCurrentURI(): string | undefined {
    return this.uris[this.#index];
  }

  getCurrentAuthenticator(): Authenticator {
    return passThrough;
  }

  reportFailure(error: Error, info: ConnectionInfo): void {
    if (isUserInitiated(error, info)) return;
    this.#lastError.set(this.#index, error.message);
    this.observer.attemptFailed(this.#index, error);
    this.advance();
  }

  reportSuccess(): void {
    this.#lastError.clear();
  }

  /** Moves to the next server, wrapping around. */
  advance(): void {
    this.#index = (this.#index + 1) % this.uris.length;
  }

  getError(): string {
    return [...this.#lastError].map(([i, message]) => `server ${i + 1}: ${message}`).join('; ');
  }
}

/** Wraps a delay strategy: reports each wait and counts the attempts of an outage. */
export class ObservedDelayStrategy implements ReconnectDelayStrategy {
  #attempt = 0;

  constructor(
    private readonly inner: ReconnectDelayStrategy,
    private readonly chooser: IndexedServerChooser,
    private readonly observer: Pick<HaObserver, 'attemptScheduled'>,
  ) {}

  getConnectWaitDuration(uri: string): number {
    const waitMs = this.inner.getConnectWaitDuration(uri);
    this.#attempt += 1;
    this.observer.attemptScheduled(this.chooser.index, this.#attempt, waitMs);
    return waitMs;
  }

  reset(): void {
    this.#attempt = 0;
    this.inner.reset();
  }
}

/** Remembers the transport of the live connection so it can be dropped on purpose. */
export class TransportTracker {
  #last: { transport: Transport; handlers: TransportHandlers } | undefined;

  /** Wraps a transport factory. */
  wrap(
    open: (uri: string, handlers: TransportHandlers) => Promise<Transport>,
  ): (uri: string, handlers: TransportHandlers) => Promise<Transport> {
    return async (uri, handlers) => {
      const transport = await open(uri, handlers);
      this.#last = { transport, handlers };
      return transport;
    };
  }

  /** Closes the latest transport as if the network dropped it. False when there is none. */
  drop(error: Error): boolean {
    const last = this.#last;
    if (last === undefined) return false;
    this.#last = undefined;
    last.handlers.onClose(error);
    last.transport.close(error);
    return true;
  }
}

/** An HAClient whose wait before the next attempt can be cut short. */
export class SteerableHAClient extends HAClient {
  /** Ends the current wait at once; false when the client is not waiting. */
  wakeNow(): boolean {
    const sleeper = this.sleeper;
    if (sleeper === undefined) return false;
    sleeper.wake();
    return true;
  }
}
