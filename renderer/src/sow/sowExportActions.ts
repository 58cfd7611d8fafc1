/**
 * The SOW view's exports, apart from its controller: main writes the file (all records, some
 * keys in a given order, or an app-held view's records) and the view tells where it went.
 */
import type { SowExportFormat } from '../../../common/src/dto/sow.js';
import type { ExplorerApi } from '../../../common/src/ipc/contract.js';
import { SOW_LIMITS } from '../../../common/src/ipc/sowSchemas.js';

/** Has main export `queryId`'s records (or only `keys`, in their order); resolves with the notice to show. */
export async function exportToFile(
  api: ExplorerApi,
  queryId: string,
  format: SowExportFormat,
  keys?: readonly string[],
): Promise<string> {
  const r = await api.sowExport({ queryId, format, ...(keys === undefined ? {} : { keys: [...keys] }) });
  return `Exported ${r.records} record${r.records === 1 ? '' : 's'} as ${format.toUpperCase()} to ${r.path}`;
}

/** Why the shown rows cannot be exported by their keys, or undefined when they can. */
export function shownKeysProblem(count: number): string | undefined {
  if (count <= SOW_LIMITS.keys) return undefined;
  return `Export shown: ${count.toLocaleString('en-US')} rows are shown, more than ${SOW_LIMITS.keys.toLocaleString('en-US')}; narrow the quick filter or use Export all`;
}
