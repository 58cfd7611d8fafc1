/**
 * Message routing (spec §5.4): acks by command id (tolerating `query_id`/`sub_id`),
 * `group_begin`/`sow`/`group_end` by query id, deliveries (`p`, `oof`) by each id in `sids`,
 * conflated persisted acks (no `cid`) to a hook for the publish/bookmark stores.
 */
import type { Message } from './protocol/message.js';

/** A destination for the messages of one command. */
export interface Route {
  /** The command id (`cid`) acks are matched by. */
  readonly commandId: string;
  /** The subscription id deliveries are matched by (`sids`). */
  readonly subId?: string | undefined;
  /** The query id SOW results are matched by. */
  readonly queryId?: string | undefined;
  /** Takes one routed message. `viaSubId` is the id of `sids` that matched, for deliveries. */
  deliver(message: Message, viaSubId?: string): void;
  /** The connection ended: settle whatever is pending with `error`. */
  fail(error: Error): void;
}

/** Messages the router hands to the stores instead of (or as well as) a route. */
export interface RouterHooks {
  /**
   * A `persisted` ack (spec §5.5): publish-store acks carry `s`, bookmark-store acks carry
   * `sub_id` + `bm`; conflated ones carry no `cid`. Return true when it was consumed.
   */
  persistedAck?(message: Message): boolean;
}

/** Where a message went. */
export type RouteResult = 'routed' | 'hook' | 'unrouted';

const QUERY_RESULTS = new Set(['sow', 'group_begin', 'group_end']);

/** Routes inbound messages to the {@link Route} of the command they belong to. */
export class Router {
  private readonly byCid = new Map<string, Route>();
  private readonly bySub = new Map<string, Route>();
  private readonly byQuery = new Map<string, Route>();

  constructor(private readonly hooks: RouterHooks = {}) {}

  /** Registers a route under its command id, sub id and query id (later registrations win). */
  add(route: Route): void {
    this.byCid.set(route.commandId, route);
    if (route.subId !== undefined) this.bySub.set(route.subId, route);
    if (route.queryId !== undefined) this.byQuery.set(route.queryId, route);
  }

  /** Removes a route from every index it is registered in. */
  remove(route: Route): void {
    if (this.byCid.get(route.commandId) === route) this.byCid.delete(route.commandId);
    if (route.subId !== undefined && this.bySub.get(route.subId) === route) this.bySub.delete(route.subId);
    if (route.queryId !== undefined && this.byQuery.get(route.queryId) === route)
      this.byQuery.delete(route.queryId);
  }

  /** The route of a subscription id. */
  subscription(subId: string): Route | undefined {
    return this.bySub.get(subId);
  }

  /** The route of a command id. */
  command(commandId: string): Route | undefined {
    return this.byCid.get(commandId);
  }

  /** Every registered route (each once). */
  routes(): Route[] {
    return [...new Set([...this.byCid.values(), ...this.bySub.values(), ...this.byQuery.values()])];
  }

  /** Every route registered with a subscription id. */
  subscriptions(): Route[] {
    return [...new Set(this.bySub.values())];
  }

  /** Number of registered routes. */
  get size(): number {
    return this.routes().length;
  }

  /** Routes one message. */
  dispatch(message: Message): RouteResult {
    const command = message.fields.command;
    if (command === 'publish' || command === 'delta_publish' || command === 'oof')
      return this.dispatchDelivery(message);
    if (command === 'ack') return this.dispatchAck(message);
    if (command !== undefined && QUERY_RESULTS.has(command)) {
      const route =
        this.lookup(this.byQuery, message.queryId) ??
        this.lookup(this.bySub, message.subId) ??
        this.lookup(this.byCid, message.commandId);
      if (!route) return 'unrouted';
      route.deliver(message);
      return 'routed';
    }
    return 'unrouted';
  }

  /** Fails every route with `error` and forgets them all. */
  failAll(error: Error): void {
    const all = this.routes();
    this.byCid.clear();
    this.bySub.clear();
    this.byQuery.clear();
    for (const r of all) r.fail(error);
  }

  private dispatchAck(message: Message): RouteResult {
    const route =
      this.lookup(this.byCid, message.commandId) ??
      this.lookup(this.byQuery, message.queryId) ??
      this.lookup(this.bySub, message.subId);
    // Persisted acks always reach the stores (spec §5.5), and the command too when it has a route.
    const consumed = message.ackType === 'persisted' && this.hooks.persistedAck?.(message) === true;
    if (!route) return consumed ? 'hook' : 'unrouted';
    route.deliver(message);
    return 'routed';
  }

  /** A delivery goes to the route of each id in `sids` (or of `sub_id` when there is none). */
  private dispatchDelivery(message: Message): RouteResult {
    const sids = message.fields.subIds;
    if (sids === undefined || sids === '' || sids.indexOf(',') < 0) {
      // One id: the usual case, without building a list.
      const id = sids === undefined || sids === '' ? message.fields.subId : sids;
      const route = id === undefined ? undefined : this.bySub.get(id);
      if (!route) return 'unrouted';
      route.deliver(message, id);
      return 'routed';
    }
    let routed = false;
    for (const id of sids.split(',')) {
      const route = this.bySub.get(id);
      if (route) {
        routed = true;
        route.deliver(message, id);
      }
    }
    return routed ? 'routed' : 'unrouted';
  }

  private lookup(map: Map<string, Route>, key: string | undefined): Route | undefined {
    return key === undefined ? undefined : map.get(key);
  }
}
