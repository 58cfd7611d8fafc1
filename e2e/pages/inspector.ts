/** Page objects of the observe views: the wire inspector, the live chart and the status bar HUD. */
import { expect } from '@playwright/test';
import type { Locator, Page } from '@playwright/test';

/** The wire inspector in the visible tab. */
export class InspectorPanel {
  readonly root: Locator;
  readonly log: Locator;
  readonly rows: Locator;
  readonly filter: Locator;
  readonly pause: Locator;
  readonly counters: Locator;

  constructor(panel: Locator) {
    this.root = panel.getByRole('region', { name: 'Wire inspector' });
    this.log = this.root.getByRole('table', { name: 'Wire log' });
    this.rows = this.log.getByRole('rowgroup').getByRole('row');
    this.filter = this.root.getByRole('searchbox', { name: 'Filter' });
    this.pause = this.root.getByRole('button', { name: /^(Pause|Resume)$/ });
    this.counters = this.root.getByRole('group', { name: 'Counters' });
  }

  /** Rows whose text matches every pattern. */
  row(...patterns: RegExp[]): Locator {
    return patterns.reduce((rows, p) => rows.filter({ hasText: p }), this.rows);
  }

  /** The text of one cell (by column name) of a row. */
  async cell(row: Locator, column: string): Promise<string> {
    const headers = await this.log.getByRole('columnheader').allTextContents();
    const index = headers.indexOf(column);
    if (index < 0) throw new Error(`the wire log has no column ${column}`);
    return (await row.getByRole('cell').nth(index).textContent()) ?? '';
  }
}

/** The live chart in the visible tab. */
export class ChartPanel {
  readonly root: Locator;
  readonly topic: Locator;
  readonly filter: Locator;
  readonly fieldPath: Locator;
  readonly keyField: Locator;
  readonly plot: Locator;
  readonly pause: Locator;
  readonly error: Locator;

  constructor(panel: Locator) {
    this.root = panel.getByRole('region', { name: 'Live chart' });
    const form = this.root.getByRole('form', { name: 'Chart settings' });
    this.topic = form.getByLabel('Topic');
    this.filter = form.getByLabel('Filter');
    this.fieldPath = form.getByLabel('Field path');
    this.keyField = form.getByLabel('Series by key field');
    this.plot = form.getByRole('button', { name: /^(Plot|Restart)$/ });
    this.pause = form.getByRole('button', { name: /^(Pause|Resume)$/ });
    this.error = this.root.getByRole('alert');
  }

  /** The chart, found by its accessible name ("/qty of orders: 12 points"). */
  chart(name: RegExp): Locator {
    return this.root.getByRole('img', { name });
  }

  async start(topic: string, fieldPath: string, filter = ''): Promise<void> {
    await this.topic.fill(topic);
    await this.filter.fill(filter);
    await this.fieldPath.fill(fieldPath);
    await this.plot.click();
  }
}

/** The performance HUD of the status bar. */
export class Hud {
  readonly root: Locator;
  readonly rate: Locator;
  readonly fps: Locator;
  readonly dropped: Locator;
  readonly warning: Locator;

  constructor(page: Page) {
    this.root = page
      .getByRole('contentinfo', { name: 'Status bar' })
      .getByRole('group', { name: 'Performance' });
    this.rate = this.root.getByRole('status', { name: 'Messages in per second' });
    this.fps = this.root.getByRole('status', { name: 'Renderer frames per second' });
    this.dropped = this.root.getByRole('status', { name: 'Dropped messages' });
    this.warning = this.root.getByRole('alert');
  }

  /** The messages-in rate shown, as a number. */
  async messagesPerSecond(): Promise<number> {
    const text = (await this.rate.textContent()) ?? '';
    return Number(text.replace(/[^0-9.]/g, ''));
  }
}

/**
 * Opens a view with its button (on the welcome page when no tab is open, in the tab strip's
 * "New views" otherwise) and waits for its tab to be the selected one.
 */
export async function openView(page: Page, command: string, tabName: RegExp): Promise<Locator> {
  await page.getByRole('main').getByRole('button', { name: command, exact: true }).first().click();
  const tab = page.getByRole('tablist', { name: 'Open views' }).getByRole('tab', { selected: true });
  await expect(tab).toHaveAccessibleName(tabName);
  return page.getByRole('tabpanel');
}

/** Selects the tab whose name matches. */
export async function selectTab(page: Page, name: RegExp): Promise<Locator> {
  await page.getByRole('tablist', { name: 'Open views' }).getByRole('tab', { name }).click();
  return page.getByRole('tabpanel');
}
