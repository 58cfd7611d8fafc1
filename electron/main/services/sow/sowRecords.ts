/**
 * The records of one SOW view, keyed by SowKey, as main holds them: the current text of each
 * record (deltas merged in) and the headers the row detail shows. Bounded in count and in
 * characters, so a runaway query ends with a clear error instead of exhausting main.
 */
import type { SowRecordDetail } from '../../../../common/src/dto/sow.js';

/** Headers kept beside a record. */
export interface RecordHeaders {
  topic: string;
  bookmark?: string;
  timestamp?: string;
  correlationId?: string;
}

interface Held extends RecordHeaders {
  data: string;
}

/** What a view may hold at most. */
export interface RecordLimits {
  maxRecords: number;
  /** Characters of record text over all records. */
  maxChars: number;
}

/** Default limits: 2 M records, 1 G characters. */
export const DEFAULT_RECORD_LIMITS: RecordLimits = { maxRecords: 2_000_000, maxChars: 1_000_000_000 };

/** Thrown when a view would hold more than its limits allow. */
export class RecordLimitError extends Error {
  readonly code = 'sow-limit';
  constructor(message: string) {
    super(message);
    this.name = 'RecordLimitError';
  }
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Merges a delta into a record (AMPS delta semantics for JSON: the fields the delta carries
 * replace those of the record, nested objects merged field by field). Returns the merged
 * object; `changed` receives each flattened path (`/customer/name`) the delta carried.
 */
export function mergeDelta(base: JsonObject, delta: JsonObject, changed: string[], prefix = ''): JsonObject {
  for (const [name, value] of Object.entries(delta)) {
    if (name === '__proto__') continue;
    const path = `${prefix}/${name}`;
    const current = base[name];
    if (isObject(value) && isObject(current)) {
      base[name] = mergeDelta(current, value, changed, path);
    } else {
      base[name] = value;
      collectPaths(value, path, changed);
    }
  }
  return base;
}

/** Every leaf path of a value (`/a/b`), or the path itself for a leaf. */
function collectPaths(value: Json, path: string, out: string[]): void {
  if (isObject(value)) {
    const names = Object.keys(value);
    if (names.length === 0) out.push(path);
    for (const name of names) collectPaths(value[name] as Json, `${path}/${name}`, out);
  } else {
    out.push(path);
  }
}

const parseObject = (text: string): JsonObject | undefined => {
  try {
    const v: unknown = JSON.parse(text);
    return isObject(v) ? (v as JsonObject) : undefined;
  } catch {
    return undefined;
  }
};

/** The keyed records of one view. */
export class SowRecords {
  readonly #map = new Map<string, Held>();
  readonly #limits: RecordLimits;
  #chars = 0;

  constructor(limits: RecordLimits = DEFAULT_RECORD_LIMITS) {
    this.#limits = limits;
  }

  get size(): number {
    return this.#map.size;
  }

  /** Characters of record text held. */
  get chars(): number {
    return this.#chars;
  }

  has(key: string): boolean {
    return this.#map.has(key);
  }

  /** The current text of a record. */
  data(key: string): string | undefined {
    return this.#map.get(key)?.data;
  }

  /**
   * Stores the whole record (a sow record or a publish).
   * @throws RecordLimitError past the view's limits
   */
  put(key: string, data: string, headers: RecordHeaders): void {
    const old = this.#map.get(key);
    const chars = this.#chars - (old?.data.length ?? 0) + data.length;
    if (old === undefined && this.#map.size >= this.#limits.maxRecords) {
      throw new RecordLimitError(
        `the view holds its limit of ${this.#limits.maxRecords} records; narrow the filter or use top_n`,
      );
    }
    if (chars > this.#limits.maxChars) {
      throw new RecordLimitError(
        `the view holds its limit of ${this.#limits.maxChars} characters of records; narrow the filter, select fewer fields or use top_n`,
      );
    }
    this.#chars = chars;
    this.#map.set(key, { ...headers, data });
  }

  /**
   * Merges a delta publish into the record it changes and returns the changed field paths;
   * a delta for an unknown key, or one that is not a JSON object, replaces the record whole
   * (and returns undefined: everything changed).
   */
  merge(key: string, delta: string, headers: RecordHeaders): string[] | undefined {
    const old = this.#map.get(key);
    const patch = old === undefined ? undefined : parseObject(delta);
    const base = old === undefined || patch === undefined ? undefined : parseObject(old.data);
    if (base === undefined || patch === undefined) {
      this.put(key, delta, headers);
      return undefined;
    }
    const changed: string[] = [];
    const merged = JSON.stringify(mergeDelta(base, patch, changed));
    this.put(key, merged, headers);
    return changed;
  }

  delete(key: string): boolean {
    const old = this.#map.get(key);
    if (old === undefined) return false;
    this.#chars -= old.data.length;
    return this.#map.delete(key);
  }

  clear(): void {
    this.#map.clear();
    this.#chars = 0;
  }

  /** A record with its headers, for the row detail. */
  detail(key: string): SowRecordDetail | null {
    const held = this.#map.get(key);
    if (held === undefined) return null;
    const out: SowRecordDetail = { key, data: held.data, topic: held.topic };
    if (held.bookmark !== undefined) out.bookmark = held.bookmark;
    if (held.timestamp !== undefined) out.timestamp = held.timestamp;
    if (held.correlationId !== undefined) out.correlationId = held.correlationId;
    return out;
  }

  /** Every key and record text, in arrival order (for exports). */
  *entries(): IterableIterator<[string, string]> {
    for (const [key, held] of this.#map) yield [key, held.data];
  }
}
