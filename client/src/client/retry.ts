/**
 * Retry on disconnect (the seed's `set_retry_on_disconnect`), for a Client that does not
 * reconnect by itself: a command cut off by a lost connection before its ack waits for the
 * same Client to log on again — which happens only when the application reconnects it,
 * typically from its disconnect handler — and is then sent again.
 */
import { DisconnectedError, UsageError } from '../errors.js';
import type { ConnectionState, ConnectionStateListener } from '../status.js';
import { ClientCore } from './core.js';
import type { Timers } from './hooks.js';
import type { Plan } from './plan.js';

/** Most times one command is sent again after disconnects. */
export const MAX_RETRIES = 10;

/** What the retry needs from the client. */
export interface RetryContext {
  /** The latest connection state. */
  state(): ConnectionState | undefined;
  /** True while logged on. */
  isLoggedOn(): boolean;
  /** Adds a status listener; returns its remover. */
  listen(listener: ConnectionStateListener): () => void;
  timers: Timers;
}

/**
 * True when the client is on its way back: `connect` was called again after the drop (the
 * state is `connecting` or `connected`), or it already logged on again.
 */
export function reconnectUnderWay(ctx: RetryContext): boolean {
  if (ctx.isLoggedOn()) return true;
  const state = ctx.state();
  return state === 'connecting' || state === 'connected';
}

/**
 * Decides whether a failed attempt is retried. Returns false (the caller rethrows its error)
 * unless `error` is a DisconnectedError and a reconnect is under way; then waits up to
 * `timeoutMs` for the next logon and returns true.
 * @throws DisconnectedError when the application closes the client, or no logon follows
 *   within `timeoutMs`
 */
export async function retryAfterDisconnect(
  error: unknown,
  ctx: RetryContext,
  timeoutMs: number,
  context: string,
): Promise<boolean> {
  // Code `closed`: the application itself disconnected; that is not retried.
  if (!(error instanceof DisconnectedError) || error.code === 'closed' || !reconnectUnderWay(ctx))
    return false;
  if (ctx.isLoggedOn()) return true;
  await new Promise<void>((resolve, reject) => {
    const timer = ctx.timers.setTimeout(
      () =>
        finish(
          new DisconnectedError(
            `${context} was cut off by a disconnect and the client did not log on again within ${timeoutMs} ms`,
            { code: 'disconnected', retriable: true, cause: error },
          ),
        ),
      timeoutMs,
    );
    const stop = ctx.listen((status) => {
      if (status.state === 'loggedOn') finish();
      else if (status.state === 'closed')
        finish(
          new DisconnectedError(
            `${context} was cut off by a disconnect and the client was closed before it could be sent again`,
            { code: 'disconnected', cause: error },
          ),
        );
    });
    function finish(failure?: Error): void {
      stop();
      ctx.timers.clearTimeout(timer);
      if (failure) reject(failure);
      else resolve();
    }
  });
  return true;
}

/** The retry-on-disconnect layer of the Client. */
export class ClientRetry extends ClientCore {
  /** Retry commands cut off by a disconnect once this client logs on again (default on). */
  protected retryOnDisconnect = true;

  /**
   * Runs `attempt`, and again each time a disconnect cut it off while this client is being
   * reconnected, once it has logged on again (see {@link setRetryOnDisconnect}).
   */
  protected async withRetry<T>(plan: Plan, attempt: () => Promise<T>): Promise<T> {
    for (let retries = 0; ; retries++) {
      try {
        return await attempt();
      } catch (e) {
        // The cap only guards against a connection that drops again at once, every time.
        if (!this.retryOnDisconnect || plan.replaces || retries >= MAX_RETRIES) throw e;
        const waitMs = plan.timeoutMs > 0 ? plan.timeoutMs : this.commandTimeoutMs;
        if (!(await retryAfterDisconnect(e, this.retryContext(), waitMs, plan.context))) throw e;
      }
    }
  }

  /**
   * Retry on disconnect (the seed's `set_retry_on_disconnect`; on by default). This Client does
   * not reconnect by itself, so a retry needs the application to reconnect the same Client,
   * typically from its disconnect handler (`connect` + `logon`). When a disconnect cuts off a
   * command before its ack (or the command is issued while such a reconnect is under way), the
   * command waits — up to its timeout — for the next logon and is then sent again with the
   * same ids. When no reconnect is under way once the disconnect handler returned, or with
   * retry off, the command fails at once with DisconnectedError, as it does when the
   * application closes the client while it waits. Not retried: `publish` / `deltaPublish`
   * (synchronous; a publish store keeps and replays them regardless of this setting),
   * subscriptions already acknowledged (the HAClient places them again), and `replace`
   * commands. The HAClient reconnects with a new Client, so this setting does not delay it.
   */
  setRetryOnDisconnect(enabled: boolean): void {
    if (typeof enabled !== 'boolean')
      throw new UsageError(`retry on disconnect must be true or false, got ${String(enabled)}`, {
        code: 'invalid argument',
      });
    this.retryOnDisconnect = enabled;
  }

  /** Whether commands cut off by a disconnect are retried after a reconnect (default true). */
  getRetryOnDisconnect(): boolean {
    return this.retryOnDisconnect;
  }

  /** The client seen by {@link retryAfterDisconnect}. */
  protected retryContext(): RetryContext {
    return {
      state: () => this.currentStatus?.state,
      isLoggedOn: () => this.isLoggedOn,
      listen: (l) => this.addConnectionStateListener(l),
      timers: this.timers,
    };
  }
}
