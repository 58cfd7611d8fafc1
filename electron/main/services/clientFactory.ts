/**
 * The AmpsConnectionFactory over our AMPS client (client/): one Client per open connection.
 * Messages are handed on as logical header fields plus payload bytes; acks and heartbeats stay
 * inside the client.
 */
import { Client } from '../../../client/src/client.js';
import { UsageError } from '../../../client/src/errors.js';
import type { Message } from '../../../client/src/protocol/message.js';
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

function toSubscription(stream: MessageStream): AmpsSubscriptionLike {
  return {
    subId: stream.subId ?? stream.queryId ?? stream.commandId ?? '',
    unsubscribe: () => {
      stream.close();
      return Promise.resolve();
    },
    async *[Symbol.asyncIterator]() {
      for await (const message of stream) {
        if (SHOWN.has(message.command ?? '')) yield toMessageLike(message);
      }
    },
  };
}

function toStatus(status: ConnectionStatus): AmpsStatusLike {
  // The client's `connected` (socket up, not yet logged on) is still "connecting" to a viewer.
  const state = status.state === 'connected' ? 'connecting' : status.state;
  return {
    state,
    ...(status.uri === undefined ? {} : { uri: status.uri }),
    ...(status.error === undefined ? {} : { error: status.error }),
  };
}

class ClientConnection implements AmpsConnectionLike {
  private readonly client: Client;

  constructor(private readonly options: AmpsConnectionOptions) {
    this.client = new Client(options.clientName);
  }

  async connect(uri: string): Promise<void> {
    if (this.options.uris.length > 1) {
      throw new UsageError('connections to several servers (HA) are not available in this build yet', {
        code: 'ha-unavailable',
      });
    }
    await this.client.connect(uri);
  }

  async logon(options: { timeoutMs?: number } = {}): Promise<void> {
    await this.client.logon(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs });
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
    return this.client.addConnectionStateListener((status) => listener(toStatus(status)));
  }

  close(): Promise<void> {
    return this.client.close();
  }
}

function withOptions(p: AmpsSubscribeParams): { options?: string } {
  return p.options === undefined || p.options === '' ? {} : { options: p.options };
}

/** Builds one Client per open connection. */
export const clientConnectionFactory: AmpsConnectionFactory = {
  create: (options) => new ClientConnection(options),
};
