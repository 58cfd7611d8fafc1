/** Message types beyond the publish path: sow_delete by data, bookmark replay filters, journal recovery. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FixBuilder } from '../../client/src/types/index.js';
import type { SandboxConfig } from '../src/config.js';
import type { SandboxServer } from '../src/server.js';
import type { RawClient, Received } from './helpers.js';
import { memoryClient, startServer } from './helpers.js';

const fix = (...pairs: [number, string][]): Buffer => {
  const b = new FixBuilder();
  for (const [t, v] of pairs) b.append(t, v);
  return Buffer.from(b.getBytes());
};

const opened: SandboxServer[] = [];
let dir: string | undefined;
afterEach(async () => {
  for (const s of opened.splice(0)) await s.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

async function start(config: SandboxConfig): Promise<{ server: SandboxServer; c: RawClient }> {
  const server = await startServer(config);
  opened.push(server);
  const c = memoryClient(server);
  await c.logon();
  return { server, c };
}

async function done(c: RawClient, header: Record<string, unknown>, payload?: Buffer): Promise<Received[]> {
  const from = c.received.length;
  c.send({ a: 'completed', ...header }, payload);
  await c.waitFor((m) => m.fields.commandId === header['cid'] && m.fields.command === 'ack', 3000, from);
  return c.received.slice(from);
}

const topics = [{ name: 'fx', keys: ['/55'], messageType: 'fix', txlog: true }];

describe('FIX topics outside the publish path', () => {
  it('sow_delete by data finds the record by its FIX key field', async () => {
    const { server, c } = await start({ topics });
    await done(c, { c: 'p', t: 'fx', cid: 'p1' }, fix([55, 'IBM'], [44, '1']));
    await done(c, { c: 'p', t: 'fx', cid: 'p2' }, fix([55, 'MSFT'], [44, '2']));
    await done(c, { c: 'sow_delete', t: 'fx', cid: 'd' }, fix([55, 'IBM']));
    const left = [...(server.broker.topics.get('fx').sow?.records.values() ?? [])];
    expect(left.map((r) => r.data.toString())).toEqual(['55=MSFT\u000144=2\u0001']);
  });

  it('bookmark replay applies a FIX filter to logged messages', async () => {
    const { c } = await start({ topics });
    await done(c, { c: 'p', t: 'fx', cid: 'p1' }, fix([55, 'IBM'], [44, '1']));
    await done(c, { c: 'p', t: 'fx', cid: 'p2' }, fix([55, 'MSFT'], [44, '2']));
    const msgs = await done(c, {
      c: 'subscribe',
      t: 'fx',
      cid: 's',
      sub_id: 's',
      bm: '0',
      filter: '/44 > 1',
    });
    expect(msgs.filter((m) => m.fields.command === 'publish').map((m) => m.payload)).toEqual([
      '55=MSFT\u000144=2\u0001',
    ]);
  });

  it('journal recovery parses recovered FIX records, so filters match after a restart', async () => {
    dir = mkdtempSync(join(tmpdir(), 'sandbox-mt-'));
    const first = await start({ journalDir: dir, topics });
    await done(first.c, { c: 'p', t: 'fx', cid: 'p1' }, fix([55, 'IBM'], [44, '1']));
    await first.server.close();
    opened.splice(0);
    const { c } = await start({ journalDir: dir, topics });
    const msgs = await done(c, { c: 'sow', t: 'fx', cid: 'q', query_id: 'q', filter: "/55 = 'IBM'" });
    expect(msgs.filter((m) => m.fields.command === 'sow')).toHaveLength(1);
  });
});
