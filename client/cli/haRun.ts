/**
 * The CLI over the HA client: several servers (a DefaultServerChooser over every `-uri`, in
 * order), a file bookmark store for subscribe (`-bookmark-store`) and a file publish store for
 * publish (`-publish-store`).
 */
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { ExponentialDelayStrategy, type ReconnectDelayStrategy } from '../src/ha/delayStrategy.js';
import { HAClient } from '../src/ha/haClient.js';
import { DefaultServerChooser } from '../src/ha/serverChooser.js';
import { Bookmarks } from '../src/stores/bookmark/bookmark.js';
import { FileBookmarkStore } from '../src/stores/bookmark/fileBookmarkStore.js';
import { FilePublishStore } from '../src/stores/publish/filePublishStore.js';
import type { MessageStream } from '../src/stream.js';
import { redactUri } from '../src/uri/credentials.js';
import type { SparkArgs } from './args.js';
import { openStream, printStream, publishLines } from './output.js';
import type { SparkIo } from './run.js';
import { recoveryWarning, restartWarning } from './storeReport.js';

/** Whether this command line needs the HA client (several servers, or a store). */
export function needsHAClient(args: SparkArgs): boolean {
  return args.uris.length > 1 || args.bookmarkStore !== undefined || args.publishStore !== undefined;
}

/**
 * The CLI's reconnect policy: exponential back-off from 100 ms up to 2 s per server, giving
 * up once an outage has lasted `-timeout` milliseconds (so nothing waits forever).
 * @param now the clock (tests pass their own)
 */
export function sparkDelayStrategy(timeoutMs: number, now: () => number = Date.now): ReconnectDelayStrategy {
  return new ExponentialDelayStrategy({
    now,
    initialDelayMs: 100,
    maximumDelayMs: Math.max(100, Math.min(2000, timeoutMs)),
    jitter: 0.5,
    maximumRetryTimeMs: timeoutMs,
  });
}

function digest(text: string): string {
  return createHash('sha1').update(text).digest('hex').slice(0, 12);
}

/**
 * The subscription id a bookmark subscription uses with `-bookmark-store`: the same for the
 * same topic and filter, so a re-run finds its place in the store.
 */
export function storeSubId(topic: string, filter: string | undefined): string {
  return `spark-${digest(`${topic}\u0000${filter ?? ''}`)}`;
}

/**
 * The client name used with `-publish-store` when `-name` is not given: derived from the
 * store's path, so a re-run replays under the same name and the server drops what it already has.
 */
export function storeClientName(publishStore: string): string {
  return `spark-pub-${digest(resolve(publishStore))}`;
}

/** Runs one CLI command through an HA client; resolves with the exit code. */
export async function runSparkHA(args: SparkArgs, io: SparkIo, defaultName: () => string): Promise<number> {
  const bookmarkStore =
    args.bookmarkStore === undefined ? undefined : new FileBookmarkStore(args.bookmarkStore);
  let publishStore: FilePublishStore | undefined;
  try {
    publishStore = args.publishStore === undefined ? undefined : new FilePublishStore(args.publishStore);
  } catch (e) {
    bookmarkStore?.close();
    throw e;
  }
  if (bookmarkStore)
    for (const l of recoveryWarning('bookmark', bookmarkStore.path, bookmarkStore.recovery)) io.err(l);
  if (publishStore)
    for (const l of recoveryWarning('publish', publishStore.path, publishStore.recovery)) io.err(l);
  const name =
    args.clientName ?? (args.publishStore === undefined ? defaultName() : storeClientName(args.publishStore));
  const ha = new HAClient(name, {
    serverChooser: new DefaultServerChooser(args.uris),
    delayStrategy: sparkDelayStrategy(args.timeoutMs),
    timeoutMs: args.timeoutMs,
    clientOptions: { commandTimeoutMs: args.timeoutMs, connectTimeoutMs: args.timeoutMs },
    ...(bookmarkStore ? { bookmarkStore } : {}),
    ...(publishStore ? { publishStore } : {}),
  });
  ha.addConnectionStateListener((status) => {
    if (status.state === 'failedOver')
      io.err(`failed over to ${status.uri === undefined ? 'another server' : redactUri(status.uri)}`);
    else if (status.state === 'reconnecting')
      io.err(
        `connection to ${status.uri === undefined ? 'the server' : redactUri(status.uri)} lost (${status.error?.message ?? 'no reason'}); reconnecting`,
      );
  });
  try {
    const pending = publishStore?.unpersistedCount() ?? 0;
    await ha.connectAndLogon();
    switch (args.command) {
      case 'ping':
        io.err(`connected to ${redactUri(ha.getUri() ?? args.uris[0] ?? '')}`);
        return 0;
      case 'publish':
        if (pending > 0)
          io.err(
            `replaying ${pending} unacknowledged message${pending === 1 ? '' : 's'} from ${args.publishStore as string}`,
          );
        return await publishLines(ha, args, io);
      case 'sow':
      case 'subscribe':
      case 'sow_and_subscribe':
        return await printStream(await open(ha, args, bookmarkStore, io), args, io);
      default:
        throw new Error(`${args.command} runs on a single connection, not through the HA client`);
    }
  } finally {
    await ha.close().catch(() => undefined);
    bookmarkStore?.close();
    publishStore?.close();
  }
}

function open(
  ha: HAClient,
  args: SparkArgs,
  store: FileBookmarkStore | undefined,
  io: SparkIo,
): Promise<MessageStream> {
  if (!store || args.command !== 'subscribe') return openStream(ha, args);
  // Resume from the store when it knows this subscription; else start at -bookmark (EPOCH).
  const subId = storeSubId(args.topic as string, args.filter);
  const known = store.getMostRecent(subId) !== Bookmarks.EPOCH;
  const bookmark = known ? Bookmarks.MOST_RECENT : (args.bookmark ?? Bookmarks.EPOCH);
  // A damaged store that lost this subscription must not restart it from EPOCH silently.
  if (!known && store.recovery.problem !== null) io.err(restartWarning(store.path, bookmark));
  return openStream(ha, args, { bookmark, subId });
}
