/** A sandbox, a viewer and a publisher client, and a {@link SowPaging} over them (paging tests). */
import { Client } from '../../client/src/client.js';
import type { SowPageWindow } from '../../common/src/dto/sow.js';
import { createSandboxServer, silentLogger } from '../../sandbox/src/index.js';
import type { SandboxServer } from '../../sandbox/src/index.js';
import type { AmpsConnectionLike } from '../main/services/ampsAdapter.js';
import { SowPaging, type SowPagingOptions } from '../main/services/sow/paging.js';

export interface Rig {
  sandbox: SandboxServer;
  viewer: Client;
  publisher: Client;
  paging: SowPaging;
  pages: SowPageWindow[];
}

export async function startRig(extra: Partial<SowPagingOptions> = {}): Promise<Rig> {
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
        if (connectionId !== 'conn-1' || ownerId !== 'w1')
          throw new Error(`connection ${connectionId} is not open`);
        return connection;
      },
      onClosed: () => () => undefined,
    },
    intervalMs: 16,
    ...extra,
    deliverPage: (owner, window) => {
      if (owner === 'w1') pages.push(window);
    },
  });
  return { sandbox, viewer, publisher, paging, pages };
}

export const ids = (w: SowPageWindow): number[] =>
  w.rows.map((r) => (JSON.parse(r.data) as { id: number }).id);

export async function publishOrders(rig: Rig, from: number, to: number): Promise<void> {
  for (let i = from; i < to; i++) rig.publisher.publish('orders', JSON.stringify({ id: i, qty: i * 10 }));
  await rig.publisher.publishFlush();
}

/** Ends the rig's paging, clients and sandbox. */
export async function stopRig(rig: Rig): Promise<void> {
  await rig.paging.shutdown();
  await rig.viewer.close();
  await rig.publisher.close();
  await rig.sandbox.close();
}
