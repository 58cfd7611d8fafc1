/**
 * The HA client's subscription manager (spec §12.1 "resubscription", §12.4 step 3, §8.6):
 * remembers every subscription command, places it on each new connection, and forwards the
 * messages into one stream (or handler) per subscription that outlives the connections.
 *
 * Bookmark subscriptions are delivered exactly once: a message is logged in the bookmark
 * store as it arrives, and discarded when the application takes it from its stream (or its
 * handler returns). A resubscription starts at the store's most recent bookmark; a replayed
 * message that was already discarded (`isDiscarded`) or still waits in the application's
 * stream is dropped.
 */
import type { Client } from '../client.js';
import type { BookmarkStoreHook, MessageHandler } from '../client/hooks.js';
import { SubscriptionAlreadyExistsError, UsageError } from '../errors.js';
import type { Command } from '../protocol/command.js';
import type { Message } from '../protocol/message.js';
import { MessageOptions, splitOptions } from '../protocol/options.js';
import { Bookmarks, classifyBookmark, isNow, type BookmarkKind } from '../stores/bookmark/bookmark.js';
import type { BookmarkStore } from '../stores/bookmark/bookmarkStore.js';
import { MessageStream } from '../stream.js';

/** One subscription the HA client keeps alive across reconnects. */
export interface HASubscription {
  /** The subscription id, the same on every connection (the bookmark store is keyed by it). */
  readonly subId: string;
  /** The command as the application gave it (with `subId` set). */
  readonly command: Command;
  /** How the bookmark was given (undefined: not a bookmark subscription). */
  readonly bookmarkKind: BookmarkKind | undefined;
  /** The application's stream (stream mode). */
  readonly stream: MessageStream | undefined;
  /** The application's handler (handler mode). */
  readonly handler: MessageHandler | undefined;
  /** The connection's client this subscription is placed on, if any. */
  placedOn: Client | undefined;
  /** True once placed at least once (later placements are resubscriptions). */
  placedBefore: boolean;
  /** Bookmarks pushed into the stream and not yet taken by the application. */
  readonly waiting: Set<string>;
  /** True once unsubscribed or closed. */
  ended: boolean;
}

/** How the application receives a subscription's messages. */
export interface HASubscriptionTarget {
  /** Receives each message (handler mode); without it the subscription gets a stream. */
  handler?: MessageHandler | undefined;
  /** Max depth of the stream (stream mode). */
  maxDepth?: number | undefined;
}

/** Keeps the HA client's subscriptions and places them on each connection. */
export class HASubscriptionManager {
  private readonly subs = new Map<string, HASubscription>();
  private counter = 0;

  /**
   * @param store the bookmark store (duplicate suppression and resume points)
   * @param report receives errors thrown by application handlers
   * @param onStreamClosed the application closed a subscription's stream
   */
  constructor(
    private readonly store: BookmarkStore,
    private readonly report: (error: unknown) => void,
    private readonly onStreamClosed: (sub: HASubscription) => void,
  ) {}

  /** Every live subscription, in the order they were made (including ones added while iterating). */
  all(): IterableIterator<HASubscription> {
    return this.subs.values();
  }

  /** The subscription with this id. */
  get(subId: string): HASubscription | undefined {
    return this.subs.get(subId);
  }

  /** Number of live subscriptions. */
  get size(): number {
    return this.subs.size;
  }

  /**
   * Registers a subscription command: gives it a sub id when it has none and, for a
   * bookmark subscription, records its starting point in the bookmark store (MOST_RECENT is
   * resolved from the store).
   * @throws SubscriptionAlreadyExistsError for a sub id in use, UsageError for a non-subscribe
   *   command, BookmarkFormatError for a malformed bookmark
   */
  register(command: Command, target: HASubscriptionTarget): HASubscription {
    if (!command.isSubscribe)
      throw new UsageError(`the HA client keeps subscriptions only, not ${command.command}`, {
        code: 'invalid command',
      });
    const cmd = command.clone();
    let subId = cmd.fields.subId;
    if (subId === undefined || subId === '') {
      do subId = String(++this.counter);
      while (this.subs.has(subId));
      cmd.setSubId(subId);
    } else if (this.subs.has(subId)) {
      throw new SubscriptionAlreadyExistsError(`subscription "${subId}" already exists`, {
        code: 'subscription already exists',
      });
    }
    const bookmarkKind = this.recordStart(cmd, subId);
    let stream: MessageStream | undefined;
    const sub: HASubscription = {
      subId,
      command: cmd,
      bookmarkKind,
      stream: undefined,
      handler: target.handler,
      placedOn: undefined,
      placedBefore: false,
      waiting: new Set(),
      ended: false,
    };
    if (!target.handler) {
      stream = new MessageStream({
        maxDepth: target.maxDepth,
        subId,
        onTake: (m) => this.taken(sub, m),
        onClose: () => {
          if (!sub.ended) this.onStreamClosed(sub);
        },
      });
      (sub as { stream: MessageStream | undefined }).stream = stream;
    }
    this.subs.set(subId, sub);
    return sub;
  }

  /**
   * Places a subscription on a connection: the original command with a fresh command id; a
   * resubscription drops the `replace` option and resumes a bookmark subscription from the
   * bookmark store's most recent bookmark.
   * @throws what the command's `processed` ack or the connection raised
   */
  async place(client: Client, sub: HASubscription, timeoutMs: number): Promise<void> {
    const cmd = sub.command.clone();
    cmd.setHeader('commandId', undefined);
    if (sub.placedBefore) {
      const options = cmd.fields.options;
      if (options !== undefined) {
        const kept = splitOptions(options).filter((o) => o !== 'replace');
        cmd.setHeader(
          'options',
          kept.length > 0 ? MessageOptions.parse(kept.join(',')).toString() : undefined,
        );
      }
      if (sub.bookmarkKind !== undefined && sub.bookmarkKind !== 'range') {
        cmd.setBookmark(this.store.getMostRecent(sub.subId));
      }
    }
    if (timeoutMs > 0) cmd.setTimeout(timeoutMs);
    sub.placedOn = undefined;
    await client.executeAsync(cmd, (m) => this.forward(sub, m));
    if (sub.ended) return;
    sub.placedOn = client;
    sub.placedBefore = true;
  }

  /** Forgets a subscription and ends its stream (with `error`, if given). */
  remove(subId: string, error?: Error): HASubscription | undefined {
    const sub = this.subs.get(subId);
    if (!sub) return undefined;
    this.subs.delete(subId);
    sub.ended = true;
    sub.waiting.clear();
    sub.stream?.end(error);
    return sub;
  }

  /** Ends every subscription's stream (with `error`, if given) and forgets them all. */
  endAll(error?: Error): void {
    const all = [...this.subs.values()];
    this.subs.clear();
    for (const sub of all) {
      sub.ended = true;
      sub.waiting.clear();
      sub.stream?.end(error);
    }
  }

  /** The connection is gone: no subscription is placed any more. */
  unplaceAll(): void {
    for (const sub of this.subs.values()) sub.placedOn = undefined;
  }

  /**
   * The bookmark-store hook given to each connection's client: duplicate suppression for
   * the HA subscriptions, persisted acks and resume points go to the HA client's store.
   */
  readonly bookmarkHook: BookmarkStoreHook = {
    log: (subId, bookmark) => this.arrived(subId, bookmark),
    persisted: (subId, bookmark) => {
      if (this.subs.has(subId)) this.store.persisted(subId, bookmark);
    },
    mostRecent: (subId) => this.store.getMostRecent(subId),
  };

  /** Marks a bookmark-subscription message as processed. */
  discard(subId: string, bookmark: string): void {
    const sub = this.subs.get(subId);
    sub?.waiting.delete(bookmark);
    this.store.discardMessage({ subId, bookmark });
  }

  /** A delivery with `bm` arrived for `subId`: false drops it as a duplicate. */
  private arrived(subId: string, bookmark: string): boolean {
    const sub = this.subs.get(subId);
    if (!sub || sub.ended || sub.bookmarkKind === undefined || isNow(bookmark)) return true;
    const message = { subId, bookmark };
    if (sub.waiting.has(bookmark)) return false;
    try {
      if (this.store.isDiscarded(message)) return false;
      this.store.log(message);
    } catch (e) {
      this.report(e);
      return true;
    }
    if (sub.stream) sub.waiting.add(bookmark);
    return true;
  }

  private forward(sub: HASubscription, message: Message): void {
    if (sub.ended) return;
    if (sub.stream) {
      sub.stream.push(message);
      return;
    }
    try {
      sub.handler?.(message);
    } catch (e) {
      this.report(e);
    }
    this.taken(sub, message);
  }

  /** The application has the message: a bookmark subscription's message counts as processed. */
  private taken(sub: HASubscription, message: Message): void {
    const bm = message.bookmark;
    if (sub.bookmarkKind === undefined || bm === undefined || isNow(bm) || message.command === 'ack') return;
    try {
      this.discard(sub.subId, bm);
    } catch (e) {
      this.report(e);
    }
  }

  /** Tells the bookmark store where a bookmark subscription starts (spec §8.6). */
  private recordStart(cmd: Command, subId: string): BookmarkKind | undefined {
    const bookmark = cmd.fields.bookmark;
    if (
      bookmark === undefined ||
      cmd.command === 'sow_and_subscribe' ||
      cmd.command === 'sow_and_delta_subscribe'
    )
      return undefined;
    const kind = classifyBookmark(bookmark);
    if (kind === 'most-recent') {
      cmd.setBookmark(this.store.getMostRecent(subId));
    } else if (kind === 'bookmark') {
      const seq = this.store.log({ subId, bookmark });
      this.store.discard(subId, seq);
    } else if (kind !== 'range') {
      this.store.log({ subId, bookmark: kind === 'epoch' ? Bookmarks.EPOCH : bookmark });
    }
    return kind;
  }
}
