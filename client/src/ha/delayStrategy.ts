/**
 * Reconnect delay strategies (spec §12.3; seed FixedDelayStrategy, ExponentialDelayStrategy):
 * how long the HA client waits before each connection attempt, and when it gives up.
 *
 * Both strategies share the outage bookkeeping of the official clients: within one outage
 * (from the first attempt until `reset()` after a successful connect), a URI not yet tried in
 * this outage is tried at once (the first pass through the server list); a repeat attempt
 * waits, and the exponential strategy keeps a separate backoff per URI. The maximum retry
 * time counts from the first attempt of the outage; a wait is never longer than what is left
 * of it.
 */
import { ReconnectMaximumExceededError } from '../errors.js';

/** Decides the wait before each reconnect attempt. */
export interface ReconnectDelayStrategy {
  /**
   * Milliseconds to wait before connecting to `uri`.
   * @throws RetryLimitExceededError when the outage has lasted the maximum retry time
   */
  getConnectWaitDuration(uri: string): number;
  /** A connection succeeded: forget the outage. */
  reset(): void;
}

/** The delay strategy's maximum retry time is used up; the HA client gives up. */
export class RetryLimitExceededError extends ReconnectMaximumExceededError {
  override name = 'RetryLimitExceededError';
  /** Milliseconds since the first attempt of the outage. */
  readonly elapsedMs: number;
  /** The configured maximum retry time. */
  readonly maximumMs: number;

  constructor(elapsedMs: number, maximumMs: number) {
    super(`Maximum Retry Time Exceeded: retried for ${elapsedMs} ms, the limit is ${maximumMs} ms`, {
      code: 'reconnect maximum exceeded',
      retriable: false,
    });
    this.elapsedMs = elapsedMs;
    this.maximumMs = maximumMs;
  }
}

function checkMs(name: string, value: number): void {
  if (!Number.isFinite(value) || value < 0)
    throw new RangeError(`${name} must be a finite number >= 0, got ${value}`);
}

/** Outage bookkeeping shared by both strategies. */
abstract class OutageTracker implements ReconnectDelayStrategy {
  private outageStart: number | undefined;
  private readonly tried = new Set<string>();

  constructor(
    private readonly maximumRetryTimeMs: number,
    private readonly now: () => number,
  ) {
    checkMs('maximumRetryTimeMs', maximumRetryTimeMs);
  }

  /**
   * The wait before a repeat attempt on `uri`.
   * @param remainingMs what is left of the maximum retry time (Infinity when unlimited)
   */
  protected abstract delayFor(uri: string, remainingMs: number): number;
  /** Clears strategy-specific state. */
  protected abstract resetDelays(): void;

  /** Throws the give-up error. */
  protected giveUp(): never {
    throw new RetryLimitExceededError(this.now() - (this.outageStart ?? this.now()), this.maximumRetryTimeMs);
  }

  /** {@inheritDoc ReconnectDelayStrategy.getConnectWaitDuration} */
  getConnectWaitDuration(uri: string): number {
    const now = this.now();
    this.outageStart ??= now;
    const remaining =
      this.maximumRetryTimeMs > 0 ? this.maximumRetryTimeMs - (now - this.outageStart) : Infinity;
    if (remaining <= 0) this.giveUp();
    if (!this.tried.has(uri)) {
      this.tried.add(uri);
      return 0;
    }
    return Math.min(this.delayFor(uri, remaining), remaining);
  }

  /** {@inheritDoc ReconnectDelayStrategy.reset} */
  reset(): void {
    this.outageStart = undefined;
    this.tried.clear();
    this.resetDelays();
  }
}

/** Clock option shared by the strategies. */
export interface DelayStrategyClock {
  /** Current time in ms (default `Date.now`). */
  now?: () => number;
}

/**
 * Waits a fixed time before reconnecting to a server already tried in this outage
 * (defaults: 200 ms, no maximum retry time). Gives up as soon as another wait would reach
 * the maximum retry time, as the official client does.
 */
export class FixedDelayStrategy extends OutageTracker {
  /**
   * @param delayMs wait before retrying a server (default 200)
   * @param maximumMs give up once the outage has lasted this long (default 0: never)
   */
  constructor(
    private readonly delayMs = 200,
    maximumMs = 0,
    clock: DelayStrategyClock = {},
  ) {
    super(maximumMs, clock.now ?? Date.now);
    checkMs('delayMs', delayMs);
  }

  protected delayFor(_uri: string, remainingMs: number): number {
    if (remainingMs <= this.delayMs) this.giveUp();
    return this.delayMs;
  }

  protected resetDelays(): void {}
}

/** Options of {@link ExponentialDelayStrategy}; defaults as in the official clients. */
export interface ExponentialDelayOptions extends DelayStrategyClock {
  /** First wait before retrying a server (default 200 ms). */
  initialDelayMs?: number;
  /** Longest wait (default 20 000 ms). */
  maximumDelayMs?: number;
  /** Each further wait for the same server is multiplied by this (default 2.0). */
  backoffExponent?: number;
  /** Give up once the outage has lasted this long (default 0: never). */
  maximumRetryTimeMs?: number;
  /** Random extra wait, in multiples of the initial delay (default 1.0). */
  jitter?: number;
  /** Random source in [0, 1) (default `Math.random`). */
  random?: () => number;
}

/**
 * Backs off exponentially per server: the first retry of a server waits `initialDelay`, each
 * further one `backoffExponent` times longer up to `maximumDelay`, plus
 * `random() × jitter × initialDelay`; a result above `maximumDelay` is mirrored below it
 * (`2 × maximumDelay − result`, not below `initialDelay`).
 */
export class ExponentialDelayStrategy extends OutageTracker {
  private readonly initial: number;
  private readonly maximum: number;
  private readonly backoff: number;
  private readonly jitter: number;
  private readonly random: () => number;
  private readonly delays = new Map<string, number>();

  constructor(options: ExponentialDelayOptions = {}) {
    super(options.maximumRetryTimeMs ?? 0, options.now ?? Date.now);
    this.initial = options.initialDelayMs ?? 200;
    this.maximum = options.maximumDelayMs ?? 20_000;
    this.backoff = options.backoffExponent ?? 2.0;
    this.jitter = options.jitter ?? 1.0;
    this.random = options.random ?? Math.random;
    checkMs('initialDelayMs', this.initial);
    checkMs('maximumDelayMs', this.maximum);
    checkMs('jitter', this.jitter);
    if (!Number.isFinite(this.backoff) || this.backoff < 1) {
      throw new RangeError(`backoffExponent must be a finite number >= 1, got ${this.backoff}`);
    }
    if (this.maximum < this.initial) {
      throw new RangeError(
        `maximumDelayMs (${this.maximum}) must not be below initialDelayMs (${this.initial})`,
      );
    }
  }

  protected delayFor(uri: string): number {
    const previous = this.delays.get(uri);
    const base = previous === undefined ? this.initial : Math.min(this.maximum, previous * this.backoff);
    this.delays.set(uri, base);
    let result = Math.round(base + this.random() * this.jitter * this.initial);
    if (result > this.maximum) result = Math.max(this.initial, 2 * this.maximum - result);
    return result;
  }

  protected resetDelays(): void {
    this.delays.clear();
  }
}
