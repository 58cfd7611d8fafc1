import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Client } from '../../client/src/client.js';
import { createSandboxServer, silentLogger } from '../../sandbox/src/index.js';
import type { SandboxServer } from '../../sandbox/src/index.js';
import type { AmpsConnectionLike } from '../main/services/ampsAdapter.js';
import { asOfDiffFor, diffSnapshots } from '../main/services/sow/asOfDiff.js';

/** The newest transaction-log entry's bookmark: "as of now" for the test. */
const lastBookmark = (sandbox: SandboxServer): string => sandbox.broker.txlog.entries.at(-1)?.bookmark as string;

/** The AMPS timestamp (`20260101T120000.123456Z`) of the newest transaction-log entry. */
function lastTimestamp(sandbox: SandboxServer): string {
  const micros = sandbox.broker.txlog.entries.at(-1)?.timestampMicros as number;
  const d = new Date(Math.floor(micros / 1000));
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
  return (
    `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T` +
    `${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}.${pad(micros % 1_000_000, 6)}Z`
  );
}

describe('as-of compare of a SOW topic', () => {
  let sandbox: SandboxServer;
  let viewer: Client;
  let publisher: Client;
  let connections: { client(connectionId: string, ownerId: string): AmpsConnectionLike };

  beforeEach(async () => {
    sandbox = await createSandboxServer({
      port: 0,
      adminPort: null,
      logger: silentLogger,
      topics: [
        { name: 'positions', keys: ['/id'], txlog: true },
        { name: 'plain', keys: ['/id'] },
      ],
    });
    const uri = `tcp://127.0.0.1:${sandbox.ports.tcp}/amps/json`;
    viewer = new Client('asof-viewer');
    await viewer.connect(uri);
    await viewer.logon();
    publisher = new Client('asof-publisher');
    await publisher.connect(uri);
    await publisher.logon();
    const connection = {
      execute: async (command: Parameters<Client['execute']>[0]) => {
        const stream = await viewer.execute(command);
        return { stream, stop: () => Promise.resolve(stream.close()) };
      },
    } as unknown as AmpsConnectionLike;
    connections = {
      client: (connectionId, ownerId) => {
        if (connectionId !== 'conn-1' || ownerId !== 'w1') throw new Error(`connection ${connectionId} is not open`);
        return connection;
      },
    };
  });
  afterEach(async () => {
    await viewer.close();
    await publisher.close();
    await sandbox.close();
  });

  async function publishAll(records: object[]): Promise<void> {
    for (const r of records) publisher.publish('positions', JSON.stringify(r));
    await publisher.publishFlush();
  }

  it('lists the records added, removed and changed between two bookmarks, with both versions', async () => {
    await publishAll([
      { id: 1, sym: 'IBM', qty: 100 },
      { id: 2, sym: 'MSFT', qty: 5 },
      { id: 3, sym: 'AAPL', qty: 7 },
    ]);
    const t1 = lastBookmark(sandbox);
    await publishAll([{ id: 1, sym: 'IBM', qty: 150 }, { id: 4, sym: 'ORCL', qty: 1 }]);
    await publisher.sowDelete('positions', '/id = 2');
    const t2 = lastBookmark(sandbox);
    await publishAll([{ id: 3, sym: 'AAPL', qty: 999 }]);

    const diff = await asOfDiffFor(connections, { connectionId: 'conn-1', topic: 'positions', from: t1, to: t2 }, 'w1');
    expect(diff).toMatchObject({ fromRecords: 3, toRecords: 3, added: 1, removed: 1, changed: 1, unchanged: 1 });
    expect(diff.recordLimit).toBeUndefined();
    expect(diff.changesTruncated).toBe(false);
    expect(diff.changes.map((c) => c.kind)).toEqual(['added', 'removed', 'changed']);
    const [added, removed, changed] = diff.changes;
    expect(JSON.parse(added?.after as string)).toEqual({ id: 4, sym: 'ORCL', qty: 1 });
    expect(JSON.parse(removed?.before as string)).toEqual({ id: 2, sym: 'MSFT', qty: 5 });
    expect(JSON.parse(changed?.before as string)).toMatchObject({ qty: 100 });
    expect(JSON.parse(changed?.after as string)).toMatchObject({ qty: 150 });
    // The update after T2 (id 3 to 999) is not part of it.
    expect(JSON.stringify(diff.changes)).not.toContain('999');
  });

  it('takes timestamps as the points in time, and applies the filter to both', async () => {
    await publishAll([{ id: 1, sym: 'IBM', qty: 100 }, { id: 2, sym: 'MSFT', qty: 5 }]);
    const t1 = lastTimestamp(sandbox);
    await publishAll([{ id: 1, sym: 'IBM', qty: 101 }, { id: 2, sym: 'MSFT', qty: 6 }]);
    const t2 = lastTimestamp(sandbox);
    const diff = await asOfDiffFor(
      connections,
      { connectionId: 'conn-1', topic: 'positions', filter: "/sym = 'IBM'", from: t1, to: t2 },
      'w1',
    );
    // As of a timestamp the SOW holds what was published before it, and only IBM matches.
    expect(diff).toMatchObject({ fromRecords: 1, toRecords: 1, added: 0, removed: 0, changed: 1 });
    expect(JSON.parse(diff.changes[0]?.before as string)).toMatchObject({ sym: 'IBM', qty: 100 });
    expect(JSON.parse(diff.changes[0]?.after as string)).toMatchObject({ sym: 'IBM', qty: 101 });
  });

  it('stops at the record bound and says so', async () => {
    await publishAll(Array.from({ length: 8 }, (_, i) => ({ id: i, qty: i })));
    const t1 = lastBookmark(sandbox);
    await publishAll([{ id: 100, qty: 1 }]);
    const t2 = lastBookmark(sandbox);
    const diff = await asOfDiffFor(
      connections,
      { connectionId: 'conn-1', topic: 'positions', from: t1, to: t2 },
      'w1',
      { maxRecords: 5 },
    );
    expect(diff.recordLimit).toBe(5);
    expect(diff.fromRecords).toBe(5);
  });

  it('names a topic without history', async () => {
    publisher.publish('plain', JSON.stringify({ id: 1 }));
    await publisher.publishFlush();
    await expect(
      asOfDiffFor(connections, { connectionId: 'conn-1', topic: 'plain', from: '20200101T000000', to: '20300101T000000' }, 'w1'),
    ).rejects.toMatchObject({ code: 'no-history', message: expect.stringContaining('plain') as unknown });
  });
});

describe('diffSnapshots', () => {
  it('counts every difference but lists at most the bound, added then removed then changed, by key', () => {
    const before = new Map([
      ['a', '1'],
      ['b', '2'],
      ['c', '3'],
    ]);
    const after = new Map([
      ['a', '1'],
      ['c', '4'],
      ['d', '5'],
      ['e', '6'],
    ]);
    const diff = diffSnapshots(before, after, 3);
    expect(diff).toMatchObject({ added: 2, removed: 1, changed: 1, unchanged: 1, changesTruncated: true });
    expect(diff.changes.map((c) => `${c.kind}:${c.key}`)).toEqual(['added:d', 'added:e', 'removed:b']);
  });
});
