/**
 * The connection-string editor (Monaco) in the profile editor: the client parser's problem is
 * shown with its exact range, completion offers the transport's options with their docs, and
 * the password is masked while the editor has no focus.
 */
import { expect, test } from '../fixtures.js';
import { ProfileEditorPage } from '../pages/profileEditor.js';

test.beforeEach(async ({ app }) => {
  await app.getByRole('button', { name: 'New profile' }).click();
  await new ProfileEditorPage(app).expectOpen();
});

test('a bad port is reported with its position and its range marked', async ({ app }) => {
  const editor = new ProfileEditorPage(app);
  const text = 'tcp://127.0.0.1:99x9/amps/json';
  await editor.typeServer(1, text);
  const box = editor.server(1);
  await expect(box).toHaveAttribute('aria-invalid', 'true');
  const describedBy = await box.getAttribute('aria-describedby');
  expect(describedBy).toBeTruthy();
  const problem = app.locator(`[id="${describedBy}"]`);
  await expect(problem).toHaveAttribute('role', 'alert');
  await expect(problem).toContainText(`invalid port "99x9" at position ${text.indexOf('99x9')}`);
  await expect(problem.locator('mark')).toHaveText('99x9');
  // The editor underlines the same span.
  await expect(editor.dialog.locator('.server').first().locator('.squiggly-error')).toHaveCount(1);

  // Fixing it clears the problem.
  await editor.typeServer(1, 'tcp://127.0.0.1:9007/amps/json');
  await expect(box).toHaveAttribute('aria-invalid', 'false');
  await expect(problem).toHaveCount(0);

  // Saving with a bad server names the field.
  await editor.name.fill('bad');
  await editor.typeServer(1, 'ftp://h:1/amps/json');
  await editor.save.click();
  await expect(editor.dialog.getByRole('alert').filter({ hasText: 'Fix this field' })).toContainText(
    'Server 1: invalid transport "ftp" at position 0',
  );
});

test('completion offers the options of the transport with a doc, and their values', async ({ app }) => {
  const editor = new ProfileEditorPage(app);
  await editor.server(1).focus();
  await app.keyboard.type('tcps://h:9007/amps/json?tls_');
  const suggestions = app.getByRole('listbox', { name: 'Suggest' });
  await expect(suggestions).toBeVisible();
  await expect(suggestions.getByRole('option', { name: /tls_verify/ })).toBeVisible();
  await app.keyboard.press('Enter');
  await expect(suggestions.getByRole('option', { name: /false/ })).toBeVisible();
  await app.keyboard.press('ArrowDown');
  await app.keyboard.press('Enter');
  await expect(editor.serverView(1)).toHaveText('tcps://h:9007/amps/json?tls_verify=false');
});

test('the password in a connection string is masked while the editor has no focus', async ({ app }) => {
  const editor = new ProfileEditorPage(app);
  await editor.typeServer(1, 'tcp://bob:hunter2@127.0.0.1:9007/amps/json');
  await expect(editor.serverView(1)).toContainText('hunter2');
  await editor.name.focus();
  const view = editor.serverView(1);
  await expect(view).toContainText('••••');
  expect(await view.innerText()).not.toContain('hunter2');
  await editor.server(1).focus();
  await expect(view).toContainText('hunter2');
});

test('the one-line editor behaves like an input: Tab moves on, Enter submits the form', async ({ app }) => {
  const editor = new ProfileEditorPage(app);
  await editor.name.fill('Keyboard only');
  await editor.typeServer(1, 'tcp://127.0.0.1:9007/amps/json');
  await expect(editor.server(1)).toBeFocused();
  await app.keyboard.press('Tab');
  await expect(editor.server(1)).not.toBeFocused();
  await expect(editor.dialog.getByRole('button', { name: 'Move server 1 down' })).toBeDisabled();
  await editor.server(1).focus();
  await app.keyboard.press('End');
  await app.keyboard.press('Enter');
  await expect(editor.dialog).toBeHidden();
  await expect(app.getByRole('list', { name: 'Saved profiles' })).toContainText('Keyboard only');
});
