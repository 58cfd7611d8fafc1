import { afterEach, describe, expect, it } from 'vitest';
import { Client } from '../../client/src/client.js';
import type { HeaderFields } from '../../client/src/protocol/fields.js';
import { Message } from '../../client/src/protocol/message.js';
import { createSandboxServer, silentLogger, type SandboxServer } from '../../sandbox/src/index.js';
import { WireRecorder } from '../main/services/inspector/wireRecorder.js';

let sandbox: SandboxServer | undefined;
let client: Client | undefined;
afterEach(async () => {
  await client?.disconnect();
  await sandbox?.close();
  client = undefined;
  sandbox = undefined;
});

async function startSandbox(): Promise<{ tcpUri: string }> {
  sandbox = await createSandboxServer({ port: 0, wsPort: 0, adminPort: null, logger: silentLogger });
  return { tcpUri: `tcp://127.0.0.1:${sandbox.ports.tcp}/amps/json` };
}

const msg = (fields: HeaderFields, text = ''): Message => new Message(fields, Buffer.from(text));

describe('WireRecorder', () => {
  it('lists a subscribe and its processed ack with the latency from command to ack', async () => {
    const { tcpUri } = await startSandbox();
    client = new Client('inspector-test');
    const recorder = new WireRecorder();
    client.setCommandTap(recorder);
    await client.connect(tcpUri);
    await client.logon();
    await client.subscribe('orders', '/qty > 5', { handler: () => undefined });
    const entries = recorder.entriesAfter(0);
    const subscribe = entries.find((e) => e.direction === 'out' && e.command === 'subscribe');
    expect(subscribe).toMatchObject({ topic: 'orders', filter: '/qty > 5' });
    const ack = entries.find(
      (e) =>
        e.direction === 'in' &&
        e.command === 'ack' &&
        e.commandId === subscribe?.commandId &&
        e.ackType === 'processed',
    );
    expect(ack).toMatchObject({ status: 'success' });
    expect(ack?.latencyMs).toBeGreaterThanOrEqual(0);
    expect(entries.map((e) => e.command)).toContain('logon');
  });

  it('shows a bad filter as a failed ack with the server reason', async () => {
    const { tcpUri } = await startSandbox();
    client = new Client('inspector-test');
    const recorder = new WireRecorder();
    client.setCommandTap(recorder);
    await client.connect(tcpUri);
    await client.logon();
    await expect(client.subscribe('orders', '/qty >>> 5', { handler: () => undefined })).rejects.toThrow();
    const failed = recorder.entriesAfter(0).find((e) => e.command === 'ack' && e.status === 'failure');
    expect(failed?.reason).toMatch(/filter/);
  });

  it('counts data messages per subscription and folds heartbeats, listing none of them', () => {
    const recorder = new WireRecorder();
    for (let i = 0; i < 5; i++) recorder.received(msg({ command: 'p', subId: 's1', topic: 't' }, 'x'));
    recorder.received(msg({ command: 'oof', subId: 's2', topic: 't' }));
    recorder.received(msg({ command: 'heartbeat' }));
    recorder.sent({ command: 'heartbeat' }, 0);
    recorder.sent({ command: 'publish', topic: 'orders' }, 10);
    expect(recorder.entriesAfter(0)).toEqual([]);
    expect(recorder.counters()).toEqual({
      heartbeatsIn: 1,
      heartbeatsOut: 1,
      dataBySub: { s1: 5, s2: 1 },
      publishedByTopic: { orders: 1 },
      overwritten: 0,
    });
  });

  it('samples one data message in N when asked, and keeps a bounded ring', () => {
    const recorder = new WireRecorder({ capacity: 3, sampleEvery: 2 });
    for (let i = 0; i < 4; i++) recorder.received(msg({ command: 'p', subId: 's1' }, `m${i}`));
    expect(recorder.entriesAfter(0).map((e) => e.sampled)).toEqual([true, true]);
    for (let i = 0; i < 3; i++) recorder.sent({ command: 'sow', commandId: `c${i}`, topic: 't' }, 0);
    const all = recorder.entriesAfter(0);
    expect(all.map((e) => e.commandId)).toEqual(['c0', 'c1', 'c2']);
    expect(recorder.counters().overwritten).toBe(2);
    expect(recorder.entriesAfter(recorder.lastSeq - 1).map((e) => e.commandId)).toEqual(['c2']);
  });

  it('an outbound publish that asks for an ack is listed, and its ack gets a latency', () => {
    let now = 1_000;
    const recorder = new WireRecorder({ now: () => now });
    recorder.sent({ command: 'publish', topic: 'orders', commandId: '7', ackType: 'processed' }, 12);
    now = 1_004;
    recorder.received(
      msg({ command: 'ack', commandId: '7', ackType: 'processed', status: 'failure', reason: 'bad' }),
    );
    const [out, ack] = recorder.entriesAfter(0);
    expect(out).toMatchObject({ direction: 'out', command: 'publish', bytes: 12 });
    expect(ack).toMatchObject({ direction: 'in', status: 'failure', reason: 'bad', latencyMs: 4 });
  });
});
