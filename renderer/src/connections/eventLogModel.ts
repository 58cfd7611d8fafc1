/**
 * The event log's lines: a connection's state changes, oldest first and bounded, with a run of
 * identical consecutive lines (an HA client reports "connecting…" once per attempt step)
 * folded into one that counts them.
 */
import type { ConnectionState } from '../../../common/src/dto/connections.js';

/** One line of a connection's event log. */
export interface ConnectionEvent {
  /** ms since the epoch (main's clock): when the line first came. */
  at: number;
  state: ConnectionState;
  /** What happened, for the user ("logged on to server 2"). */
  text: string;
  /** The error's message, when the change carried one. */
  error?: string;
  /** How many times the same line came in a row, when more than once. */
  repeats?: number;
  /** When the last of the repeats came. */
  lastAt?: number;
}

/** Events kept per connection. */
export const MAX_EVENTS = 200;

/** Same line for the user: the same state told in the same words (an error not in the words may differ). */
const same = (a: ConnectionEvent, b: ConnectionEvent): boolean => a.state === b.state && a.text === b.text;

/** The log with `next` added: folded into the last line when it says the same, else appended. */
export function appendEvent(events: readonly ConnectionEvent[], next: ConnectionEvent): ConnectionEvent[] {
  const last = events.at(-1);
  if (last !== undefined && same(last, next)) {
    const folded: ConnectionEvent = { ...last, repeats: (last.repeats ?? 1) + 1, lastAt: next.at };
    if (next.error !== undefined) folded.error = next.error;
    return [...events.slice(0, -1), folded];
  }
  return [...events, next].slice(-MAX_EVENTS);
}
