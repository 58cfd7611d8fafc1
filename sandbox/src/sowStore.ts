/** The State of the World of one SOW topic: the latest record per SOW key (spec §7.4). */
import { valueAt } from './delta.js';
import { fnv1a64 } from './hash.js';

/** One stored record. */
export interface SowRecord {
  topic: string;
  /** SOW key: decimal 64-bit hash of the key fields, or the publisher-supplied `k`. */
  key: string;
  data: Buffer;
  /** Payload as a plain document per the topic's message type; undefined when it does not parse (or is binary). */
  json: unknown;
  correlationId?: string;
  /** Bookmark of the transaction-log entry that wrote it (transaction-logged topics). */
  bookmark?: string;
  /** Processing time, epoch microseconds. */
  timestampMicros: number;
  /** Expiry instant, epoch ms. */
  expiresAt?: number;
}

/** Thrown when no SOW key can be derived; `reason` is the AMPS reason text. */
export class SowKeyError extends Error {
  override readonly name = 'SowKeyError';
  readonly reason = 'bad sow key';
}

/** Records of one topic, in insertion order. */
export class SowStore {
  readonly records = new Map<string, SowRecord>();
  /** Records carrying an expiry (lets the expiration sweep skip stores without any). */
  expiring = 0;
  /** Grows with every put and delete (sorted indexes of the store are kept while it stands). */
  version = 0;

  constructor(
    readonly topic: string,
    /** Key field paths; empty = explicit keys from the publisher's `k`. */
    readonly keyPaths: readonly string[],
  ) {}

  /**
   * Computes the SOW key of a message.
   * @throws SowKeyError naming the missing key field
   */
  keyOf(json: unknown, explicitKey: string | undefined): string {
    if (this.keyPaths.length === 0) {
      if (explicitKey === undefined || explicitKey === '') {
        throw new SowKeyError(`topic ${this.topic} uses explicit SOW keys: the publish needs "k"`);
      }
      return explicitKey;
    }
    let text = '';
    for (const path of this.keyPaths) {
      const v = valueAt(json, path);
      if (v === undefined || v === null || typeof v === 'object') {
        throw new SowKeyError(`message for topic ${this.topic} has no value for key field ${path}`);
      }
      text += (text === '' ? '' : '\u0001') + String(v);
    }
    return fnv1a64(text);
  }

  get(key: string): SowRecord | undefined {
    return this.records.get(key);
  }

  /** Inserts or replaces a record (an update keeps the record's original position). */
  put(record: SowRecord): SowRecord | undefined {
    const old = this.records.get(record.key);
    if (old?.expiresAt !== undefined) this.expiring--;
    if (record.expiresAt !== undefined) this.expiring++;
    this.records.set(record.key, record);
    this.version++;
    return old;
  }

  delete(key: string): SowRecord | undefined {
    const old = this.records.get(key);
    if (!old) return undefined;
    if (old.expiresAt !== undefined) this.expiring--;
    this.records.delete(key);
    this.version++;
    return old;
  }

  get size(): number {
    return this.records.size;
  }
}
