/**
 * A page reload keeps a live SOW tab's rows (the app sends main's current records again) and
 * it keeps receiving; a running repeat publish is still shown with its growing progress and
 * can be stopped. Nothing runs twice on the server, and nothing runs unseen.
 */
import { expect, test } from '../fixtures.js';
import { AppPage } from '../pages/appPage.js';
import { PublishViewPage } from '../pages/publishView.js';
import { SowViewPage } from '../pages/sowView.js';

test('a live SOW tab keeps its rows after a reload and receives a new publish', async ({
  app,
  sandbox,
  seed,
}) => {
  test.setTimeout(60_000);
  const ui = new AppPage(app);
  const ws = ui.workspace;
  await seed('orders', [
    '{"id":1,"sym":"IBM","qty":30}',
    '{"id":2,"sym":"MSFT","qty":10}',
    '{"id":3,"sym":"AAPL","qty":50}',
  ]);
  await ui.expectReady();
  await ui.connection.connectTo(sandbox.tcpUri);
  await ui.connection.expectConnected();
  await app.getByRole('button', { name: 'New SOW query' }).first().click();
  const sow = new SowViewPage(app, ws.activePanel);
  await sow.mode('Live');
  await sow.run('orders', '/qty >= 20');
  await sow.expectStatus('Live');
  await expect(sow.rows).toHaveCount(2);
  await expect.poll(() => sandbox.server.broker.subs.size).toBe(1);
  // A change while the page is away (it reaches main, not the page) ...
  await app.reload();
  await seed('orders', ['{"id":1,"sym":"IBM","qty":31}']);

  await ui.expectReady();
  await expect(ws.tab('SOW query: orders')).toHaveAttribute('aria-selected', 'true');
  const again = new SowViewPage(app, ws.activePanel);
  // ... is in the rows main sends again, and the view is live.
  await again.expectStatus('Live');
  await expect(again.rows).toHaveCount(2);
  await expect(again.cell('IBM', '/qty')).toHaveText('31');
  await expect(again.row('AAPL')).toHaveCount(1);

  // A record published after the reload arrives through the same server subscription.
  await seed('orders', ['{"id":4,"sym":"ORCL","qty":70}']);
  await expect(again.row('ORCL')).toHaveCount(1);
  await expect(again.rows).toHaveCount(3);
  expect(sandbox.server.broker.subs.size).toBe(1);
});

test('a running repeat publish is still shown with its progress after a reload, and stops', async ({
  app,
  sandbox,
}) => {
  test.setTimeout(60_000);
  const ui = new AppPage(app);
  const ws = ui.workspace;
  await ui.expectReady();
  await ui.connection.connectTo(sandbox.tcpUri);
  await ui.connection.expectConnected();
  await app.getByRole('button', { name: 'New publish' }).first().click();
  const pub = new PublishViewPage(app, ws.activePanel);
  await expect(pub.target).toContainText(sandbox.tcpUri.replace(/\/amps\/json$/, ''));
  await pub.topic.fill('ticks');
  await pub.ack.selectOption('none');
  await pub.template.check();
  await pub.setPayload('{"n":{{seq}}}');
  await pub.repeat(100_000, 50);
  await expect(pub.progress).toContainText(/Publishing: \d+ sent, 0 failed of 100000/);

  await app.reload();
  await ui.expectReady();
  const again = new PublishViewPage(app, ws.activePanel);
  await expect(again.progress).toContainText(/Publishing: \d+ sent, 0 failed of 100000/);
  const sentNow = async (): Promise<number> =>
    Number(/(\d+) sent/.exec((await again.progress.textContent()) ?? '')?.[1] ?? -1);
  const first = await sentNow();
  // The job goes on in main, and its progress reaches the reloaded page.
  await expect.poll(sentNow).toBeGreaterThan(first);
  await again.jobs.getByRole('button', { name: 'Stop' }).click();
  await expect(again.progress).toContainText(/Stopped: \d+ sent/);
});

test('a server-paged live SOW tab opens its window again after a reload', async ({ app, sandbox, seed }) => {
  test.setTimeout(90_000);
  await seed(
    'orders',
    Array.from({ length: 12_000 }, (_, i) => JSON.stringify({ id: i, sym: `S${i % 97}`, qty: i })),
  );
  const ui = new AppPage(app);
  const ws = ui.workspace;
  await ui.expectReady();
  await ui.connection.connectTo(sandbox.tcpUri);
  await ui.connection.expectConnected();
  await app.getByRole('button', { name: 'New SOW query' }).first().click();
  const sow = new SowViewPage(app, ws.activePanel);
  await sow.mode('Live');
  await sow.orderBy.fill('/id');
  await sow.run('orders');
  await expect(sow.pagedStatus).toContainText('of 12,000 records (live window)');
  await expect.poll(() => sandbox.server.broker.subs.size).toBe(1);

  await app.reload();
  await ui.expectReady();
  const again = new SowViewPage(app, ws.activePanel);
  await expect(again.pagedStatus).toContainText('of 12,000 records (live window)');
  await expect(again.numberedRow(1).getByRole('gridcell').first()).toHaveText('0');
  // Live again, and the window of the page before the reload is gone from the server.
  await seed('orders', [JSON.stringify({ id: 0, sym: 'CHANGED', qty: 1 })]);
  await expect(again.numberedRow(1)).toContainText('CHANGED');
  await expect.poll(() => sandbox.server.broker.subs.size).toBe(1);
});

test('a live chart keeps plotting its subscription after a reload', async ({ app, sandbox, seed }) => {
  test.setTimeout(60_000);
  const ui = new AppPage(app);
  const ws = ui.workspace;
  await ui.expectReady();
  await ui.connection.connectTo(sandbox.tcpUri);
  await ui.connection.expectConnected();
  await app.getByRole('button', { name: 'New live chart' }).first().click();
  const form = ws.activePanel.getByRole('form', { name: 'Chart settings' });
  await form.getByLabel('Topic').fill('prices');
  await form.getByLabel('Field path').fill('/price');
  await form.getByRole('button', { name: 'Plot' }).click();
  await expect.poll(() => sandbox.server.broker.subs.size).toBe(1);
  await seed('prices', ['{"price":1}', '{"price":2}']);
  await expect(ws.activePanel.getByRole('status').filter({ hasText: 'points' })).toHaveText(
    'Plotting: 2 points',
  );

  await app.reload();
  await ui.expectReady();
  await expect(ws.tab('/price of prices')).toHaveAttribute('aria-selected', 'true');
  const status = ws.activePanel.getByRole('status').filter({ hasText: 'points' });
  await expect(status).toContainText('Plotting');
  await seed('prices', ['{"price":3}', '{"price":4}', '{"price":5}']);
  await expect(status).toHaveText(/Plotting: [3-5] points/);
  await expect(ws.activePanel.getByRole('button', { name: 'Stop' })).toBeEnabled();
  // The same server subscription: nothing was placed twice, nothing runs unseen.
  expect(sandbox.server.broker.subs.size).toBe(1);
});
