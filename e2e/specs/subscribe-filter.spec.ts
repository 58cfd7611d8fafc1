/**
 * Journey 2: subscribe with a content filter and see exactly the matching messages the test
 * publishes through our client; selecting one shows its headers and pretty-printed payload.
 */
import { expect, test } from '../fixtures.js';
import { AppPage } from '../pages/appPage.js';

interface Order {
  id: number;
  sym: string;
  qty: number;
}

const ORDERS: Order[] = [
  { id: 1, sym: 'IBM', qty: 3 },
  { id: 2, sym: 'MSFT', qty: 10 },
  { id: 3, sym: 'AAPL', qty: 5 },
  { id: 4, sym: 'ORCL', qty: 6 },
  { id: 5, sym: 'GOOG', qty: 1 },
  { id: 6, sym: 'AMZN', qty: 250 },
];
const matches = (o: Order): boolean => o.qty > 5;

test('a filtered subscription shows exactly the matching messages and their detail', async ({
  app,
  sandbox,
  seed,
}) => {
  const ui = new AppPage(app);
  await ui.expectReady();
  await ui.connection.connectTo(sandbox.tcpUri);
  await ui.connection.expectConnected();

  const sub = await ui.newSubscription();
  await expect(sub.empty).toBeVisible();
  await sub.subscribe('orders', '/qty > 5');
  await expect(sub.filterProblem).toHaveCount(0);

  await seed(
    'orders',
    ORDERS.map((o) => JSON.stringify(o)),
  );
  const expected = ORDERS.filter(matches);

  await expect(sub.rows).toHaveCount(expected.length);
  await expect(sub.received).toHaveText(String(expected.length));
  // A marker published after the batch: once it is shown, every earlier message has been
  // delivered, so a non-matching one that had slipped through would be on screen now.
  await seed('orders', [JSON.stringify({ id: 99, sym: 'END', qty: 1000 })]);
  await expect(sub.rows).toHaveCount(expected.length + 1);
  await expect(sub.received).toHaveText(String(expected.length + 1));

  const payloads = await sub.rowPayloads();
  const shownSymbols = payloads.map((p) => (JSON.parse(p) as Order).sym).sort();
  expect(shownSymbols).toEqual([...expected.map((o) => o.sym), 'END'].sort());
  for (const o of ORDERS.filter((x) => !matches(x))) {
    await expect(sub.list).not.toContainText(`"${o.sym}"`);
  }

  // Select the MSFT order: its headers and the pretty-printed payload appear in the detail pane.
  await expect(sub.detail).toContainText('Select a message');
  await sub.rows.filter({ hasText: '"MSFT"' }).click();
  await expect(sub.detailHeaders).toBeVisible();
  const headers = await sub.detailHeaderMap();
  expect(headers.get('topic')).toBe('orders');
  expect(headers.get('command')).toBe('publish');
  expect(headers.get('sow key')).toBeTruthy();
  await expect(sub.detailPayloadKind).toHaveText('json');
  const pretty = JSON.stringify({ id: 2, sym: 'MSFT', qty: 10 }, null, 2);
  await expect(sub.detailPayload).toHaveText(pretty, { useInnerText: true });
});
