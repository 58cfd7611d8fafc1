/** The on-disk journal: restart recovery and corrupt-tail truncation. */
import { appendFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeJournalRecord, JOURNAL_FILE, scanJournal } from '../src/journalFile.js';
import type { SandboxConfig } from '../src/config.js';
import type { RawClient } from './helpers.js';
import { memoryClient, startServer } from './helpers.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sandbox-journal-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const config = (lines?: string[]): SandboxConfig => ({
  journalDir: dir,
  topics: [{ name: 'orders', keys: ['/id'], txlog: true }],
  ...(lines
    ? {
        logger: {
          info: (m: string) => lines.push(m),
          warn: (m: string) => lines.push(m),
          error: (m: string) => lines.push(m),
        },
      }
    : {}),
});

async function flush(c: RawClient): Promise<void> {
  const cid = `f${Math.random()}`;
  c.send({ c: 'flush', cid, a: 'processed' });
  await c.waitFor((m) => m.fields.commandId === cid);
}

async function populate(): Promise<void> {
  const server = await startServer(config());
  const pub = memoryClient(server);
  await pub.logon('writer');
  pub.send({ c: 'p', t: 'orders', s: 1 }, '{"id":1,"v":"a"}');
  pub.send({ c: 'p', t: 'orders', s: 2 }, '{"id":2,"v":"b"}');
  pub.send({ c: 'delta_publish', t: 'orders', s: 3 }, '{"id":1,"v":"c"}');
  await flush(pub);
  pub.send({
    c: 'sow_delete',
    t: 'orders',
    sow_keys: [...(server.broker.topics.get('orders').sow?.records.keys() ?? [])][1] ?? '',
  });
  pub.send({ c: 'p', t: 'orders', s: 4 }, '{"id":3,"v":"d"}');
  await flush(pub);
  await server.close();
}

describe('journal', () => {
  it('recovers SOW, transaction log and client sequences after a restart', async () => {
    await populate();
    const server = await startServer(config());
    try {
      const sow = server.broker.topics.get('orders').sow;
      expect([...(sow?.records.values() ?? [])].map((r) => r.data.toString())).toEqual([
        '{"id":1,"v":"c"}',
        '{"id":3,"v":"d"}',
      ]);
      const c = memoryClient(server);
      expect((await c.logon('writer')).fields.sequence).toBe('4');
      c.send({ c: 'p', t: 'orders', s: 4, a: 'persisted' }, '{"id":9}');
      expect((await c.waitFor((m) => m.fields.ackType === 'persisted')).fields.reason).toBe('duplicate');
      c.send({ c: 'subscribe', t: 'orders', cid: 'b', sub_id: 'b', bm: '0', a: 'completed' });
      await c.waitFor((m) => m.fields.commandId === 'b');
      expect(c.received.filter((m) => m.fields.command === 'publish').map((m) => m.payload)).toEqual([
        '{"id":1,"v":"a"}',
        '{"id":2,"v":"b"}',
        '{"id":1,"v":"c"}',
        '{"id":3,"v":"d"}',
      ]);
    } finally {
      await server.close();
    }
  });

  it('reports and truncates a corrupt tail, keeping every earlier record', async () => {
    await populate();
    const path = join(dir, JOURNAL_FILE);
    const good = statSync(path).size;
    const torn = encodeJournalRecord({
      kind: 'publish',
      topic: 'orders',
      key: 'x',
      ts: 1,
      data: 'e30=',
    }).subarray(0, 11);
    appendFileSync(path, torn);
    const lines: string[] = [];
    const server = await startServer(config(lines));
    try {
      expect(lines.some((l) => l.includes('torn record') && l.includes('truncating 11 bytes'))).toBe(true);
      expect(statSync(path).size).toBe(good);
      expect(server.broker.topics.get('orders').sow?.size).toBe(2);
    } finally {
      await server.close();
    }
  });

  it('recovers queue contents minus the acknowledged messages', async () => {
    const queueConfig: SandboxConfig = { journalDir: dir, topics: [{ name: 'jobs', queue: true }] };
    const first = await startServer(queueConfig);
    const pub = memoryClient(first);
    await pub.logon('p');
    for (let i = 1; i <= 3; i++) pub.send({ c: 'p', t: 'jobs' }, `{"job":${i}}`);
    pub.send({ c: 'subscribe', t: 'jobs', cid: 'q', sub_id: 'q', a: 'processed' });
    const job = await pub.waitFor((m) => m.fields.command === 'publish');
    pub.send({ c: 'sow_delete', t: 'jobs', bookmark: job.fields.bookmark });
    await flush(pub);
    await first.close();
    const second = await startServer(queueConfig);
    try {
      const c = memoryClient(second);
      await c.logon('c');
      c.send({ c: 'subscribe', t: 'jobs', cid: 'q', sub_id: 'q', a: 'processed', o: 'max_backlog=5' });
      await c.waitFor(() => c.received.filter((m) => m.fields.command === 'publish').length === 2);
      expect(c.received.filter((m) => m.fields.command === 'publish').map((m) => m.payload)).toEqual([
        '{"job":2}',
        '{"job":3}',
      ]);
    } finally {
      await second.close();
    }
  });

  it('stops at a checksum mismatch', () => {
    const a = encodeJournalRecord({ kind: 'publish', topic: 't', key: '1', ts: 1, data: 'e30=' });
    const b = encodeJournalRecord({ kind: 'delete', topic: 't', key: '1', ts: 2 });
    const bad = Buffer.from(b);
    bad.writeUInt8((bad.readUInt8(bad.length - 2) ^ 0xff) & 0xff, bad.length - 2);
    const scan = scanJournal(Buffer.concat([a, bad, a]));
    expect(scan.records).toHaveLength(1);
    expect(scan.goodBytes).toBe(a.length);
    expect(scan.problem).toContain('checksum mismatch');
  });
});
