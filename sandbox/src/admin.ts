/** Admin HTTP endpoint on loopback: `GET /topics`, `/clients`, `/stats` as JSON. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Broker } from './broker.js';
import { isLoopbackHost } from './net/originPolicy.js';

/** Topics with their kind and counts. */
export function topicsReport(broker: Broker): unknown[] {
  return [...broker.topics.all()].map((t) => {
    const kind = t.queue ? 'queue' : t.sow ? 'sow' : 'pubsub';
    const out: Record<string, unknown> = {
      name: t.name,
      kind,
      messageType: t.messageType,
      txlog: t.txlog,
      declared: t.declared,
      messages: t.published,
    };
    if (t.sow) {
      out['keys'] = [...t.sow.keyPaths];
      out['records'] = t.sow.size;
    }
    if (t.queue) {
      out['depth'] = t.queue.entries.size;
      out['leased'] = t.queue.leased;
      out['acked'] = t.queue.acked;
      out['leasePeriodMs'] = t.queue.leasePeriodMs;
      out['maxBacklog'] = t.queue.maxBacklog;
    }
    if (t.expiration !== undefined) out['expiration'] = t.expiration;
    return out;
  });
}

/** Connected clients. */
export function clientsReport(broker: Broker): unknown[] {
  return [...broker.sessions].map((s) => ({
    id: s.id,
    clientName: s.clientName ?? null,
    userId: s.userId ?? null,
    peer: s.peer,
    transport: s.transportKind,
    loggedOn: s.loggedOn,
    connectedAt: new Date(s.connectedAt).toISOString(),
    subscriptions: [...s.subs.values()].map((sub) => ({
      subId: sub.subId,
      topic: sub.topic,
      filter: sub.filterText ?? null,
      bookmark: sub.bookmarkReplay,
      queue: sub.queue !== undefined,
    })),
    messagesIn: s.messagesIn,
    messagesOut: s.messagesOut,
    bytesOut: s.bytesOut,
  }));
}

/** Server counters, with the instance name and the uptime since `startedAt` (ms since the epoch). */
export function statsReport(broker: Broker, startedAt = Date.now()): Record<string, unknown> {
  return {
    instance: 'amps-explorer-sandbox',
    startedAt: new Date(startedAt).toISOString(),
    uptimeSeconds: Math.max(0, Math.floor((Date.now() - startedAt) / 1000)),
    ...broker.counters,
    connected: broker.sessions.size,
    subscriptions: broker.subs.size,
    txlogEntries: broker.txlog.entries.length,
    version: broker.version,
  };
}

/**
 * The request handler of the admin server. A request whose `Host` is not a loopback name with
 * the admin port (`port()`) is refused with 403, so a web page cannot reach the endpoint
 * through DNS rebinding.
 */
export function adminHandler(
  broker: Broker,
  port: () => number | undefined,
): (req: IncomingMessage, res: ServerResponse) => void {
  const startedAt = Date.now();
  return (req, res) => {
    if (!isLoopbackHost(req.headers.host, port() ?? -1)) {
      res
        .writeHead(403, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: 'the admin endpoint answers only loopback host names with its port' }));
      return;
    }
    const path = (req.url ?? '/').split('?')[0];
    let body: unknown;
    if (req.method !== 'GET') {
      res
        .writeHead(405, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: 'only GET is supported' }));
      return;
    }
    if (path === '/topics') body = topicsReport(broker);
    else if (path === '/clients') body = clientsReport(broker);
    else if (path === '/stats') body = statsReport(broker, startedAt);
    else if (path === '/') body = { endpoints: ['/topics', '/clients', '/stats'] };
    else {
      res
        .writeHead(404, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: `no such endpoint: ${path}` }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body, null, 2));
  };
}
