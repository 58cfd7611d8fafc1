/**
 * The Client API an HAClient carries (the seed's HAClient derives from Client): settings and
 * handlers reach every connection, including the ones after a reconnect; refused values are
 * refused as a Client refuses them; one-off commands run on the live connection.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Client } from '../../src/client.js';
import { DisconnectedError, UsageError } from '../../src/errors.js';
import { HAClient } from '../../src/ha/haClient.js';
import type { Message } from '../../src/protocol/message.js';
import { MemoryBookmarkStore } from '../../src/stores/bookmark/memoryBookmarkStore.js';
import { MemoryPublishStore } from '../../src/stores/publish/memoryPublishStore.js';
import { SEED_METHODS } from '../client/seedMethods.js';
import {
  closeOpened,
  keepOpen,
  scriptedServer,
  testHAClient,
  type ScriptedServer,
  waitFor,
} from './haClientHelpers.js';

afterEach(closeOpened);

async function setUp(
  name: string,
): Promise<{ srv: ScriptedServer; ha: HAClient; resubscribed: () => number }> {
  const srv = await scriptedServer();
  const ha = testHAClient(name, [srv.uri]);
  let n = 0;
  ha.addConnectionStateListener((s) => {
    if (s.state === 'resubscribed') n++;
  });
  return { srv, ha, resubscribed: () => n };
}

describe('HAClient parity with the seed Client it derives from', () => {
  it('has every non-deprecated seed Client method', () => {
    const ha = keepOpen(new HAClient('parity-ha'));
    const record = ha as unknown as Record<string, unknown>;
    expect(SEED_METHODS.filter((m) => typeof record[m] !== 'function')).toEqual([]);
  });

  it('changes its name and stores only while idle, and always retries on disconnect', async () => {
    const { srv, ha } = await setUp('idle-only');
    ha.setName('renamed');
    ha.setPublishStore(new MemoryPublishStore());
    ha.setBookmarkStore(new MemoryBookmarkStore());
    expect(() => ha.setName('bad\nname')).toThrow(/control character/);
    expect(ha.getRetryOnDisconnect()).toBe(true);
    expect(() => ha.setRetryOnDisconnect(false)).toThrow(/always places its subscriptions again/);
    await ha.connectAndLogon();
    expect(srv.commands('logon').map((s) => s.fields.clientName)).toEqual(['renamed']);
    expect(ha.publish('orders', '{"n":1}')).toMatch(/^\d+$/);
    expect(ha.getUnpersistedCount()).toBe(1);
    expect(() => ha.setName('other')).toThrow(/cannot change while the HA client is connected/);
    expect(() => ha.setPublishStore(undefined)).toThrow(UsageError);
    expect(() => ha.setBookmarkStore(new MemoryBookmarkStore())).toThrow(UsageError);
  });
});

describe('HAClient settings and handlers', () => {
  it('applies what was set before connecting to the first connection and to the next', async () => {
    const { srv, ha, resubscribed } = await setUp('settings-carry');
    ha.setLogonCorrelationData('YWJj');
    const incoming: string[] = [];
    ha.setTransportFilter((bytes, isIncoming) => {
      if (isIncoming) incoming.push(bytes.toString('latin1'));
    });
    const unclaimed: Message[] = [];
    ha.setLastChanceMessageHandler((m) => unclaimed.push(m));
    await ha.connectAndLogon();
    srv.broadcast({ command: 'publish', topic: 'orders', subIds: 'nobody' }, '{"n":1}');
    await waitFor('the unclaimed delivery', () => unclaimed.length === 1);

    srv.dropAll();
    await waitFor('the reconnect', () => resubscribed() === 1);
    srv.broadcast({ command: 'publish', topic: 'orders', subIds: 'nobody' }, '{"n":2}');
    await waitFor('the second unclaimed delivery', () => unclaimed.length === 2);

    expect(unclaimed.map((m) => m.text)).toEqual(['{"n":1}', '{"n":2}']);
    expect(srv.commands('logon').map((s) => [s.connection, s.fields.correlationId])).toEqual([
      [1, 'YWJj'],
      [2, 'YWJj'],
    ]);
    // the filter saw each connection's logon ack and each delivery
    expect(incoming.filter((f) => f.includes('"nobody"'))).toHaveLength(2);
    expect(incoming.filter((f) => f.includes('"c":"ack"')).length).toBeGreaterThanOrEqual(2);
  });

  it('applies what is set while connected to the live connection at once', async () => {
    const { srv, ha } = await setUp('settings-live');
    await ha.connectAndLogon();
    const acks: string[] = [];
    ha.setGlobalCommandTypeMessageHandler('ack', (m) => acks.push(m.ackType ?? ''));
    await ha.flush(2000);
    expect(acks).toContain('processed');
    ha.setGlobalCommandTypeMessageHandler('ack', undefined);
    const before = acks.length;
    await ha.flush(2000);
    expect(acks).toHaveLength(before);
    expect(srv.commands('flush')).toHaveLength(2);
  });

  it('holds and reports the values as a Client does, and refuses what a Client refuses', () => {
    const ha = keepOpen(new HAClient('settings-values'));
    const plain = new Client('settings-values');
    expect(ha.getAckBatchSize()).toBe(plain.getAckBatchSize());
    expect(ha.getCommandTimeout()).toBe(plain.getCommandTimeout());
    expect(ha.getNameHash()).toBe(plain.getNameHash());
    expect(ha.getServerVersion()).toBe(0);

    ha.setAckBatchSize(10);
    ha.setAckTimeout(250);
    ha.setAutoAck(true);
    ha.setDefaultMaxDepth(500);
    ha.setCommandTimeout(1234);
    const dup = (): void => undefined;
    ha.setDuplicateMessageHandler(dup);
    expect([
      ha.getAckBatchSize(),
      ha.getAckTimeout(),
      ha.getAutoAck(),
      ha.getDefaultMaxDepth(),
      ha.getCommandTimeout(),
      ha.getDuplicateMessageHandler(),
    ]).toEqual([10, 250, true, 500, 1234, dup]);

    const refusals: [string, () => void, () => void][] = [
      ['command timeout 0', () => ha.setCommandTimeout(0), () => plain.setCommandTimeout(0)],
      ['max depth 0', () => ha.setDefaultMaxDepth(0), () => plain.setDefaultMaxDepth(0)],
      [
        'correlation data',
        () => ha.setLogonCorrelationData('not base64!'),
        () => plain.setLogonCorrelationData('not base64!'),
      ],
    ];
    for (const [what, viaHa, viaClient] of refusals) {
      let clientError: unknown;
      try {
        viaClient();
      } catch (e) {
        clientError = e;
      }
      expect(clientError, what).toBeInstanceOf(UsageError);
      expect(viaHa, what).toThrow((clientError as Error).message);
    }
    // a refused value leaves the last good one in place
    expect([ha.getCommandTimeout(), ha.getDefaultMaxDepth(), ha.getLogonCorrelationData()]).toEqual([
      1234,
      500,
      undefined,
    ]);
  });
});

describe('HAClient one-off commands on the live connection', () => {
  it('sends sow_delete by filter, by keys and by data, and reports the version of the live server', async () => {
    const { srv, ha } = await setUp('sow-delete');
    await expect(ha.sowDelete('orders', '/qty > 5')).rejects.toBeInstanceOf(DisconnectedError);
    await ha.connectAndLogon();
    expect(ha.getServerVersion()).toBe(5030501);
    expect(ha.getServerVersionInfo().getVersionString()).toBe('5.3.5.1');

    const byFilter = await ha.sowDelete('orders', '/qty > 5');
    const byKeys = await ha.sowDeleteByKeys('orders', ['k1', 'k2']);
    const byData = await ha.sowDeleteByData('orders', '{"id":7}');
    for (const ack of [byFilter, byKeys, byData])
      expect([ack.command, ack.ackType, ack.recordsDeleted]).toEqual(['ack', 'stats', 3]);

    const sent = srv
      .commands('sow_delete')
      .map((s) => [s.fields.topic, s.fields.filter, s.fields.sowKeys, s.payload]);
    expect(sent).toEqual([
      ['orders', '/qty > 5', undefined, ''],
      ['orders', undefined, 'k1,k2', ''],
      ['orders', undefined, undefined, '{"id":7}'],
    ]);
  });

  it('refuses acks, message handlers and raw sends while not connected, naming the HA client', async () => {
    const { ha } = await setUp('not-connected');
    expect(() => ha.ack('queue', '1|1|')).toThrow(DisconnectedError);
    expect(() => ha.addMessageHandler('c1', () => undefined, 'processed', false)).toThrow(/not-connected/);
    await expect(ha.sendMessage(ha.allocateMessage({ command: 'flush' }))).rejects.toBeInstanceOf(
      DisconnectedError,
    );
    await expect(ha.flush()).rejects.toThrow(/cannot flush: HA client "not-connected" is not connected/);
  });
});
