/**
 * The route layer of the Client: how a planned command is registered with the router before
 * it is sent, how its deliveries are screened (duplicates through the bookmark store, the
 * queue backlog an ack grants), and how a route the application closes is forgotten and
 * unsubscribed on the server. The command layer ({@link ClientCommands}) builds on it.
 */
import type { HeaderFields } from '../protocol/fields.js';
import type { Message } from '../protocol/message.js';
import { CommandRoute, type RouteSink } from './commandRoute.js';
import type { Plan, PlanContext } from './plan.js';
import { ClientRetry } from './retry.js';

/** Command routes of the Client: registration, delivery screening, closing. */
export class ClientRoutes extends ClientRetry {
  /** What planning a command needs from this client. */
  protected planContext(): PlanContext {
    return {
      nextCommandId: () => this.nextCommandId(),
      subscription: (subId) => this.router.subscription(subId),
      bookmarkStore: this.bookmarkStore,
      publishStore: this.publishStore,
      commandTimeoutMs: this.commandTimeoutMs,
    };
  }

  /** Registers the route of a planned command, then sends it; a failed send fails the route. */
  protected startRoute(plan: Plan, sink: RouteSink): CommandRoute {
    const route = new CommandRoute({
      commandId: plan.fields.commandId ?? this.nextCommandId(),
      subId: plan.kind === 'subscription' ? plan.fields.subId : undefined,
      queryId: plan.kind !== 'command' ? plan.fields.queryId : undefined,
      kind: plan.kind,
      requested: plan.requested,
      visibleAcks: plan.visible,
      waitFor: plan.waitFor,
      sink,
      context: plan.context,
      timeoutMs: plan.timeoutMs,
      timers: this.timers,
      onEnd: (r, how) => {
        this.router.remove(r);
        if (how === 'timeout' && r.kind === 'subscription' && r.subId !== undefined && this.isConnected) {
          this.trySend({ command: 'unsubscribe', subId: r.subId });
        }
      },
      accept: (m, via) => this.acceptDelivery(m, via),
      onAck: (m) => this.noteGrantedBacklog(m),
    });
    this.router.add(route);
    try {
      this.send(plan.fields, plan.data);
    } catch (e) {
      route.fail(e as Error);
      throw e;
    }
    return route;
  }

  /** The application closed a stream: forget the route and tell the server. */
  protected closeRoute(route: CommandRoute): void {
    if (route.isFinished) return;
    route.close();
    if (!this.isConnected) return;
    if (route.kind === 'subscription' && route.subId !== undefined)
      this.trySend({ command: 'unsubscribe', subId: route.subId });
    else if (route.kind === 'query' && route.queryId !== undefined)
      this.trySend({ command: 'unsubscribe', queryId: route.queryId });
  }

  private trySend(fields: HeaderFields): void {
    try {
      this.send(fields);
    } catch (e) {
      this.logger?.debug?.(`could not send ${fields.command ?? ''}`, e);
    }
  }

  /** Duplicate detection through the bookmark store (spec §8.6). */
  private acceptDelivery(message: Message, viaSubId: string | undefined): boolean {
    const bm = message.bookmark;
    if (!this.bookmarkStore || viaSubId === undefined || bm === undefined || message.isQueueMessage)
      return true;
    if (this.bookmarkStore.log(viaSubId, bm)) return true;
    if (this.duplicateHandler) this.safely(this.duplicateHandler, message);
    return false;
  }

  /** A queue subscription's ack grants a backlog: never batch more acks than that (spec §11.2). */
  private noteGrantedBacklog(ack: Message): void {
    const opts = ack.options;
    if (!opts) return;
    const m = /(?:^|,)max_backlog=(\d+)/.exec(opts);
    if (m && Number(m[1]) >= 1 && Number(m[1]) < this.ackBatcher.size) this.ackBatcher.setSize(Number(m[1]));
  }

  /** Auto-ack (when on) of a queue message the application took from a stream. */
  protected autoAckTaken(message: Message): void {
    if (this.autoAck && message.isQueueMessage) message.ack();
  }
}
