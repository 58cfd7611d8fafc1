import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Client } from '../../client/src/client.js';
import type { SowPageWindow } from '../../common/src/dto/sow.js';
import { createSandboxServer, silentLogger } from '../../sandbox/src/index.js';
import type { SandboxServer } from '../../sandbox/src/index.js';
import type { AmpsConnectionLike } from '../main/services/ampsAdapter.js';
import { SowPaging } from '../main/services/sow/paging.js';
import { waitFor } from './sowHarness.js';

interface Rig {
  sandbox: SandboxServer;
  viewer: Client;
  publisher: Client;
  paging: SowPaging;
  pages: SowPageWindow[];
}

async function startRig(): Promise<Rig> {
  const sandbox = await createSandboxServer({
    port: 0,
    adminPort: null,
    logger: silentLogger,
    topics: [{ name: 'orders', keys: ['/id'] }],
  });
  const uri = `tcp://127.0.0.1:${sandbox.ports.tcp}/amps/json`;
  const viewer = new Client('page-viewer');
  await viewer.connect(uri);
  await viewer.logon();
  const publisher = new Client('page-publisher');
  await publisher.connect(uri);
  await publisher.logon();
  const connection = {
    execute: async (command: Parameters<Client['execute']>[0]) => {
      const stream = await viewer.execute(command);
      return { stream, stop: () => Promise.resolve(stream.close()) };
    },
  } as unknown as AmpsConnectionLike;
  const pages: SowPageWindow[] = [];
  const paging = new SowPaging({
    connections: {
      client: (connectionId, ownerId) => {
        if (connectionId !== 'conn-1' || ownerId !== 'w1') throw new Error(`connection ${connectionId} is not open`);
        return connection;
      },
      onClosed: () => () => undefined,
    },
    intervalMs: 16,
    deliverPage: (owner, window) => {
      if (owner === 'w1') pages.push(window);
    },
  });
  return { sandbox, viewer, publisher, paging, pages };
}

const ids = (w: SowPageWindow): number[] => w.rows.map((r) => (JSON.parse(r.data) as { id: number }).id);

async function publishOrders(rig: Rig, from: number, to: number): Promise<void> {
  for (let i = from; i < to; i++) rig.publisher.publish('orders', JSON.stringify({ id: i, qty: i * 10 }));
  await rig.publisher.publishFlush();
}

describe('SowPaging: server-paged windows over the sandbox', () => {
  let rig: Rig;
  beforeEach(async () => {
    rig = await startRig();
  });
  afterEach(async () => {
    await rig.paging.shutdown();
    await rig.viewer.close();
    await rig.publisher.close();
    await rig.sandbox.close();
  });

  it('a window holds top_n records from skip_n in the order asked for, with the total the server counted', async () => {
    await publishOrders(rig, 0, 500);
    const spec = { connectionId: 'conn-1', topic: 'orders', mode: 'live' as const, orderBy: '/qty DESC' };
    const first = await rig.paging.open({ spec, skipN: 0, topN: 20 }, 'w1');
    expect(first.total).toBe(500);
    expect(ids(first)).toEqual(Array.from({ length: 20 }, (_, i) => 499 - i));
    expect(first.live).toBe(true);
    const middle = await rig.paging.move({ queryId: first.queryId, skipN: 250, topN: 20 }, 'w1');
    expect(middle).toMatchObject({ skipN: 250, topN: 20, total: 500 });
    expect(ids(middle)).toEqual(Array.from({ length: 20 }, (_, i) => 249 - i));
    expect(middle.seq).toBeGreaterThan(first.seq);
  });

  it('the live window follows the SOW: a record that enters the window is placed in order, the one pushed out leaves', async () => {
    await publishOrders(rig, 0, 100);
    const spec = { connectionId: 'conn-1', topic: 'orders', mode: 'live' as const, orderBy: '/qty' };
    const w = await rig.paging.open({ spec, skipN: 10, topN: 5 }, 'w1');
    expect(ids(w)).toEqual([10, 11, 12, 13, 14]);
    // A new record sorting before the window pushes every record one place down.
    rig.publisher.publish('orders', JSON.stringify({ id: 1000, qty: -5 }));
    await rig.publisher.publishFlush();
    await waitFor(() => rig.pages.some((p) => ids(p)[0] === 9));
    expect(ids(rig.pages.at(-1) as SowPageWindow)).toEqual([9, 10, 11, 12, 13]);
    // A change inside the window shows the new data in place.
    rig.publisher.publish('orders', JSON.stringify({ id: 11, qty: 110, note: 'changed' }));
    await rig.publisher.publishFlush();
    await waitFor(() => rig.pages.some((p) => p.rows.some((r) => r.data.includes('changed'))));
  });

  it('query mode pages with a one-shot sow and is not live', async () => {
    await publishOrders(rig, 0, 30);
    const w = await rig.paging.open(
      { spec: { connectionId: 'conn-1', topic: 'orders', mode: 'query', orderBy: '/id' }, skipN: 28, topN: 10 },
      'w1',
    );
    expect(ids(w)).toEqual([28, 29]);
    expect(w).toMatchObject({ live: false, total: 30 });
  });

  it('refuses a window over the bound, a foreign owner, and names a refused order_by', async () => {
    await publishOrders(rig, 0, 3);
    const spec = { connectionId: 'conn-1', topic: 'orders', mode: 'live' as const, orderBy: '/id' };
    await expect(rig.paging.open({ spec, skipN: 0, topN: 5000 }, 'w1')).rejects.toThrow(/topN: a window holds 1 to 1000/);
    const w = await rig.paging.open({ spec, skipN: 0, topN: 2 }, 'w1');
    await expect(rig.paging.move({ queryId: w.queryId, skipN: 1, topN: 2 }, 'w2')).rejects.toThrow(/does not exist/);
    await expect(
      rig.paging.open({ spec: { ...spec, orderBy: 'qty sideways' }, skipN: 0, topN: 2 }, 'w1'),
    ).rejects.toThrow(/order_by/);
    await rig.paging.close({ queryId: w.queryId }, 'w1');
    expect(rig.paging.size).toBe(0);
  });
});
