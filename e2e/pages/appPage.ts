/** Page object: the whole app window, composed of its panels. */
import { expect } from '@playwright/test';
import type { Locator, Page } from '@playwright/test';
import { TESTIDS, byTestId } from '../../renderer/src/lib/testids.js';
import { ConnectionPanel } from './connectionPanel.js';
import { SowViewPage } from './sowView.js';
import { WorkspacePage } from './workspacePage.js';

export class AppPage {
  readonly root: Locator;
  readonly mode: Locator;
  readonly fatalError: Locator;
  readonly connection: ConnectionPanel;
  readonly workspace: WorkspacePage;

  constructor(readonly page: Page) {
    this.root = page.locator(byTestId(TESTIDS.app.root));
    this.mode = page.locator(byTestId(TESTIDS.app.mode));
    this.fatalError = page.locator(byTestId(TESTIDS.app.fatalError));
    this.connection = new ConnectionPanel(page);
    this.workspace = new WorkspacePage(page);
  }

  /** The app reached its host (the mode badge shows) and shows no start-up error. */
  async expectReady(): Promise<void> {
    await expect(this.mode).toBeVisible();
    await expect(this.fatalError).toHaveCount(0);
    await expect(this.connection.root).toBeVisible();
  }

  /** Waits for the app, connects to `uri`, opens a new SOW query tab and returns its view. */
  async openSowOn(uri: string): Promise<SowViewPage> {
    await this.expectReady();
    await this.connection.connectTo(uri);
    await this.connection.expectConnected();
    const before = await this.workspace.tabs.count();
    await this.page.getByRole('button', { name: 'New SOW query' }).first().click();
    await expect(this.workspace.tabs).toHaveCount(before + 1);
    return new SowViewPage(this.page, this.workspace.activePanel);
  }

  /** Opens a new subscription tab (on the selected connection) and returns its view. */
  newSubscription(): ReturnType<WorkspacePage['newSubscription']> {
    return this.workspace.newSubscription();
  }
}
