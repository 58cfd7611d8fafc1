import type { TopicInfo, TopicSource } from '../../../common/src/dto/topics.js';
import type { ExplorerApi } from '../../../common/src/ipc/contract.js';
import { Model, messageOf } from '../lib/model.js';

/** What the Topics panel shows. */
export interface TopicsSnapshot {
  /** The connection whose topics are listed. */
  connectionId: string | undefined;
  source: TopicSource | undefined;
  topics: TopicInfo[];
  /** Why the server's list could not be read (the list is then the topics seen). */
  error: string | undefined;
  busy: boolean;
  /** Text typed to narrow the list. */
  query: string;
}

/** Where a list came from, for the user. */
export const SOURCE_LABELS: Record<TopicSource, string> = {
  sandbox: "from the sandbox's admin endpoint",
  admin: "from the server's admin interface",
  seen: 'topics of messages seen (no admin interface)',
};

/** The kinds of a topic, for its badges: SOW (with keys), queue, txlog, view. */
export function topicKinds(topic: TopicInfo): string[] {
  const kinds: string[] = [];
  if (topic.sow !== undefined)
    kinds.push(topic.sow.keyFields.length > 0 ? `SOW ${topic.sow.keyFields.join(',')}` : 'SOW');
  if (topic.queue === true) kinds.push('queue');
  if (topic.txlog === true) kinds.push('txlog');
  if (topic.view === true) kinds.push('view');
  return kinds;
}

/**
 * A count short enough for the side bar: `950`, `2.1k`, `12k`, `3.4M`, `1.2B` (one decimal
 * below 10 of the unit, rounded down so it never claims more than there is).
 */
export function compactCount(n: number): string {
  const units: [number, string][] = [
    [1e9, 'B'],
    [1e6, 'M'],
    [1e3, 'k'],
  ];
  for (const [size, suffix] of units) {
    if (n < size) continue;
    const whole = n / size;
    const shown = whole < 10 ? Math.floor(whole * 10) / 10 : Math.floor(whole);
    return `${String(shown)}${suffix}`;
  }
  return String(Math.max(0, Math.floor(n)));
}

/** The topics matching a query (case-insensitive substring), by name. */
export function filterTopics(topics: readonly TopicInfo[], query: string): TopicInfo[] {
  const q = query.trim().toLowerCase();
  const list = q === '' ? [...topics] : topics.filter((t) => t.name.toLowerCase().includes(q));
  return list.sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * How often the list refreshes by itself (ms): topics seen by the app change with every new
 * subscription, so quickly; a server's admin interface is polled more gently.
 */
export function refreshEveryMs(source: TopicSource | undefined): number {
  return source === 'seen' ? 3000 : 15000;
}

/** The Topics panel's logic: the topic list of the selected connection, refreshed on demand and periodically. */
export class TopicsModel extends Model<TopicsSnapshot> {
  readonly #api: ExplorerApi;
  #request = 0;

  constructor(api: ExplorerApi) {
    super({ connectionId: undefined, source: undefined, topics: [], error: undefined, busy: false, query: '' });
    this.#api = api;
  }

  /** Lists the topics of `connectionId` (or clears the list). A newer call wins over an older one. */
  async load(connectionId: string | undefined): Promise<void> {
    const request = ++this.#request;
    if (connectionId === undefined) {
      this.update({ connectionId, source: undefined, topics: [], error: undefined, busy: false });
      return;
    }
    const same = connectionId === this.state.connectionId;
    this.update({ connectionId, busy: true, ...(same ? {} : { topics: [], source: undefined, error: undefined }) });
    try {
      const list = await this.#api.listTopics({ connectionId });
      if (request !== this.#request) return;
      this.update({ source: list.source, topics: list.topics, error: list.error, busy: false });
    } catch (error) {
      if (request !== this.#request) return;
      this.update({ busy: false, error: `Could not list the topics: ${messageOf(error)}` });
    }
  }

  setQuery(query: string): void {
    this.update({ query });
  }
}
