/**
 * Command planning: fills in the defaults of spec §4.1 (command id, sub/query id = command
 * id, batch size 10, ack types, publish-store sequence) and decides how the client tracks the
 * command (subscription, query or one-shot command) and which ack it waits for.
 */
import { SubscriptionAlreadyExistsError, UsageError } from '../errors.js';
import { formatAckTypes, type AckType } from '../protocol/ack.js';
import type { Command } from '../protocol/command.js';
import type { HeaderFields } from '../protocol/fields.js';
import { splitOptions } from '../protocol/options.js';
import type { Route } from '../router.js';
import { Bookmarks } from '../stores/bookmark/bookmark.js';
import { CommandRoute, type RouteKind } from './commandRoute.js';
import type { BookmarkStoreHook, PublishStoreHook } from './hooks.js';

/** What planning needs from the client. */
export interface PlanContext {
  nextCommandId(): string;
  /** The route of an active subscription id. */
  subscription(subId: string): Route | undefined;
  bookmarkStore: BookmarkStoreHook | undefined;
  publishStore: PublishStoreHook | undefined;
  commandTimeoutMs: number;
}

/** How a command is sent and tracked. */
export interface Plan {
  /** The header to send. */
  fields: HeaderFields;
  data: Buffer | undefined;
  kind: RouteKind;
  /** Acks the route tracks. */
  requested: Set<AckType>;
  /** Acks the application asked for (they reach its stream or handler). */
  visible: Set<AckType>;
  /** The ack the caller's promise waits for. */
  waitFor: AckType | undefined;
  timeoutMs: number;
  /** e.g. `subscribe "orders"`, for error messages. */
  context: string;
  /** A route is needed: acks requested, or a subscription/query. */
  routed: boolean;
  /** A `replace` of an existing subscription: the old route keeps the deliveries. */
  replaces: CommandRoute | undefined;
}

/** Plans one command. @throws UsageError for logon, SubscriptionAlreadyExistsError for a reused sub id */
/** Fills in the defaults of spec §4.1 and decides how the command is tracked. */
export function planCommand(command: Command, ctx: PlanContext): Plan {
  const fields: HeaderFields = { ...command.fields };
  const name = command.command;
  const requested = command.getAckTypes();
  const visible = new Set(requested);
  let kind: RouteKind = 'command';
  let replaces: CommandRoute | undefined;
  const needId = (): string => (fields.commandId ??= ctx.nextCommandId());
  if (name === 'logon') throw new UsageError('use logon() to log on', { code: 'invalid command' });
  if (command.isSubscribe) {
    kind = 'subscription';
    requested.add('processed');
    fields.subId ??= needId();
    const existing = ctx.subscription(fields.subId);
    if (existing) {
      const isReplace = fields.options !== undefined && splitOptions(fields.options).includes('replace');
      if (!isReplace || !(existing instanceof CommandRoute)) {
        throw new SubscriptionAlreadyExistsError(
          `subscription "${fields.subId}" already exists (use the replace option to change it)`,
          { code: 'subscription already exists' },
        );
      }
      replaces = existing;
      kind = 'command';
      // A replaced sow_and_* re-runs its query (spec §4.9): send the results under the
      // existing query id so they reach the subscription's stream, as its live messages do.
      if (command.isQuery && existing.queryId !== undefined) fields.queryId ??= existing.queryId;
    }
  }
  if (command.isQuery) {
    if (name === 'sow') {
      kind = 'query';
      requested.add('processed').add('completed');
    }
    fields.queryId ??= needId();
    fields.batchSize ??= '10';
  }
  if (name === 'sow_delete' && fields.bookmark === undefined) {
    requested.add('processed');
    fields.queryId ??= needId();
  }
  if (name === 'flush' && requested.size === 0) requested.add('processed');
  // With a bookmark store, bookmark subscriptions ask for persisted acks (spec §8.5); the store takes them.
  if (ctx.bookmarkStore && command.isSubscribe && fields.bookmark !== undefined) requested.add('persisted');
  if (fields.bookmark === Bookmarks.MOST_RECENT) {
    fields.bookmark =
      ctx.bookmarkStore && fields.subId ? ctx.bookmarkStore.mostRecent(fields.subId) : Bookmarks.EPOCH;
  }
  let storeAck = false;
  if (
    ctx.publishStore &&
    (name === 'publish' ||
      name === 'delta_publish' ||
      (name === 'sow_delete' && fields.bookmark === undefined))
  ) {
    fields.sequence = ctx.publishStore.store(fields, command.data);
    // The persisted ack the store needs is consumed by the store, not by a route.
    storeAck = !requested.has('persisted');
  }
  if (requested.size > 0) needId();
  const wire = new Set(requested);
  if (storeAck) wire.add('persisted');
  const ackText = formatAckTypes(wire);
  if (ackText === undefined) delete fields.ackType;
  else fields.ackType = ackText;
  let waitFor: AckType | undefined;
  if (requested.has('processed')) waitFor = 'processed';
  else if (name === 'flush') waitFor = [...requested][0];
  const routed = kind !== 'command' || requested.size > 0;
  return {
    fields,
    data: command.data,
    kind,
    requested,
    visible,
    waitFor,
    timeoutMs: command.getTimeout() ?? ctx.commandTimeoutMs,
    context: `${name}${fields.topic !== undefined ? ` "${fields.topic}"` : ''}`,
    routed,
    replaces,
  };
}
