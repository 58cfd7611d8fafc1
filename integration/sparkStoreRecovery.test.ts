import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSparkArgs } from '../client/cli/args.js';
import { storeSubId } from '../client/cli/haRun.js';
import { runSpark } from '../client/cli/run.js';
import { FileBookmarkStore } from '../client/src/stores/bookmark/fileBookmarkStore.js';
import { FilePublishStore } from '../client/src/stores/publish/filePublishStore.js';
import { capturedIo as io, type CapturedIo } from './sparkIo.js';
import { startSandbox, type SandboxFixture } from './sandboxFixture.js';

const dir = fs.mkdtempSync(join(tmpdir(), 'amps-cli-recovery-'));
let sandbox: SandboxFixture;

beforeAll(async () => {
  sandbox = await startSandbox({
    topics: [
      { name: 'orders', sow: true, keys: ['/id'], txlog: true },
      { name: 'events', txlog: true },
    ],
  });
});
afterAll(async () => {
  await sandbox.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const spark = (argv: string[], captured: CapturedIo): Promise<number> =>
  runSpark(parseSparkArgs([argv[0] as string, '-uri', sandbox.tcpUri, ...argv.slice(1)]), captured);

/** Flips a byte in the body of record `index` of a store file (records after an 8-byte magic). */
function damageRecord(file: string, index: number): void {
  const data = fs.readFileSync(file);
  let pos = 8;
  for (let i = 0; i < index; i++) pos += 8 + data.readUInt32LE(pos);
  data[pos + 8] = (data[pos + 8] as number) ^ 0xff;
  fs.writeFileSync(file, data);
}

describe('spark reports a damaged store loudly', () => {
  it('publish: what was replayed, what was set aside and where the damaged file is kept', async () => {
    const file = join(dir, 'orders.pub');
    const store = new FilePublishStore(file);
    for (const id of [1, 2, 3])
      store.store({ header: { command: 'publish', topic: 'orders' }, payload: Buffer.from(`{"id":${id}}`) });
    store.close();
    damageRecord(file, 1);

    const pub = io();
    expect(await spark(['publish', '-topic', 'orders', '-publish-store', file], pub)).toBe(0);
    const said = pub.diagnostics.join('\n');
    expect(said).toContain(`WARNING: the publish store ${file} was damaged`);
    expect(said).toMatch(
      /recovered 1 record; set aside 2 records \(\d+ bytes\) that could not be replayed: messages stored there were NOT replayed/,
    );
    expect(said).toContain(`the damaged file is kept as ${file}.corrupt.`);
    expect(said).toContain('replaying 1 unacknowledged message');
  });

  it('a clean store says nothing extra', async () => {
    const pub = io(['{"id":10}']);
    expect(await spark(['publish', '-topic', 'orders', '-publish-store', join(dir, 'clean.pub')], pub)).toBe(
      0,
    );
    expect(pub.diagnostics.join('\n')).not.toMatch(/WARNING/);
  });

  it('bookmark: a damaged store that lost the subscription says it starts again from EPOCH', async () => {
    expect(await spark(['publish', '-topic', 'events'], io(['{"n":1}', '{"n":2}']))).toBe(0);
    const file = join(dir, 'events.bm');
    const store = new FileBookmarkStore(file);
    const subId = storeSubId('events', undefined);
    store.log({ subId: 'someone-else', bookmark: '7|1|' });
    store.log({ subId, bookmark: '7|2|' });
    store.close();
    damageRecord(file, 1);

    const sub = io();
    expect(await spark(['subscribe', '-topic', 'events', '-bookmark-store', file, '-count', '2'], sub)).toBe(
      0,
    );
    const said = sub.diagnostics.join('\n');
    expect(said).toContain(`WARNING: the bookmark store ${file} was damaged`);
    expect(said).toContain('set aside 1 record');
    expect(said).toContain(
      `WARNING: the damaged bookmark store ${file} holds no bookmark for this subscription: starting again from EPOCH`,
    );
    expect(sub.lines).toEqual(['{"n":1}', '{"n":2}']);
  });
});
