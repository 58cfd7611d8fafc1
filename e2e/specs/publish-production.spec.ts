/**
 * On a profile marked production the publish view asks before it sends: Cancel sends nothing,
 * "Yes, send" sends once.
 */
import { Client } from '../../client/src/client.js';
import { expect, test } from '../fixtures.js';
import { AppPage } from '../pages/appPage.js';
import { ProfileEditorPage } from '../pages/profileEditor.js';
import { PublishViewPage } from '../pages/publishView.js';

test('a production profile asks before a publish is sent', async ({ app, sandbox }) => {
  const watcher = new Client(`e2e-prod-${process.pid}`);
  await watcher.connect(sandbox.tcpUri);
  await watcher.logon();
  try {
    const stream = await watcher.subscribe('prod-news');
    const got: string[] = [];
    void (async () => {
      for await (const m of stream) got.push(m.text);
    })().catch(() => undefined);

    const ui = new AppPage(app);
    await ui.expectReady();
    await app.getByRole('button', { name: 'New profile' }).click();
    const editor = new ProfileEditorPage(app);
    await editor.expectOpen();
    await editor.name.fill('Prod');
    await editor.typeServer(1, sandbox.tcpUri);
    await editor.dialog.getByRole('checkbox', { name: /Production/ }).check();
    await editor.save.click();
    await expect(editor.dialog).toBeHidden();
    await app.getByRole('button', { name: 'Connect Prod' }).click();
    await expect(ui.workspace.connection('Prod')).toBeVisible();
    await app.getByRole('button', { name: 'New publish' }).first().click();
    const pub = new PublishViewPage(app, ui.workspace.activePanel);
    await expect(pub.target).toContainText('Sending to Prod');
    await expect(pub.target).toContainText('production');

    await pub.publish('prod-news', '{"n": 1}');
    const confirm = app.getByRole('alertdialog', { name: 'Write to a production server?' });
    await expect(confirm).toContainText('Publish 1 message to prod-news');
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await expect(confirm).toBeHidden();
    await expect(pub.results).toHaveCount(0);

    await pub.sendButton.click();
    await confirm.getByRole('button', { name: 'Yes, send' }).click();
    await expect(pub.results.getByRole('status')).toContainText(
      'publish to prod-news accepted by the server',
    );
    await expect.poll(() => got).toEqual(['{"n": 1}']);
  } finally {
    await watcher.close();
  }
});
