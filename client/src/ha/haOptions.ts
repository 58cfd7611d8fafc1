/**
 * The options of an HA client, their defaults and the check of its duration settings.
 */
import type { ClientOptions } from '../client.js';
import type { PublishStoreHook } from '../client/hooks.js';
import { UsageError } from '../errors.js';
import type { BookmarkStore } from '../stores/bookmark/bookmarkStore.js';
import type { PublishStore } from '../stores/publish/publishStore.js';
import type { ReconnectDelayStrategy } from './delayStrategy.js';
import type { ServerChooser } from './serverChooser.js';

/** Options of an HA client. */
export interface HAClientOptions {
  /** Keeps publishes until persisted and replays them after each logon; without one, publishing while disconnected throws. */
  publishStore?: PublishStore | PublishStoreHook;
  /** Bookmark store for bookmark subscriptions (default: a MemoryBookmarkStore). */
  bookmarkStore?: BookmarkStore;
  /** Which server to connect to (default: an empty DefaultServerChooser; add URIs to it). */
  serverChooser?: ServerChooser;
  /** How long to wait between attempts and when to give up (default: ExponentialDelayStrategy). */
  delayStrategy?: ReconnectDelayStrategy;
  /** Options sent with every logon, e.g. `ack_conflation=100ms`. */
  logonOptions?: string;
  /** Milliseconds each connect and each logon may take (default 10 000). */
  timeoutMs?: number;
  /** Milliseconds each resubscription waits for its ack (default: `timeoutMs`; 0 = until the connection ends). */
  resubscriptionTimeoutMs?: number;
  /** Options of each connection's Client (transport factory, logger, timers, command timeout, ...). */
  clientOptions?: Omit<ClientOptions, 'publishStore' | 'bookmarkStore'>;
}

/** Default milliseconds for connect and logon (the official HA logon timeout). */
export const DEFAULT_HA_TIMEOUT_MS = 10_000;

/** Checks a duration option. @throws UsageError naming the option */
export function checkMs(what: string, ms: number, zeroAllowed: boolean): number {
  if (!Number.isFinite(ms) || ms < 0 || (!zeroAllowed && ms === 0))
    throw new UsageError(
      `${what} must be a ${zeroAllowed ? 'non-negative' : 'positive'} number of ms, got ${ms}`,
      {
        code: 'invalid argument',
      },
    );
  return ms;
}
