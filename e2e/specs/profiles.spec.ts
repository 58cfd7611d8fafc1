/**
 * Journeys of saved profiles: a profile with two servers and a password survives a restart of
 * the host, and its password is never in the profiles file in plain text; a corrupt entry of the
 * profiles file is set aside and shown, and the good profiles load.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '../haFixtures.js';
import { ProfileEditorPage } from '../pages/profileEditor.js';

/** Every file under `dir`, with its text. */
function filesUnder(dir: string): { path: string; text: string }[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [{ path, text: readFileSync(path, 'latin1') }];
  });
}

test('a profile with two servers and a password is there after a restart, without its password in the file', async ({
  page,
  userData,
  launchHost,
}) => {
  test.setTimeout(60_000); // two host starts
  const password = 'Pa55-word-e2e-7Q';
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content.Security.Policy|unsafe-eval/i.test(m.text())) violations.push(m.text());
  });
  const first = await launchHost();
  await page.goto(first.handle.url);
  await page.getByRole('button', { name: 'New profile' }).click();
  const editor = new ProfileEditorPage(page);
  await editor.expectOpen();
  await editor.name.fill('Trading HA');
  await editor.typeServer(1, 'tcp://127.0.0.1:19007/amps/json');
  await editor.addServer.click();
  await editor.typeServer(2, 'tcp://127.0.0.1:19008/amps/json');
  await editor.user.fill('trader');
  await editor.password.fill(password);
  await expect(editor.dialog.getByText(/kept in memory only/)).toBeVisible();
  await editor.save.click();
  await expect(editor.dialog).toBeHidden();
  const saved = page.getByRole('list', { name: 'Saved profiles' }).getByRole('listitem').filter({ hasText: 'Trading HA' });
  await expect(saved).toContainText('2 servers');

  await first.stop();
  const files = filesUnder(userData);
  expect(files.some((f) => f.path.endsWith('profiles.json') && f.text.includes('Trading HA'))).toBe(true);
  for (const f of files) expect(f.text.includes(password), `${f.path} holds the password`).toBe(false);

  const second = await launchHost();
  await page.goto(second.handle.url);
  await expect(saved).toContainText('2 servers');
  await saved.getByRole('button', { name: 'More actions for Trading HA' }).click();
  await page.getByRole('menuitem', { name: 'Edit…' }).click();
  await editor.expectOpen();
  await expect(editor.name).toHaveValue('Trading HA');
  await expect(editor.serverView(1)).toHaveText('tcp://127.0.0.1:19007/amps/json');
  await expect(editor.serverView(2)).toHaveText('tcp://127.0.0.1:19008/amps/json');
  await expect(editor.user).toHaveValue('trader');
  // Monaco and its worker ran under the app's CSP without a violation.
  expect(violations).toEqual([]);
});

test('a profiles file with a bad entry: the good profiles load and the bad one is shown set aside, with why', async ({
  page,
  userData,
  launchHost,
}) => {
  test.setTimeout(60_000); // two host starts
  const first = await launchHost();
  await page.goto(first.handle.url);
  await page.getByRole('button', { name: 'New profile' }).click();
  const editor = new ProfileEditorPage(page);
  await editor.expectOpen();
  await editor.name.fill('Good one');
  await editor.typeServer(1, 'tcp://127.0.0.1:19009/amps/json');
  await editor.save.click();
  await expect(editor.dialog).toBeHidden();
  await first.stop();

  // Damage the file as a hand edit would: a second entry whose server list is not a list.
  const file = join(userData, 'profiles.json');
  const data = JSON.parse(readFileSync(file, 'utf8')) as { profiles: Record<string, unknown>[] };
  const good = data.profiles[0];
  expect(good).toBeDefined();
  data.profiles.push({ ...good, id: 'broken-entry', name: 'Broken one', servers: 'tcp://nowhere' });
  writeFileSync(file, JSON.stringify(data, null, 2));

  const second = await launchHost();
  await page.goto(second.handle.url);
  const profiles = page.getByRole('list', { name: 'Saved profiles' });
  await expect(profiles.getByRole('listitem').filter({ hasText: 'Good one' })).toBeVisible();
  await expect(profiles.getByRole('listitem').filter({ hasText: 'Broken one' })).toHaveCount(0);
  const problem = page.getByRole('alert').filter({ hasText: /Broken one|entry 2|servers/ });
  await expect(problem).toBeVisible();
  await expect(problem).toContainText(/servers/);
});

test('profiles export without passwords unless ticked (with a warning), and an exported file imports back', async ({
  app,
}) => {
  const password = 'Export-pw-e2e-9Z';
  await app.getByRole('button', { name: 'New profile' }).click();
  const editor = new ProfileEditorPage(app);
  await editor.expectOpen();
  await editor.name.fill('Shared desk');
  await editor.typeServer(1, 'tcp://127.0.0.1:19010/amps/json');
  await editor.password.fill(password);
  await editor.save.click();
  await expect(editor.dialog).toBeHidden();

  await app.getByText('Import / export').click();
  const download = app.waitForEvent('download');
  await app.getByRole('button', { name: 'Export profiles' }).click();
  const exported = await (await download).path();
  const json = readFileSync(exported, 'utf8');
  expect(json).toContain('Shared desk');
  expect(json).not.toContain(password);

  await app.getByLabel('Include passwords and TLS keys').check();
  await expect(app.getByRole('alert').filter({ hasText: 'plain text' })).toBeVisible();
  await app.getByLabel('Include passwords and TLS keys').uncheck();

  const importFile = async (): Promise<void> =>
    app.getByLabel('Import profiles from a file').setInputFiles({
      name: 'desk.json',
      mimeType: 'application/json',
      buffer: Buffer.from(json),
    });
  const outcome = app.getByRole('status').filter({ hasText: 'added from desk.json' });
  const desk = app.getByRole('list', { name: 'Saved profiles' }).getByRole('listitem').filter({ hasText: 'Shared desk' });
  // The same profile again is skipped, with why.
  await importFile();
  await expect(outcome).toContainText('0 profiles added from desk.json; 1 skipped');
  await expect(outcome.getByRole('list', { name: 'Skipped profiles' })).toContainText(/Entry 1: .*exists already/);

  // Deleted, it imports back.
  app.once('dialog', (d) => void d.accept());
  await desk.getByRole('button', { name: 'More actions for Shared desk' }).click();
  await app.getByRole('menuitem', { name: 'Delete…' }).click();
  await expect(desk).toHaveCount(0);
  await importFile();
  await expect(outcome).toContainText('1 profile added from desk.json.');
  await expect(desk).toHaveCount(1);
});
