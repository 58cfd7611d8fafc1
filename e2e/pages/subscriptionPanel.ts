/** Page object: one subscription view (a workspace tab): its form, message list, stats and detail. */
import { expect } from '@playwright/test';
import type { Locator } from '@playwright/test';
import { TESTIDS, byTestId } from '../../renderer/src/lib/testids.js';

const form = TESTIDS.subscription;
const list = TESTIDS.messages;
const detail = TESTIDS.detail;
const stats = TESTIDS.stats;

export class SubscriptionPanel {
  readonly form: Locator;
  readonly topic: Locator;
  readonly filter: Locator;
  readonly filterProblem: Locator;
  /** The filter editor's shown text (Monaco's text lines; its text box holds no value). */
  readonly filterText: Locator;
  readonly filterProblemMark: Locator;
  readonly subscribeButton: Locator;
  readonly unsubscribeButton: Locator;
  readonly error: Locator;
  readonly ended: Locator;
  readonly list: Locator;
  readonly rows: Locator;
  readonly empty: Locator;
  readonly detail: Locator;
  readonly detailHeaders: Locator;
  readonly detailPayload: Locator;
  readonly detailPayloadKind: Locator;
  readonly received: Locator;

  /** `root`: the view's tab panel (`getByRole('tabpanel')` finds the visible one). */
  constructor(readonly root: Locator) {
    this.form = root.getByRole('form', { name: 'Subscription' });
    this.topic = this.form.getByLabel(/^Topic/);
    // The filter is the Monaco filter editor: its text box, and the problem alert under it.
    this.filter = this.form.getByRole('textbox', { name: /^Content filter/ });
    this.filterProblem = this.form.locator(byTestId(form.filter)).getByRole('alert');
    this.filterText = this.form.locator(byTestId(form.filter)).locator('.view-lines');
    this.filterProblemMark = this.filterProblem.locator('mark');
    this.subscribeButton = this.form.getByRole('button', { name: /^(Subscribe|Resubscribe)$/ });
    this.unsubscribeButton = this.form.getByRole('button', { name: 'Unsubscribe' });
    this.error = this.form.locator(byTestId(form.error));
    this.ended = this.form.locator(byTestId(form.ended));
    this.list = root.getByRole('region', { name: 'Messages' });
    this.rows = this.list.locator(byTestId(list.row));
    this.empty = this.list.locator(byTestId(list.empty));
    this.detail = root.locator(byTestId(detail.pane));
    this.detailHeaders = this.detail.locator(byTestId(detail.headers));
    this.detailPayload = this.detail.locator(byTestId(detail.payload));
    this.detailPayloadKind = this.detail.locator(byTestId(detail.payloadKind));
    this.received = root.locator(byTestId(stats.received));
  }

  /** Fills topic and filter (key by key for the filter, so live validation runs). */
  async fill(topic: string, filter: string): Promise<void> {
    await this.topic.fill(topic);
    await this.setFilter(filter);
  }

  /** Replaces the filter editor's text, typed key by key (completion popups are dismissed). */
  async setFilter(filter: string): Promise<void> {
    const page = this.root.page();
    await this.filter.focus();
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.press('Backspace');
    await page.keyboard.type(filter);
    await page.keyboard.press('Escape');
  }

  /** Fills the form, presses Subscribe and waits until the subscription is live. */
  async subscribe(topic: string, filter: string): Promise<void> {
    await this.fill(topic, filter);
    await expect(this.subscribeButton).toBeEnabled();
    await this.subscribeButton.click();
    await expect(this.unsubscribeButton).toBeVisible();
    await expect(this.error).toHaveCount(0);
  }

  /** The payload preview column of every rendered row, in list order. */
  async rowPayloads(): Promise<string[]> {
    return this.rows.locator('.c-data').allTextContents();
  }

  /** The detail pane's header table as name → value. */
  async detailHeaderMap(): Promise<Map<string, string>> {
    const names = await this.detailHeaders.locator('th').allTextContents();
    const values = await this.detailHeaders.locator('td').allTextContents();
    return new Map(names.map((n, i) => [n.trim(), (values[i] ?? '').trim()]));
  }
}
