import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RecordingProgress } from '../../common/src/dto/messageExport.js';
import { csvCell, ExportFile } from '../main/services/exportFiles.js';
import { csvCells } from '../main/services/publish/bulkRecords.js';
import { MessageHistory } from '../main/services/messageFiles/messageHistory.js';
import type { HeldMessage } from '../main/services/messageFiles/messageHistory.js';
import { CSV_MAX_FIELDS, writeMessages } from '../main/services/messageFiles/messageWriter.js';
import { Recorder } from '../main/services/messageFiles/recorder.js';
import { SubscriptionFiles } from '../main/services/messageFiles/subscriptionFiles.js';
import type { AmpsMessageLike } from '../main/services/ampsAdapter.js';

const enc = new TextEncoder();
const msg = (
  payload: string,
  header: Record<string, string> = { command: 'p', topic: 'orders' },
): AmpsMessageLike => ({
  header,
  payload: enc.encode(payload),
});
const held = (index: number, payload: string, header?: Record<string, string>): HeldMessage => {
  const m = msg(payload, header);
  return { index, receivedAt: 1_700_000_000_000 + index, header: m.header, payload: m.payload };
};
const lines = (text: string): string[] => text.split('\n').filter((l) => l !== '');

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'amps-exports-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const exportTo = async (
  format: 'ndjson' | 'json' | 'csv',
  messages: HeldMessage[],
  progress: Array<[number, number]> = [],
): Promise<{ text: string; omittedColumns: number; messages: number; file: ExportFile }> => {
  const file = await ExportFile.create(dir, 'orders', format, Date.UTC(2026, 0, 2, 3, 4, 5));
  const counts = await writeMessages({ file, format, messages, onProgress: (w, t) => progress.push([w, t]) });
  await file.close();
  return { text: await readFile(file.path, 'utf8'), ...counts, file };
};

describe('CSV cells', () => {
  it('quotes commas, quotes and line breaks, and defuses formulas', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('=SUM(A1)')).toBe("'=SUM(A1)");
    expect(csvCell(-5)).toBe('-5');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell([1, 2])).toBe('"[1,2]"');
  });
});

describe('message exports', () => {
  it('NDJSON: one line per message with headers and the payload as JSON, text or base64', async () => {
    const messages = [
      held(1, '{"id":1,"qty":5}', { command: 'p', topic: 'orders', sowKey: 'k1', bookmark: '1|2|' }),
      held(2, 'plain text'),
      { ...held(3, ''), payload: new Uint8Array([0xff, 0xfe, 0x00]) },
    ];
    const { text, messages: n } = await exportTo('ndjson', messages);
    expect(n).toBe(3);
    const rows = lines(text).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatchObject({
      index: 1,
      headers: { command: 'p', topic: 'orders', sowKey: 'k1', bookmark: '1|2|' },
      encoding: 'json',
      payload: { id: 1, qty: 5 },
      receivedAt: 1_700_000_000_001,
      size: 16,
    });
    expect(rows[1]).toMatchObject({ index: 2, encoding: 'text', payload: 'plain text' });
    expect(rows[2]).toMatchObject({
      index: 3,
      encoding: 'base64',
      payload: Buffer.from([0xff, 0xfe, 0]).toString('base64'),
    });
  });

  it('JSON: a valid array of every message, also when empty', async () => {
    const messages = Array.from({ length: 50 }, (_, i) => held(i + 1, JSON.stringify({ n: i })));
    const { text } = await exportTo('json', messages);
    const parsed = JSON.parse(text) as Array<{ index: number; payload: { n: number } }>;
    expect(parsed.map((m) => m.payload.n)).toEqual(messages.map((_, i) => i));
    expect(JSON.parse((await exportTo('json', [])).text)).toEqual([]);
  });

  it('CSV: time, command, topic, sowKey, bookmark, then the union of fields, then the text of non-JSON payloads', async () => {
    const messages = [
      held(1, '{"id":1,"customer":{"name":"Ann, \\"A\\""}}', { command: 'p', topic: 'orders', sowKey: 'k1' }),
      held(2, '{"id":2,"qty":=3}'),
      held(3, '{"id":3,"qty":7}', { command: 'sow', topic: 'orders', bookmark: 'b3' }),
    ];
    const { text } = await exportTo('csv', messages);
    const rows = text
      .split('\r\n')
      .filter((l) => l !== '')
      .map((l) => csvCells(l));
    expect(rows[0]).toEqual([
      'time',
      'command',
      'topic',
      'sowKey',
      'bookmark',
      '/id',
      '/customer/name',
      '/qty',
      'payload',
    ]);
    expect(rows[1]).toEqual([
      new Date(1_700_000_000_001).toISOString(),
      'p',
      'orders',
      'k1',
      '',
      '1',
      'Ann, "A"',
      '',
      '',
    ]);
    // Not JSON (a bad value): the payload as text in its own column.
    expect(rows[2]).toEqual([
      new Date(1_700_000_000_002).toISOString(),
      'p',
      'orders',
      '',
      '',
      '',
      '',
      '',
      '{"id":2,"qty":=3}',
    ]);
    expect(rows[3]).toEqual([
      new Date(1_700_000_000_003).toISOString(),
      'sow',
      'orders',
      '',
      'b3',
      '3',
      '',
      '7',
      '',
    ]);
  });

  it('CSV: the field columns are bounded and the ones left out are counted', async () => {
    const wide = Object.fromEntries(Array.from({ length: CSV_MAX_FIELDS + 10 }, (_, i) => [`f${i}`, i]));
    const { text, omittedColumns } = await exportTo('csv', [held(1, JSON.stringify(wide))]);
    const header = csvCells(text.split('\r\n')[0] ?? '') as string[];
    expect(header).toHaveLength(5 + CSV_MAX_FIELDS);
    expect(omittedColumns).toBe(10);
  });

  it('writes a large export in chunks with progress, yielding to the event loop', async () => {
    const payload = JSON.stringify({ text: 'x'.repeat(1000) });
    const messages = Array.from({ length: 3000 }, (_, i) => held(i + 1, payload));
    let ticks = 0;
    let ticking = true;
    const tick = (): void => {
      ticks++;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    const file = await ExportFile.create(dir, 'big', 'ndjson', 0);
    let writes = 0;
    const write = file.stream.write.bind(file.stream);
    file.stream.write = ((chunk: string) => {
      writes++;
      return write(chunk);
    }) as typeof file.stream.write;
    const progress: Array<[number, number]> = [];
    await writeMessages({ file, format: 'ndjson', messages, onProgress: (w, t) => progress.push([w, t]) });
    await file.close();
    ticking = false;
    expect(lines(await readFile(file.path, 'utf8'))).toHaveLength(3000);
    expect(writes).toBeGreaterThan(10);
    expect(ticks).toBeGreaterThan(10);
    expect(progress).toEqual([
      [1000, 3000],
      [2000, 3000],
      [3000, 3000],
      [3000, 3000],
    ]);
    expect((await stat(file.path)).size).toBe(file.bytes);
  });

  it('never overwrites: a second file of the same name and time gets a suffix', async () => {
    const a = await ExportFile.create(dir, 'a/b:c', 'csv', 0);
    const b = await ExportFile.create(dir, 'a/b:c', 'csv', 0);
    await a.close();
    await b.close();
    expect(a.path).toBe(join(dir, 'a_b_c-1970-01-01T00-00-00-000Z.csv'));
    expect(b.path).toBe(join(dir, 'a_b_c-1970-01-01T00-00-00-000Z-2.csv'));
  });
});

describe('message history', () => {
  it('holds the newest messages by count and bytes, read by index', () => {
    const h = new MessageHistory(3, 25);
    for (let i = 1; i <= 4; i++) h.add(i, msg('0123456789'), i);
    expect(h.get(1)).toBeUndefined();
    expect(h.all().map((m) => m.index)).toEqual([3, 4]);
    expect(h.bytes).toBe(20);
    expect(h.get(4)?.index).toBe(4);
    expect(() => h.add(9, msg('x'), 9)).toThrow(/does not follow/);
  });
});

const untilStopped = (events: RecordingProgress[]): Promise<RecordingProgress> =>
  new Promise((resolve) => {
    const poll = (): void => {
      const last = events.at(-1);
      if (last?.stopped !== undefined) resolve(last);
      else setTimeout(poll, 5);
    };
    poll();
  });

describe('recordings', () => {
  const start = async (over: Partial<Parameters<typeof Recorder.start>[0]> = {}) => {
    const events: RecordingProgress[] = [];
    const recorder = await Recorder.start({
      dir,
      stem: 'orders',
      subscriptionId: 'sub-1',
      onProgress: (p) => events.push(p),
      ...over,
    });
    return { recorder, events };
  };

  it('stops at its message count with exactly that many lines', async () => {
    const { recorder, events } = await start({ maxMessages: 5 });
    for (let i = 1; i <= 8; i++) recorder.add(i, msg(`{"n":${i}}`), i);
    const final = await untilStopped(events);
    expect(final).toMatchObject({
      stopped: 'count',
      messages: 5,
      subscriptionId: 'sub-1',
      path: recorder.path,
    });
    const rows = lines(await readFile(recorder.path, 'utf8')).map(
      (l) => JSON.parse(l) as { encoding: string; payload: string },
    );
    // A recording writes payloads as text (no parse per message).
    expect(rows.map((r) => r.encoding)).toEqual(Array(5).fill('text'));
    expect(rows.map((r) => (JSON.parse(r.payload) as { n: number }).n)).toEqual([1, 2, 3, 4, 5]);
    expect(final.bytes).toBe((await stat(recorder.path)).size);
  });

  it('stops at its time', async () => {
    const { recorder, events } = await start({ maxSeconds: 0.05 });
    recorder.add(1, msg('{"n":1}'), 1);
    const final = await untilStopped(events);
    expect(final).toMatchObject({ stopped: 'time', messages: 1 });
    expect(lines(await readFile(recorder.path, 'utf8'))).toHaveLength(1);
  });

  it('stops at its size bound, never writing past it', async () => {
    const { recorder, events } = await start({ maxBytes: 1000 });
    for (let i = 1; i <= 100; i++) recorder.add(i, msg(JSON.stringify({ n: i, pad: 'x'.repeat(50) })), i);
    const final = await untilStopped(events);
    expect(final.stopped).toBe('size');
    expect(final.maxBytes).toBe(1000);
    const size = (await stat(recorder.path)).size;
    expect(size).toBeLessThanOrEqual(1000);
    expect(lines(await readFile(recorder.path, 'utf8'))).toHaveLength(final.messages);
    expect(final.messages).toBeGreaterThan(0);
  });

  it('stop() ends a recording with no bound; messages after it are not written', async () => {
    const { recorder } = await start();
    recorder.add(1, msg('a'), 1);
    const final = await recorder.stop('stopped');
    recorder.add(2, msg('b'), 2);
    expect(final).toMatchObject({ stopped: 'stopped', messages: 1 });
    expect(lines(await readFile(recorder.path, 'utf8'))).toHaveLength(1);
  });
});

describe('SubscriptionFiles', () => {
  const setup = () => {
    const exportEvents: unknown[] = [];
    const recordingEvents: RecordingProgress[] = [];
    const files = new SubscriptionFiles({
      dir,
      historyMessages: 5,
      emitExportProgress: (_owner, p) => exportEvents.push(p),
      emitRecordingProgress: (_owner, p) => recordingEvents.push(p),
    });
    files.started('sub-1', 'w1', { connectionId: 'c1', topic: 'orders', mode: 'subscribe' });
    return { files, exportEvents, recordingEvents };
  };

  it('exports what it holds, or the indexes asked for (counting those no longer held), to its owner only', async () => {
    const { files, exportEvents } = setup();
    for (let i = 1; i <= 7; i++) files.received('sub-1', msg(`{"n":${i}}`), i);
    await expect(files.export({ subscriptionId: 'sub-1', format: 'ndjson' }, 'w2')).rejects.toMatchObject({
      code: 'unknown-subscription',
    });
    const all = await files.export({ subscriptionId: 'sub-1', format: 'ndjson' }, 'w1');
    expect(all).toMatchObject({ messages: 5, missing: 0 });
    expect(all.path.startsWith(dir)).toBe(true);
    const picked = await files.export({ subscriptionId: 'sub-1', format: 'json', indexes: [7, 1, 4] }, 'w1');
    expect(picked).toMatchObject({ messages: 2, missing: 1 });
    const rows = JSON.parse(await readFile(picked.path, 'utf8')) as Array<{ index: number }>;
    expect(rows.map((r) => r.index)).toEqual([7, 4]);
    expect(exportEvents.at(-1)).toEqual({ subscriptionId: 'sub-1', written: 2, total: 2, done: true });
  });

  it('records every message tapped (whatever the view shows) and stops when the subscription ends', async () => {
    const { files, recordingEvents } = setup();
    const started = await files.startRecording({ subscriptionId: 'sub-1' }, 'w1');
    await expect(files.startRecording({ subscriptionId: 'sub-1' }, 'w1')).rejects.toMatchObject({
      code: 'busy',
    });
    for (let i = 1; i <= 20; i++) files.received('sub-1', msg(`{"n":${i}}`), i);
    files.ended('sub-1');
    const final = await untilStopped(recordingEvents);
    expect(final).toMatchObject({ stopped: 'subscription-ended', messages: 20, path: started.path });
    expect(lines(await readFile(started.path, 'utf8'))).toHaveLength(20);
    // The history of an ended subscription is still there to export.
    expect((await files.export({ subscriptionId: 'sub-1', format: 'csv' }, 'w1')).messages).toBe(5);
    await files.releaseOwner('w1');
    await expect(files.export({ subscriptionId: 'sub-1', format: 'csv' }, 'w1')).rejects.toMatchObject({
      code: 'unknown-subscription',
    });
  });
});

describe('message lines', () => {
  it('write JSON with a line break inside as one line, and are valid JSON either way', async () => {
    const pretty = JSON.stringify({ a: 1, b: 'two' }, null, 2);
    const { text } = await exportTo('ndjson', [
      held(1, pretty),
      held(2, '[1, 2]'),
      held(3, '{"s":"line\\u2028sep"}'),
    ]);
    const rows = lines(text).map((l) => JSON.parse(l) as { payload: unknown; encoding: string });
    expect(rows).toHaveLength(3);
    expect(rows.map((r) => r.payload)).toEqual([{ a: 1, b: 'two' }, [1, 2], { s: 'line\u2028sep' }]);
    expect(rows.every((r) => r.encoding === 'json')).toBe(true);
  });
});

describe('recording progress', () => {
  it('is reported while recording even when no message arrives (the elapsed time moves on)', async () => {
    const events: RecordingProgress[] = [];
    const recorder = await Recorder.start({
      dir,
      stem: 'quiet',
      subscriptionId: 'sub-1',
      onProgress: (p) => events.push(p),
    });
    await new Promise((resolve) => setTimeout(resolve, 700));
    const final = await recorder.stop('stopped');
    const running = events.filter((e) => e.stopped === undefined);
    expect(running.length).toBeGreaterThanOrEqual(2);
    expect((running.at(-1)?.elapsedMs ?? 0) > (running[0]?.elapsedMs ?? 0)).toBe(true);
    expect(final).toMatchObject({ stopped: 'stopped', messages: 0, bytes: 0 });
  });
});

describe('reveal', () => {
  it('shows the last export or recording main wrote, to its owner, and says when it cannot', async () => {
    const revealed: string[] = [];
    const files = new SubscriptionFiles({
      dir,
      emitExportProgress: () => undefined,
      emitRecordingProgress: () => undefined,
      revealFile: (path) => revealed.push(path),
    });
    files.started('sub-1', 'w1', { connectionId: 'c1', topic: 'orders', mode: 'subscribe' });
    expect(() => files.reveal('sub-1', 'export', 'w1')).toThrow(/has no export yet/);
    files.received('sub-1', msg('{"n":1}'), 1);
    const { path } = await files.export({ subscriptionId: 'sub-1', format: 'ndjson' }, 'w1');
    expect(() => files.reveal('sub-1', 'export', 'w2')).toThrow(/does not exist/);
    files.reveal('sub-1', 'export', 'w1');
    const recording = await files.startRecording({ subscriptionId: 'sub-1' }, 'w1');
    files.reveal('sub-1', 'recording', 'w1');
    expect(revealed).toEqual([path, recording.path]);
    await files.shutdown();

    const browser = new SubscriptionFiles({
      dir,
      emitExportProgress: () => undefined,
      emitRecordingProgress: () => undefined,
    });
    browser.started('sub-2', 'w1', { connectionId: 'c1', topic: 'orders', mode: 'subscribe' });
    await browser.export({ subscriptionId: 'sub-2', format: 'csv' }, 'w1');
    expect(() => browser.reveal('sub-2', 'export', 'w1')).toThrow(/only the desktop app/);
  });
});
