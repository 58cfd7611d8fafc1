/**
 * Journey 5 (browser host only): the host refuses whoever lacks the per-launch token, both the
 * page opened without `#token=` and raw WebSockets with a wrong token or a foreign Origin.
 */
import WebSocket from 'ws';
import { CHANNELS } from '../../common/src/ipc/contract.js';
import { expect, test } from '../fixtures.js';
import type { HostHandle } from '../fixtures.js';
import { AppPage } from '../pages/appPage.js';

const WS_WAIT_MS = 8_000;

/** How a raw WebSocket attempt ended. */
type Outcome =
  | { kind: 'rejected'; status: number }
  | { kind: 'closed'; code: number; frames: string[] }
  | { kind: 'ready'; frames: string[] };

function tryWebSocket(url: string, headers: Record<string, string>, firstFrame?: string): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    const frames: string[] = [];
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error(`no verdict from ${url} within ${WS_WAIT_MS} ms; frames: ${frames.join(' ')}`));
    }, WS_WAIT_MS);
    const finish = (outcome: Outcome): void => {
      clearTimeout(timer);
      ws.terminate();
      resolve(outcome);
    };
    ws.on('unexpected-response', (_req, res) => finish({ kind: 'rejected', status: res.statusCode ?? 0 }));
    ws.on('open', () => {
      if (firstFrame !== undefined) ws.send(firstFrame);
    });
    ws.on('message', (data) => {
      const text = String(data);
      frames.push(text);
      if (text.includes('"ready"')) finish({ kind: 'ready', frames });
    });
    ws.on('close', (code) => finish({ kind: 'closed', code, frames }));
    ws.on('error', () => undefined);
  });
}

const wsUrl = (host: HostHandle, query = ''): string => `ws://127.0.0.1:${host.port}/ws${query}`;

test('the page opened without #token= shows a clear error and no app', async ({ page, host }) => {
  await page.goto(`${host.origin}/`);
  const ui = new AppPage(page);
  await expect(ui.fatalError).toBeVisible();
  await expect(ui.fatalError).toContainText('Cannot start');
  await expect(ui.fatalError).toContainText('no access token');
  await expect(ui.fatalError).toContainText('#token=');
  await expect(ui.connection.root).toHaveCount(0);
});

test('the page opened with a wrong token shows the refusal', async ({ page, host }) => {
  await page.goto(`${host.origin}/#token=not-the-token`);
  const ui = new AppPage(page);
  await expect(ui.fatalError).toBeVisible();
  await expect(ui.fatalError).toContainText('refused');
  await expect(ui.connection.root).toHaveCount(0);
});

test('raw WebSockets without the right token or from a foreign Origin are refused', async ({ host }) => {
  const ownOrigin = { Origin: host.origin };

  // Wrong token in the query: refused at the upgrade.
  const wrongQuery = await tryWebSocket(wsUrl(host, '?token=wrong'), ownOrigin);
  expect(wrongQuery).toEqual({ kind: 'rejected', status: 401 });

  // Foreign Origin, even with the right token: refused at the upgrade.
  const foreign = await tryWebSocket(wsUrl(host, `?token=${encodeURIComponent(host.token)}`), {
    Origin: 'http://evil.example',
  });
  expect(foreign).toEqual({ kind: 'rejected', status: 403 });

  // Wrong token in the first frame: the socket is closed as unauthorized (4401).
  const wrongFrame = await tryWebSocket(wsUrl(host), ownOrigin, JSON.stringify({ type: 'auth', token: 'x' }));
  expect(wrongFrame.kind).toBe('closed');
  if (wrongFrame.kind === 'closed') {
    expect(wrongFrame.code).toBe(4401);
    expect(wrongFrame.frames.join('')).toContain('refused');
  }

  // A request without any authentication is refused too, never answered.
  const noAuth = await tryWebSocket(
    wsUrl(host),
    ownOrigin,
    JSON.stringify({ type: 'invoke', id: 1, channel: CHANNELS.getAppInfo, payload: {} }),
  );
  expect(noAuth.kind).toBe('closed');
  if (noAuth.kind === 'closed') expect(noAuth.frames.join('')).not.toContain('"result"');

  // Control: the right token in the first frame is accepted.
  const good = await tryWebSocket(
    wsUrl(host),
    ownOrigin,
    JSON.stringify({ type: 'auth', token: host.token }),
  );
  expect(good.kind).toBe('ready');
});
