/** Export a subscription's messages to a file main writes, and record a live subscription for a count. */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from '../fixtures.js';
import { AppPage } from '../pages/appPage.js';

interface Line {
  index: number;
  headers: { command?: string; topic?: string; sowKey?: string };
  encoding: string;
  payload: unknown;
}

const readLines = async (path: string): Promise<Line[]> =>
  (await readFile(path, 'utf8'))
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Line);

const orders = (n: number, from = 1) =>
  Array.from({ length: n }, (_, i) => ({
    id: from + i,
    sym: ['IBM', 'MSFT', 'AAPL'][i % 3],
    qty: (from + i) * 10,
  }));

test('export to NDJSON read back: every message main holds, with its headers and payload', async ({
  app,
  sandbox,
  seed,
  userData,
}) => {
  const ui = new AppPage(app);
  await ui.expectReady();
  await ui.connection.connectTo(sandbox.tcpUri);
  await ui.connection.expectConnected();
  const sub = await ui.newSubscription();
  await sub.subscribe('orders', '');
  const sent = orders(25);
  await seed(
    'orders',
    sent.map((o) => JSON.stringify(o)),
  );
  await expect(sub.rows.first()).toBeVisible();
  await expect(sub.received).toHaveText('25');

  const menu = sub.root.getByRole('group', { name: 'Export messages' });
  await menu
    .getByRole('combobox', { name: 'Messages to export' })
    .selectOption({ label: 'All held messages' });
  await menu.getByRole('combobox', { name: 'Export format' }).selectOption({ label: 'NDJSON' });
  await menu.getByRole('button', { name: 'Export' }).click();
  const status = menu.getByRole('status', { name: 'Export status' });
  await expect(status).toContainText('Exported 25 messages');
  const path = (await status.locator('code').textContent()) ?? '';
  // Main picked the file, in the user-data exports folder.
  expect(path.startsWith(join(userData, 'exports'))).toBe(true);
  expect(await readdir(join(userData, 'exports'))).toHaveLength(1);

  const lines = await readLines(path);
  expect(lines.map((l) => l.index)).toEqual(sent.map((_, i) => i + 1));
  expect(lines.map((l) => l.payload)).toEqual(sent);
  expect(
    lines.every(
      (l) => l.encoding === 'json' && l.headers.topic === 'orders' && l.headers.command === 'publish',
    ),
  ).toBe(true);
  expect(lines.every((l) => typeof l.headers.sowKey === 'string' && l.headers.sowKey !== '')).toBe(true);
  await expect(menu.getByRole('button', { name: 'Copy path' })).toBeVisible();

  // Only the search results, as CSV.
  await sub.root.getByRole('searchbox', { name: 'Search messages' }).fill('MSFT');
  await expect(sub.root.getByRole('search', { name: 'Search messages' }).getByRole('status')).toContainText(
    '8 matches',
  );
  await menu
    .getByRole('combobox', { name: 'Messages to export' })
    .selectOption({ label: 'Search results (8)' });
  await menu.getByRole('combobox', { name: 'Export format' }).selectOption({ label: 'CSV' });
  await menu.getByRole('button', { name: 'Export' }).click();
  await expect(status).toContainText('Exported 8 messages');
  const csvPath = (await status.locator('code').textContent()) ?? '';
  const rows = (await readFile(csvPath, 'utf8')).split('\r\n').filter((l) => l !== '');
  expect(rows[0]).toBe('time,command,topic,sowKey,bookmark,/id,/sym,/qty');
  expect(rows.slice(1).map((r) => r.split(',')[6])).toEqual(Array(8).fill('MSFT'));
});

test('record a live subscription for a count: exactly that many messages, then it stops and says so', async ({
  app,
  sandbox,
  seed,
  userData,
}) => {
  const ui = new AppPage(app);
  await ui.expectReady();
  await ui.connection.connectTo(sandbox.tcpUri);
  await ui.connection.expectConnected();
  const sub = await ui.newSubscription();
  await sub.subscribe('orders', '');

  const panel = sub.root.getByRole('group', { name: 'Record subscription' });
  await panel
    .getByRole('combobox', { name: 'Record until' })
    .selectOption({ label: 'Record a count of messages' });
  await panel.getByRole('spinbutton', { name: 'Messages to record' }).fill('5');
  await panel.getByRole('button', { name: 'Record' }).click();
  await expect(panel.getByRole('button', { name: 'Stop recording' })).toBeVisible();
  await expect(panel.getByRole('status', { name: 'Recording progress' })).toContainText(
    'Recording: 0 of 5 messages',
  );

  const sent = orders(8, 100);
  await seed(
    'orders',
    sent.map((o) => JSON.stringify(o)),
  );
  const result = panel.getByRole('status', { name: 'Recording result' });
  await expect(result).toContainText('Recorded 5 messages');
  await expect(result).toContainText('stopped after 5 messages');
  // The subscription goes on: the list gets every message.
  await expect(sub.received).toHaveText('8');

  const path = (await result.locator('code').textContent()) ?? '';
  expect(path.startsWith(join(userData, 'exports'))).toBe(true);
  const lines = await readLines(path);
  // A recording writes each payload as its text.
  expect(lines.map((l) => l.encoding)).toEqual(Array(5).fill('text'));
  expect(lines.map((l) => JSON.parse(l.payload as string) as unknown)).toEqual(sent.slice(0, 5));
  expect(lines.every((l) => l.headers.topic === 'orders')).toBe(true);
});
