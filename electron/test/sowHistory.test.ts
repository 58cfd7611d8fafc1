import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Client } from '../../client/src/client.js';
import { createSandboxServer, silentLogger } from '../../sandbox/src/index.js';
import type { SandboxServer } from '../../sandbox/src/index.js';
import type { AmpsConnectionLike } from '../main/services/ampsAdapter.js';
import { recordHistoryFor } from '../main/services/sow/history.js';
import { buildSowCommand } from '../main/services/sow/sowCommand.js';

describe('record history by bookmark replay', () => {
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
        { name: 'positions', keys: ['/desk', '/sym'], txlog: true },
        { name: 'plain', keys: ['/id'] },
      ],
    });
    const uri = `tcp://127.0.0.1:${sandbox.ports.tcp}/amps/json`;
    viewer = new Client('history-viewer');
    await viewer.connect(uri);
    await viewer.logon();
    publisher = new Client('history-publisher');
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

  it('returns every version of the record selected by its key fields, oldest first, with bookmark and timestamp', async () => {
    for (const qty of [100, 150, 90]) {
      publisher.publish('positions', JSON.stringify({ desk: 'EU', sym: 'IBM', qty }));
      publisher.publish('positions', JSON.stringify({ desk: 'US', sym: 'IBM', qty: qty + 1 }));
    }
    await publisher.publishFlush();
    const history = await recordHistoryFor(
      connections,
      { connectionId: 'conn-1', topic: 'positions', filter: "/desk = 'EU' AND /sym = 'IBM'" },
      'w1',
    );
    expect(history.truncated).toBe(false);
    expect(history.versions.map((v) => (JSON.parse(v.data) as { qty: number }).qty)).toEqual([100, 150, 90]);
    for (const v of history.versions) {
      expect(v.bookmark).toMatch(/\|/);
      expect(v.timestamp).toMatch(/^\d{8}T\d{6}/);
    }
  });

  it('keeps the latest versions within the bound and says older ones were left out', async () => {
    for (let qty = 0; qty < 12; qty++) publisher.publish('positions', JSON.stringify({ desk: 'EU', sym: 'MSFT', qty }));
    await publisher.publishFlush();
    const history = await recordHistoryFor(
      connections,
      { connectionId: 'conn-1', topic: 'positions', filter: "/sym = 'MSFT'" },
      'w1',
      { maxVersions: 5 },
    );
    expect(history.truncated).toBe(true);
    expect(history.versions.map((v) => (JSON.parse(v.data) as { qty: number }).qty)).toEqual([7, 8, 9, 10, 11]);
  });

  it('says so when the topic keeps no history, and names a refused filter', async () => {
    await expect(
      recordHistoryFor(connections, { connectionId: 'conn-1', topic: 'plain', filter: '/id = 1' }, 'w1'),
    ).rejects.toThrow(/not in the transaction log/);
    await expect(
      recordHistoryFor(connections, { connectionId: 'conn-1', topic: 'positions', filter: '/id = = 1' }, 'w1'),
    ).rejects.toThrow(/filter/);
  });

  it('as of: a sow at the bookmark of a version returns the record as it was then', async () => {
    publisher.publish('positions', JSON.stringify({ desk: 'EU', sym: 'AAPL', qty: 1 }));
    publisher.publish('positions', JSON.stringify({ desk: 'EU', sym: 'AAPL', qty: 2 }));
    await publisher.publishFlush();
    const history = await recordHistoryFor(
      connections,
      { connectionId: 'conn-1', topic: 'positions', filter: "/sym = 'AAPL'" },
      'w1',
    );
    const first = history.versions[0]?.bookmark ?? '';
    const asOf = async (bookmark: string): Promise<number[]> => {
      const stream = await viewer.execute(
        buildSowCommand({ connectionId: 'conn-1', topic: 'positions', mode: 'query', bookmark }),
      );
      const all = await stream.toArray();
      return all.filter((m) => m.command === 'sow').map((m) => (JSON.parse(m.text) as { qty: number }).qty);
    };
    expect(await asOf(first)).toEqual([1]);
    expect(await asOf(history.versions[1]?.bookmark ?? '')).toEqual([2]);
  });
});
