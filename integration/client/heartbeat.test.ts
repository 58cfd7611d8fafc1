/**
 * Heartbeats (spec §10): they keep an idle connection alive, and either side going silent
 * ends the connection. Flush (spec §4.13) waits for earlier commands. The heartbeat tests
 * take seconds each, so they run concurrently; each owns its clients and relay.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../../client/src/client.js';
import { DisconnectedError } from '../../client/src/errors.js';
import type { ConnectionState } from '../../client/src/status.js';
import type { MessageStream } from '../../client/src/stream.js';
import { startSandbox, type SandboxFixture } from '../sandboxFixture.js';
import { startRelay, type Relay } from './relay.js';
import {
  ClientPool,
  payloads,
  readAll,
  sleep,
  take,
  TRANSPORTS,
  type TransportCase,
  uniqueName,
  WAIT_MS,
  within,
} from './helpers.js';

let sandbox: SandboxFixture;
beforeAll(async () => {
  sandbox = await startSandbox({
    topics: ['tcp', 'ws'].map((t) => ({ name: `flushed_${t}`, keys: ['/id'] })),
  });
});
afterAll(() => sandbox.close());

/** Runs `body` with a pool (and maybe a relay) of its own, closing them whatever happens. */
async function isolated(body: (pool: ClientPool, relays: Relay[]) => Promise<void>): Promise<void> {
  const pool = new ClientPool();
  const relays: Relay[] = [];
  try {
    await body(pool, relays);
  } finally {
    await pool.closeAll();
    await Promise.all(relays.map((r) => r.close()));
  }
}

/** A client with 1 s heartbeats connected through a new relay, with a live subscription. */
async function throughRelay(
  pool: ClientPool,
  relays: Relay[],
  { transport, uriOf }: TransportCase,
): Promise<{ client: Client; relay: Relay; stream: MessageStream; states: ConnectionState[] }> {
  const port = (transport === 'tcp' ? sandbox.server.ports.tcp : sandbox.server.ports.ws) ?? 0;
  const relay = await startRelay(port);
  relays.push(relay);
  const client = await pool.open(uriOf(sandbox).replace(`:${port}/`, `:${relay.port}/`), 'silent');
  const states: ConnectionState[] = [];
  client.addConnectionStateListener((s) => states.push(s.state));
  client.setHeartbeat(1);
  const stream = await client.subscribe(uniqueName('silent'));
  return { client, relay, stream, states };
}

/** How a stream ends: the error it throws, or 'ended' / 'still open'. */
async function outcome(stream: MessageStream): Promise<unknown> {
  try {
    while ((await stream.read(WAIT_MS * 2)) !== undefined);
    return stream.isEnded ? 'ended' : 'still open';
  } catch (e) {
    return e;
  }
}

describe.concurrent.each(TRANSPORTS)('heartbeats over $transport', (tc) => {
  it('setHeartbeat(1) keeps an idle connection alive for more than 3 s, with server heartbeats', () =>
    isolated(async (pool) => {
      const [client, pub] = await Promise.all([
        pool.open(tc.uriOf(sandbox), 'idle'),
        pool.open(tc.uriOf(sandbox)),
      ]);
      const states: ConnectionState[] = [];
      client.addConnectionStateListener((s) => states.push(s.state));
      let serverBeats = 0;
      client.setGlobalCommandTypeMessageHandler('heartbeat', () => {
        serverBeats += 1;
      });
      client.setHeartbeat(1);
      const topic = uniqueName('idle');
      const stream = await client.subscribe(topic);
      // Idle: the client sends nothing but its beats, and the server has nothing to deliver.
      await sleep(3300);
      expect(client.isConnected).toBe(true);
      expect(client.isLoggedOn).toBe(true);
      expect(states).not.toContain('disconnected');
      expect(states).not.toContain('heartbeatMissed');
      // The server heartbeats the idle connection (about one per second).
      expect(serverBeats).toBeGreaterThanOrEqual(2);
      // The subscription still works.
      pub.publish(topic, '{"after":"idle"}');
      expect(payloads(await take(stream, 1))).toEqual([{ after: 'idle' }]);
      await client.publishFlush(WAIT_MS);
    }));

  it('the client declares a silent server dead after twice the interval (spec §10.1 step 5)', () =>
    isolated(async (pool, relays) => {
      const { client, relay, stream, states } = await throughRelay(pool, relays, tc);
      relay.holdDownstream();
      const error = await within(outcome(stream), WAIT_MS * 3, 'the stream to end');
      expect(error).toBeInstanceOf(DisconnectedError);
      expect((error as DisconnectedError).code).toBe('heartbeat');
      expect(client.isConnected).toBe(false);
      expect(states).toContain('heartbeatMissed');
    }));

  it('the server drops a client whose beats stop arriving (spec §10.1 step 4)', () =>
    isolated(async (pool, relays) => {
      const { client, relay, stream } = await throughRelay(pool, relays, tc);
      relay.holdUpstream();
      const error = await within(outcome(stream), WAIT_MS * 3, 'the stream to end');
      expect(error).toBeInstanceOf(DisconnectedError);
      // The server closed the connection (the client kept hearing the server's heartbeats).
      expect((error as DisconnectedError).code).toBe('disconnected');
      expect(client.isConnected).toBe(false);
    }));
});

describe.each(TRANSPORTS)('flush over $transport', ({ transport, uriOf }) => {
  it('publishFlush resolves once every earlier publish is processed', () =>
    isolated(async (pool) => {
      const topic = `flushed_${transport}`;
      const client = await pool.open(uriOf(sandbox));
      for (let id = 1; id <= 200; id++) client.publish(topic, JSON.stringify({ id, v: transport }));
      await client.publishFlush(WAIT_MS);
      // A second connection sees every record right away: the flush covered them.
      const reader = await pool.open(uriOf(sandbox));
      const records = (await readAll(await reader.sow(topic, undefined, { batchSize: 50 }))).filter(
        (m) => m.command === 'sow',
      );
      expect(records).toHaveLength(200);
      // The persisted form of flush also completes (no publish store: nothing left to wait for).
      client.publish(topic, JSON.stringify({ id: 201, v: transport }));
      await client.publishFlush(WAIT_MS, 'persisted');
      const last = await readAll(await reader.sow(topic, '/id = 201'));
      expect(payloads(last.filter((m) => m.command === 'sow'))).toEqual([{ id: 201, v: transport }]);
    }));
});
