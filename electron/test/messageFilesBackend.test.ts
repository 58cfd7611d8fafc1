import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RecordingProgress } from '../../common/src/dto/messageExport.js';
import { settle } from './fakes.js';
import { usePageBackend } from './pageBackend.js';

const page = usePageBackend('amps-message-files-');
const { events, call } = page;

describe('message exports and recordings through the request wrapper', () => {
  it('are owner-checked, validated, and written where main says', async () => {
    const opened = await call('page:1', 'openConnection', {
      connectionString: 'tcp://127.0.0.1:1/amps/json',
    });
    const { connectionId } = (opened as { value: { connectionId: string } }).value;
    const sub = await call('page:1', 'subscribe', { connectionId, topic: 'orders', mode: 'subscribe' });
    const { subscriptionId } = (sub as { value: { subscriptionId: string } }).value;
    const feed = page.factory.built[0]?.subscriptions[0];
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
    expect(path.startsWith(join(page.dir, 'exports'))).toBe(true);
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
