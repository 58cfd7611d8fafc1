/** Copy a subscription view as a spark command: the shown command is the one spark would run. */
import { parseSparkArgs } from '../../client/cli/args.js';
import { expect, test } from '../fixtures.js';
import { AppPage } from '../pages/appPage.js';

test('copy a bookmark replay as a spark command with its topic, filter, bookmark and rate', async ({ app, sandbox }) => {
  const ui = new AppPage(app);
  await ui.expectReady();
  await ui.connection.connectTo(sandbox.tcpUri);
  await ui.connection.expectConnected();

  const sub = await ui.newSubscription();
  await sub.fill('orders', '/qty > 5');
  await sub.form.getByLabel('Mode').selectOption({ label: 'bookmark replay' });
  await sub.form.getByLabel(/^Rate/).fill('2X');

  await sub.root.getByRole('button', { name: 'Copy subscription' }).click();
  const text = sub.root.getByRole('textbox', { name: 'Subscription as spark command' });
  await expect(text).toBeVisible();
  const line = (await text.inputValue()).split('\n').at(-1) ?? '';
  expect(line.startsWith('npm run spark -- subscribe ')).toBe(true);
  // The shell words (single-quoted where needed) read back through spark's own parser.
  const words = [...line.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? '');
  const args = parseSparkArgs(words.slice(4));
  expect(args).toMatchObject({ command: 'subscribe', topic: 'orders', filter: '/qty > 5', bookmark: '0', uris: [sandbox.tcpUri] });
  expect(args.options).toContain('rate=2X');
  await expect(sub.root.getByRole('status').filter({ hasText: /^(Copied as spark command|The clipboard is not available)/ })).toBeVisible();
});
