/**
 * "As of" of a SOW query: the current state, the state at a bookmark, or the state at a date
 * and time (the `sow` command's `bookmark` header; topics that keep history). Pure: the form's
 * choice becomes the bookmark sent, or a problem naming what is wrong.
 */
import { toAmpsTimestamp } from '../replay/replaySpec.js';

/** Which state a query reads. */
export const AS_OF_KINDS = ['current', 'bookmark', 'time'] as const;
export type AsOfKind = (typeof AS_OF_KINDS)[number];

/** The as-of part of the form. */
export interface AsOfChoice {
  asOf: AsOfKind;
  /** `publisher|sequence|`. */
  asOfBookmark: string;
  /** A `datetime-local` value. */
  asOfTime: string;
  /** How `asOfTime` is read. */
  asOfZone: 'local' | 'utc';
}

/** A fresh choice: the current state. */
export const CURRENT_STATE: AsOfChoice = { asOf: 'current', asOfBookmark: '', asOfTime: '', asOfZone: 'local' };

const BOOKMARK = /^\d+\|\d+\|$/;

/** The bookmark header for the choice (undefined = the current state), or the problem. */
export function asOfBookmark(choice: AsOfChoice): { bookmark?: string } | { problem: string } {
  switch (choice.asOf) {
    case 'current':
      return {};
    case 'bookmark': {
      const b = choice.asOfBookmark.trim();
      if (!BOOKMARK.test(b)) return { problem: `As of: "${b}" is not a bookmark such as 12345|67|` };
      return { bookmark: b };
    }
    case 'time': {
      const ts = toAmpsTimestamp(choice.asOfTime, choice.asOfZone);
      if (ts === undefined) return { problem: 'As of: enter a date and time' };
      return { bookmark: ts };
    }
  }
}
