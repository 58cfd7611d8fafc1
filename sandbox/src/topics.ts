/** Topic registry: declared topics (SOW, queue, transaction log) and every topic seen so far. */
import type { TopicConfig } from './config.js';
import { DEFAULTS } from './config.js';
import { Queue } from './queue.js';
import { SowStore } from './sowStore.js';

/** Everything the server knows about one topic. */
export interface TopicInfo {
  name: string;
  declared: boolean;
  sow?: SowStore;
  queue?: Queue;
  txlog: boolean;
  /** Message type (spec §13): decides filters, SOW keys and delta for the topic's payloads. */
  messageType: string;
  /** Default record expiration, seconds. */
  expiration?: number;
  /** Queues: where messages that expire from the queue are published. */
  deadLetterTopic?: string;
  /** Messages published to the topic. */
  published: number;
}

/** Registry of topics in configuration order, then in order of first use. */
export class TopicRegistry {
  private readonly topics = new Map<string, TopicInfo>();
  private readonly txlogPatterns: RegExp[];

  constructor(configs: readonly TopicConfig[], txlogPatterns: readonly string[]) {
    this.txlogPatterns = txlogPatterns.map((p) => new RegExp(p));
    for (const c of configs) {
      const queueConfig = c.queue === true ? {} : c.queue || undefined;
      const keys = c.keys ?? [];
      const info: TopicInfo = {
        name: c.name,
        declared: true,
        txlog: c.txlog ?? this.txlogPatterns.some((r) => r.test(c.name)),
        messageType: c.messageType ?? 'json',
        published: 0,
      };
      if (c.expiration !== undefined) info.expiration = c.expiration;
      if (queueConfig) {
        info.queue = new Queue(
          c.name,
          queueConfig.leasePeriodMs ?? DEFAULTS.leasePeriodMs,
          queueConfig.maxBacklog ?? DEFAULTS.maxBacklog,
          { maxDeliveries: queueConfig.maxDeliveries, maxCancels: queueConfig.maxCancels },
        );
        if (queueConfig.deadLetterTopic !== undefined) info.deadLetterTopic = queueConfig.deadLetterTopic;
      } else if (c.sow || keys.length > 0) {
        info.sow = new SowStore(c.name, keys);
      }
      this.topics.set(c.name, info);
    }
  }

  /**
   * Info for a topic, registering an undeclared topic as plain pub/sub on first use, with
   * the message type of the connection that first published to it (default `json`).
   */
  get(name: string, messageType?: string): TopicInfo {
    let info = this.topics.get(name);
    if (!info) {
      info = {
        name,
        declared: false,
        txlog: this.txlogPatterns.some((r) => r.test(name)),
        messageType: messageType ?? 'json',
        published: 0,
      };
      this.topics.set(name, info);
    } else if (!info.declared && info.published === 0 && messageType !== undefined) {
      info.messageType = messageType;
    }
    return info;
  }

  /** Info for a topic only if it is known. */
  peek(name: string): TopicInfo | undefined {
    return this.topics.get(name);
  }

  /** Every known topic, configuration order first. */
  all(): IterableIterator<TopicInfo> {
    return this.topics.values();
  }
}
