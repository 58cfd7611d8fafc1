/** Page object: the workspace frame: tabs, the side bar's lists, the palette, the theme toggle. */
import { expect } from '@playwright/test';
import type { Locator, Page } from '@playwright/test';
import { TESTIDS, byTestId } from '../../renderer/src/lib/testids.js';
import { SubscriptionPanel } from './subscriptionPanel.js';

const ids = TESTIDS.workspace;

export class WorkspacePage {
  readonly tabList: Locator;
  readonly tabs: Locator;
  /** The visible tab panel (hidden ones are not in the accessibility tree). */
  readonly activePanel: Locator;
  readonly palette: Locator;
  readonly themeToggle: Locator;
  readonly openConnections: Locator;
  readonly profiles: Locator;
  readonly eventLog: Locator;

  constructor(readonly page: Page) {
    this.tabList = page.getByRole('tablist', { name: 'Open views' });
    this.tabs = this.tabList.getByRole('tab');
    this.activePanel = page.getByRole('tabpanel');
    this.palette = page.getByRole('dialog').filter({ has: page.getByRole('combobox', { name: 'Command' }) });
    this.themeToggle = page.locator(byTestId(ids.themeToggle));
    this.openConnections = page.getByRole('list', { name: 'Open connections' });
    this.profiles = page.getByRole('list', { name: 'Saved profiles' });
    this.eventLog = page.getByRole('region', { name: /^Event log/ });
  }

  /** A tab by its accessible name (the view's title, e.g. "Subscription: orders"). */
  tab(name: string | RegExp, options: { exact?: boolean } = {}): Locator {
    return this.tabList.getByRole('tab', { name, ...options });
  }

  /** The subscription view in the visible tab. */
  subscription(): SubscriptionPanel {
    return new SubscriptionPanel(this.activePanel);
  }

  /** Opens a new subscription tab with the tab strip's button and returns its view. */
  async newSubscription(): Promise<SubscriptionPanel> {
    const before = await this.tabs.count();
    await this.page.getByRole('button', { name: 'New subscription' }).first().click();
    await expect(this.tabs).toHaveCount(before + 1);
    await expect(this.tabList.getByRole('tab', { selected: true })).toHaveAccessibleName(/^Subscription/);
    return this.subscription();
  }

  /** Opens the command palette with its shortcut. */
  async openPalette(): Promise<void> {
    await this.page.keyboard.press('ControlOrMeta+Shift+P');
    await expect(this.palette).toBeVisible();
  }

  /** The row of an open connection by its name. */
  connection(name: string | RegExp): Locator {
    return this.openConnections.getByRole('listitem').filter({ has: this.page.getByRole('button', { name: typeof name === 'string' ? `Select ${name}` : name }) });
  }

  /** The root element's theme (`data-theme`). */
  async theme(): Promise<string | null> {
    return this.page.locator('html').getAttribute('data-theme');
  }
}
