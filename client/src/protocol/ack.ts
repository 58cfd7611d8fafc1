/**
 * Acknowledgement vocabulary (spec §5): the ack types a command may request, the status an
 * ack carries, and helpers to read and write the comma-separated `a` header.
 */
import { UsageError } from '../errors.js';

/** Every ack type AMPS knows (spec §3.2, §5.1). `parsed` is reserved; `none` requests nothing. */
export const ACK_TYPES = ['received', 'parsed', 'processed', 'persisted', 'completed', 'stats'] as const;

/** One ack type. */
export type AckType = (typeof ACK_TYPES)[number];

/** The `status` of an ack message (spec §5.3). */
export type AckStatus = 'success' | 'failure' | 'retry';

const KNOWN: ReadonlySet<string> = new Set(ACK_TYPES);

/** True when `text` names an ack type. */
export function isAckType(text: string): text is AckType {
  return KNOWN.has(text);
}

/**
 * Parses an `a` header value (`"processed,completed"`) into a set. `none` and empty items
 * are ignored.
 * @throws UsageError naming the offending item when it is not an ack type
 */
export function parseAckTypes(value: string | undefined): Set<AckType> {
  const out = new Set<AckType>();
  if (value === undefined) return out;
  for (const raw of value.split(',')) {
    const item = raw.trim();
    if (item === '' || item === 'none') continue;
    if (!isAckType(item)) {
      throw new UsageError(
        `unknown ack type "${item}" in "${value}" (expected one of ${ACK_TYPES.join(', ')})`,
        {
          code: 'invalid ack type',
        },
      );
    }
    out.add(item);
  }
  return out;
}

/** Formats ack types in the canonical order of {@link ACK_TYPES}; undefined when empty. */
export function formatAckTypes(types: Iterable<AckType>): string | undefined {
  const set = new Set(types);
  const list = ACK_TYPES.filter((t) => set.has(t));
  return list.length === 0 ? undefined : list.join(',');
}
