/**
 * What the SOW view's controller shares with its grid engines and components: the sink a grid
 * engine registers, where the view is, a delete waiting for confirmation, and the status a
 * view re-attached after a reload resumes in.
 */
import type { SowViewInfo } from '../../../common/src/dto/sow.js';
import type { SowColumn } from './sowColumns.js';
import type { ColumnLayout } from './sowColumnLayout.js';
import type { GridChange, SowRow } from './sowGridModel.js';

/** What the grid engine is told. */
export interface GridSink {
  columns(columns: readonly SowColumn[]): void;
  apply(change: GridChange): void;
  remove(rows: readonly SowRow[]): void;
  reset(): void;
  /** Hidden and pinned columns (engines without it show every column unpinned). */
  layout?(layout: ColumnLayout): void;
  /** SowKeys of the rows shown now (after the quick filter), in the grid's order. */
  shownKeys?(): string[];
}

/** Where the view is. */
export type SowStatus = 'idle' | 'starting' | 'querying' | 'live' | 'done' | 'ended' | 'error';

/** A delete waiting for the user's confirmation, with the count it would delete. */
export type PendingDelete =
  { kind: 'keys'; keys: string[]; count: number } | { kind: 'filter'; filter: string; count: number };

/** Where a re-attached view stands, from what main says of it. */
export function reattachedStatus(info: SowViewInfo): SowStatus {
  if (info.ended === undefined)
    return info.progress.phase === 'querying' ? 'querying' : info.progress.phase === 'live' ? 'live' : 'done';
  if (info.ended === 'completed') return 'done';
  return info.ended === 'error' || info.ended === 'limit' ? 'error' : 'ended';
}
