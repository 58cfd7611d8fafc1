import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RecordingProgress } from '../../common/src/dto/messageExport.js';
import { createBackend } from '../main/backend.js';
import type { Backend } from '../main/backend.js';
import { memoryLogger } from '../main/platform/logger.js';
import { createMemoryCipher } from '../main/platform/secretCipher.js';
import { fakeFactory, settle } from './fakes.js';

const ORIGIN = 'http://127.0.0.1:1';
let dir: string;
let backend: Backend;
let factory: ReturnType<typeof fakeFactory>;
const events: Array<[string, string, unknown]> = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'amps-message-files-'));
  factory = fakeFactory();
  backend = createBackend({
    mode: 'browser',
    version: '1',
    userDataDir: dir,
    cipher: createMemoryCipher(),
    factory,
    logger: memoryLogger(),
    allowedOrigins: [ORIGIN],
    batchIntervalMs: 16,
  });
  events.length = 0;
  for (const owner of ['page:1', 'page:2'])
    backend.hub.register(owner, { send: (channel, payload) => events.push([owner, channel, payload]) });
});
afterEach(async () => {
  await backend.shutdown();
  await rm(dir, { recursive: true, force: true });
});

const call = (clientId: string, name: Parameters<Backend['wrapper']>[0], payload?: unknown) =>
  backend.wrapper(name, { senderUrl: `${ORIGIN}/index.html`, clientId, payload });

describe('message exports and recordings through the request wrapper', () => {
  it('are owner-checked, validated, and written where main says', async () => {
    const opened = await call('page:1', 'openConnection', {
      connectionString: 'tcp://127.0.0.1:1/amps/json',
    });
    const { connectionId } = (opened as { value: { connectionId: string } }).value;
    const sub = await call('page:1', 'subscribe', { connectionId, topic: 'orders', mode: 'subscribe' });
    const { subscriptionId } = (sub as { value: { subscriptionId: string } }).value;
    const feed = factory.built[0]?.subscriptions[0];
    for (let i = 1; i <= 4; i++) feed?.push(JSON.stringify({ id: i }));
    await settle(20);

    // Another page cannot export or record it; a path from the page is refused.
    expect(await call('page:2', 'exportMessages', { subscriptionId, format: 'ndjson' })).toMatchObject({
      ok: false,
      error: { code: 'unknown-subscription' },
    });
    expect(await call('page:2', 'startRecording', { subscriptionId })).toMatchObject({ ok: false });
    expect(
      await call('page:1', 'exportMessages', {
        subscriptionId,
        format: 'ndjson',
        path: '/tmp/elsewhere.ndjson',
      }),
    ).toMatchObject({ ok: false, error: { code: 'invalid-payload' } });

    const exported = await call('page:1', 'exportMessages', { subscriptionId, format: 'json' });
    expect(exported).toMatchObject({ ok: true, value: { messages: 4, missing: 0 } });
    const path = (exported as { value: { path: string } }).value.path;
    expect(path.startsWith(join(dir, 'exports'))).toBe(true);
    const rows = JSON.parse(await readFile(path, 'utf8')) as Array<{ payload: { id: number } }>;
    expect(rows.map((r) => r.payload.id)).toEqual([1, 2, 3, 4]);
    expect(events).toContainEqual([
      'page:1',
      'amps:onMessageExportProgress',
      { subscriptionId, written: 4, total: 4, done: true },
    ]);

    const started = await call('page:1', 'startRecording', { subscriptionId, maxMessages: 2 });
    expect(started).toMatchObject({ ok: true, value: { messages: 0 } });
    for (let i = 5; i <= 7; i++) feed?.push(JSON.stringify({ id: i }));
    await settle(20);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const final = events
      .filter(([owner, channel]) => owner === 'page:1' && channel === 'amps:onRecordingProgress')
      .map(([, , p]) => p as RecordingProgress)
      .find((p) => p.stopped !== undefined);
    expect(final).toMatchObject({ stopped: 'count', messages: 2 });
    const lines = (await readFile(final?.path ?? '', 'utf8')).split('\n').filter((l) => l !== '');
    expect(
      lines.map((l) => (JSON.parse((JSON.parse(l) as { payload: string }).payload) as { id: number }).id),
    ).toEqual([5, 6]);
    expect(
      events.some(([owner, channel]) => owner === 'page:2' && channel === 'amps:onRecordingProgress'),
    ).toBe(false);
  });
});
