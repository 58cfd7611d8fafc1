/** Page object: the Connection panel (connection string, status, Connect / Local sandbox). */
import { expect } from '@playwright/test';
import type { Locator, Page } from '@playwright/test';
import { TESTIDS, byTestId } from '../../renderer/src/lib/testids.js';

const ids = TESTIDS.connection;

export class ConnectionPanel {
  readonly root: Locator;
  readonly input: Locator;
  readonly status: Locator;
  readonly problem: Locator;
  readonly problemMark: Locator;
  readonly connectButton: Locator;
  readonly sandboxButton: Locator;
  readonly sandboxState: Locator;
  readonly disconnectButton: Locator;
  readonly error: Locator;

  constructor(page: Page) {
    this.root = page.locator(byTestId(ids.panel));
    const inPanel = (id: string): Locator => this.root.locator(byTestId(id));
    this.input = inPanel(ids.input);
    this.status = inPanel(ids.status);
    this.problem = inPanel(ids.problem);
    this.problemMark = inPanel(ids.problemMark);
    this.connectButton = inPanel(ids.connect);
    this.sandboxButton = inPanel(ids.sandbox);
    this.sandboxState = inPanel(ids.sandboxState);
    this.disconnectButton = inPanel(ids.disconnect);
    this.error = inPanel(ids.error);
  }

  /** Types a connection string the way a user does (key by key, so live validation runs). */
  async typeConnectionString(text: string): Promise<void> {
    await this.input.clear();
    await this.input.pressSequentially(text);
  }

  /** Types the connection string and presses Connect. */
  async connectTo(text: string): Promise<void> {
    await this.typeConnectionString(text);
    await this.connectButton.click();
  }

  /** The status badge says connected (logged on). */
  async expectConnected(): Promise<void> {
    await expect(this.status).toHaveAttribute('data-state', 'loggedOn');
    await expect(this.status).toHaveText('connected');
    await expect(this.error).toHaveCount(0);
  }
}
