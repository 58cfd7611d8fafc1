/**
 * Sandbox configuration: listeners, limits and the declared topics (SOW topics with key
 * fields, queues, transaction-logged topics). Undeclared topics are plain pub/sub.
 */
import type { SandboxLogger } from './logger.js';
import { isMessageType, MESSAGE_TYPES } from './messageTypes.js';

/** One declared topic. */
export interface TopicConfig {
  /** Literal topic name. */
  name: string;
  /** Keep a State of the World for this topic. Implied by `keys` or `queue`. */
  sow?: boolean;
  /** Key fields such as `['/id']` or `['/region','/id']`; empty = publisher-supplied `k`. */
  keys?: string[];
  /**
   * Message type of the topic (spec §13): `json` (default), `fix`, `nvfix`, `xml`, `binary`,
   * `msgpack`, `bson` or `bflat`. It decides how filters, SOW keys and delta read payloads;
   * `binary` topics have no content keys or filters.
   */
  messageType?: string;
  /** Record the topic in the transaction log (bookmark replay). */
  txlog?: boolean;
  /** Default expiration of SOW records, seconds. */
  expiration?: number;
  /** Make the topic a message queue (spec §11). */
  queue?: QueueConfig | boolean;
}

/** Queue settings (spec §11.3). */
export interface QueueConfig {
  /** Lease period in milliseconds (default 30 000). */
  leasePeriodMs?: number;
  /** Largest backlog granted to one subscription (default 10). */
  maxBacklog?: number;
  /** `MaxDeliveries`: after this many unsuccessful deliveries a message expires from the queue. */
  maxDeliveries?: number;
  /** `MaxCancels`: the cancel (`sow_delete o=cancel`) that reaches this count expires the message. */
  maxCancels?: number;
  /**
   * Dead-letter topic: a message that expires from the queue (MaxDeliveries, MaxCancels, message
   * expiration, `o=expire`) is published there, as AMPS's `amps-action-on-sow-expire-message` does.
   */
  deadLetterTopic?: string;
}

/** Everything `createSandboxServer` accepts; every field is optional. */
export interface SandboxConfig {
  host?: string;
  /** TCP port; 0 = any free port. Default 0. `null` disables the TCP listener. */
  port?: number | null;
  /** WebSocket port; 0 = any free port; `null`/absent disables it. */
  wsPort?: number | null;
  /** Admin HTTP port on loopback; `null`/absent disables it. */
  adminPort?: number | null;
  /**
   * Further browser origins (exact, e.g. `https://tools.example`) whose pages may open the
   * WebSocket listener; loopback origins, the app's own and clients sending no Origin always may.
   */
  allowedOrigins?: string[];
  /** TLS listener: port plus PEM file paths. */
  tls?: { port: number; certFile: string; keyFile: string };
  /** WebSocket over TLS (`wss://host:port/amps/json`): port plus PEM file paths. */
  wss?: { port: number; certFile: string; keyFile: string };
  /** Unix-domain socket path. */
  unixPath?: string;
  topics?: TopicConfig[];
  /** Regular expressions: topics whose name matches are recorded in the transaction log. */
  txlogPatterns?: string[];
  /** Users allowed to log on (user → password). Absent = anonymous logon. */
  users?: Record<string, string>;
  /** Directory of the on-disk journal; absent = in memory only. */
  journalDir?: string;
  /** Largest inbound frame in bytes (default 64 MiB). */
  maxFrameBytes?: number;
  /**
   * Largest inbound frame, and most bytes held for a partial one, before a connection has logged
   * on (default 64 KiB), where a logon command is required (not in implicit-logon mode).
   */
  preLogonMaxFrameBytes?: number;
  /**
   * A network connection that has not logged on this long after connecting is closed (ms;
   * default 10 000; 0 = never), where a logon command is required.
   */
  logonTimeoutMs?: number;
  /** Outbound bytes queued for one connection before it is dropped as a slow client (default 64 MiB). */
  maxOutboundBytes?: number;
  /** Server version reported in logon acks. */
  version?: string;
  /** Period of the heartbeat/expiration/lease housekeeping, ms (default 1000). */
  tickMs?: number;
  /**
   * Commands before logon: `false` (default) answers them with `logon required`; `true`
   * performs an implicit anonymous logon as an unauthenticated AMPS instance does.
   */
  implicitLogon?: boolean;
  /**
   * A logon with a client name that a connected client holds: `takeover` (default, spec §6.4)
   * disconnects the old connection when the user is the same and refuses (`name in use`) a
   * different user; `refuse` always refuses the new logon.
   */
  clientNamePolicy?: 'takeover' | 'refuse';
  /**
   * Challenge mode for testing client authenticators (spec §6.2, §6.4): the first logon of each
   * connection is answered `status=retry` with this text as `pw`; the next logon is checked normally.
   */
  logonChallenge?: string;
  /**
   * Default persisted-ack conflation interval (ms) of a connection; a logon's
   * `ack_conflation=<interval>` overrides it. AMPS defaults to 1 s; the sandbox default 0 merges
   * only the publishes handled in one turn, so that publish stores are not slowed down.
   */
  ackConflationMs?: number;
  /** Unknown commands get a failure ack (when one was requested) but keep the connection open. */
  lenientUnknownCommands?: boolean;
  logger?: SandboxLogger;
}

/** Defaults applied by the server. */
export const DEFAULTS = {
  host: '127.0.0.1',
  maxFrameBytes: 64 * 1024 * 1024,
  preLogonMaxFrameBytes: 64 * 1024,
  logonTimeoutMs: 10_000,
  maxOutboundBytes: 64 * 1024 * 1024,
  version: '5.3.5.1',
  tickMs: 1000,
  leasePeriodMs: 30_000,
  maxBacklog: 10,
} as const;

/** Thrown for an invalid configuration; the message names the field. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Validates a topic list (from a JSON config file or flags).
 * @throws ConfigError naming the bad entry
 */
export function validateTopics(raw: unknown, where: string): TopicConfig[] {
  if (!Array.isArray(raw)) throw new ConfigError(`${where}: "topics" must be an array`);
  return raw.map((entry, i) => {
    const at = `${where}: topics[${i}]`;
    if (!isRecord(entry)) throw new ConfigError(`${at} must be an object`);
    const name = entry['name'];
    if (typeof name !== 'string' || name === '')
      throw new ConfigError(`${at}.name must be a non-empty string`);
    const out: TopicConfig = { name };
    if (entry['keys'] !== undefined) {
      const keys = entry['keys'];
      if (!Array.isArray(keys) || !keys.every((k) => typeof k === 'string' && /^\/\S+$/.test(k))) {
        throw new ConfigError(`${at}.keys must be an array of field paths like "/id"`);
      }
      out.keys = keys as string[];
      out.sow = true;
    }
    if (entry['sow'] !== undefined) {
      if (typeof entry['sow'] !== 'boolean') throw new ConfigError(`${at}.sow must be true or false`);
      out.sow = entry['sow'];
    }
    if (entry['messageType'] !== undefined) {
      const mt = entry['messageType'];
      if (typeof mt !== 'string' || !isMessageType(mt))
        throw new ConfigError(`${at}.messageType must be one of ${MESSAGE_TYPES.join(', ')}`);
      if (mt === 'binary' && out.keys !== undefined && out.keys.length > 0)
        throw new ConfigError(`${at}: a binary topic cannot take SOW keys from content (use explicit keys)`);
      out.messageType = mt;
    }
    if (entry['txlog'] !== undefined) {
      if (typeof entry['txlog'] !== 'boolean') throw new ConfigError(`${at}.txlog must be true or false`);
      out.txlog = entry['txlog'];
    }
    if (entry['expiration'] !== undefined) {
      const e = entry['expiration'];
      if (typeof e !== 'number' || !(e > 0))
        throw new ConfigError(`${at}.expiration must be a positive number of seconds`);
      out.expiration = e;
    }
    const q = entry['queue'];
    if (q !== undefined && q !== false) {
      if (q === true) out.queue = {};
      else if (isRecord(q)) {
        const queue: QueueConfig = {};
        if (q['leasePeriodMs'] !== undefined) {
          if (typeof q['leasePeriodMs'] !== 'number' || !(q['leasePeriodMs'] > 0)) {
            throw new ConfigError(`${at}.queue.leasePeriodMs must be a positive number`);
          }
          queue.leasePeriodMs = q['leasePeriodMs'];
        }
        if (q['maxBacklog'] !== undefined) {
          if (!Number.isInteger(q['maxBacklog']) || (q['maxBacklog'] as number) < 1) {
            throw new ConfigError(`${at}.queue.maxBacklog must be a positive integer`);
          }
          queue.maxBacklog = q['maxBacklog'] as number;
        }
        for (const k of ['maxDeliveries', 'maxCancels'] as const) {
          if (q[k] === undefined) continue;
          if (!Number.isInteger(q[k]) || (q[k] as number) < 1) {
            throw new ConfigError(`${at}.queue.${k} must be a positive integer`);
          }
          queue[k] = q[k] as number;
        }
        if (q['deadLetterTopic'] !== undefined) {
          if (typeof q['deadLetterTopic'] !== 'string' || q['deadLetterTopic'] === '') {
            throw new ConfigError(`${at}.queue.deadLetterTopic must be a non-empty topic name`);
          }
          queue.deadLetterTopic = q['deadLetterTopic'];
        }
        out.queue = queue;
      } else throw new ConfigError(`${at}.queue must be true or an object`);
    }
    return out;
  });
}

/**
 * Reads a JSON config file's content into a partial {@link SandboxConfig}.
 * @throws ConfigError naming what is wrong
 */
export function parseConfigJson(text: string, where: string): SandboxConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`${where}: not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  if (!isRecord(raw)) throw new ConfigError(`${where}: must contain a JSON object`);
  const out: SandboxConfig = {};
  if (raw['topics'] !== undefined) out.topics = validateTopics(raw['topics'], where);
  if (raw['txlog'] !== undefined) {
    const t = raw['txlog'];
    if (!Array.isArray(t) || !t.every((p) => typeof p === 'string')) {
      throw new ConfigError(`${where}: "txlog" must be an array of topic regular expressions`);
    }
    out.txlogPatterns = t as string[];
  }
  if (raw['users'] !== undefined) out.users = parseUsers(raw['users'], where);
  for (const key of ['port', 'wsPort', 'adminPort'] as const) {
    const v = raw[key];
    if (v === undefined) continue;
    if (!Number.isInteger(v) || (v as number) < 0 || (v as number) > 65535) {
      throw new ConfigError(`${where}: "${key}" must be a port number 0..65535`);
    }
    out[key] = v as number;
  }
  if (raw['host'] !== undefined) {
    if (typeof raw['host'] !== 'string') throw new ConfigError(`${where}: "host" must be a string`);
    out.host = raw['host'];
  }
  if (raw['journal'] !== undefined) {
    if (typeof raw['journal'] !== 'string')
      throw new ConfigError(`${where}: "journal" must be a directory path`);
    out.journalDir = raw['journal'];
  }
  return out;
}

/**
 * Users file: `{"alice":"secret"}` or `{"users":{"alice":"secret"}}`.
 * @throws ConfigError naming the bad entry
 */
export function parseUsers(raw: unknown, where: string): Record<string, string> {
  const map = isRecord(raw) && isRecord(raw['users']) ? raw['users'] : raw;
  if (!isRecord(map)) throw new ConfigError(`${where}: users must be an object of user → password`);
  const out: Record<string, string> = {};
  for (const [user, pw] of Object.entries(map)) {
    if (typeof pw !== 'string')
      throw new ConfigError(`${where}: password of user "${user}" must be a string`);
    out[user] = pw;
  }
  return out;
}
