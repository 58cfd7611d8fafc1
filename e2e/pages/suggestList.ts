/** The completion list of a Monaco editor, as a user dismisses it. */
import { expect } from '@playwright/test';
import type { Page } from '@playwright/test';

/**
 * Closes the editor's suggestion list with Escape, as a user does before pressing Enter or
 * Tab. The list opens a moment after the last key (completion runs asynchronously, later on a
 * loaded machine), and Enter or Tab would then take a suggestion: wait that moment first.
 * @returns true when a list was open and closed
 */
export async function closeSuggestList(page: Page): Promise<boolean> {
  const list = page.getByRole('listbox', { name: 'Suggest' });
  await list.waitFor({ state: 'visible', timeout: 400 }).catch(() => undefined);
  if (!(await list.isVisible())) return false;
  await page.keyboard.press('Escape');
  await expect(list).toBeHidden();
  return true;
}
