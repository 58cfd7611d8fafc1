/** Page object: one SOW view (a workspace tab): its query form, status bar, toolbar and grid. */
import { expect } from '@playwright/test';
import type { Locator, Page } from '@playwright/test';

export class SowViewPage {
  readonly form: Locator;
  readonly topic: Locator;
  readonly filter: Locator;
  readonly orderBy: Locator;
  readonly topN: Locator;
  readonly runButton: Locator;
  readonly applyFilterButton: Locator;
  readonly status: Locator;
  readonly rowCount: Locator;
  readonly quickFilter: Locator;
  readonly grid: Locator;
  /** Data rows of the grid's body (the header rows excluded). */
  readonly rows: Locator;
  readonly error: Locator;
  readonly notice: Locator;
  readonly confirm: Locator;

  /** `root`: the view's tab panel. */
  constructor(
    readonly page: Page,
    readonly root: Locator,
  ) {
    this.form = root.getByRole('form', { name: 'SOW query' });
    this.topic = this.form.getByLabel('Topic', { exact: true });
    // The filter is the Monaco filter editor (its text box).
    this.filter = this.form.getByRole('textbox', { name: 'Filter', exact: true });
    this.orderBy = this.form.getByLabel('Order by');
    this.topN = this.form.getByLabel('Top N');
    this.runButton = this.form.getByRole('button', { name: 'Run query' });
    this.applyFilterButton = this.form.getByRole('button', { name: 'Apply filter to live view' });
    this.status = root.getByRole('status', { name: 'Query status' });
    this.rowCount = root.getByLabel('Rows', { exact: true });
    this.quickFilter = root.getByRole('searchbox', { name: 'Quick filter' });
    this.grid = root.getByRole('grid', { name: 'SOW records' });
    this.rows = this.grid.getByRole('row').filter({ has: page.getByRole('gridcell') });
    this.error = root.getByRole('alert');
    this.notice = root.getByRole('status').filter({ hasText: /^(Deleted|Exported)/ });
    this.confirm = root.getByRole('alertdialog', { name: 'Confirm delete' });
  }

  /** Picks the mode (Query, Live, Live delta). */
  async mode(name: 'Query' | 'Live' | 'Live delta'): Promise<void> {
    await this.form.getByRole('radio', { name, exact: true }).check();
  }

  /** Fills topic and filter and runs the query. */
  async run(topic: string, filter = ''): Promise<void> {
    await this.topic.fill(topic);
    await this.setFilter(filter);
    await this.runButton.click();
  }

  /** Replaces the filter editor's text, typed key by key (completion popups dismissed). */
  async setFilter(filter: string): Promise<void> {
    const page = this.root.page();
    await this.filter.focus();
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.press('Backspace');
    if (filter !== '') await page.keyboard.type(filter);
    await page.keyboard.press('Escape');
  }

  /** A column header by its field path. */
  header(path: string): Locator {
    return this.grid.getByRole('columnheader', { name: path, exact: true });
  }

  /** The data row whose cells contain `text`. */
  row(text: string): Locator {
    return this.rows.filter({ hasText: text });
  }

  /** The cell of a row (`rowText` identifies it) in the column `path`. */
  cell(rowText: string, path: string): Locator {
    return this.row(rowText).locator(`[col-id="${path}"]`);
  }

  /** Text of the column `path` in every shown row, top to bottom. */
  async columnValues(path: string): Promise<string[]> {
    const rows = await this.rows.all();
    const withIndex = await Promise.all(
      rows.map(async (r) => ({
        index: Number(await r.getAttribute('aria-rowindex')),
        text: (await r.locator(`[col-id="${path}"]`).textContent()) ?? '',
      })),
    );
    return withIndex.sort((a, b) => a.index - b.index).map((x) => x.text.trim());
  }

  /** Paged grid: the line telling which rows of how many are shown. */
  get pagedStatus(): Locator {
    return this.root.getByRole('status').filter({ hasText: /^(Paged from the server|Held in the app)/ });
  }

  /** The toolbar's paging of big results: by the server, held in the app, or off. */
  get paging(): Locator {
    return this.root.getByRole('combobox', { name: /^Paging past/ });
  }

  /** Paged grid: jumps to a row number (1 = the first record in the query's order). */
  async goToRow(row: number): Promise<void> {
    await this.root.getByLabel('Go to row').fill(String(row));
    await this.root.getByRole('button', { name: 'Go', exact: true }).click();
  }

  /** Paged grid: the row with this number (as its row header shows it, e.g. 10,001). */
  numberedRow(row: number): Locator {
    const label = new Intl.NumberFormat('en-US').format(row);
    return this.grid.getByRole('row').filter({ has: this.page.getByRole('rowheader', { name: label, exact: true }) });
  }

  /** The record history panel of the row detail. */
  get history(): Locator {
    return this.root.getByRole('region', { name: 'Record history' });
  }

  async expectStatus(text: string | RegExp): Promise<void> {
    await expect(this.status).toHaveText(text);
  }
}
