/**
 * Connection status (architecture: "Status is a stream of a discriminated union"): the
 * states a client passes through, delivered to listeners and as an async iterable.
 */

/** Every connection state a client (or an HA client) reports. */
export type ConnectionState =
  | 'connecting'
  | 'connected'
  | 'loggedOn'
  | 'disconnected'
  | 'reconnecting'
  | 'failedOver'
  | 'heartbeatMissed'
  | 'closed';

/** One status change. `error` is set when the change was caused by a failure. */
export interface ConnectionStatus {
  state: ConnectionState;
  /** The connection string, with the password removed. */
  uri?: string;
  /** Why the state changed (disconnects, missed heartbeats). */
  error?: Error;
  /** Milliseconds since the epoch. */
  at: number;
}

/** Receives status changes (the seed's ConnectionStateListener, in TS idiom). */
export type ConnectionStateListener = (status: ConnectionStatus) => void;

/**
 * Fans status changes out to listeners and to async-iterable subscribers. Each iterable
 * subscriber buffers at most `bufferSize` changes (oldest dropped) so a slow reader cannot
 * hold memory without bound.
 */
export class StatusHub {
  private readonly listeners = new Set<ConnectionStateListener>();
  private readonly readers = new Set<StatusReader>();
  private last: ConnectionStatus | undefined;

  constructor(
    private readonly onListenerError: (error: unknown) => void = () => {},
    private readonly bufferSize = 256,
  ) {}

  /** The latest status, if any. */
  get current(): ConnectionStatus | undefined {
    return this.last;
  }

  /** Adds a listener; returns a function that removes it. */
  add(listener: ConnectionStateListener): () => void {
    this.listeners.add(listener);
    return () => this.remove(listener);
  }

  /** Removes a listener. */
  remove(listener: ConnectionStateListener): void {
    this.listeners.delete(listener);
  }

  /** Reports a change to every listener and reader. */
  emit(status: ConnectionStatus): void {
    this.last = status;
    for (const l of [...this.listeners]) {
      try {
        l(status);
      } catch (e) {
        this.onListenerError(e);
      }
    }
    for (const r of this.readers) r.push(status);
  }

  /** An async iterable of the changes from now on; ends when `end()` is called or the loop is left. */
  stream(): AsyncIterable<ConnectionStatus> & AsyncIterator<ConnectionStatus> {
    const reader = new StatusReader(this.bufferSize, () => this.readers.delete(reader));
    this.readers.add(reader);
    return reader;
  }

  /** Ends every async-iterable reader (the client was closed for good). */
  end(): void {
    for (const r of [...this.readers]) r.finish();
  }
}

class StatusReader implements AsyncIterable<ConnectionStatus>, AsyncIterator<ConnectionStatus> {
  private buffer: ConnectionStatus[] = [];
  private waiter: ((r: IteratorResult<ConnectionStatus>) => void) | undefined;
  private done = false;

  constructor(
    private readonly limit: number,
    private readonly detach: () => void,
  ) {}

  push(status: ConnectionStatus): void {
    if (this.done) return;
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = undefined;
      w({ value: status, done: false });
      return;
    }
    this.buffer.push(status);
    if (this.buffer.length > this.limit) this.buffer.shift();
  }

  finish(): void {
    if (this.done) return;
    this.done = true;
    this.detach();
    const w = this.waiter;
    this.waiter = undefined;
    w?.({ value: undefined, done: true });
  }

  next(): Promise<IteratorResult<ConnectionStatus>> {
    const value = this.buffer.shift();
    if (value) return Promise.resolve({ value, done: false });
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }

  return(): Promise<IteratorResult<ConnectionStatus>> {
    this.buffer = [];
    this.finish();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterator<ConnectionStatus> {
    return this;
  }
}
