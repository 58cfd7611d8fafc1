/** Page object: the Connection panel (connection string, status, Connect / Local sandbox). */
import { expect } from '@playwright/test';
import type { Locator, Page } from '@playwright/test';
import { TESTIDS, byTestId } from '../../renderer/src/lib/testids.js';
import { closeSuggestList } from './suggestList.js';

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

  readonly page: Page;

  constructor(page: Page) {
    this.page = page;
    this.root = page.locator(byTestId(ids.panel));
    const inPanel = (id: string): Locator => this.root.locator(byTestId(id));
    // The one-line Monaco editor: its text box, by role and name.
    this.input = this.root.getByRole('textbox', { name: 'Connection string' });
    this.status = inPanel(ids.status);
    // The editor's problem alert (the client parser's message) and the marked span in it.
    this.problem = inPanel(ids.input).getByRole('alert');
    this.problemMark = this.problem.locator('mark');
    this.connectButton = inPanel(ids.connect);
    this.sandboxButton = inPanel(ids.sandbox);
    this.sandboxState = inPanel(ids.sandboxState);
    this.disconnectButton = inPanel(ids.disconnect);
    this.error = inPanel(ids.error);
  }

  /** Types a connection string the way a user does (key by key, so live validation runs). */
  async typeConnectionString(text: string): Promise<void> {
    await this.input.focus();
    await this.page.keyboard.press('ControlOrMeta+a');
    await this.page.keyboard.press('Backspace');
    await this.page.keyboard.type(text);
    await this.closeSuggestions();
  }

  /** Closes the editor's suggestion list, waiting a moment for a late one (see {@link closeSuggestList}). */
  async closeSuggestions(): Promise<void> {
    await closeSuggestList(this.page);
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
