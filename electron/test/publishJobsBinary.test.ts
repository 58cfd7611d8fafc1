/**
 * Repeat and bulk publish of the binary message types (msgpack, bson, bflat) against a real
 * sandbox: each message is written as JSON (a rendered template, a file record) and main
 * encodes it with client/'s codecs; a record the type cannot hold fails alone, with its line.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Client } from '../../client/src/client.js';
import { decodeBFlat } from '../../client/src/types/bflat.js';
import { decodeBson } from '../../client/src/types/bson.js';
import { decodeMsgPack } from '../../client/src/types/msgpack.js';
import type { Profile } from '../../common/src/dto/profiles.js';
import { publishBulkSchema, publishRepeatSchema } from '../../common/src/ipc/publishSchemas.js';
import { createSandboxServer, silentLogger } from '../../sandbox/src/index.js';
import { memoryLogger } from '../main/platform/logger.js';
import { clientConnectionFactory } from '../main/services/clientFactory.js';
import { ConnectionService } from '../main/services/connections.js';
import { PublishJobs } from '../main/services/publish/publishJobs.js';

const OWNER = 'window:1';
const cleanups: Array<() => Promise<unknown>> = [];

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup() {
  const server = await createSandboxServer({ port: 0, wsPort: null, adminPort: null, logger: silentLogger });
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
  const jobs = new PublishJobs({ connections, deliverProgress: () => undefined, progressEveryMs: 50 });
  cleanups.push(() => jobs.shutdown());
  const { connectionId } = await connections.open({ profileId: 'p' }, OWNER);
  const watcher = new Client(`watcher-${Math.random().toString(36).slice(2, 8)}`);
  await watcher.connect(uri);
  await watcher.logon({ timeoutMs: 2000 });
  cleanups.push(() => watcher.disconnect());
  /** The payloads (bytes) published to `topic` from now on. */
  const watch = async (topic: string): Promise<Uint8Array[]> => {
    const received: Uint8Array[] = [];
    const stream = await watcher.subscribe(topic);
    void (async () => {
      for await (const m of stream) received.push(new Uint8Array(m.data as Uint8Array));
    })().catch(() => undefined);
    return received;
  };
  return { connectionId, jobs, watch };
}

const until = async (check: () => boolean, what: string, ms = 10_000): Promise<void> => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('repeat and bulk publish of binary message types', () => {
  it('repeats a JSON template as msgpack: each rendered message arrives encoded, in order', async () => {
    const s = await setup();
    const received = await s.watch('bin.repeat');
    const request = publishRepeatSchema.parse({
      connectionId: s.connectionId,
      topic: 'bin.repeat',
      template: '{"seq":{{seq}},"sym":"IBM"}',
      count: 50,
      encodeAs: 'msgpack',
    });
    const last = await s.jobs.finished(s.jobs.repeat(request, OWNER).jobId);
    expect(last).toMatchObject({ sent: 50, failed: 0, done: true });
    await until(() => received.length === 50, '50 messages');
    expect(received.map((b) => decodeMsgPack(b))).toEqual(
      Array.from({ length: 50 }, (_, i) => ({ seq: i + 1, sym: 'IBM' })),
    );
  });

  it('bulk-publishes NDJSON as bson and CSV as bflat; a record bflat cannot hold fails with its line', async () => {
    const s = await setup();
    const dir = await mkdtemp(join(tmpdir(), 'bulk-binary-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));

    const ndjson = join(dir, 'orders.ndjson');
    await writeFile(ndjson, '{"id":1,"sym":"IBM"}\n{"id":2,"tags":["a","b"]}\n');
    const bsonIn = await s.watch('bin.bson');
    const bson = publishBulkSchema.parse({
      connectionId: s.connectionId,
      topic: 'bin.bson',
      uploadId: 'u1',
      format: 'ndjson',
      encodeAs: 'bson',
    });
    const { uploadId: _unused, ...bsonRequest } = bson;
    const bsonLast = await s.jobs.finished(s.jobs.bulkFile({ ...bsonRequest, path: ndjson }, OWNER).jobId);
    expect(bsonLast).toMatchObject({ sent: 2, failed: 0, done: true });
    await until(() => bsonIn.length === 2, '2 bson messages');
    expect(bsonIn.map((b) => decodeBson(b))).toEqual([
      { id: 1, sym: 'IBM' },
      { id: 2, tags: ['a', 'b'] },
    ]);

    const csv = join(dir, 'orders.csv');
    await writeFile(csv, 'id,sym,qty\n1,IBM,5\n2,MSFT,7\n');
    const nested = join(dir, 'nested.ndjson');
    await writeFile(nested, '{"id":1,"sym":"IBM"}\n{"id":2,"leg":{"px":1}}\n{"id":3,"sym":"MSFT"}\n');
    const bflatIn = await s.watch('bin.bflat');
    const csvLast = await s.jobs.finished(
      s.jobs.bulkFile(
        { connectionId: s.connectionId, topic: 'bin.bflat', format: 'csv', encodeAs: 'bflat', path: csv },
        OWNER,
      ).jobId,
    );
    expect(csvLast).toMatchObject({ sent: 2, failed: 0 });
    const nestedLast = await s.jobs.finished(
      s.jobs.bulkFile(
        { connectionId: s.connectionId, topic: 'bin.bflat', format: 'ndjson', encodeAs: 'bflat', path: nested },
        OWNER,
      ).jobId,
    );
    // Line 2 holds a nested object, which bflat (flat fields) cannot: it alone fails, with why.
    expect(nestedLast).toMatchObject({ sent: 2, failed: 1 });
    expect(nestedLast?.errors).toEqual([
      { at: 2, message: expect.stringMatching(/^cannot encode the message as bflat: /) as unknown as string },
    ]);
    await until(() => bflatIn.length === 4, '4 bflat messages');
    expect(bflatIn.map((b) => decodeBFlat(b))).toEqual([
      { id: 1, sym: 'IBM', qty: 5 },
      { id: 2, sym: 'MSFT', qty: 7 },
      { id: 1, sym: 'IBM' },
      { id: 3, sym: 'MSFT' },
    ]);
  });

  it('refuses a type the jobs do not encode, naming the field', () => {
    expect(() =>
      publishRepeatSchema.parse({ connectionId: 'c', topic: 't', template: '{}', count: 1, encodeAs: 'protobuf' }),
    ).toThrow(/encodeAs/);
  });
});
