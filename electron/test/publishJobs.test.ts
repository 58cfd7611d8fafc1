/**
 * Main's publish jobs against a real sandbox: a repeat run arrives complete and in order, a
 * rejected message is counted with the server's reason, a stop ends a run, and bulk files
 * (NDJSON, CSV, JSON array) arrive record by record with their bad lines named.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Client } from '../../client/src/client.js';
import type { Profile } from '../../common/src/dto/profiles.js';
import type { PublishProgress } from '../../common/src/dto/publish.js';
import { createSandboxServer, silentLogger, type SandboxServer } from '../../sandbox/src/index.js';
import { memoryLogger } from '../main/platform/logger.js';
import { clientConnectionFactory } from '../main/services/clientFactory.js';
import { ConnectionService } from '../main/services/connections.js';
import { decodeMsgPack } from '../../client/src/types/msgpack.js';
import { publishMessage } from '../main/services/publish.js';
import { PublishJobs } from '../main/services/publish/publishJobs.js';
import { PublishUploads } from '../main/services/publish/publishUploads.js';

const OWNER = 'window:1';
const cleanups: Array<() => Promise<unknown>> = [];

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup() {
  const server: SandboxServer = await createSandboxServer({
    port: 0,
    wsPort: null,
    adminPort: null,
    logger: silentLogger,
    topics: [{ name: 'keyed', sow: true, keys: ['/id'] }],
  });
  cleanups.push(() => server.close());
  const uri = `tcp://127.0.0.1:${server.ports.tcp}/amps/json`;
  const profile: Profile = {
    id: 'p',
    name: 'sandbox',
    servers: [uri],
    hasPassword: false,
    tls: { verify: true },
    ha: { delay: { kind: 'fixed', delayMs: 100 }, resubscribe: true },
    bookmarkStore: { kind: 'none' },
    publishStore: { kind: 'none' },
    production: false,
    builtIn: false,
    messageType: 'json',
  };
  const connections = new ConnectionService({
    factory: clientConnectionFactory,
    logger: memoryLogger(),
    logonTimeoutMs: 2000,
    profiles: { resolve: async () => ({ profile }) },
    emitStatus: () => undefined,
  });
  cleanups.push(() => connections.shutdown());
  const progress: PublishProgress[] = [];
  const jobs = new PublishJobs({
    connections,
    deliverProgress: (_o, p) => progress.push(p),
    progressEveryMs: 50,
  });
  cleanups.push(() => jobs.shutdown());
  const { connectionId } = await connections.open({ profileId: 'p' }, OWNER);
  const watcher = new Client(`watcher-${Math.random().toString(36).slice(2, 8)}`);
  await watcher.connect(uri);
  await watcher.logon({ timeoutMs: 2000 });
  cleanups.push(() => watcher.disconnect());
  const received: string[] = [];
  const watch = async (topic: string): Promise<void> => {
    const stream = await watcher.subscribe(topic);
    void (async () => {
      for await (const m of stream)
        received.push(m.data === undefined ? '' : new TextDecoder().decode(m.data as Uint8Array));
    })().catch(() => undefined);
  };
  return { connectionId, connections, jobs, progress, received, watch, watcher };
}

const until = async (check: () => boolean, what: string, ms = 10_000): Promise<void> => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('publish jobs in main', () => {
  it('repeats a template N times at a rate: every message arrives, in order, and the last progress says so', async () => {
    const s = await setup();
    await s.watch('orders');
    const { jobId } = s.jobs.repeat(
      {
        connectionId: s.connectionId,
        topic: 'orders',
        template: '{"seq":{{seq}},"sym":"{{pick "IBM" "MSFT"}}"}',
        count: 300,
        ratePerSec: 1000,
      },
      OWNER,
    );
    const last = await s.jobs.finished(jobId);
    expect(last).toMatchObject({ jobId, sent: 300, failed: 0, total: 300, done: true, errors: [] });
    await until(() => s.received.length === 300, '300 messages');
    const seqs = s.received.map((d) => (JSON.parse(d) as { seq: number }).seq);
    expect(seqs).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
    // Paced: 300 messages at 1000/s take about 0.3 s, not a burst.
    expect(last?.elapsedMs).toBeGreaterThanOrEqual(250);
    expect(s.progress.at(-1)).toEqual(last);
  });

  it('counts the messages the server refuses, with the reason and the message number', async () => {
    const s = await setup();
    const { jobId } = s.jobs.repeat(
      {
        connectionId: s.connectionId,
        topic: 'keyed',
        template: '{{pick "{\\"id\\":1}" "{\\"qty\\":2}"}}',
        count: 40,
        ack: 'processed',
      },
      OWNER,
    );
    const last = await s.jobs.finished(jobId);
    expect(last?.sent).toBeGreaterThan(0);
    expect(last?.failed).toBeGreaterThan(0);
    expect((last?.sent ?? 0) + (last?.failed ?? 0)).toBe(40);
    expect(last?.errors[0]?.message).toMatch(/key/i);
    expect(last?.errors[0]?.at).toBeGreaterThanOrEqual(1);
  });

  it('stops a run when asked', async () => {
    const s = await setup();
    const { jobId } = s.jobs.repeat(
      {
        connectionId: s.connectionId,
        topic: 'orders',
        template: '{"n":{{seq}}}',
        count: 100_000,
        ratePerSec: 200,
      },
      OWNER,
    );
    await until(() => s.progress.some((p) => p.sent > 10), 'some sends');
    await s.jobs.stop(jobId, OWNER);
    const last = s.progress.at(-1);
    expect(last).toMatchObject({ done: true, stopped: true });
    expect(last?.sent).toBeLessThan(100_000);
    await expect(s.jobs.stop(jobId, OWNER)).rejects.toMatchObject({ code: 'unknown-job' });
  });

  it('refuses a bad template with its reason, and another owner cannot stop a job', async () => {
    const s = await setup();
    expect(() =>
      s.jobs.repeat(
        { connectionId: s.connectionId, topic: 'orders', template: '{"a":{{sequence}}}', count: 1 },
        OWNER,
      ),
    ).toThrow(/unknown variable "sequence".*line 1, column 6/);
    const { jobId } = s.jobs.repeat(
      { connectionId: s.connectionId, topic: 'orders', template: '{}', count: 1000, ratePerSec: 100 },
      OWNER,
    );
    await expect(s.jobs.stop(jobId, 'web:9')).rejects.toMatchObject({ code: 'unknown-job' });
    await s.jobs.stop(jobId, OWNER);
  });

  it('publishes an NDJSON file record by record and names its bad line', async () => {
    const s = await setup();
    await s.watch('bulk');
    const dir = await mkdtemp(join(tmpdir(), 'amps-bulk-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const path = join(dir, 'in.ndjson');
    const lines = Array.from({ length: 500 }, (_, i) => JSON.stringify({ n: i + 1 }));
    lines.splice(99, 0, '{not json');
    await writeFile(path, `${lines.join('\n')}\n\n`);
    const { jobId } = s.jobs.bulkFile(
      { connectionId: s.connectionId, topic: 'bulk', path, format: 'ndjson' },
      OWNER,
    );
    const last = await s.jobs.finished(jobId);
    expect(last).toMatchObject({ sent: 500, failed: 1, done: true });
    expect(last?.errors).toEqual([
      { at: 100, message: expect.stringMatching(/^not JSON/) as unknown as string },
    ]);
    await until(() => s.received.length === 500, '500 records');
    expect(JSON.parse(s.received[499] ?? '')).toEqual({ n: 500 });
  });

  it('publishes CSV rows as JSON objects and a JSON array item by item', async () => {
    const s = await setup();
    await s.watch('rows');
    const dir = await mkdtemp(join(tmpdir(), 'amps-bulk-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const csv = join(dir, 'in.csv');
    await writeFile(csv, 'id,sym,px,note\r\n1,IBM,101.5,"a, b"\r\n2,MSFT,99,"say ""hi"""\r\n3,bad\r\n');
    const a = s.jobs.bulkFile(
      { connectionId: s.connectionId, topic: 'rows', path: csv, format: 'csv' },
      OWNER,
    );
    const csvEnd = await s.jobs.finished(a.jobId);
    expect(csvEnd).toMatchObject({ sent: 2, failed: 1 });
    expect(csvEnd?.errors[0]).toEqual({ at: 4, message: 'bad CSV: 2 cells where the header has 4' });
    const arr = join(dir, 'in.json');
    await writeFile(arr, '[\n {"id": 3, "s": "x,]y"},\n {"id": 4, "nested": [1, {"z": "}"}]}\n]\n');
    const b = s.jobs.bulkFile(
      { connectionId: s.connectionId, topic: 'rows', path: arr, format: 'json-array' },
      OWNER,
    );
    expect(await s.jobs.finished(b.jobId)).toMatchObject({ sent: 2, failed: 0 });
    await until(() => s.received.length === 4, '4 records');
    expect(s.received.map((d) => JSON.parse(d) as unknown)).toEqual([
      { id: 1, sym: 'IBM', px: 101.5, note: 'a, b' },
      { id: 2, sym: 'MSFT', px: 99, note: 'say "hi"' },
      { id: 3, s: 'x,]y' },
      { id: 4, nested: [1, { z: '}' }] },
    ]);
  });
});

describe('binary message types', () => {
  it('encodes a JSON payload as msgpack in main, and names a payload that is not JSON', async () => {
    const s = await setup();
    const stream = await s.watcher.subscribe('bin');
    const result = await publishMessage(
      s.connections,
      {
        connectionId: s.connectionId,
        topic: 'bin',
        data: '{"sym":"IBM","qty":5}',
        encodeAs: 'msgpack',
        ack: 'processed',
      },
      OWNER,
    );
    expect(result.ack?.status).toBe('success');
    for await (const m of stream) {
      expect(decodeMsgPack(new Uint8Array(m.data))).toEqual({ sym: 'IBM', qty: 5 });
      break;
    }
    await expect(
      publishMessage(
        s.connections,
        { connectionId: s.connectionId, topic: 'bin', data: '{oops', encodeAs: 'bson' },
        OWNER,
      ),
    ).rejects.toMatchObject({
      code: 'bad-payload',
      message: expect.stringMatching(/^a bson message is written as JSON/) as unknown as string,
    });
  });
});

describe('publish uploads', () => {
  it('keeps an upload to its owner, bounds its size and deletes it', async () => {
    const uploads = new PublishUploads({ maxBytes: 10 });
    cleanups.push(() => uploads.shutdown());
    const first = await uploads.append({ data: '{"a":1}\n' }, OWNER);
    expect(first.bytes).toBe(8);
    await expect(uploads.append({ uploadId: first.uploadId, data: 'x' }, 'web:2')).rejects.toMatchObject({
      code: 'unknown-upload',
    });
    await expect(uploads.append({ uploadId: first.uploadId, data: 'xyz' }, OWNER)).rejects.toMatchObject({
      code: 'upload-too-large',
    });
    await expect(uploads.path(first.uploadId, OWNER)).rejects.toMatchObject({ code: 'unknown-upload' });
  });
});
