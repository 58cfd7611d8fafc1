/**
 * Publishing with a publish store (spec §4.4, §6.3): persisted acks empty the store; after a
 * lost connection the next logon replays exactly what the server never got.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../../client/src/client.js';
import { MemoryPublishStore } from '../../client/src/stores/publish/memoryPublishStore.js';
import { startSandbox, type SandboxFixture } from '../sandboxFixture.js';
import { startRelay, type Relay } from './relay.js';
import { ClientPool, drain, payloads, sleep, take, TRANSPORTS, uniqueName, WAIT_MS } from './helpers.js';

let sandbox: SandboxFixture;
beforeAll(async () => {
  sandbox = await startSandbox({
    topics: ['tcp', 'ws'].map((t) => ({ name: `ledger_${t}`, keys: ['/id'] })),
  });
});
afterAll(() => sandbox.close());

describe.each(TRANSPORTS)('publish store over $transport', ({ transport, uriOf }) => {
  const pool = new ClientPool();
  let relay: Relay | undefined;
  let publisher: Client | undefined;
  afterEach(async () => {
    await publisher?.disconnect();
    await relay?.close();
    await pool.closeAll();
    publisher = undefined;
    relay = undefined;
  });

  it('replays after a reconnect exactly the publishes the server never received', async () => {
    const topic = `ledger_${transport}`;
    const watcher = await pool.open(uriOf(sandbox));
    const stream = await watcher.subscribe(topic);
    const port = (transport === 'tcp' ? sandbox.server.ports.tcp : sandbox.server.ports.ws) ?? 0;
    relay = await startRelay(port);

    const store = new MemoryPublishStore();
    publisher = new Client(uniqueName('ledger'), { commandTimeoutMs: WAIT_MS });
    publisher.setPublishStore(store);
    await publisher.connect(uriOf(sandbox).replace(`:${port}/`, `:${relay.port}/`));
    await publisher.logon();
    for (let id = 1; id <= 3; id++) publisher.publish(topic, JSON.stringify({ id }));
    await publisher.publishFlush(WAIT_MS);
    expect(publisher.getUnpersistedCount()).toBe(0);
    expect(payloads(await take(stream, 3))).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);

    // These never reach the server.
    relay.holdUpstream();
    for (let id = 4; id <= 6; id++) publisher.publish(topic, JSON.stringify({ id }));
    expect(publisher.getUnpersistedCount()).toBe(3);
    await relay.close();
    relay = undefined;
    const deadline = Date.now() + WAIT_MS;
    while (publisher.isConnected && Date.now() < deadline) await sleep(10);
    expect(publisher.isConnected).toBe(false);
    expect(publisher.getUnpersistedCount()).toBe(3);

    // Same client name, same store: the logon replays the three, and only them.
    await publisher.connect(uriOf(sandbox));
    await publisher.logon();
    await publisher.publishFlush(WAIT_MS);
    expect(publisher.getUnpersistedCount()).toBe(0);
    expect(payloads(await take(stream, 3))).toEqual([{ id: 4 }, { id: 5 }, { id: 6 }]);
    expect(await drain(stream, 150)).toEqual([]);
  });
  it('publishes the server got but never acknowledged are not delivered twice after a reconnect', async () => {
    const topic = `ledger_${transport}`;
    const watcher = await pool.open(uriOf(sandbox));
    const stream = await watcher.subscribe(topic, '/id >= 100');
    const port = (transport === 'tcp' ? sandbox.server.ports.tcp : sandbox.server.ports.ws) ?? 0;
    relay = await startRelay(port);

    publisher = new Client(uniqueName('ledger'), { commandTimeoutMs: WAIT_MS });
    publisher.setPublishStore(new MemoryPublishStore());
    await publisher.connect(uriOf(sandbox).replace(`:${port}/`, `:${relay.port}/`));
    await publisher.logon();
    // The server receives these, but its persisted acks never come back.
    relay.holdDownstream();
    for (let id = 100; id <= 104; id++) publisher.publish(topic, JSON.stringify({ id }));
    expect(payloads(await take(stream, 5))).toEqual([100, 101, 102, 103, 104].map((id) => ({ id })));
    expect(publisher.getUnpersistedCount()).toBe(5);
    await relay.close();
    relay = undefined;
    const deadline = Date.now() + WAIT_MS;
    while (publisher.isConnected && Date.now() < deadline) await sleep(10);

    await publisher.connect(uriOf(sandbox));
    await publisher.logon();
    await publisher.publishFlush(WAIT_MS);
    expect(publisher.getUnpersistedCount()).toBe(0);
    // Nothing is delivered a second time.
    expect(await drain(stream, 200)).toEqual([]);
    publisher.publish(topic, JSON.stringify({ id: 105 }));
    expect(payloads(await take(stream, 1))).toEqual([{ id: 105 }]);
  });
});
