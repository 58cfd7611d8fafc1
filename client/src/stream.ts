/**
 * MessageStream (the seed's `MessageStream`): the messages of one command as an
 * AsyncIterable, with a bounded depth that pushes back on the connection, an idle timeout,
 * optional conflation by SOW key, and a handler-based {@link MessageStream.drain}.
 */
import type { MessageHandler } from './client/hooks.js';
import { UsageError } from './errors.js';
import type { Message } from './protocol/message.js';
import { ConflatingQueue } from './streamQueue.js';
import { PressureGate, type StreamPressure } from './streamPressure.js';

export type { StreamPressure } from './streamPressure.js';

/** How a stream is wired to its client. */
export interface MessageStreamInit {
  /** Messages queued before the stream pushes back on the connection (default: unbounded). */
  maxDepth?: number;
  /** Called when the depth goes over `maxDepth` and again once it has fallen to the low-water mark. */
  pressure?: StreamPressure;
  /** Called once when the application closes the stream (the client unsubscribes). */
  onClose?: () => void;
  /** Called for each message as the application takes it (auto-ack of queue messages). */
  onTake?: (message: Message) => void;
  /** The command id, subscription id and query id this stream serves. */
  commandId?: string;
  subId?: string;
  queryId?: string;
}

type Waiter = (result: IteratorResult<Message>) => void;

/** The one running drain of a stream. */
interface Drainer {
  readonly handler: MessageHandler;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
  /** The idle timeout in force when the drain started (0: none). */
  readonly idleMs: number;
  /** Date.now() of the last message handed on (kept only with an idle timeout). */
  lastAt: number;
  timer: ReturnType<typeof setTimeout> | undefined;
}

/**
 * The messages of one command. Iterate with `for await`, or hand each message to a handler
 * with {@link drain}; leaving the loop early closes the stream (and unsubscribes a
 * subscription). A stream ends after a SOW query completes, when it is closed, or when the
 * connection ends (then iteration throws the connection's error).
 */
export class MessageStream implements AsyncIterable<Message>, AsyncIterator<Message> {
  /** The command id of the command behind this stream. */
  readonly commandId: string | undefined;
  /** The subscription id, for subscriptions. */
  readonly subId: string | undefined;
  /** The query id, for SOW queries. */
  readonly queryId: string | undefined;

  private readonly queue = new ConflatingQueue();
  private head = 0;
  private waiters: Waiter[] = [];
  private ended = false;
  private failure: Error | undefined;
  private failureReported = false;
  private closed = false;
  /** Pauses the connection while this stream is over its depth limit. */
  private readonly gate: PressureGate;
  private idleMs = 0;
  private drainer: Drainer | undefined;
  /** True while a drain handler runs: messages pushed meanwhile queue behind it. */
  private delivering = false;
  private readonly onCloseHook: (() => void) | undefined;
  private readonly onTake: ((message: Message) => void) | undefined;

  constructor(init: MessageStreamInit = {}) {
    this.gate = new PressureGate(init.pressure, init.maxDepth ?? Number.POSITIVE_INFINITY);
    this.onCloseHook = init.onClose;
    this.onTake = init.onTake;
    this.commandId = init.commandId;
    this.subId = init.subId;
    this.queryId = init.queryId;
  }

  /** Messages queued and not yet taken. */
  get depth(): number {
    return this.queue.length;
  }
  /** Seed spelling of {@link depth}. */
  getDepth(): number {
    return this.depth;
  }
  /** The depth over which the stream pushes back on the connection. */
  getMaxDepth(): number {
    return this.gate.limit;
  }
  /** True once the stream will yield nothing more than what is queued. */
  get isEnded(): boolean {
    return this.ended;
  }
  /** True while this stream holds the connection paused. */
  get isPushingBack(): boolean {
    return this.gate.paused;
  }
  /** True while a {@link drain} hands this stream's messages to its handler. */
  get isDraining(): boolean {
    return this.drainer !== undefined;
  }

  /**
   * Sets the maximum depth: over it, the client stops reading from the connection until the
   * application has taken messages down to half of it.
   */
  maxDepth(depth: number): this {
    if (!(depth >= 1)) throw new RangeError(`max depth must be at least 1, got ${depth}`);
    this.gate.limit = depth;
    this.gate.check(this.depth);
    return this;
  }

  /**
   * Sets the idle timeout: when no message arrives for `ms`, the current iteration ends
   * (the `for await` loop exits) while the stream stays open and can be iterated again.
   * 0 disables it.
   */
  timeout(ms: number): this {
    if (!(ms >= 0)) throw new RangeError(`timeout must be a non-negative number of ms, got ${ms}`);
    this.idleMs = ms;
    return this;
  }

  /**
   * Conflates by SOW key: while the application is behind, a new message for a key that is
   * still queued replaces the queued one in place (so only the latest state is kept).
   */
  conflate(): this {
    this.queue.conflate();
    return this;
  }

  /** Adds a message (called by the client). Ignored once the stream has ended. */
  push(message: Message): void {
    if (this.ended) return;
    const drainer = this.drainer;
    if (drainer !== undefined && !this.delivering && this.queue.length === 0) {
      // Nothing is queued: hand it on now (conflation has nothing it could replace).
      if (this.hand(drainer, message) && this.depth > 0) this.handQueued(drainer);
      return;
    }
    if (this.queue.replace(message)) return;
    const waiter = this.waiters.shift();
    if (waiter) {
      this.take(message);
      waiter({ value: message, done: false });
      return;
    }
    this.queue.push(message);
    this.gate.check(this.depth);
  }

  /**
   * Ends the stream (called by the client): queued messages can still be taken, then the
   * iteration finishes, or throws `error` when one is given.
   */
  end(error?: Error): void {
    if (this.ended) return;
    this.ended = true;
    this.failure = error;
    this.gate.release();
    if (this.depth === 0) this.flushWaiters();
    const drainer = this.drainer;
    // Mid-handler with messages queued behind it, the running delivery settles the drain.
    if (drainer !== undefined && (this.depth === 0 || !this.delivering)) this.handQueued(drainer);
  }

  /** Closes the stream: drops queued messages, ends iteration and unsubscribes. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.queue.clear();
    const wasEnded = this.ended;
    this.ended = true;
    this.failure = undefined;
    this.gate.release();
    this.flushWaiters();
    if (this.drainer !== undefined) this.settleDrain(this.drainer);
    if (!wasEnded) this.onCloseHook?.();
  }

  /**
   * Hands every queued message, then each message as it arrives, to `handler`: synchronously,
   * in order, with no promise per message (the fast way to consume a busy subscription).
   * Queued messages are handed on before `drain` returns; later ones on the connection's read
   * path, so a slow handler slows the reading itself. While draining, the queue stays empty:
   * {@link maxDepth} never pushes back on the connection, and {@link conflate} has nothing to
   * replace (the handler is never behind; what was queued before was conflated as usual).
   *
   * The promise settles as a `for await` loop would end: it resolves when the stream ends or is
   * closed (also from the handler), and rejects with the connection's error when the stream ends
   * with one. With an idle {@link timeout}, it resolves once nothing arrived for that long, and
   * the stream stays open. When `handler` throws, draining stops as when the body of a
   * `for await` loop throws: the stream is closed (a subscription is unsubscribed) and the
   * promise rejects with what the handler threw. While draining, {@link read}, {@link next}
   * and {@link toArray} reject with UsageError.
   * @returns a promise rejected with UsageError when `handler` is not a function, while a
   *   `for await` loop, `read()` or `toArray()` waits on this stream, or while another drain runs
   */
  drain(handler: MessageHandler): Promise<void> {
    if (typeof handler !== 'function') {
      const what = `drain needs a message handler function, got ${typeof handler}`;
      return Promise.reject(busy(what, 'invalid argument'));
    }
    if (this.drainer !== undefined) return Promise.reject(busy('this stream is already being drained'));
    if (this.waiters.length > 0) {
      return Promise.reject(busy('cannot drain while a for await loop, read() or toArray() waits'));
    }
    return new Promise<void>((resolve, reject) => {
      const idleMs = this.ended ? 0 : this.idleMs;
      const drainer: Drainer = { handler, resolve, reject, idleMs, lastAt: 0, timer: undefined };
      this.drainer = drainer;
      this.handQueued(drainer);
      if (this.drainer !== drainer || idleMs === 0) return;
      drainer.lastAt = Date.now();
      this.armIdle(drainer, idleMs);
    });
  }

  /**
   * Takes the next message; resolves undefined when the stream ends or nothing arrives
   * within `timeoutMs` (default: the stream's idle timeout; 0 waits until a message or the end).
   * @throws the connection's error when the stream ended with one
   */
  async read(timeoutMs?: number): Promise<Message | undefined> {
    const r = await this.nextWithin(timeoutMs ?? this.idleMs);
    return r.done ? undefined : r.value;
  }

  /** AsyncIterator protocol. */
  next(): Promise<IteratorResult<Message>> {
    return this.nextWithin(this.idleMs);
  }

  /** Leaving a `for await` loop early closes the stream. */
  return(): Promise<IteratorResult<Message>> {
    this.close();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterator<Message> {
    return this;
  }

  /** Takes every remaining message into an array (for SOW queries; waits for the end). */
  async toArray(): Promise<Message[]> {
    const out: Message[] = [];
    for (;;) {
      const r = await this.nextWithin(0);
      if (r.done) return out;
      out.push(r.value);
    }
  }

  private nextWithin(idleMs: number): Promise<IteratorResult<Message>> {
    if (this.drainer !== undefined) {
      return Promise.reject(busy('this stream is being drained: its messages go to the drain handler'));
    }
    if (this.depth > 0) {
      const message = this.shiftMessage();
      this.take(message);
      if (this.ended && this.depth === 0) queueMicrotask(() => this.flushWaiters());
      return Promise.resolve({ value: message, done: false });
    }
    if (this.ended) return this.endResult();
    return new Promise<IteratorResult<Message>>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const waiter: Waiter = (result) => {
        if (timer) clearTimeout(timer);
        if (result.done && this.failure && !this.failureReported) {
          this.failureReported = true;
          reject(this.failure);
        } else {
          resolve(result);
        }
      };
      this.waiters.push(waiter);
      if (idleMs > 0) {
        timer = setTimeout(() => {
          const i = this.waiters.indexOf(waiter);
          if (i >= 0) this.waiters.splice(i, 1);
          resolve({ value: undefined, done: true });
        }, idleMs);
      }
    });
  }

  /** Takes the oldest queued message (the queue must not be empty). */
  private shiftMessage(): Message {
    const message = this.queue.shift();
    this.gate.check(this.depth);
    return message;
  }

  /** Hands one message to the drain handler; false when the handler threw (the drain is over). */
  private hand(drainer: Drainer, message: Message): boolean {
    this.take(message);
    this.delivering = true;
    try {
      drainer.handler(message);
    } catch (error) {
      this.delivering = false;
      if (this.drainer === drainer) {
        this.detach(drainer);
        this.close();
      }
      drainer.reject(error);
      return false;
    }
    this.delivering = false;
    if (drainer.idleMs > 0) drainer.lastAt = Date.now();
    return true;
  }

  /** Hands on what is queued (in order), then settles the drain if the stream has ended. */
  private handQueued(drainer: Drainer): void {
    while (this.drainer === drainer && this.depth > 0) {
      if (!this.hand(drainer, this.shiftMessage())) return;
    }
    if (this.drainer === drainer && this.ended) this.settleDrain(drainer);
  }

  /** Ends a drain as the stream's end dictates: resolve, or reject with the unreported failure. */
  private settleDrain(drainer: Drainer): void {
    this.detach(drainer);
    if (this.failure && !this.failureReported) {
      this.failureReported = true;
      drainer.reject(this.failure);
    } else {
      drainer.resolve();
    }
  }

  private detach(drainer: Drainer): void {
    if (this.drainer === drainer) this.drainer = undefined;
    if (drainer.timer !== undefined) clearTimeout(drainer.timer);
    drainer.timer = undefined;
  }

  /** Resolves the drain once no message arrived for its idle timeout; the stream stays open. */
  private armIdle(drainer: Drainer, ms: number): void {
    drainer.timer = setTimeout(() => {
      drainer.timer = undefined;
      if (this.drainer !== drainer) return;
      const quiet = Date.now() - drainer.lastAt;
      if (quiet < drainer.idleMs) {
        this.armIdle(drainer, drainer.idleMs - quiet);
        return;
      }
      this.detach(drainer);
      drainer.resolve();
    }, ms);
  }

  private endResult(): Promise<IteratorResult<Message>> {
    if (this.failure && !this.failureReported) {
      this.failureReported = true;
      return Promise.reject(this.failure);
    }
    return Promise.resolve({ value: undefined, done: true });
  }

  private flushWaiters(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w({ value: undefined, done: true });
  }

  private take(message: Message): void {
    if (!this.onTake) return;
    try {
      this.onTake(message);
    } catch {
      // acknowledgement problems surface through the client's exception listener
    }
  }
}

function busy(what: string, code = 'stream busy'): UsageError {
  return new UsageError(what, { code });
}
