/** Page object: the AMPS filter editor (Monaco, single line) of a view, by its accessible name. */
import type { Locator, Page } from '@playwright/test';

export class FilterEditorPage {
  /** The editor's text box. */
  readonly textbox: Locator;
  /** The problem alert under the editor (client diagnostics or the server's refusal). */
  readonly problem: Locator;
  /** The part of the filter the problem marks. */
  readonly problemMark: Locator;

  /** `scope`: where the editor is (a form); `name`: its accessible name. */
  constructor(
    readonly page: Page,
    readonly scope: Locator,
    name: RegExp,
  ) {
    this.textbox = scope.getByRole('textbox', { name });
    // `has` is matched inside each field, so it names the text box without the outer scope.
    this.problem = scope
      .locator('.monaco-field')
      .filter({ has: page.getByRole('textbox', { name }) })
      .getByRole('alert');
    this.problemMark = this.problem.locator('mark');
  }

  /** A completion offered now, by its label. */
  suggestion(label: string | RegExp): Locator {
    return this.page.getByRole('option', { name: label });
  }

  /** Replaces the text, typed key by key (live validation and completion run). */
  async type(text: string): Promise<void> {
    await this.textbox.focus();
    await this.page.keyboard.press('ControlOrMeta+a');
    await this.page.keyboard.press('Backspace');
    await this.page.keyboard.type(text);
  }
}
