/**
 * The server going away mid-stream (spec §10.1 step 5, §15.3): live streams end with a
 * DisconnectedError, pending commands are rejected, later commands fail at once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Client } from '../../client/src/client.js';
import { DisconnectedError, TimedOutError } from '../../client/src/errors.js';
import type { Message } from '../../client/src/protocol/message.js';
import { startSandbox, type SandboxFixture } from '../sandboxFixture.js';
import { startRelay, type Relay } from './relay.js';
import { ClientPool, payloads, sleep, take, TRANSPORTS, uniqueName, WAIT_MS, within } from './helpers.js';

describe.each(TRANSPORTS)('server closing the connection over $transport', ({ transport, uriOf }) => {
  const pool = new ClientPool();
  let sandbox: SandboxFixture | undefined;
  let relay: Relay | undefined;
  afterEach(async () => {
    await pool.closeAll();
    await relay?.close();
    await sandbox?.close();
    relay = undefined;
    sandbox = undefined;
  });

  it('a live subscription ends with DisconnectedError while a publisher is running', async () => {
    sandbox = await startSandbox();
    const topic = uniqueName('live');
    const [sub, pub] = await Promise.all([pool.open(uriOf(sandbox)), pool.open(uriOf(sandbox))]);
    const stream = await sub.subscribe(topic);
    let sent = 0;
    let publishing = true;
    const publisher = (async (): Promise<void> => {
      while (publishing && pub.isConnected) {
        try {
          pub.publish(topic, JSON.stringify({ n: ++sent }));
        } catch {
          return;
        }
        if (sent % 10 === 0) await sleep(1);
      }
    })();
    const received: number[] = [];
    const consume = (async (): Promise<unknown> => {
      try {
        for await (const m of stream) {
          received.push(m.json<{ n: number }>().n);
          if (received.length === 20) void sandbox?.close();
        }
        return 'ended without error';
      } catch (e) {
        return e;
      }
    })();
    const outcome = await within(consume, WAIT_MS * 2, 'the subscription loop');
    publishing = false;
    await publisher;
    expect(outcome).toBeInstanceOf(DisconnectedError);
    // What arrived before the close arrived in order, without gaps.
    expect(received.length).toBeGreaterThanOrEqual(20);
    expect(received).toEqual(Array.from({ length: received.length }, (_, i) => i + 1));
    expect(sub.isConnected).toBe(false);
    // A command after the disconnect fails at once.
    await expect(sub.subscribe(topic)).rejects.toBeInstanceOf(DisconnectedError);
    expect(() => sub.publish(topic, '{}')).toThrow(DisconnectedError);
  });

  it('rejects every pending command and ends every stream when the server closes', async () => {
    sandbox = await startSandbox({ topics: [{ name: 'pending', keys: ['/id'] }] });
    const port = transport === 'tcp' ? sandbox.server.ports.tcp : sandbox.server.ports.ws;
    relay = await startRelay(port ?? 0);
    const viaRelay = uriOf(sandbox).replace(`:${port ?? 0}/`, `:${relay.port}/`);
    const client: Client = await pool.open(viaRelay, 'pending');
    const pub = await pool.open(uriOf(sandbox));
    const topic = uniqueName('pending');
    const live = await client.subscribe(topic);
    const query = await client.sowAndSubscribe('pending');
    pub.publish(topic, '{"n":1}');
    expect(payloads(await take(live, 1))).toEqual([{ n: 1 }]);

    // From here on the server never sees what the client sends: these stay unanswered.
    relay.holdUpstream();
    const flush = client.publishFlush().catch((e: unknown) => e);
    const sow = client.sow('pending').catch((e: unknown) => e);
    const subscribe = client.subscribe(uniqueName('never')).catch((e: unknown) => e);
    await sleep(100);
    await sandbox.close();

    for (const outcome of await within(Promise.all([flush, sow, subscribe]), WAIT_MS, 'pending commands')) {
      expect(outcome).toBeInstanceOf(DisconnectedError);
    }
    const ends = async (stream: typeof live): Promise<unknown> => {
      const seen: Message[] = [];
      try {
        for (;;) {
          const m = await stream.read(WAIT_MS);
          if (m === undefined) return seen;
          seen.push(m);
        }
      } catch (e) {
        return e;
      }
    };
    expect(await ends(live)).toBeInstanceOf(DisconnectedError);
    const queryOutcome = await ends(query);
    expect(queryOutcome).toBeInstanceOf(DisconnectedError);
    expect(client.isConnected).toBe(false);
  });
  it('a command the server does not answer times out with TimedOutError; the connection stays', async () => {
    sandbox = await startSandbox({ topics: [{ name: 'slow', keys: ['/id'] }] });
    const port = (transport === 'tcp' ? sandbox.server.ports.tcp : sandbox.server.ports.ws) ?? 0;
    relay = await startRelay(port);
    const client = await pool.open(uriOf(sandbox).replace(`:${port}/`, `:${relay.port}/`), 'slow');
    relay.holdUpstream();
    const error = await client.sow('slow', undefined, { timeoutMs: 300 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimedOutError);
    expect((error as Error).message).toContain('slow');
    await expect(client.publishFlush(300)).rejects.toBeInstanceOf(TimedOutError);
    expect(client.isConnected).toBe(true);
  });
});
