/** Exports of subscriptions whose message type is a binary document: written as its JSON. */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeBFlat } from '../../client/src/types/bflat.js';
import { encodeMsgPack } from '../../client/src/types/msgpack.js';
import { ExportFile } from '../main/services/exportFiles.js';
import type { HeldMessage } from '../main/services/messageFiles/messageHistory.js';
import { writeMessages } from '../main/services/messageFiles/messageWriter.js';
import { SubscriptionFiles } from '../main/services/messageFiles/subscriptionFiles.js';

const held = (index: number, payload: Uint8Array): HeldMessage => ({
  index,
  receivedAt: 1_700_000_000_000 + index,
  header: { command: 'p', topic: 'orders' },
  payload,
});

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'amps-export-types-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function exportAs(format: 'ndjson' | 'csv', messages: HeldMessage[], messageType?: string): Promise<string> {
  const file = await ExportFile.create(dir, 'orders', format, Date.UTC(2026, 0, 2));
  await writeMessages({ file, format, messages, ...(messageType === undefined ? {} : { messageType }) });
  await file.close();
  return readFile(file.path, 'utf8');
}

describe('exports of binary message types', () => {
  const orders = [
    held(1, encodeMsgPack({ id: 1, sym: 'IBM', px: { bid: 101.5 } })),
    held(2, new Uint8Array([0x82, 0xa2, 0x69, 0x64])), // a map of 2 cut after its first key
  ];

  it('NDJSON writes a msgpack payload as the JSON of its value, and one its codec refuses as base64', async () => {
    const rows = (await exportAs('ndjson', orders, 'msgpack'))
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as { encoding: string; payload: unknown; size: number });
    expect(rows[0]).toMatchObject({ encoding: 'json', payload: { id: 1, sym: 'IBM', px: { bid: 101.5 } } });
    expect(rows[0]?.size).toBe(orders[0]?.payload.byteLength);
    expect(rows[1]).toMatchObject({ encoding: 'base64', payload: Buffer.from([0x82, 0xa2, 0x69, 0x64]).toString('base64') });
  });

  it('without the message type the same bytes stay base64 (nothing is guessed)', async () => {
    const first = (await exportAs('ndjson', orders.slice(0, 1))).split('\n')[0] ?? '';
    expect(JSON.parse(first)).toMatchObject({ encoding: 'base64' });
  });

  it('CSV takes its columns from the decoded fields of a BFlat payload', async () => {
    const text = await exportAs('csv', [held(1, encodeBFlat({ id: 7, sym: 'MSFT' }))], 'bflat');
    const [header, row] = text.split(/\r?\n/);
    expect(header).toBe('time,command,topic,sowKey,bookmark,/id,/sym');
    expect(row?.endsWith(',7,MSFT')).toBe(true);
  });

  it('a subscription on a msgpack connection exports JSON', async () => {
    const files = new SubscriptionFiles({
      dir,
      emitExportProgress: () => undefined,
      emitRecordingProgress: () => undefined,
      messageTypeOf: (connectionId) => (connectionId === 'c-msgpack' ? 'msgpack' : 'json'),
    });
    files.started('sub-1', 'w1', { connectionId: 'c-msgpack', topic: 'orders', mode: 'subscribe' });
    files.received('sub-1', { header: { command: 'p', topic: 'orders' }, payload: encodeMsgPack({ n: 1 }) }, 1);
    const result = await files.export({ subscriptionId: 'sub-1', format: 'ndjson' }, 'w1');
    const line = JSON.parse((await readFile(result.path, 'utf8')).trim()) as { encoding: string; payload: unknown };
    expect(line).toMatchObject({ encoding: 'json', payload: { n: 1 } });
  });
});
