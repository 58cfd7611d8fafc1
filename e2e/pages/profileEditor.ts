/** Page object: the profile editor in its dialog, found by role and name as a person would. */
import { expect } from '@playwright/test';
import type { Locator, Page } from '@playwright/test';
import { closeSuggestList } from './suggestList.js';

export class ProfileEditorPage {
  readonly dialog: Locator;
  readonly name: Locator;
  readonly user: Locator;
  readonly password: Locator;
  readonly addServer: Locator;
  readonly save: Locator;

  constructor(readonly page: Page) {
    this.dialog = page.getByRole('dialog');
    this.name = this.dialog.getByLabel('Name', { exact: true });
    this.user = this.dialog.getByLabel('User', { exact: true });
    this.password = this.dialog.getByLabel('Password', { exact: true });
    this.addServer = this.dialog.getByRole('button', { name: 'Add server' });
    this.save = this.dialog.getByRole('button', { name: 'Save profile' });
  }

  /** The connection-string editor of server `n` (1-based). */
  server(n: number): Locator {
    return this.dialog.getByRole('textbox', { name: `Server ${n} connection string` });
  }

  /** Types a connection string into server `n`'s editor, key by key (live validation runs). */
  async typeServer(n: number, text: string): Promise<void> {
    const box = this.server(n);
    await box.focus();
    await this.page.keyboard.press('ControlOrMeta+a');
    await this.page.keyboard.press('Backspace');
    await this.page.keyboard.type(text);
    await this.closeSuggestions();
  }

  /**
   * Closes the editor's suggestion list, waiting a moment for a late one (Tab would take it,
   * see {@link closeSuggestList}); the dialog stays open.
   */
  async closeSuggestions(): Promise<void> {
    if (await closeSuggestList(this.page)) await expect(this.dialog).toBeVisible();
  }

  /** The editor of server `n` as drawn (what the user sees, without the hidden textarea). */
  serverView(n: number): Locator {
    return this.dialog
      .locator('.server')
      .nth(n - 1)
      .locator('.view-lines');
  }

  async expectOpen(): Promise<void> {
    await expect(this.dialog).toBeVisible();
    await expect(this.server(1)).toBeVisible();
  }
}
