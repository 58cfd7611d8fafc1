/**
 * Two steps of one HA connection attempt (spec §12.3–§12.4), each bounded on its own: opening
 * the connection within the HA client's timeout, and placing every kept subscription on the
 * new connection again. The connect loop of haClientCore.ts runs them around the logon; what
 * they throw makes it try the next server.
 */
import type { Client } from '../client.js';
import { DisconnectedError, TimedOutError } from '../errors.js';
import type { HASubscription, HASubscriptionManager } from './haSubscriptions.js';

/**
 * Connects `client` to `uri`, giving up after `timeoutMs`.
 * @param shown the URI as it may be shown (password masked), for the error
 * @throws TimedOutError when the time ran out, else what `connect` threw
 */
export async function connectWithin(
  client: Client,
  uri: string,
  shown: string,
  timeoutMs: number,
): Promise<void> {
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    void client.disconnect();
  }, timeoutMs);
  try {
    await client.connect(uri);
  } catch (e) {
    if (timedOut)
      throw new TimedOutError(`connecting to ${shown} timed out after ${timeoutMs} ms`, {
        code: 'timed out',
        retriable: true,
        cause: e,
      });
    throw e;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Places every subscription of `subs` not yet on `client`, including ones made meanwhile, each
 * waiting up to `timeoutMs`. A server's refusal ends that subscription only (its error goes to
 * `reportException`).
 * @throws the error of connection trouble (the connection ended, TimedOutError, DisconnectedError)
 */
export async function resubscribeAll(
  client: Client,
  subs: HASubscriptionManager,
  timeoutMs: number,
  reportException: (error: unknown) => void,
): Promise<void> {
  for (;;) {
    const todo: HASubscription[] = [...subs.all()].filter((s) => s.placedOn !== client && !s.ended);
    if (todo.length === 0) return;
    for (const sub of todo) {
      if (sub.ended) continue;
      try {
        await subs.place(client, sub, timeoutMs);
      } catch (e) {
        // Connection trouble: try the next connection. A refusal ends that subscription only.
        if (!client.isConnected || e instanceof TimedOutError || e instanceof DisconnectedError) throw e;
        subs.remove(sub.subId, e as Error);
        reportException(e);
      }
    }
  }
}
