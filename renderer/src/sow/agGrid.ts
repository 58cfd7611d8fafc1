/**
 * The grid engine behind a {@link GridSink}: ag-grid-community (row ids = SowKeys, async
 * transactions, cell flash). Chosen over @finos/perspective for columns that appear at run
 * time, a flash on any column (exactly the fields a delta carried) and no WASM (the CSP stays
 * without 'wasm-unsafe-eval'); see the grid benchmark for the figures. Its theme injects
 * <style> elements, which the app's CSP already allows (style-src 'unsafe-inline').
 */
import { AllCommunityModule, createGrid, ModuleRegistry, themeQuartz } from 'ag-grid-community';
import type { ColDef, GridApi, GridOptions, IRowNode } from 'ag-grid-community';
import type { ColumnType, SowColumn } from './sowColumns.js';
import type { GridChange, SowRow } from './sowGridModel.js';
import { compareCells } from './sowSort.js';
import type { GridSink } from './sowView.svelte.js';

let registered = false;

/** What the grid tells its view. */
export interface GridEvents {
  /** The rows selected now (SowKeys). */
  selected(keys: string[]): void;
  /** The row whose detail to show. */
  focused(key: string | undefined): void;
}

const STATE_COL = '__state';

function columnDef(column: SowColumn): ColDef<SowRow> {
  const right = column.type === 'number';
  const type: ColumnType = column.type;
  return {
    colId: column.path,
    headerName: column.path,
    headerTooltip: `${column.path} (${column.type})`,
    valueGetter: (p) => p.data?.cells[column.path],
    valueFormatter: (p) =>
      p.value === undefined || p.value === null
        ? ''
        : typeof p.value === 'object'
          ? JSON.stringify(p.value)
          : String(p.value as string | number | boolean),
    comparator: (a, b) => compareCells(a, b, type),
    sortable: true,
    resizable: true,
    ...(right ? { cellClass: 'ag-right-aligned-cell', headerClass: 'ag-right-aligned-header' } : {}),
  };
}

const stateColumn: ColDef<SowRow> = {
  colId: STATE_COL,
  headerName: 'Removed',
  headerTooltip: 'Why a record left the view (match, deleted, expired); it leaves a moment later',
  width: 110,
  sortable: false,
  valueGetter: (p) => (p.data?.removed === undefined ? '' : `${p.data.removed.reason}`),
};

/** Creates the grid in `host`; the returned sink feeds it, `destroy` removes it. */
export function createSowGrid(
  host: HTMLElement,
  label: string,
  events: GridEvents,
): GridSink & { destroy(): void; setQuickFilter(text: string): void; api: GridApi<SowRow> } {
  if (!registered) {
    ModuleRegistry.registerModules([AllCommunityModule]);
    registered = true;
  }
  const options: GridOptions<SowRow> = {
    theme: themeQuartz,
    columnDefs: [stateColumn],
    rowData: [],
    getRowId: (p) => p.data.key,
    rowClassRules: { 'sow-row-removed': (p) => p.data?.removed !== undefined },
    rowSelection: { mode: 'multiRow', enableClickSelection: true, checkboxes: true, headerCheckbox: true },
    asyncTransactionWaitMillis: 50,
    deltaSort: true,
    animateRows: false,
    suppressColumnVirtualisation: false,
    onSelectionChanged: (e) => events.selected(e.api.getSelectedRows().map((r) => r.key)),
    onRowClicked: (e) => events.focused(e.data?.key),
  };
  const api = createGrid(host, options);
  const labelGrid = (): void => {
    for (const el of host.querySelectorAll('[role="grid"], [role="treegrid"]'))
      el.setAttribute('aria-label', label);
  };
  labelGrid();
  let known: readonly SowColumn[] = [];
  return {
    api,
    columns(columns) {
      if (columns === known) return;
      known = columns;
      api.setGridOption('columnDefs', [stateColumn, ...columns.map(columnDef)]);
    },
    apply(change: GridChange) {
      if (change.add.length === 0 && change.update.length === 0) return;
      api.applyTransactionAsync({ add: change.add, update: change.update }, (result) => {
        const byColumns = new Map<string, IRowNode<SowRow>[]>();
        for (const node of result.update) {
          const key = node.data?.key;
          const changed = key === undefined ? undefined : change.changed.get(key);
          if (changed === undefined || changed.length === 0) continue;
          const sig = changed.join('\u0000');
          const list = byColumns.get(sig);
          if (list === undefined) byColumns.set(sig, [node]);
          else list.push(node);
        }
        for (const [sig, rowNodes] of byColumns) api.flashCells({ rowNodes, columns: sig.split('\u0000') });
      });
    },
    remove(rows: readonly SowRow[]) {
      api.applyTransactionAsync({ remove: rows.map((r) => ({ key: r.key }) as SowRow) });
    },
    reset() {
      api.setGridOption('rowData', []);
      known = [];
      api.setGridOption('columnDefs', [stateColumn]);
    },
    setQuickFilter(text: string) {
      api.setGridOption('quickFilterText', text);
    },
    destroy() {
      api.destroy();
    },
  };
}
