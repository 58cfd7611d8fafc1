import { describe, expect, it } from 'vitest';
import type { SowExportRequest } from '../../common/src/dto/sow.js';
import type { ExplorerApi } from '../../common/src/ipc/contract.js';
import { exportToFile, shownKeysProblem } from '../src/sow/sowExportActions.js';

describe('the SOW view export actions', () => {
  it('asks main for the export with the keys in their order and says where the file went', async () => {
    const asked: SowExportRequest[] = [];
    const api = {
      sowExport: (request: SowExportRequest) => {
        asked.push(request);
        return Promise.resolve({
          path: '/tmp/x/orders.ndjson',
          records: request.keys?.length ?? 7,
          bytes: 10,
        });
      },
    } as unknown as ExplorerApi;
    expect(await exportToFile(api, 'sow-3', 'ndjson', ['k2', 'k1'])).toBe(
      'Exported 2 records as NDJSON to /tmp/x/orders.ndjson',
    );
    expect(await exportToFile(api, 'sow-held-1', 'csv')).toBe(
      'Exported 7 records as CSV to /tmp/x/orders.ndjson',
    );
    expect(asked).toEqual([
      { queryId: 'sow-3', format: 'ndjson', keys: ['k2', 'k1'] },
      { queryId: 'sow-held-1', format: 'csv' },
    ]);
  });

  it('refuses to export by keys more shown rows than a request may carry, saying what to do', () => {
    expect(shownKeysProblem(100_000)).toBeUndefined();
    expect(shownKeysProblem(100_001)).toBe(
      'Export shown: 100,001 rows are shown, more than 100,000; narrow the quick filter or use Export all',
    );
  });
});
