import { describe, expect, it } from 'vitest';
import type { SowExportProgress } from '../../common/src/dto/sow.js';
import { exportProgressText, nextExportProgress } from '../src/sow/sowExportProgress.js';

const p = (written: number, total: number, done = false, queryId = 'sow-1'): SowExportProgress => ({
  queryId,
  format: 'csv',
  written,
  total,
  done,
});

describe('SOW export progress in the view', () => {
  it('shows the running export of its own view until it is done', () => {
    let shown = nextExportProgress(undefined, p(0, 1_000_000), 'sow-1');
    expect(shown).toEqual(p(0, 1_000_000));
    shown = nextExportProgress(shown, p(120_000, 1_000_000), 'sow-1');
    expect(shown?.written).toBe(120_000);
    expect(nextExportProgress(shown, p(1_000_000, 1_000_000, true), 'sow-1')).toBeUndefined();
  });

  it("ignores another view's export, and shows nothing without a view", () => {
    const shown = p(5, 10);
    expect(nextExportProgress(shown, p(1, 2, false, 'sow-2'), 'sow-1')).toBe(shown);
    expect(nextExportProgress(undefined, p(1, 2), undefined)).toBeUndefined();
  });

  it('says the format, records written of the total and the share', () => {
    expect(exportProgressText(p(120_000, 1_000_000))).toBe(
      'Exporting CSV: 120,000 of 1,000,000 records (12%)',
    );
    expect(exportProgressText({ ...p(0, 1), format: 'ndjson' })).toBe('Exporting NDJSON: 0 of 1 record (0%)');
    expect(exportProgressText(p(0, 0))).toBe('Exporting CSV: 0 of 0 records (100%)');
  });
});
