/**
 * The shared state of a sandbox: topics, SOW stores, transaction log, queues, every
 * session and subscription; publish with SOW upsert and delta merge, record removal and
 * housekeeping. Fan-out to subscriptions is in `brokerFanout.ts`, the request, result and
 * counter shapes in `brokerTypes.ts`.
 */
import type { SandboxConfig } from './config.js';
import { DEFAULTS } from './config.js';
import { mergeDelta } from './delta.js';
import { fnv1a64 } from './hash.js';
import { codecFor, MessageParseError } from './messageTypes.js';
import { fanout, fanoutRemoved } from './brokerFanout.js';
import type { BrokerCounters, PublishRequest, PublishResult } from './brokerTypes.js';
import type { JournalRecord, JournalSink } from './journal.js';
import type { SandboxLogger } from './logger.js';
import { silentLogger } from './logger.js';
import type { Session, SessionHost } from './session.js';
import type { SowRecord } from './sowStore.js';
import { SowKeyError } from './sowStore.js';
import type { Subscription } from './subscription.js';
import { SubscriptionIndex } from './subscription.js';
import { MicroClock } from './timestamp.js';
import type { TopicInfo } from './topics.js';
import { TopicRegistry } from './topics.js';
import { TransactionLog } from './txlog.js';

export type { BrokerCounters, PublishRequest, PublishResult } from './brokerTypes.js';

/** Shared server state. */
export class Broker implements SessionHost {
  readonly topics: TopicRegistry;
  readonly txlog = new TransactionLog();
  readonly subs = new SubscriptionIndex();
  readonly sessions = new Set<Session>();
  readonly names = new Map<string, Session>();
  /** Highest sequence number seen per client name (spec §12.6). */
  readonly sequences = new Map<string, bigint>();
  /** Bookmark of the last transaction-logged publish per client name (logon ack `bm`, spec §6.3). */
  readonly lastBookmarks = new Map<string, string>();
  readonly clock = new MicroClock();
  readonly logger: SandboxLogger;
  readonly version: string;
  readonly maxOutboundBytes: number;
  readonly users: Record<string, string> | undefined;
  readonly implicitLogon: boolean;
  readonly lenientUnknownCommands: boolean;
  readonly clientNamePolicy: 'takeover' | 'refuse';
  readonly logonChallenge: string | undefined;
  /** Default persisted-ack conflation interval of a connection, ms. */
  readonly ackConflationMs: number;
  readonly counters: BrokerCounters = {
    connections: 0,
    published: 0,
    delivered: 0,
    sowQueries: 0,
    deletes: 0,
  };
  /** Server-assigned bookmark sequence (messages published without `s`). */
  private serverSequence = 0;
  journal: JournalSink | undefined;

  constructor(config: SandboxConfig) {
    this.logger = config.logger ?? silentLogger;
    this.topics = new TopicRegistry(config.topics ?? [], config.txlogPatterns ?? []);
    this.version = config.version ?? DEFAULTS.version;
    this.maxOutboundBytes = config.maxOutboundBytes ?? DEFAULTS.maxOutboundBytes;
    this.users = config.users;
    this.implicitLogon = config.implicitLogon ?? false;
    this.lenientUnknownCommands = config.lenientUnknownCommands ?? false;
    this.clientNamePolicy = config.clientNamePolicy ?? 'takeover';
    this.logonChallenge = config.logonChallenge;
    this.ackConflationMs = config.ackConflationMs ?? 0;
    for (const info of this.topics.all()) {
      const name = info.name;
      if (!info.queue) continue;
      info.queue.onRemoved = (bm) =>
        this.journal?.append({ kind: 'qack', topic: name, key: bm, ts: this.clock.next() });
      const deadLetter = info.deadLetterTopic;
      if (deadLetter !== undefined) {
        info.queue.onExpired = (e) => {
          const result = this.publish({
            topic: deadLetter,
            payload: e.data,
            delta: false,
            explicitKey: e.key,
          });
          if (!result.ok) this.log('warn', `dead-letter publish to ${deadLetter} failed: ${result.message}`);
        };
      }
    }
  }

  log(level: 'info' | 'warn' | 'error', message: string): void {
    this.logger[level](message);
  }

  addSession(session: Session): void {
    this.sessions.add(session);
    this.counters.connections++;
  }

  sessionClosed(session: Session, _reason: string): void {
    this.sessions.delete(session);
    if (session.clientName !== undefined && this.names.get(session.clientName) === session) {
      this.names.delete(session.clientName);
    }
    for (const sub of [...session.subs.values()]) this.removeSubscription(sub);
  }

  addSubscription(sub: Subscription): void {
    sub.session.subs.set(sub.subId, sub);
    this.subs.add(sub);
    if (sub.queue) this.topics.get(sub.topic).queue?.addSubscriber(sub);
  }

  removeSubscription(sub: Subscription): void {
    if (sub.session.subs.get(sub.subId) === sub) sub.session.subs.delete(sub.subId);
    this.subs.remove(sub);
    if (sub.queue) this.topics.peek(sub.topic)?.queue?.removeSubscriber(sub);
  }

  /** Highest sequence seen from a client name (0 when none). */
  lastSequence(clientName: string): bigint {
    return this.sequences.get(clientName) ?? 0n;
  }

  /** Executes a publish / delta_publish (spec §4.4, §4.5, §9.1). */
  publish(req: PublishRequest): PublishResult {
    const info = this.topics.get(req.topic, req.messageType);
    const codec = codecFor(info.messageType);
    let data = req.payload;
    let json: unknown;
    let parsed = false;
    let parseError: MessageParseError | undefined;
    // An object method, not an arrow bound to a name: tsx/esbuild keep-names would otherwise
    // redefine `name` on this closure at every publish (measured ~25% of fan-out throughput).
    const getJson = {
      parse(): unknown {
        if (!parsed) {
          parsed = true;
          json = undefined;
          parseError = undefined;
          try {
            if (codec.parsable) json = codec.parse(data);
          } catch (e) {
            if (!(e instanceof MessageParseError)) throw e;
            parseError = e;
          }
        }
        return json;
      },
    }.parse;
    const timestampMicros = this.clock.next();
    let old: SowRecord | undefined;
    let key: string | undefined;
    let correlationId = req.correlationId;
    if (info.sow) {
      try {
        key = info.sow.keyOf(info.sow.keyPaths.length > 0 ? getJson() : undefined, req.explicitKey);
      } catch (e) {
        if (!(e instanceof SowKeyError)) throw e;
        const message = parseError ? `topic ${req.topic}: ${parseError.message}` : e.message;
        return { ok: false, reason: e.reason, message };
      }
      old = info.sow.get(key);
      if (req.delta && old && codec.name === 'json') {
        if (old.json !== undefined && getJson() !== undefined) {
          json = mergeDelta(old.json, json);
          data = Buffer.from(JSON.stringify(json), 'utf8');
        }
      } else if (req.delta && old && codec.merge) {
        try {
          data = codec.merge(old.data, data);
        } catch (e) {
          if (!(e instanceof MessageParseError)) throw e;
          return { ok: false, reason: 'parse error', message: `delta publish to ${req.topic}: ${e.message}` };
        }
        parsed = false;
      }
      if (req.delta && correlationId === undefined) correlationId = old?.correlationId;
    } else if (req.explicitKey !== undefined) {
      key = req.explicitKey;
    }
    if (req.sequence !== undefined && req.publisherName !== undefined) {
      this.sequences.set(req.publisherName, req.sequence);
    }
    let bookmark: string | undefined;
    if (info.txlog || info.queue) bookmark = this.nextBookmark(req);
    if (bookmark !== undefined && req.publisherName !== undefined)
      this.lastBookmarks.set(req.publisherName, bookmark);
    const expirationSec = req.expirationSec ?? info.expiration;
    const record: SowRecord = { topic: req.topic, key: key ?? '', data, json: undefined, timestampMicros };
    if (correlationId !== undefined) record.correlationId = correlationId;
    if (bookmark !== undefined) record.bookmark = bookmark;
    if (expirationSec !== undefined && expirationSec > 0)
      record.expiresAt = Math.floor(timestampMicros / 1000) + expirationSec * 1000;
    if (info.sow) {
      record.json = getJson();
      info.sow.put(record);
    }
    info.published++;
    this.counters.published++;
    if (info.txlog && bookmark !== undefined) {
      this.txlog.append({
        bookmark,
        topic: req.topic,
        kind: 'publish',
        data,
        key,
        correlationId,
        timestampMicros,
      });
    }
    this.journal?.append(this.journalRecord('publish', record, req));
    if (info.queue && bookmark !== undefined) {
      info.queue.enqueue({
        bookmark,
        topic: req.topic,
        data,
        json: getJson(),
        key,
        correlationId,
        timestampMicros,
        leaseExpiry: 0,
        deliveries: 0,
        ...(record.expiresAt !== undefined ? { expiresAt: record.expiresAt } : {}),
      });
    }
    fanout(this, info, old, record, getJson);
    return bookmark === undefined ? { ok: true } : { ok: true, bookmark };
  }

  private journalRecord(kind: 'publish' | 'delete', r: SowRecord, req?: PublishRequest): JournalRecord {
    const out: JournalRecord = { kind, topic: r.topic, key: r.key, ts: r.timestampMicros };
    if (kind === 'publish') out.data = r.data.toString('base64');
    if (r.bookmark !== undefined) out.bm = r.bookmark;
    if (r.correlationId !== undefined) out.x = r.correlationId;
    if (r.expiresAt !== undefined) out.exp = r.expiresAt;
    if (req?.sequence !== undefined && req.publisherName !== undefined) {
      out.client = req.publisherName;
      out.s = req.sequence.toString();
    }
    return out;
  }

  private nextBookmark(req: PublishRequest): string {
    if (req.sequence !== undefined && req.publisherName !== undefined) {
      return `${fnv1a64(req.publisherName)}|${req.sequence}|`;
    }
    this.serverSequence++;
    return `${fnv1a64(`${req.publisherName ?? ''}\u0000sandbox`)}|${this.serverSequence}|`;
  }

  /** Raises the server bookmark counter (journal recovery). */
  noteServerSequence(seq: number): void {
    if (seq > this.serverSequence) this.serverSequence = seq;
  }

  /**
   * Removes SOW records (sow_delete, expiration) and sends `oof` with the previous state to
   * subscriptions with `oof` that matched them (spec §9.3).
   */
  removeRecords(info: TopicInfo, records: readonly SowRecord[], reason: 'deleted' | 'expired'): void {
    if (!info.sow || records.length === 0) return;
    for (const r of records) {
      info.sow.delete(r.key);
      this.counters.deletes++;
      this.journal?.append(this.journalRecord('delete', r));
      if (info.txlog) {
        this.txlog.append({
          bookmark: this.nextBookmark({ topic: info.name, payload: r.data, delta: false }),
          topic: info.name,
          kind: 'delete',
          data: r.data,
          key: r.key,
          timestampMicros: this.clock.next(),
        });
      }
    }
    fanoutRemoved(this, info, info.sow, records, reason);
  }

  /** Housekeeping: record expiration, queue leases. */
  sweep(now: number): void {
    for (const info of this.topics.all()) {
      if (info.sow && info.sow.expiring > 0) {
        const gone: SowRecord[] = [];
        for (const r of info.sow.records.values())
          if (r.expiresAt !== undefined && r.expiresAt <= now) gone.push(r);
        this.removeRecords(info, gone, 'expired');
      }
      info.queue?.expireLeases(now);
    }
  }
}
