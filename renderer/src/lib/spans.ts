/** Text cut around a problem so the offending part can be marked. */
export interface MarkedText {
  before: string;
  /** The offending characters; empty when something is missing at that position. */
  marked: string;
  after: string;
  /** True when `marked` is empty (the caret shows where something is missing). */
  missing: boolean;
}

/**
 * Splits `text` at a problem span `[position, position + length)`, clamped to the text, so a
 * component can underline the offending part (or show a caret where something is missing).
 */
export function markSpan(text: string, position: number, length: number): MarkedText {
  const start = Math.min(Math.max(0, Math.trunc(position)), text.length);
  const end = Math.min(text.length, start + Math.max(0, Math.trunc(length)));
  return {
    before: text.slice(0, start),
    marked: text.slice(start, end),
    after: text.slice(end),
    missing: end === start,
  };
}
