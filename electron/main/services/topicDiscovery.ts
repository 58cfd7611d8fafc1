import type { ConnectionInfo } from '../../../common/src/dto/connections.js';
import type { Profile } from '../../../common/src/dto/profiles.js';
import type { TopicInfo, TopicList } from '../../../common/src/dto/topics.js';
import { ADMIN_FETCH_LIMITS, fetchAdminJson } from './adminFetch.js';
import type { AdminFetchLimits } from './adminFetch.js';
import { SANDBOX_PROFILE_ID } from './sandboxProcess.js';
import type { SeenTopics } from './seenTopics.js';

/** Most topics returned in one list. */
export const MAX_TOPICS = 10_000;

/** What discovery needs to know of the app's sandbox. */
export interface SandboxAdmin {
  /** `http://127.0.0.1:PORT` while it runs. */
  adminUrl(): string | undefined;
  /** Its connection strings (a connection opened by one of them is the sandbox too). */
  connectionStrings(): string[];
}

/** Options of {@link TopicDiscovery}. */
export interface TopicDiscoveryOptions {
  seen: SeenTopics;
  sandbox?: SandboxAdmin;
  /** The saved profile behind a connection (its admin URL). */
  profileOf(profileId: string): Promise<Profile | undefined>;
  limits?: AdminFetchLimits;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
/** A count: numbers, and the numeric strings AMPS's admin interface writes. */
const count = (v: unknown): number | undefined => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) && n >= 0 ? Math.floor(n) : undefined;
};
const byName = (a: TopicInfo, b: TopicInfo): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** Maps the sandbox admin endpoint's `GET /topics` answer (see sandbox/src/admin.ts). */
export function topicsOfSandbox(raw: unknown): TopicInfo[] {
  if (!Array.isArray(raw)) throw new Error('the sandbox /topics answer is not a list');
  const out: TopicInfo[] = [];
  for (const t of raw.slice(0, MAX_TOPICS)) {
    if (!isRecord(t)) continue;
    const name = str(t.name);
    if (name === undefined) continue;
    const kind = str(t.kind);
    const topic: TopicInfo = { name };
    const messageType = str(t.messageType);
    if (messageType !== undefined) topic.messageType = messageType;
    const keys = Array.isArray(t.keys) ? t.keys.filter((k): k is string => typeof k === 'string') : undefined;
    if (kind === 'sow' || keys !== undefined) topic.sow = { keyFields: keys ?? [] };
    if (kind === 'queue') topic.queue = true;
    if (kind === 'view') topic.view = true;
    if (t.txlog === true) topic.txlog = true;
    const messages = count(t.messages);
    if (messages !== undefined) topic.messageCount = messages;
    const records = count(t.records);
    if (records !== undefined) topic.sowCount = records;
    out.push(topic);
  }
  return out.sort(byName);
}

/** The items of an AMPS admin list node: an array, or an object keyed by id. */
function itemsOf(node: unknown): Record<string, unknown>[] {
  if (Array.isArray(node)) return node.filter(isRecord);
  if (isRecord(node)) {
    return Object.entries(node)
      .filter((e): e is [string, Record<string, unknown>] => isRecord(e[1]))
      .map(([id, v]) => ({ id, ...v }));
  }
  return [];
}

/** `{"amps":{"instance":{"<resource>": …}}}` → the resource node. */
function instanceNode(raw: unknown, resource: string): unknown {
  const amps = isRecord(raw) ? raw.amps : undefined;
  const instance = isRecord(amps) ? amps.instance : undefined;
  return isRecord(instance) ? instance[resource] : undefined;
}

/**
 * Maps the SOW statistics of an AMPS admin interface (`/amps/instance/sow.json`): one entry
 * per SOW topic with `topic`, `message_type` and `valid_keys` (records). The admin interface
 * does not list the key fields, so `sow.keyFields` is empty.
 */
export function topicsOfAmpsSow(raw: unknown): TopicInfo[] {
  return itemsOf(instanceNode(raw, 'sow'))
    .slice(0, MAX_TOPICS)
    .flatMap((t): TopicInfo[] => {
      const name = str(t.topic) ?? str(t.name) ?? str(t.id);
      if (name === undefined) return [];
      const topic: TopicInfo = { name, sow: { keyFields: [] } };
      const messageType = str(t.message_type);
      if (messageType !== undefined) topic.messageType = messageType;
      const records = count(t.valid_keys);
      if (records !== undefined) topic.sowCount = records;
      return [topic];
    });
}

/** Maps the queue statistics of an AMPS admin interface (`/amps/instance/queues.json`). */
export function topicsOfAmpsQueues(raw: unknown): TopicInfo[] {
  return itemsOf(instanceNode(raw, 'queues'))
    .slice(0, MAX_TOPICS)
    .flatMap((q): TopicInfo[] => {
      const name = str(q.topic) ?? str(q.name) ?? str(q.id);
      if (name === undefined) return [];
      const topic: TopicInfo = { name, queue: true, txlog: true };
      const messageType = str(q.message_type);
      if (messageType !== undefined) topic.messageType = messageType;
      return [topic];
    });
}

/** The monitoring root of an admin URL: `http://host:8085` and `…/` mean `…/amps`. */
export function ampsAdminRoot(adminUrl: string): string {
  const u = new URL(adminUrl);
  u.search = '';
  u.hash = '';
  let path = u.pathname.replace(/\/+$/, '').replace(/\.json$/, '');
  if (path === '') path = '/amps';
  u.pathname = path;
  return u.toString().replace(/\/$/, '');
}

/**
 * Lists a connection's topics: from the app's sandbox admin endpoint (source `sandbox`); from
 * an AMPS admin interface when the profile has an admin URL (source `admin`: the SOW topics
 * and queues it reports); otherwise the topics of the messages seen on the connection (source
 * `seen`). When a server list cannot be read, the seen topics come back with the reason.
 */
export class TopicDiscovery {
  readonly #options: TopicDiscoveryOptions;

  constructor(options: TopicDiscoveryOptions) {
    this.#options = options;
  }

  async list(connection: ConnectionInfo): Promise<TopicList> {
    const { sandbox, seen } = this.#options;
    const seenList = (): TopicInfo[] => seen.list(connection.connectionId);
    const sandboxAdmin = sandbox?.adminUrl();
    if (sandboxAdmin !== undefined && this.#isSandbox(connection, sandbox)) {
      try {
        return { source: 'sandbox', topics: topicsOfSandbox(await this.#get(`${sandboxAdmin}/topics`)) };
      } catch (error) {
        return {
          source: 'seen',
          topics: seenList(),
          error: `sandbox admin endpoint: ${(error as Error).message}`,
        };
      }
    }
    const profile =
      connection.profileId === undefined ? undefined : await this.#options.profileOf(connection.profileId);
    if (profile?.adminUrl !== undefined) {
      try {
        return { source: 'admin', topics: await this.#ampsAdmin(profile.adminUrl) };
      } catch (error) {
        return { source: 'seen', topics: seenList(), error: `admin interface: ${(error as Error).message}` };
      }
    }
    return { source: 'seen', topics: seenList() };
  }

  async #ampsAdmin(adminUrl: string): Promise<TopicInfo[]> {
    const root = ampsAdminRoot(adminUrl);
    const sow = topicsOfAmpsSow(await this.#get(`${root}/instance/sow.json`));
    let queues: TopicInfo[] = [];
    try {
      queues = topicsOfAmpsQueues(await this.#get(`${root}/instance/queues.json`));
    } catch {
      // Not every instance has queues (or the resource); the SOW topics stand alone.
    }
    const byTopic = new Map<string, TopicInfo>();
    for (const t of [...sow, ...queues]) byTopic.set(t.name, { ...byTopic.get(t.name), ...t });
    return [...byTopic.values()].sort(byName).slice(0, MAX_TOPICS);
  }

  #isSandbox(connection: ConnectionInfo, sandbox: SandboxAdmin | undefined): boolean {
    if (connection.profileId === SANDBOX_PROFILE_ID) return true;
    if (sandbox === undefined) return false;
    // A saved profile or a typed connection string pointing at the sandbox is the sandbox too.
    const strings = sandbox.connectionStrings();
    return (
      connection.servers.some((s) => strings.includes(s)) || strings.includes(connection.connectionString)
    );
  }

  #get(url: string): Promise<unknown> {
    return fetchAdminJson(url, this.#options.limits ?? ADMIN_FETCH_LIMITS);
  }
}
