/**
 * The grid engine behind a {@link GridSink}: ag-grid-community (row ids = SowKeys, keyed
 * transactions paced by their cost, cell flash). The default over the opt-in @finos/perspective
 * engine (perspectiveGrid.svelte.ts) for columns that appear at run time, a flash on any column
 * (exactly the fields a delta carried), quick filter and selection; the grid benchmark measures
 * both. Its theme injects
 * <style> elements, which the app's CSP already allows (style-src 'unsafe-inline').
 */
import { AllCommunityModule, createGrid, ModuleRegistry, themeQuartz } from 'ag-grid-community';
import type { ColDef, GridApi, GridOptions, IRowNode } from 'ag-grid-community';
import { FlushBuffer, FlushPacer } from './gridFlush.js';
import { columnLayoutOf, DEFAULT_LAYOUT, type ColumnLayout } from './sowColumnLayout.js';
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

/**
 * A row as the grid holds it: the record's cells as its own fields (a field path always starts
 * with `/`, so the two below never clash with one), read by `field` without a getter call:
 * sorting a big view compares cells hundreds of thousands of times per refresh.
 */
type GridRow = Record<string, unknown> & { '#key': string; '#row': SowRow };

const gridRow = (row: SowRow): GridRow => ({ ...row.cells, '#key': row.key, '#row': row });

function columnDef(column: SowColumn, layout: ColumnLayout): ColDef<GridRow> {
  const right = column.type === 'number';
  const type: ColumnType = column.type;
  return {
    ...columnLayoutOf(layout, column.path),
    colId: column.path,
    headerName: column.path,
    headerTooltip: `${column.path} (${column.type})`,
    field: column.path,
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

const stateColumn: ColDef<GridRow> = {
  colId: STATE_COL,
  headerName: 'Removed',
  headerTooltip: 'Why a record left the view (match, deleted, expired); it leaves a moment later',
  width: 110,
  sortable: false,
  valueGetter: (p) => {
    const removed = p.data?.['#row'].removed;
    return removed === undefined ? '' : removed.reason;
  },
};

/**
 * ag-grid's Quartz theme on the app's own colours (CSS variables, so it follows the light and
 * dark themes without a rebuild) and at the density of the app's lists.
 */
const appTheme = themeQuartz.withParams({
  backgroundColor: 'var(--panel)',
  foregroundColor: 'var(--fg)',
  borderColor: 'var(--border)',
  accentColor: 'var(--accent)',
  fontSize: 13,
  rowHeight: 28,
  headerHeight: 32,
  spacing: 5,
});

/** Creates the grid in `host`; the returned sink feeds it, `destroy` removes it. */
export function createSowGrid(
  host: HTMLElement,
  label: string,
  events: GridEvents,
): GridSink & { destroy(): void; setQuickFilter(text: string): void; api: GridApi<GridRow> } {
  if (!registered) {
    ModuleRegistry.registerModules([AllCommunityModule]);
    registered = true;
  }
  const options: GridOptions<GridRow> = {
    theme: appTheme,
    columnDefs: [stateColumn],
    rowData: [],
    getRowId: (p) => p.data['#key'],
    rowClassRules: { 'sow-row-removed': (p) => p.data?.['#row'].removed !== undefined },
    rowSelection: { mode: 'multiRow', enableClickSelection: true, checkboxes: true, headerCheckbox: true },
    suppressFieldDotNotation: true,
    deltaSort: true,
    animateRows: false,
    // Columns the user dragged keep their place when a new field adds a column.
    maintainColumnOrder: true,
    suppressColumnVirtualisation: false,
    onSelectionChanged: (e) => events.selected(e.api.getSelectedRows().map((r) => r['#key'])),
    onRowClicked: (e) => events.focused(e.data?.['#key']),
  };
  const api = createGrid(host, options);
  const labelGrid = (): void => {
    for (const el of host.querySelectorAll('[role="grid"], [role="treegrid"]'))
      el.setAttribute('aria-label', label);
  };
  labelGrid();
  let known: readonly SowColumn[] = [];
  let layout = DEFAULT_LAYOUT;
  const setColumnDefs = (): void =>
    api.setGridOption('columnDefs', [stateColumn, ...known.map((c) => columnDef(c, layout))]);
  // Changes wait here, the latest per key, until the next refresh; refreshes are spaced by
  // what the last one cost, so re-sorting a big view cannot take every frame.
  const buffer = new FlushBuffer();
  const pacer = new FlushPacer();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastFlush = 0;
  const flush = (): void => {
    timer = undefined;
    if (buffer.size === 0) return;
    const t0 = performance.now();
    lastFlush = t0;
    const take = buffer.take();
    const add: GridRow[] = [];
    const update: GridRow[] = [];
    const remove: GridRow[] = [];
    for (const row of take.upserts) (api.getRowNode(row.key) === undefined ? add : update).push(gridRow(row));
    for (const row of take.removes) if (api.getRowNode(row.key) !== undefined) remove.push(gridRow(row));
    const result = api.applyTransaction({ add, update, remove });
    if (result !== null && result !== undefined && take.changed.size > 0)
      flashChanged(result.update, take.changed);
    pacer.cost(performance.now() - t0);
  };
  const flashChanged = (
    nodes: IRowNode<GridRow>[],
    changed: ReadonlyMap<string, readonly string[]>,
  ): void => {
    const byColumns = new Map<string, IRowNode<GridRow>[]>();
    for (const node of nodes) {
      const paths = node.id === undefined ? undefined : changed.get(node.id);
      if (paths === undefined || paths.length === 0) continue;
      const sig = paths.join('\u0000');
      const list = byColumns.get(sig);
      if (list === undefined) byColumns.set(sig, [node]);
      else list.push(node);
    }
    for (const [sig, rowNodes] of byColumns) api.flashCells({ rowNodes, columns: sig.split('\u0000') });
  };
  const schedule = (): void => {
    if (timer !== undefined || buffer.size === 0) return;
    const wait = Math.max(0, lastFlush + pacer.delayMs - performance.now());
    timer = setTimeout(flush, wait);
  };
  return {
    api,
    columns(columns) {
      if (columns === known) return;
      known = columns;
      setColumnDefs();
    },
    layout(next) {
      if (next === layout) return;
      layout = next;
      setColumnDefs();
    },
    apply(change: GridChange) {
      for (const row of change.add) buffer.upsert(row);
      for (const row of change.update) buffer.upsert(row, change.changed.get(row.key));
      schedule();
    },
    remove(rows: readonly SowRow[]) {
      for (const row of rows) buffer.remove(row);
      schedule();
    },
    reset() {
      buffer.clear();
      api.setGridOption('rowData', []);
      known = [];
      api.setGridOption('columnDefs', [stateColumn]);
    },
    setQuickFilter(text: string) {
      api.setGridOption('quickFilterText', text);
    },
    shownKeys() {
      // Rows leaving with their oof reason are shown still; main, which no longer holds them, skips them.
      const keys: string[] = [];
      api.forEachNodeAfterFilterAndSort((node) => {
        if (node.data !== undefined) keys.push(node.data['#key']);
      });
      return keys;
    },
    destroy() {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      buffer.clear();
      api.destroy();
    },
  };
}
