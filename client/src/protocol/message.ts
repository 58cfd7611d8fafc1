/**
 * A message received from AMPS (the seed's `Message`): every header of spec §3 as a getter
 * over the decoded {@link HeaderFields}, and the payload as a Buffer that is decoded to text
 * only when asked.
 */
import type { AckStatus, AckType } from './ack.js';
import type { FieldName, HeaderFields } from './fields.js';

/** Acknowledges a queue message: called by {@link Message.ack}. */
export type QueueAcker = (topic: string, bookmark: string, options?: string) => void;

const EMPTY = Buffer.alloc(0);

function toInt(text: string | undefined): number | undefined {
  if (text === undefined || !/^-?\d+$/.test(text)) return undefined;
  return Number(text);
}

/**
 * One message from the server: a delivery (`p`), a SOW record (`sow`, one Message per
 * record of a batch), an `oof`, an `ack`, a `group_begin`/`group_end` or a `heartbeat`.
 * Header values are kept as text (sequence numbers and bookmarks exceed 2^53).
 */
export class Message {
  private cachedText: string | undefined;
  /** The frame (or payload) the payload bytes live in, and where they start in it. */
  private bytes: Buffer;
  private payloadStart = 0;
  private cachedData: Buffer | undefined;
  readonly fields: Readonly<HeaderFields>;
  readonly unknown: Readonly<Record<string, string>> | undefined;
  private readonly acker: QueueAcker | undefined;

  /**
   * @param fields decoded header fields
   * @param payload payload bytes (may share memory with the inbound frame)
   * @param acker set by the client for queue acknowledgement
   * @param unknown header keys outside the AMPS table, kept for display
   */
  constructor(
    fields: Readonly<HeaderFields>,
    payload: Buffer = EMPTY,
    acker?: QueueAcker,
    unknown?: Readonly<Record<string, string>>,
  ) {
    this.fields = fields;
    this.bytes = payload;
    this.cachedData = payload;
    this.acker = acker;
    this.unknown = unknown;
  }

  /**
   * A message whose payload is the part of `frame` from `payloadStart` on. The payload Buffer
   * is only created when {@link data} is read; {@link text} and {@link size} read the frame.
   */
  static fromFrame(
    fields: Readonly<HeaderFields>,
    frame: Buffer,
    payloadStart: number,
    acker?: QueueAcker,
    unknown?: Readonly<Record<string, string>>,
  ): Message {
    const m = new Message(fields, frame, acker, unknown);
    if (payloadStart > 0) {
      m.payloadStart = payloadStart;
      m.cachedData = undefined;
    }
    return m;
  }

  /** A header by logical name. */
  header(name: FieldName): string | undefined {
    return this.fields[name];
  }

  /** The payload bytes. */
  get data(): Buffer {
    this.cachedData ??= this.bytes.subarray(this.payloadStart);
    return this.cachedData;
  }
  /** The payload decoded as UTF-8 (decoded once, on first access). */
  get text(): string {
    this.cachedText ??= this.bytes.toString('utf8', this.payloadStart);
    return this.cachedText;
  }
  /** The payload parsed as JSON. @throws SyntaxError when it is not JSON */
  json<T = unknown>(): T {
    return JSON.parse(this.text) as T;
  }
  /** Payload size in bytes. */
  get size(): number {
    return this.bytes.length - this.payloadStart;
  }

  /** `c`: `publish`, `sow`, `oof`, `ack`, `group_begin`, `group_end`, `heartbeat`, ... (`p` reads as `publish`). */
  get command(): string | undefined {
    return this.fields.command;
  }
  /** `t`. */
  get topic(): string | undefined {
    return this.fields.topic;
  }
  /** `cid`. */
  get commandId(): string | undefined {
    return this.fields.commandId;
  }
  /** `client_name`. */
  get clientName(): string | undefined {
    return this.fields.clientName;
  }
  /** `user_id`. */
  get userId(): string | undefined {
    return this.fields.userId;
  }
  /** `pw` (retry acks carry the server's challenge here). */
  get password(): string | undefined {
    return this.fields.password;
  }
  /** `ts`: transmission time, ISO-8601 basic with microseconds. */
  get timestamp(): string | undefined {
    return this.fields.timestamp;
  }
  /** `filter`. */
  get filter(): string | undefined {
    return this.fields.filter;
  }
  /** `mt`. */
  get messageType(): string | undefined {
    return this.fields.messageType;
  }
  /** `a`: on an ack, its single type. */
  get ackType(): AckType | undefined {
    return this.fields.ackType as AckType | undefined;
  }
  /** `sub_id`. */
  get subId(): string | undefined {
    return this.fields.subId;
  }
  /** `sids`: subscription ids of a delivery, as a list. */
  get subIds(): string[] {
    const s = this.fields.subIds;
    return s === undefined || s === '' ? [] : s.split(',');
  }
  /** `version` (server version on a logon ack). */
  get version(): string | undefined {
    return this.fields.version;
  }
  /** `e`: expiration seconds. */
  get expiration(): number | undefined {
    return toInt(this.fields.expiration);
  }
  /** `heartbeat` (legacy). */
  get heartbeat(): string | undefined {
    return this.fields.heartbeat;
  }
  /** `time_interval` (legacy heartbeat interval). */
  get timeoutInterval(): number | undefined {
    return toInt(this.fields.timeoutInterval);
  }
  /** `lp`: lease expiry of a queue message; its presence marks a queue message. */
  get leasePeriod(): string | undefined {
    return this.fields.leasePeriod;
  }
  /** True for queue deliveries (they carry `lp`, spec §5.4). */
  get isQueueMessage(): boolean {
    return this.fields.leasePeriod !== undefined;
  }
  /** `status` of an ack. */
  get status(): AckStatus | undefined {
    return this.fields.status as AckStatus | undefined;
  }
  /** `reason` of a failed ack or an oof. */
  get reason(): string | undefined {
    return this.fields.reason;
  }
  /** `query_id`. */
  get queryId(): string | undefined {
    return this.fields.queryId;
  }
  /** `bs`/`batch_size`: records in a `sow` batch frame. */
  get batchSize(): number | undefined {
    return toInt(this.fields.batchSize);
  }
  /** `top_n`. */
  get topN(): number | undefined {
    return toInt(this.fields.topN);
  }
  /** `orderby`. */
  get orderBy(): string | undefined {
    return this.fields.orderBy;
  }
  /** `sow_keys`. */
  get sowKeys(): string | undefined {
    return this.fields.sowKeys;
  }
  /** `x`: correlation id. */
  get correlationId(): string | undefined {
    return this.fields.correlationId;
  }
  /** `s`: sequence number, as decimal text (exceeds 2^53). */
  get sequence(): string | undefined {
    return this.fields.sequence;
  }
  /** `bm`: bookmark. */
  get bookmark(): string | undefined {
    return this.fields.bookmark;
  }
  /** `o`/`opts`: options (queue subscribe acks carry `max_backlog=n`). */
  get options(): string | undefined {
    return this.fields.options;
  }
  /** `records_inserted`. */
  get recordsInserted(): number | undefined {
    return toInt(this.fields.recordsInserted);
  }
  /** `records_updated`. */
  get recordsUpdated(): number | undefined {
    return toInt(this.fields.recordsUpdated);
  }
  /** `records_deleted`. */
  get recordsDeleted(): number | undefined {
    return toInt(this.fields.recordsDeleted);
  }
  /** `records_returned`. */
  get recordsReturned(): number | undefined {
    return toInt(this.fields.recordsReturned);
  }
  /** `topic_matches`. */
  get topicMatches(): number | undefined {
    return toInt(this.fields.topicMatches);
  }
  /** `matches`. */
  get matches(): number | undefined {
    return toInt(this.fields.matches);
  }
  /** `l`: message length as the server stated it (informational except in SOW records). */
  get length(): number | undefined {
    return toInt(this.fields.length);
  }
  /** `k`: SOW key. */
  get sowKey(): string | undefined {
    return this.fields.sowKey;
  }
  /** `gseq`: group sequence number (legacy). */
  get groupSequence(): string | undefined {
    return this.fields.groupSequence;
  }
  /** `skip_n`. */
  get skipN(): number | undefined {
    return toInt(this.fields.skipN);
  }

  /**
   * Acknowledges this queue message (spec §11.2). Only messages carrying `lp` and `bm` are
   * acknowledged; for any other message this does nothing and returns false.
   * @param options e.g. `cancel` (return to the queue) or `expire`
   */
  ack(options?: string): boolean {
    const { topic, bookmark, leasePeriod } = this.fields;
    if (leasePeriod === undefined || bookmark === undefined || topic === undefined || !this.acker)
      return false;
    this.acker(topic, bookmark, options);
    return true;
  }

  /** Short description for logs: command, topic and ids. */
  toString(): string {
    const parts = Object.entries(this.fields).map(([k, v]) => `${k}=${v}`);
    return `Message(${parts.join(' ')}${this.size ? `, ${this.size} bytes` : ''})`;
  }
}
