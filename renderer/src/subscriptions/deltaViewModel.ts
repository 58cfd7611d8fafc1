/**
 * The merged view of a delta subscription, apart from the DOM: one record per SowKey, each
 * message merged into the record held for its key (JSON delta merge: the delta's fields
 * replace or extend the record's), what the last message changed, and its raw delta. Bounded:
 * past the key budget the least recently updated record is evicted and counted. Fed with the
 * message list's snapshots, reading each message once by its index.
 */
import type { MessageDto } from '../../../common/src/dto/subscriptions.js';
import { mergeDelta } from '../publish/deltaMerge.js';
import { diffValues, jsonType } from '../lib/structuralDiff.js';
import type { FieldChange } from '../lib/structuralDiff.js';

/** Default most records (keys) the merged view holds. */
export const DEFAULT_KEY_CAPACITY = 5_000;

/** One key's merged record. */
export interface MergedRecord {
  key: string;
  topic: string;
  /** The merged record (parsed JSON), or the last payload's text when it is not JSON. */
  value: unknown;
  json: boolean;
  /** What the last message changed in the record (empty for the first one seen). */
  changes: readonly FieldChange[];
  /** The last message merged: its payload is the raw delta. */
  last: MessageDto;
  /** Messages merged into this record. */
  updates: number;
}

/** What the merged view shows. */
export interface DeltaViewSnapshot {
  /** Records, most recently updated first. */
  rows: readonly MergedRecord[];
  /** Messages merged. */
  merged: number;
  /** Records evicted (least recently updated) to stay within the key budget. */
  evicted: number;
  /** Messages this view never read between two it merged: dropped before it saw them (gaps in the message numbers). */
  missed: number;
  /** Messages without a SowKey (nothing to merge them into). */
  unkeyed: number;
  /** Records removed because their key's record left the subscription (`oof`). */
  removed: number;
  capacity: number;
}

/** The message list as the merged view reads it. */
export interface DeltaSource {
  count: number;
  newestOnTop: boolean;
  rowAt(row: number): MessageDto | undefined;
  version: number;
}

/** Commands that carry a record to merge. */
const RECORD_COMMANDS = new Set(['p', 'publish', 'sow', 'delta_publish']);

const parse = (text: string): { value: unknown } | undefined => {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return undefined;
  }
};

/** Merges a delta subscription's messages into one record per SowKey. */
export class DeltaMerger {
  readonly capacity: number;
  /** Insertion order is update order: the first entry is the least recently updated. */
  readonly #records = new Map<string, MergedRecord>();
  /** The number of the last message merged (none yet: undefined). */
  #lastIndex: number | undefined;
  #version = -1;
  #merged = 0;
  #evicted = 0;
  #missed = 0;
  #unkeyed = 0;
  #removed = 0;
  #snapshot: DeltaViewSnapshot | undefined;

  constructor(capacity = DEFAULT_KEY_CAPACITY) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`the merged view's key capacity must be a whole number >= 1, got ${capacity}`);
    this.capacity = capacity;
  }

  /** Merges one message (messages must come in their order of arrival). */
  apply(message: MessageDto): void {
    const last = this.#lastIndex;
    if (last !== undefined && message.index <= last) return;
    if (last !== undefined && message.index > last + 1) this.#missed += message.index - last - 1;
    this.#lastIndex = message.index;
    this.#snapshot = undefined;
    if (message.command === 'oof') {
      if (message.sowKey !== undefined && this.#records.delete(message.sowKey)) this.#removed++;
      return;
    }
    if (!RECORD_COMMANDS.has(message.command)) return;
    const key = message.sowKey;
    if (key === undefined) {
      this.#unkeyed++;
      return;
    }
    this.#merged++;
    const held = this.#records.get(key);
    const parsed = message.truncated ? undefined : parse(message.data);
    let next: MergedRecord;
    if (held === undefined) {
      next = {
        key,
        topic: message.topic,
        value: parsed === undefined ? message.data : parsed.value,
        json: parsed !== undefined,
        changes: [],
        last: message,
        updates: 1,
      };
    } else if (parsed !== undefined && held.json) {
      const value = mergeDelta(held.value, parsed.value);
      next = {
        ...held,
        value,
        changes: diffValues(held.value, value),
        last: message,
        updates: held.updates + 1,
      };
    } else {
      // Not JSON (or cut for display) on either side: the message replaces the record whole.
      const value = parsed === undefined ? message.data : parsed.value;
      const changes: FieldChange[] =
        held.value === value ? [] : [{ path: '/', kind: 'changed', before: held.value, after: value }];
      const change = changes[0];
      if (change !== undefined && jsonType(held.value) !== jsonType(value))
        change.types = { before: jsonType(held.value), after: jsonType(value) };
      next = {
        ...held,
        value,
        json: parsed !== undefined,
        changes,
        last: message,
        updates: held.updates + 1,
      };
    }
    this.#records.delete(key);
    this.#records.set(key, next);
    if (this.#records.size > this.capacity) {
      const oldest = this.#records.keys().next();
      if (oldest.done !== true) {
        this.#records.delete(oldest.value);
        this.#evicted++;
      }
    }
  }

  /**
   * Merges the messages `list` holds that were not merged yet (those numbered after the last
   * one merged), oldest first. An emptied list (cleared, or a new subscription), or one whose
   * newest message is numbered below the last one merged (a new subscription), starts the
   * view over.
   */
  observe(list: DeltaSource): void {
    if (list.version === this.#version) return;
    this.#version = list.version;
    if (list.count === 0) {
      if (this.#lastIndex !== undefined) this.clear();
      return;
    }
    const newest = list.rowAt(list.newestOnTop ? 0 : list.count - 1);
    if (newest === undefined) return;
    if (this.#lastIndex !== undefined && newest.index < this.#lastIndex) this.clear();
    const last = this.#lastIndex ?? 0;
    const fresh: MessageDto[] = [];
    for (let i = 0; i < list.count; i++) {
      const message = list.rowAt(list.newestOnTop ? i : list.count - 1 - i);
      if (message === undefined || message.index <= last) break;
      fresh.push(message);
    }
    for (let i = fresh.length - 1; i >= 0; i--) {
      const message = fresh[i];
      if (message !== undefined) this.apply(message);
    }
  }

  /** The record held for `key`. */
  get(key: string): MergedRecord | undefined {
    return this.#records.get(key);
  }

  /** What the view shows (the same object until something changes). */
  snapshot(): DeltaViewSnapshot {
    this.#snapshot ??= {
      rows: [...this.#records.values()].reverse(),
      merged: this.#merged,
      evicted: this.#evicted,
      missed: this.#missed,
      unkeyed: this.#unkeyed,
      removed: this.#removed,
      capacity: this.capacity,
    };
    return this.#snapshot;
  }

  /** Forgets every record and count (a new subscription, or the user cleared the view). */
  clear(): void {
    this.#records.clear();
    this.#lastIndex = undefined;
    this.#merged = 0;
    this.#evicted = 0;
    this.#missed = 0;
    this.#unkeyed = 0;
    this.#removed = 0;
    this.#snapshot = undefined;
  }
}

/** One field of a record as a row shows it: its path and value, and whether the last message changed it. */
export interface RecordPiece {
  path: string;
  text: string;
  changed: boolean;
}

/** Most fields a row shows (the detail shows them all). */
export const ROW_FIELDS = 40;

/** Whether a change at `changePath` touches the field at `path` (the field itself, inside it, or around it). */
const touches = (path: string, changePath: string): boolean =>
  path === changePath ||
  changePath === '/' ||
  path.startsWith(`${changePath}/`) ||
  changePath.startsWith(`${path}/`);

/**
 * The fields of a record (nested objects flattened to paths, arrays whole), each marked when
 * the last message changed it; at most `limit` of them.
 */
export function recordPieces(record: MergedRecord, limit = ROW_FIELDS): RecordPiece[] {
  const pieces: RecordPiece[] = [];
  const changed = (path: string): boolean => record.changes.some((c) => touches(path, c.path));
  if (
    !record.json ||
    typeof record.value !== 'object' ||
    record.value === null ||
    Array.isArray(record.value)
  ) {
    const text =
      typeof record.value === 'string' && !record.json ? record.value : JSON.stringify(record.value);
    return [{ path: '/', text: text ?? '', changed: changed('/') }];
  }
  const visit = (value: unknown, prefix: string): void => {
    for (const [name, v] of Object.entries(value as Record<string, unknown>)) {
      if (pieces.length >= limit) return;
      const path = `${prefix}/${name}`;
      if (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length > 0)
        visit(v, path);
      else pieces.push({ path, text: JSON.stringify(v) ?? String(v), changed: changed(path) });
    }
  };
  visit(record.value, '');
  return pieces;
}
