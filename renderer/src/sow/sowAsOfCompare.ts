/**
 * "Compare as of T1 with T2" of a SOW view, apart from the DOM: the two points in time (each a
 * bookmark, a date and time, or the current state) become the request main runs as two
 * historical `sow` queries; its answer becomes the list a person reads: each added, removed
 * and changed record with its field diffs (fields flattened to paths, as the grid shows them).
 */
import type { SowAsOfDiff, SowAsOfDiffRequest, SowAsOfRecordChange } from '../../../common/src/dto/sowAsOf.js';
import { asOfBookmark } from './sowAsOf.js';
import type { AsOfChoice } from './sowAsOf.js';
import { parseRecord } from './sowColumns.js';
import { diffFields } from './sowHistory.js';
import type { FieldChange } from './sowHistory.js';

/** AMPS's NOW bookmark: a historical query as of now is the current state. */
export const NOW_BOOKMARK = '0|1|';

/** The bookmark header of one point in time, or the problem (named T1 or T2). */
function pointOf(choice: AsOfChoice, name: 'T1' | 'T2'): { point: string } | { problem: string } {
  const made = asOfBookmark(choice);
  if ('problem' in made) return { problem: `${name}: ${made.problem.replace(/^As of: /, '')}` };
  return { point: made.bookmark ?? NOW_BOOKMARK };
}

/** The compare request for the view's topic and filter, or the problems that stop it. */
export function compareRequest(
  connectionId: string | undefined,
  topic: string,
  filter: string,
  from: AsOfChoice,
  to: AsOfChoice,
): { request: SowAsOfDiffRequest } | { problems: string[] } {
  const problems: string[] = [];
  if (connectionId === undefined) problems.push('The tab has no open connection.');
  if (topic.trim() === '') problems.push('Enter the topic to compare.');
  const t1 = pointOf(from, 'T1');
  const t2 = pointOf(to, 'T2');
  if ('problem' in t1) problems.push(t1.problem);
  if ('problem' in t2) problems.push(t2.problem);
  if (problems.length > 0 || 'problem' in t1 || 'problem' in t2 || connectionId === undefined) return { problems };
  if (t1.point === t2.point) return { problems: ['T1 and T2 are the same point in time: nothing can differ.'] };
  const request: SowAsOfDiffRequest = { connectionId, topic: topic.trim(), from: t1.point, to: t2.point };
  if (filter.trim() !== '') request.filter = filter.trim();
  return { request };
}

/** One differing record as the panel lists it. */
export interface CompareEntry {
  key: string;
  kind: SowAsOfRecordChange['kind'];
  /** Every field of an added or removed record; what differs for a changed one. */
  fields: FieldChange[];
}

/** The differing records with their field diffs. */
export function compareEntries(diff: SowAsOfDiff): CompareEntry[] {
  return diff.changes.map((c) => {
    const before = c.before === undefined ? {} : parseRecord(c.before);
    const after = c.after === undefined ? {} : parseRecord(c.after);
    return { key: c.key, kind: c.kind, fields: diffFields(before, after) };
  });
}

const plural = (n: number, word: string): string => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;

/** One line summing the compare up, with what the bounds left out. */
export function compareSummary(diff: SowAsOfDiff): string {
  const parts = [
    `${diff.added.toLocaleString('en-US')} added, ${diff.removed.toLocaleString('en-US')} removed, ${diff.changed.toLocaleString('en-US')} changed, ${diff.unchanged.toLocaleString('en-US')} unchanged`,
    `(${plural(diff.fromRecords, 'record')} at T1, ${plural(diff.toRecords, 'record')} at T2)`,
  ];
  let text = parts.join(' ');
  if (diff.changesTruncated) text += `; the first ${plural(diff.changes.length, 'record')} that differ are listed`;
  if (diff.recordLimit !== undefined)
    text += `; stopped at ${plural(diff.recordLimit, 'record')} per point in time, so records past it were not compared`;
  return text;
}
