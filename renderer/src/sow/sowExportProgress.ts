/** The progress of a SOW export as the view shows it, apart from the DOM. */
import type { SowExportProgress } from '../../../common/src/dto/sow.js';

const fmt = new Intl.NumberFormat('en-US');

/**
 * The export to show for the view whose query is `queryId` after `next` arrived (`current` the
 * one shown): another view's exports are ignored, a finished one is no longer shown.
 */
export function nextExportProgress(
  current: SowExportProgress | undefined,
  next: SowExportProgress,
  queryId: string | undefined,
): SowExportProgress | undefined {
  if (queryId === undefined || next.queryId !== queryId) return current;
  return next.done ? undefined : next;
}

/** "Exporting CSV: 120,000 of 1,000,000 records (12%)". */
export function exportProgressText(p: SowExportProgress): string {
  const percent = p.total === 0 ? 100 : Math.floor((p.written * 100) / p.total);
  return `Exporting ${p.format.toUpperCase()}: ${fmt.format(p.written)} of ${fmt.format(p.total)} record${p.total === 1 ? '' : 's'} (${percent}%)`;
}
