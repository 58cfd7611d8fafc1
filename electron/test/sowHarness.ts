/**
 * A SowService over a real sandbox and a real Client, for the SOW service tests: the
 * connection lookup is the smallest that hands the service a client with `execute`.
 */
import { Client } from '../../client/src/client.js';
import type { SowBatch, SowEndedEvent } from '../../common/src/dto/sow.js';
import { createSandboxServer, silentLogger } from '../../sandbox/src/index.js';
import type { SandboxServer } from '../../sandbox/src/index.js';
import { memoryLogger } from '../main/platform/logger.js';
import type { AmpsConnectionLike } from '../main/services/ampsAdapter.js';
import { SowService } from '../main/services/sow/sowService.js';
import type { SowServiceOptions } from '../main/services/sow/sowService.js';

/** What a test drives. */
export interface SowHarness {
  sandbox: SandboxServer;
  publisher: Client;
  service: SowService;
  batches: SowBatch[];
  ended: SowEndedEvent[];
  connectionId: string;
  close(): Promise<void>;
}

/** Starts a sandbox with `orders` (key /id) and the service; `owner` is `w1`. */
export async function startSowHarness(options: Partial<SowServiceOptions> = {}): Promise<SowHarness> {
  const sandbox = await createSandboxServer({
    port: 0,
    adminPort: null,
    logger: silentLogger,
    topics: [
      { name: 'orders', keys: ['/id'] },
      { name: 'ticks', keys: ['/id'], expiration: 1 },
    ],
  });
  const uri = `tcp://127.0.0.1:${sandbox.ports.tcp}/amps/json`;
  const viewer = new Client('sow-viewer');
  await viewer.connect(uri);
  await viewer.logon();
  const publisher = new Client('sow-publisher');
  await publisher.connect(uri);
  await publisher.logon();
  const connection = {
    execute: async (command: Parameters<Client['execute']>[0]) => {
      const stream = await viewer.execute(command);
      return {
        stream,
        stop: () => {
          stream.close();
          return Promise.resolve();
        },
      };
    },
  } as unknown as AmpsConnectionLike;
  const closed = new Set<(id: string) => void>();
  const batches: SowBatch[] = [];
  const ended: SowEndedEvent[] = [];
  const service = new SowService({
    connections: {
      client: (connectionId, ownerId) => {
        if (connectionId !== 'conn-1' || ownerId !== 'w1')
          throw new Error(`connection ${connectionId} is not open`);
        return connection;
      },
      onClosed: (listener) => {
        closed.add(listener);
        return () => closed.delete(listener);
      },
    },
    logger: memoryLogger(),
    exportDir: '/tmp',
    intervalMs: 16,
    deliverBatch: (owner, batch) => {
      if (owner === 'w1') batches.push(batch);
    },
    deliverEnded: (owner, event) => {
      if (owner === 'w1') ended.push(event);
    },
    ...options,
  });
  return {
    sandbox,
    publisher,
    service,
    batches,
    ended,
    connectionId: 'conn-1',
    async close() {
      await service.shutdown();
      await viewer.close();
      await publisher.close();
      await sandbox.close();
    },
  };
}

/** Publishes JSON records and waits until the server has them. */
export async function publishAll(h: SowHarness, topic: string, records: readonly object[]): Promise<void> {
  for (const r of records) h.publisher.publish(topic, JSON.stringify(r));
  await h.publisher.publishFlush();
}

/** Waits until `check` holds (polls every 10 ms, at most `ms`). */
export async function waitFor(check: () => boolean, ms = 3000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Every upsert and removal delivered so far, folded into the current state by key. */
export function viewState(batches: readonly SowBatch[]): Map<string, unknown> {
  const rows = new Map<string, unknown>();
  for (const b of batches) {
    for (const u of b.upserts) rows.set(u.key, JSON.parse(u.data));
    for (const r of b.removals) rows.delete(r.key);
  }
  return rows;
}
