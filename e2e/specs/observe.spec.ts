/**
 * Observe journeys: the wire inspector shows a subscribe with its processed ack and latency,
 * and a filter the server refuses with the failed ack and its reason; a live chart draws a
 * point per message of a numeric field; the HUD's message rate follows a paced publisher.
 */
import { Client } from '../../client/src/client.js';
import { expect, test } from '../fixtures.js';
import { AppPage } from '../pages/appPage.js';
import { ChartPanel, Hud, InspectorPanel, openView, selectTab } from '../pages/inspector.js';

test('a subscribe shows the command and its processed ack with a latency', async ({ app, sandbox }) => {
  const ui = new AppPage(app);
  await ui.expectReady();
  await ui.connection.connectTo(sandbox.tcpUri);
  await ui.connection.expectConnected();

  await openView(app, 'Open the wire inspector', /^Wire inspector/);
  const sub = await ui.newSubscription();
  await sub.subscribe('orders', '/qty > 5');

  const inspector = new InspectorPanel(await selectTab(app, /^Wire inspector/));
  const command = inspector.row(/→ out/, /subscribe/, /orders/, /\/qty > 5/);
  await expect(command).toHaveCount(1);
  const ids = await inspector.cell(command, 'Ids');
  const cid = /cid=(\S+)/.exec(ids)?.[1];
  expect(cid, `the subscribe row names its command id (${ids})`).toBeTruthy();

  const ack = inspector.row(/← in/, new RegExp(`cid=${cid}\\b`), /processed: success/);
  await expect(ack).toHaveCount(1);
  expect(await inspector.cell(ack, 'Latency')).toMatch(/^\d+ ms$/);

  // The filter box narrows the list to the matching entries.
  await inspector.filter.fill('processed success');
  await expect(inspector.row(/subscribe/, /\/qty > 5/)).toHaveCount(0);
  await expect(ack).toHaveCount(1);
});

test('a filter the server refuses shows the failed ack with its reason', async ({ app, sandbox }) => {
  const ui = new AppPage(app);
  await ui.expectReady();
  await ui.connection.connectTo(sandbox.tcpUri);
  await ui.connection.expectConnected();

  const chart = new ChartPanel(await openView(app, 'New live chart', /^Live chart/));
  await chart.start('orders', '/qty', '/qty >');
  await expect(chart.error).toContainText(/filter/i);

  const inspector = new InspectorPanel(await openView(app, 'Open the wire inspector', /^Wire inspector/));
  const command = inspector.row(/→ out/, /subscribe/, /\/qty >/);
  await expect(command).toHaveCount(1);
  const cid = /cid=(\S+)/.exec(await inspector.cell(command, 'Ids'))?.[1];
  const ack = inspector.row(/← in/, new RegExp(`cid=${cid}\\b`), /processed: failure/);
  await expect(ack).toHaveCount(1);
  expect(await inspector.cell(ack, 'Reason')).toMatch(/filter/i);
});

test('a chart of a numeric field draws points as messages arrive', async ({ app, sandbox, seed }) => {
  const ui = new AppPage(app);
  await ui.expectReady();
  await ui.connection.connectTo(sandbox.tcpUri);
  await ui.connection.expectConnected();

  const chart = new ChartPanel(await openView(app, 'New live chart', /^Live chart/));
  await chart.start('orders', '/qty');
  await expect(chart.root.getByRole('status')).toContainText('Plotting: 0 points');

  await seed(
    'orders',
    [1, 2, 3, 4, 5].map((q) => JSON.stringify({ id: q, qty: q * 10 })),
  );
  await expect(chart.chart(/^\/qty of orders: 5 points$/)).toBeVisible();
  // A message without the field is not a point; the next ones are.
  await seed('orders', [
    JSON.stringify({ id: 6 }),
    JSON.stringify({ id: 7, qty: 3 }),
    JSON.stringify({ id: 8, qty: '4.5' }),
  ]);
  await expect(chart.chart(/^\/qty of orders: 7 points$/)).toBeVisible();
  await expect(chart.root.getByRole('status')).toContainText('1 messages without a number at /qty');
  // The chart drew on its canvas.
  await expect(chart.root.locator('canvas')).toHaveCount(1);

  // Paused: new messages add no points.
  await chart.pause.click();
  await seed('orders', [JSON.stringify({ id: 9, qty: 1 })]);
  await expect(chart.root.getByRole('status')).toContainText('Paused: 7 points');
});

test("the HUD's rate follows a paced publisher within 10 %", async ({ app, sandbox }) => {
  const RATE = 100;
  const ui = new AppPage(app);
  await ui.expectReady();
  await ui.connection.connectTo(sandbox.tcpUri);
  await ui.connection.expectConnected();
  const sub = await ui.newSubscription();
  await sub.subscribe('orders', '');
  const hud = new Hud(app);
  await expect(hud.fps).toHaveText(/^\d+ fps$/);

  const publisher = new Client(`e2e-paced-${process.pid}`);
  await publisher.connect(sandbox.tcpUri);
  await publisher.logon();
  // Paced by the clock: each tick sends what is due, so the mean rate is exact.
  const started = Date.now();
  let sent = 0;
  const timer = setInterval(() => {
    const due = Math.floor(((Date.now() - started) * RATE) / 1000);
    for (; sent < due; sent++) publisher.publish('orders', JSON.stringify({ id: sent % 50, n: sent }));
  }, 10);
  try {
    // Wait until the HUD's window (three polls of a second) covers only the paced stream.
    await app.waitForTimeout(4_500);
    await expect
      .poll(() => hud.messagesPerSecond(), { timeout: 10_000, message: `the HUD rate near ${RATE} msg/s` })
      .toBeGreaterThanOrEqual(RATE * 0.9);
    const shown = await hud.messagesPerSecond();
    expect(shown).toBeGreaterThanOrEqual(RATE * 0.9);
    expect(shown).toBeLessThanOrEqual(RATE * 1.1);
  } finally {
    clearInterval(timer);
    await publisher.close();
  }
  await expect(hud.warning).toHaveCount(0);
});

test.describe('server overview', () => {
  test.use({ localSandbox: true });

  test('the local sandbox shows its instance, clients and topics with counts and rates', async ({ app }) => {
    const ui = new AppPage(app);
    await ui.expectReady();
    await expect(ui.connection.sandboxState).toContainText('running', { timeout: 20_000 });
    await ui.connection.sandboxButton.click();
    await ui.connection.expectConnected();

    const panel = await openView(app, 'Open the server overview', /^Server overview/);
    const view = panel.getByRole('region', { name: 'Server overview' });
    const facts = view.getByRole('definition');
    await expect(facts.first()).toHaveText('amps-explorer-sandbox');
    await expect(view.getByRole('term')).toHaveText(['Instance', 'Version', 'Uptime', 'Clients', 'Source']);
    await expect(facts.nth(3)).toHaveText(/^[1-9]\d*$/);
    await expect(facts.nth(4)).toHaveText('sandbox admin endpoint');

    const topics = view.getByRole('table', { name: 'Topics' });
    const ticks = topics
      .getByRole('row')
      .filter({ has: app.getByRole('cell', { name: 'market_data', exact: true }) });
    await expect(ticks).toHaveCount(1);
    // The demo feed publishes all the time: a rate appears after two polls, and the chart plots it.
    await expect(ticks.getByRole('cell').nth(5)).toHaveText(/^\d+\.\d$/, { timeout: 10_000 });
    await expect(
      view.getByRole('img', { name: /^Messages per second by topic: [1-9]\d* points/ }),
    ).toBeVisible();
  });
});
