/**
 * A server's overview for the observe views: from the app's sandbox admin endpoint
 * (`/stats`, `/clients`, `/topics`) or from an AMPS admin interface (`/amps/instance.json`),
 * through the bounded admin fetch (http/https only, time and size limits, no redirects).
 */
import type { ConnectionInfo } from '../../../../common/src/dto/connections.js';
import type { ServerOverview, ServerTopicStats } from '../../../../common/src/dto/inspector.js';
import type { Profile } from '../../../../common/src/dto/profiles.js';
import { ExplorerError } from '../../../../common/src/ipc/errors.js';
import { ADMIN_FETCH_LIMITS, fetchAdminJson } from '../adminFetch.js';
import type { AdminFetchLimits } from '../adminFetch.js';
import { SANDBOX_PROFILE_ID } from '../sandboxProcess.js';
import { ampsAdminRoot, MAX_TOPICS, topicsOfAmpsSow } from '../topicDiscovery.js';
import type { SandboxAdmin } from '../topicDiscovery.js';

export interface ServerOverviewOptions {
  sandbox?: SandboxAdmin;
  profileOf(profileId: string): Promise<Profile | undefined>;
  limits?: AdminFetchLimits;
  now?: () => number;
  /** GETs JSON (fetchAdminJson by default). */
  get?: (url: string, limits: AdminFetchLimits) => Promise<unknown>;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string | undefined =>
  typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined;
const count = (v: unknown): number | undefined => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) && n >= 0 ? Math.floor(n) : undefined;
};

/** Seconds from a number, or from `[N days ]HH:MM:SS` text; undefined otherwise. */
export function uptimeSecondsOf(v: unknown): number | undefined {
  const n = count(v);
  if (n !== undefined) return n;
  if (typeof v !== 'string') return undefined;
  const m = /^\s*(?:(\d+)\s*days?,?\s*)?(\d+):(\d{2}):(\d{2})/.exec(v);
  if (m === null) return undefined;
  const [, d, h, min, s] = m;
  return Number(d ?? 0) * 86_400 + Number(h) * 3_600 + Number(min) * 60 + Number(s);
}

/** The sandbox's `/stats`, `/clients` and `/topics` answers as an overview. */
export function overviewOfSandbox(
  stats: unknown,
  clients: unknown,
  topics: unknown,
  at: number,
): ServerOverview {
  if (!isRecord(stats)) throw new Error('the sandbox /stats answer is not an object');
  const list: ServerTopicStats[] = [];
  for (const t of Array.isArray(topics) ? topics.slice(0, MAX_TOPICS) : []) {
    if (!isRecord(t)) continue;
    const name = text(t.name);
    if (name === undefined) continue;
    const topic: ServerTopicStats = { name };
    const kind = text(t.kind);
    if (kind !== undefined) topic.kind = kind;
    const messageType = text(t.messageType);
    if (messageType !== undefined) topic.messageType = messageType;
    const messages = count(t.messages);
    if (messages !== undefined) topic.messages = messages;
    const records = count(t.records);
    if (records !== undefined) topic.sowRecords = records;
    list.push(topic);
  }
  const uptime = uptimeSecondsOf(stats.uptimeSeconds);
  return {
    source: 'sandbox',
    instance: text(stats.instance) ?? 'sandbox',
    version: text(stats.version) ?? 'unknown',
    ...(uptime === undefined ? {} : { uptimeSeconds: uptime }),
    clients: Array.isArray(clients) ? clients.length : (count(stats.connected) ?? 0),
    topics: list.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    at,
  };
}

/** An AMPS admin interface's `/amps/instance.json` as an overview (SOW topics with their records). */
export function overviewOfAmps(raw: unknown, at: number): ServerOverview {
  const amps = isRecord(raw) ? raw.amps : undefined;
  const instance = isRecord(amps) ? amps.instance : undefined;
  if (!isRecord(instance)) throw new Error('the admin answer has no amps.instance');
  const clientsNode = instance.clients;
  const clients = Array.isArray(clientsNode)
    ? clientsNode.length
    : isRecord(clientsNode)
      ? Object.values(clientsNode).filter(isRecord).length
      : 0;
  const uptime = uptimeSecondsOf(instance.uptime);
  return {
    source: 'admin',
    instance: text(instance.name) ?? 'AMPS',
    version: text(instance.version) ?? 'unknown',
    ...(uptime === undefined ? {} : { uptimeSeconds: uptime }),
    clients,
    topics: topicsOfAmpsSow(raw).map((t) => ({
      name: t.name,
      kind: 'sow',
      ...(t.messageType === undefined ? {} : { messageType: t.messageType }),
      ...(t.sowCount === undefined ? {} : { sowRecords: t.sowCount }),
    })),
    at,
  };
}

/** Reads a connection's server overview; see the file comment. */
export class ServerOverviews {
  readonly #options: ServerOverviewOptions;

  constructor(options: ServerOverviewOptions) {
    this.#options = options;
  }

  async read(connection: ConnectionInfo): Promise<ServerOverview> {
    const now = this.#options.now ?? Date.now;
    const sandboxAdmin = this.#options.sandbox?.adminUrl();
    if (sandboxAdmin !== undefined && this.#isSandbox(connection)) {
      const [stats, clients, topics] = await Promise.all([
        this.#get(`${sandboxAdmin}/stats`),
        this.#get(`${sandboxAdmin}/clients`),
        this.#get(`${sandboxAdmin}/topics`),
      ]);
      return overviewOfSandbox(stats, clients, topics, now());
    }
    const profile =
      connection.profileId === undefined ? undefined : await this.#options.profileOf(connection.profileId);
    if (profile?.adminUrl === undefined) {
      throw new ExplorerError({
        name: 'NoAdminUrlError',
        message: `connection ${connection.name} is not the sandbox and its profile has no admin URL; add one (e.g. http://host:8085) to see the server overview`,
        code: 'no-admin-url',
      });
    }
    return overviewOfAmps(await this.#get(`${ampsAdminRoot(profile.adminUrl)}/instance.json`), now());
  }

  #isSandbox(connection: ConnectionInfo): boolean {
    if (connection.profileId === SANDBOX_PROFILE_ID) return true;
    const strings = this.#options.sandbox?.connectionStrings() ?? [];
    return (
      connection.servers.some((s) => strings.includes(s)) || strings.includes(connection.connectionString)
    );
  }

  #get(url: string): Promise<unknown> {
    const limits = this.#options.limits ?? ADMIN_FETCH_LIMITS;
    return (this.#options.get ?? fetchAdminJson)(url, limits);
  }
}
