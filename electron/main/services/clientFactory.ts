/**
 * The AmpsConnectionFactory over our AMPS client (client/): one Client per open connection, or
 * an HAClient when the connection lists several servers. Messages are handed on as logical
 * header fields plus payload bytes; acks and heartbeats stay inside the client.
 */
import { Client } from '../../../client/src/client.js';
import { HAClient } from '../../../client/src/ha/haClient.js';
import { DefaultServerChooser } from '../../../client/src/ha/serverChooser.js';
import type { Message } from '../../../client/src/protocol/message.js';
import type { HAConnectionStatus } from '../../../client/src/ha/haStatus.js';
import type { ConnectionStatus } from '../../../client/src/status.js';
import type { MessageStream } from '../../../client/src/stream.js';
import type {
  AmpsConnectionFactory,
  AmpsConnectionLike,
  AmpsConnectionOptions,
  AmpsMessageLike,
  AmpsPublishParams,
  AmpsStatusLike,
  AmpsSubscribeParams,
  AmpsSubscriptionLike,
} from './ampsAdapter.js';

/** Commands a viewer shows; acks and heartbeats are the client's business. */
const SHOWN = new Set(['publish', 'delta_publish', 'sow', 'oof', 'group_begin', 'group_end']);

function toMessageLike(message: Message): AmpsMessageLike {
  return { header: message.fields, payload: message.data };
}

/** A client MessageStream as the services see a subscription (exported for tests). */
export function toSubscription(stream: MessageStream): AmpsSubscriptionLike {
  return {
    subId: stream.subId ?? stream.queryId ?? stream.commandId ?? '',
    unsubscribe: () => {
      stream.close();
      return Promise.resolve();
    },
    drain: (handler) =>
      stream.drain((message) => {
        if (SHOWN.has(message.command ?? '')) handler(toMessageLike(message));
      }),
    async *[Symbol.asyncIterator]() {
      for await (const message of stream) {
        if (SHOWN.has(message.command ?? '')) yield toMessageLike(message);
      }
    },
  };
}

function toStatus(status: ConnectionStatus | HAConnectionStatus): AmpsStatusLike {
  // `connected` (socket up, not yet logged on) is still "connecting" to a viewer, and an HA
  // client that has placed its subscriptions again is simply logged on.
  const state =
    status.state === 'connected' ? 'connecting' : status.state === 'resubscribed' ? 'loggedOn' : status.state;
  return {
    state,
    ...(status.uri === undefined ? {} : { uri: status.uri }),
    ...(status.error === undefined ? {} : { error: status.error }),
  };
}

/** What the adapter uses of Client and HAClient alike. */
interface StreamingClient {
  subscribe(topic: string, filter?: string, options?: { options?: string }): Promise<MessageStream>;
  deltaSubscribe(topic: string, filter?: string, options?: { options?: string }): Promise<MessageStream>;
  sowAndSubscribe(topic: string, filter?: string, options?: SowQueryOptions): Promise<MessageStream>;
  bookmarkSubscribe(
    topic: string,
    bookmark: string,
    filter?: string,
    options?: { options?: string },
  ): Promise<MessageStream>;
  publish(topic: string, data: string, options?: { correlationId?: string; expiration?: number }): unknown;
  deltaPublish(
    topic: string,
    data: string,
    options?: { correlationId?: string; expiration?: number },
  ): unknown;
  setHeartbeat(intervalSeconds: number): void;
  close(): Promise<void>;
}

interface SowQueryOptions {
  options?: string;
  batchSize?: number;
  topN?: number;
  orderBy?: string;
}

/** One server: a Client, connected and logged on in two steps. */
class SingleServer {
  readonly client: Client;
  constructor(name: string) {
    this.client = new Client(name);
  }
  connect(uri: string): Promise<void> {
    return this.client.connect(uri);
  }
  async logon(timeoutMs: number | undefined): Promise<void> {
    await this.client.logon(timeoutMs === undefined ? {} : { timeoutMs });
  }
  onStatus(listener: (status: ConnectionStatus) => void): () => void {
    return this.client.addConnectionStateListener(listener);
  }
}

/** Several servers: an HAClient walks them in order, reconnects and resubscribes. */
class ServerGroup {
  readonly client: HAClient;
  constructor(name: string, uris: readonly string[]) {
    this.client = new HAClient(name, { serverChooser: new DefaultServerChooser([...uris]) });
  }
  connect(): Promise<void> {
    // The HA client connects and logs on in one step, walking the servers (see logon).
    return Promise.resolve();
  }
  logon(timeoutMs: number | undefined): Promise<void> {
    if (timeoutMs !== undefined) this.client.setTimeout(timeoutMs);
    return this.client.connectAndLogon();
  }
  onStatus(listener: (status: HAConnectionStatus) => void): () => void {
    return this.client.addConnectionStateListener(listener);
  }
}

class ClientConnection implements AmpsConnectionLike {
  private readonly server: SingleServer | ServerGroup;
  private readonly client: StreamingClient;

  constructor(private readonly options: AmpsConnectionOptions) {
    this.server =
      options.uris.length > 1
        ? new ServerGroup(options.clientName, options.uris)
        : new SingleServer(options.clientName);
    this.client = this.server.client;
  }

  connect(uri: string): Promise<void> {
    return this.server.connect(uri);
  }

  async logon(options: { timeoutMs?: number } = {}): Promise<void> {
    await this.server.logon(options.timeoutMs);
    if (this.options.heartbeatSeconds !== undefined) this.client.setHeartbeat(this.options.heartbeatSeconds);
  }

  async subscribe(p: AmpsSubscribeParams): Promise<AmpsSubscriptionLike> {
    return toSubscription(await this.client.subscribe(p.topic, p.filter, withOptions(p)));
  }

  async deltaSubscribe(p: AmpsSubscribeParams): Promise<AmpsSubscriptionLike> {
    return toSubscription(await this.client.deltaSubscribe(p.topic, p.filter, withOptions(p)));
  }

  async sowAndSubscribe(p: AmpsSubscribeParams): Promise<AmpsSubscriptionLike> {
    const query = {
      ...withOptions(p),
      ...(p.batchSize === undefined ? {} : { batchSize: p.batchSize }),
      ...(p.topN === undefined ? {} : { topN: p.topN }),
      ...(p.orderBy === undefined ? {} : { orderBy: p.orderBy }),
    };
    return toSubscription(await this.client.sowAndSubscribe(p.topic, p.filter, query));
  }

  async bookmarkSubscribe(p: AmpsSubscribeParams & { bookmark: string }): Promise<AmpsSubscriptionLike> {
    return toSubscription(await this.client.bookmarkSubscribe(p.topic, p.bookmark, p.filter, withOptions(p)));
  }

  publish(topic: string, data: string, params: AmpsPublishParams = {}): Promise<void> {
    const options = {
      ...(params.correlationId === undefined ? {} : { correlationId: params.correlationId }),
      ...(params.expiration === undefined ? {} : { expiration: params.expiration }),
    };
    if (params.delta) this.client.deltaPublish(topic, data, options);
    else this.client.publish(topic, data, options);
    return Promise.resolve();
  }

  onStatus(listener: (status: AmpsStatusLike) => void): () => void {
    return this.server.onStatus((status: ConnectionStatus | HAConnectionStatus) =>
      listener(toStatus(status)),
    );
  }

  close(): Promise<void> {
    return this.client.close();
  }
}

function withOptions(p: AmpsSubscribeParams): { options?: string } {
  return p.options === undefined || p.options === '' ? {} : { options: p.options };
}

/** Builds one Client per open connection, or an HAClient for several servers. */
export const clientConnectionFactory: AmpsConnectionFactory = {
  create: (options) => new ClientConnection(options),
};
