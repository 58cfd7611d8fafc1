/** Journey 1: the user types the sandbox's connection string and connects. */
import { expect, test } from '../fixtures.js';
import { AppPage } from '../pages/appPage.js';

test('typing the connection string and pressing Connect logs on', async ({ app, sandbox }) => {
  const ui = new AppPage(app);
  await ui.expectReady();
  await expect(ui.connection.status).toHaveText('not used');

  await ui.connection.connectTo(sandbox.tcpUri);

  await ui.connection.expectConnected();
  await expect(ui.connection.problem).toHaveCount(0);
  await expect(ui.connection.root).toContainText(`Using ${sandbox.tcpUri}`);
  await expect(ui.connection.disconnectButton).toBeVisible();

  // The event log says "connecting" once per attempt (repeats of a state fold into one line).
  const log = ui.workspace.eventLog.getByRole('list');
  await expect(log.getByText(/^logged on/)).toHaveCount(1);
  await expect(log.getByText(/^connecting/)).toHaveCount(1);
});
