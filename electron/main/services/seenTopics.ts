import type { TopicInfo } from '../../../common/src/dto/topics.js';

/** Most topics remembered per connection; further new names are counted, not kept. */
export const MAX_SEEN_TOPICS = 5000;

interface Seen {
  count: number;
  messageType?: string;
}

/**
 * The topics of the messages the app has received, per connection: the topic list of a server
 * whose admin interface is unknown. Bounded per connection; forgotten when it closes.
 */
export class SeenTopics {
  readonly #byConnection = new Map<string, Map<string, Seen>>();
  readonly #overflow = new Map<string, number>();

  /** Counts one message of `topic` received on a connection (called for every message). */
  record(connectionId: string, topic: string, messageType?: string): void {
    let topics = this.#byConnection.get(connectionId);
    if (topics === undefined) {
      topics = new Map();
      this.#byConnection.set(connectionId, topics);
    }
    const seen = topics.get(topic);
    if (seen !== undefined) {
      seen.count += 1;
      return;
    }
    if (topics.size >= MAX_SEEN_TOPICS) {
      this.#overflow.set(connectionId, (this.#overflow.get(connectionId) ?? 0) + 1);
      return;
    }
    topics.set(topic, messageType === undefined ? { count: 1 } : { count: 1, messageType });
  }

  /** The topics seen on a connection, by name, with the number of messages seen. */
  list(connectionId: string): TopicInfo[] {
    const topics = this.#byConnection.get(connectionId);
    if (topics === undefined) return [];
    return [...topics]
      .map(([name, s]) => ({
        name,
        messageCount: s.count,
        ...(s.messageType === undefined ? {} : { messageType: s.messageType }),
      }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** Messages of topics not kept because the connection's list was full. */
  overflow(connectionId: string): number {
    return this.#overflow.get(connectionId) ?? 0;
  }

  /** Drops what was seen on a connection (it closed). */
  forget(connectionId: string): void {
    this.#byConnection.delete(connectionId);
    this.#overflow.delete(connectionId);
  }
}
