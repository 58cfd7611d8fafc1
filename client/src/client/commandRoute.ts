/**
 * The route of one executed command: tracks the acks it asked for, settles the caller's
 * promise on the ack it waits for (or a timeout), passes data and requested acks to its sink,
 * and finishes when the command's messages are complete.
 */
import { errorFromAckReason, TimedOutError } from '../errors.js';
import type { AckType } from '../protocol/ack.js';
import type { Message } from '../protocol/message.js';
import type { Route } from '../router.js';
import type { Timers } from './hooks.js';

/** Where a route's messages go: a MessageStream or a handler. */
export interface RouteSink {
  push(message: Message): void;
  end(error?: Error): void;
}

/** How a route finishes: `subscription` only by unsubscribe or disconnect. */
export type RouteKind = 'subscription' | 'query' | 'command';

/** Why a route finished. */
export type RouteEnd = 'complete' | 'failed' | 'timeout' | 'closed' | 'disconnected';

/** Everything a route needs. */
export interface CommandRouteInit {
  commandId: string;
  subId?: string | undefined;
  queryId?: string | undefined;
  kind: RouteKind;
  /** Every ack type the command requested. */
  requested: ReadonlySet<AckType>;
  /** Ack types the application asked for: these reach the sink. */
  visibleAcks: ReadonlySet<AckType>;
  /** The ack `ready` waits for; none = ready at once. */
  waitFor?: AckType | undefined;
  sink: RouteSink;
  /** e.g. `subscribe to "orders"`: used in error messages. */
  context: string;
  timeoutMs: number;
  timers: Timers;
  /** Called once when the route is finished; the client removes it from the router. */
  onEnd(route: CommandRoute, how: RouteEnd): void;
  /** Filters deliveries (duplicate detection); false drops the message. */
  accept?(message: Message, viaSubId: string | undefined): boolean;
  /** Sees every ack before the route acts on it (e.g. queue `max_backlog`). */
  onAck?(message: Message): void;
}

/** A {@link Route} with ack tracking. `ready` settles on the awaited ack. */
export class CommandRoute implements Route {
  readonly commandId: string;
  readonly subId: string | undefined;
  readonly queryId: string | undefined;
  readonly kind: RouteKind;
  /** Settles when the awaited ack arrives: rejects on a failed ack, timeout or disconnect. */
  readonly ready: Promise<void>;

  private readonly pending: Set<AckType>;
  private settle: { resolve: () => void; reject: (e: Error) => void } | undefined;
  private timer: unknown;
  private groupEnded = false;
  private finished = false;

  constructor(private readonly init: CommandRouteInit) {
    this.commandId = init.commandId;
    this.subId = init.subId;
    this.queryId = init.queryId;
    this.kind = init.kind;
    this.pending = new Set(init.requested);
    this.ready = new Promise<void>((resolve, reject) => {
      this.settle = { resolve, reject };
    });
    // The caller may never await `ready` when the route fails first; keep that quiet.
    this.ready.catch(() => {});
    const waits = init.waitFor !== undefined || init.kind === 'command';
    if (init.waitFor === undefined) this.resolveReady();
    if (waits && this.pending.size > 0 && init.timeoutMs > 0) {
      this.timer = init.timers.setTimeout(() => this.onTimeout(), init.timeoutMs);
    }
  }

  /** Where this route's messages go. */
  get sink(): RouteSink {
    return this.init.sink;
  }

  /** True once the route is finished. */
  get isFinished(): boolean {
    return this.finished;
  }

  /** Takes one routed message. */
  deliver(message: Message, viaSubId?: string): void {
    if (this.finished) return;
    if (message.command === 'ack') {
      this.onAckMessage(message);
      return;
    }
    if (message.command === 'group_end') this.groupEnded = true;
    if (this.init.accept && !this.init.accept(message, viaSubId)) return;
    this.init.sink.push(message);
    this.checkDone();
  }

  /** The connection ended. */
  fail(error: Error): void {
    this.finish('disconnected', error);
  }

  /** The application closed the stream or unsubscribed. */
  close(): void {
    this.finish('closed');
  }

  private onAckMessage(ack: Message): void {
    this.init.onAck?.(ack);
    const type = ack.ackType;
    if (type !== undefined) this.pending.delete(type);
    if (ack.status === 'failure') {
      this.finish('failed', errorFromAckReason(ack.reason, this.init.context));
      return;
    }
    if (type !== undefined && this.init.visibleAcks.has(type)) this.init.sink.push(ack);
    if (type === this.init.waitFor) this.resolveReady();
    this.checkDone();
  }

  private checkDone(): void {
    if (this.finished || this.kind === 'subscription') return;
    if (this.pending.size > 0) return;
    if (this.kind === 'query' && !this.groupEnded && !this.init.requested.has('completed')) return;
    this.finish('complete');
  }

  private onTimeout(): void {
    this.timer = undefined;
    if (this.finished) return;
    const what = this.settle
      ? `the ${this.init.waitFor ?? [...this.pending].join('/')} ack`
      : 'the command to complete';
    this.finish(
      'timeout',
      new TimedOutError(
        `${this.init.context} timed out after ${this.init.timeoutMs} ms waiting for ${what}`,
        { code: 'timed out', retriable: true },
      ),
    );
  }

  private resolveReady(): void {
    if (!this.settle) return;
    const s = this.settle;
    this.settle = undefined;
    if (this.timer !== undefined && this.kind !== 'command') {
      this.init.timers.clearTimeout(this.timer);
      this.timer = undefined;
    }
    s.resolve();
  }

  private finish(how: RouteEnd, error?: Error): void {
    if (this.finished) return;
    this.finished = true;
    if (this.timer !== undefined) {
      this.init.timers.clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.settle) {
      const s = this.settle;
      this.settle = undefined;
      if (error) s.reject(error);
      else s.resolve();
    }
    // An application-initiated disconnect ends streams cleanly; pending promises still reject.
    const quiet = how === 'closed' || (error as { code?: unknown } | undefined)?.code === 'closed';
    this.init.sink.end(quiet ? undefined : error);
    this.init.onEnd(this, how);
  }
}

/** A route that resolves with the first ack of a command, whatever its status (logon). */
export class AckWaiter implements Route {
  readonly ack: Promise<Message>;
  private settle!: { resolve: (m: Message) => void; reject: (e: Error) => void };
  private timer: unknown;
  private done = false;

  constructor(
    readonly commandId: string,
    private readonly context: string,
    timeoutMs: number,
    private readonly timers: Timers,
    private readonly onEnd: (route: AckWaiter) => void,
  ) {
    this.ack = new Promise<Message>((resolve, reject) => {
      this.settle = { resolve, reject };
    });
    this.ack.catch(() => {});
    if (timeoutMs > 0) {
      this.timer = timers.setTimeout(() => {
        this.end(
          undefined,
          new TimedOutError(`${context} timed out after ${timeoutMs} ms`, {
            code: 'timed out',
            retriable: true,
          }),
        );
      }, timeoutMs);
    }
  }

  deliver(message: Message): void {
    if (message.command === 'ack' && (message.ackType === 'processed' || message.ackType === undefined))
      this.end(message);
  }

  fail(error: Error): void {
    this.end(undefined, error);
  }

  private end(message: Message | undefined, error?: Error): void {
    if (this.done) return;
    this.done = true;
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    if (message) this.settle.resolve(message);
    else this.settle.reject(error ?? new Error(`${this.context} ended`));
    this.onEnd(this);
  }
}
