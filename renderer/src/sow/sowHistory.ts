/**
 * A record's history for the row detail, apart from the DOM: the filter that selects the
 * record by its key fields, and each version with its time and what changed from the one
 * before (fields flattened to paths, as the grid shows them).
 */
import type { SowRecordVersion } from '../../../common/src/dto/sow.js';
import { keyFilter } from '../publish/deltaMerge.js';
import { diffFields } from '../lib/structuralDiff.js';
import type { FieldChange } from '../lib/structuralDiff.js';
import { parseRecord } from './sowColumns.js';

export { diffFields };
export type { FieldChange };

/** A version with its readable time and its changes. */
export interface HistoryEntry {
  /** 1 for the oldest. */
  number: number;
  data: string;
  bookmark?: string;
  /** ISO time of the publish, when the server stamped it. */
  time?: string;
  /** Every field for the first version shown, then what differs from the one before. */
  changes: FieldChange[];
}

/** `20260101T120000.123456Z` (AMPS) → `2026-01-01T12:00:00.123Z`; other text as given. */
export function ampsTimeToIso(timestamp: string): string {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(?:\.(\d{1,6}))?Z?$/.exec(timestamp);
  if (m === null) return timestamp;
  const ms = (m[7] ?? '').padEnd(3, '0').slice(0, 3);
  return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.${ms}Z`;
}

/**
 * The filter selecting `data`'s record on a topic keyed by `keyFields`, or why there is none.
 */
export function historyFilter(
  keyFields: readonly string[],
  data: string,
): { filter: string } | { problem: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return { problem: 'the record is not JSON, so its key fields cannot be read' };
  }
  return keyFilter(keyFields, parsed);
}

/** The versions (oldest first) with their numbers, times and diffs. */
export function historyEntries(versions: readonly SowRecordVersion[], firstNumber = 1): HistoryEntry[] {
  let previous: Record<string, unknown> = {};
  return versions.map((v, i) => {
    const fields = parseRecord(v.data);
    const entry: HistoryEntry = { number: firstNumber + i, data: v.data, changes: diffFields(previous, fields) };
    if (v.bookmark !== undefined) entry.bookmark = v.bookmark;
    if (v.timestamp !== undefined) entry.time = ampsTimeToIso(v.timestamp);
    previous = fields;
    return entry;
  });
}
