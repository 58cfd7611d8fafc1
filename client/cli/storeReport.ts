/**
 * What spark tells the user when a store file it opened was damaged: what was recovered, what
 * was set aside and where the damaged file was kept. Printed to standard error, loudly, since
 * it means messages may be missing (publish store) or delivered again (bookmark store).
 */
import type { StoreRecoveryReport } from '../src/stores/storeErrors.js';

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * The warning lines for one store's recovery report; none for a clean open.
 * @param kind `publish` or `bookmark`
 */
export function recoveryWarning(
  kind: 'publish' | 'bookmark',
  file: string,
  report: StoreRecoveryReport,
): string[] {
  if (report.problem === null) return [];
  const at = report.problemOffset === undefined ? '' : ` at byte ${report.problemOffset}`;
  const setAside = report.setAsideRecords ?? 0;
  const count = `${report.setAsideCountComplete === false ? 'at least ' : ''}${plural(setAside, 'record')}`;
  const lost =
    kind === 'publish'
      ? 'messages stored there were NOT replayed and may never reach the server'
      : 'bookmarks recorded there were lost, so messages may be delivered again';
  return [
    `WARNING: the ${kind} store ${file} was damaged${at}: ${report.problem}.`,
    `WARNING: recovered ${plural(report.recoveredRecords, 'record')}; set aside ${count} (${plural(report.droppedBytes, 'byte')}) that could not be replayed: ${lost}.`,
    `WARNING: the damaged file is kept as ${report.preservedCopy ?? '(no copy)'}.`,
  ];
}

/** The warning for a bookmark subscription the damaged store no longer knows. */
export function restartWarning(file: string, bookmark: string): string {
  return `WARNING: the damaged bookmark store ${file} holds no bookmark for this subscription: starting again from ${bookmark === '0' ? 'EPOCH (0), the beginning of the transaction log' : bookmark}; messages already seen will be delivered again.`;
}
