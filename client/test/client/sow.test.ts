import { afterEach, describe, expect, it } from 'vitest';
import type { Client } from '../../src/client.js';
import { InvalidTopicError } from '../../src/errors.js';
import type { Message } from '../../src/protocol/message.js';
import { ackFor, type FakeServer, type Received } from './fakeServer.js';
import { loggedOn, settle } from './helpers.js';

let client: Client;
let server: FakeServer;
afterEach(async () => {
  await client.disconnect();
});

/** Answers a sow like spec §7.1: processed, group_begin, batches, group_end, stats, completed. */
function answerSow(batches: { key: string; data: string; extra?: Record<string, string> }[][]) {
  return (cmd: Received, s: FakeServer): void => {
    const qid = cmd.fields.queryId ?? '';
    s.reply(ackFor(cmd, 'processed'));
    s.reply({ command: 'group_begin', queryId: qid });
    for (const b of batches) s.sowBatch({ topic: cmd.fields.topic ?? '', queryId: qid }, b);
    s.reply({ command: 'group_end', queryId: qid });
    const total = batches.reduce((n, b) => n + b.length, 0);
    if ((cmd.fields.ackType ?? '').includes('stats'))
      s.reply(
        ackFor(cmd, 'stats', { matches: String(total), topicMatches: '99', recordsReturned: String(total) }),
      );
    if ((cmd.fields.ackType ?? '').includes('completed')) s.reply(ackFor(cmd, 'completed'));
  };
}

describe('sow', () => {
  it('presents every record of every batch as its own message, in order, then ends', async () => {
    ({ client, server } = await loggedOn());
    server.on(
      'sow',
      answerSow([
        [
          {
            key: '1001',
            data: '{"id":1,"qty":10}',
            extra: { timestamp: '20240115T093000.000001Z', correlationId: 'QQ==' },
          },
          { key: '1002', data: '{"id":2,"qty":20}' },
        ],
        [{ key: '1003', data: '{"id":3}' }],
      ]),
    );
    const stream = await client.sow('orders', '/qty > 5', { batchSize: 2, topN: 10, orderBy: '/id DESC' });
    const all = await stream.toArray();
    expect(all.map((m) => m.command)).toEqual(['group_begin', 'sow', 'sow', 'sow', 'group_end']);
    const records = all.filter((m) => m.command === 'sow');
    expect(records.map((m) => m.sowKey)).toEqual(['1001', '1002', '1003']);
    expect(records.map((m) => m.json<{ id: number }>().id)).toEqual([1, 2, 3]);
    expect(records[0]?.timestamp).toBe('20240115T093000.000001Z');
    expect(records[0]?.correlationId).toBe('QQ==');
    expect(records[1]?.correlationId).toBeUndefined();
    expect(records[1]?.topic).toBe('orders');
    expect(records[2]?.queryId).toBe(stream.queryId);
    const sent = server.commands('sow')[0];
    expect(sent?.header).toBe(
      `{"c":"sow","t":"orders","cid":"${stream.commandId}","filter":"/qty > 5","a":"processed,completed","query_id":"${stream.commandId}","batch_size":2,"top_n":10,"orderby":"/id DESC"}`,
    );
  });

  it('shows acks the application asked for (stats) and uses batch size 10 by default', async () => {
    ({ client, server } = await loggedOn());
    server.on('sow', answerSow([[{ key: '1', data: 'a' }]]));
    const { Command } = await import('../../src/protocol/command.js');
    const stream = await client.execute(new Command('sow').setTopic('orders').addAckType('stats'));
    const all = await stream.toArray();
    const stats = all.find((m) => m.ackType === 'stats');
    expect(stats?.matches).toBe(1);
    expect(stats?.topicMatches).toBe(99);
    expect(all.some((m) => m.ackType === 'completed')).toBe(false);
    expect(server.commands('sow')[0]?.fields.batchSize).toBe('10');
    expect(server.commands('sow')[0]?.fields.ackType).toBe('processed,completed,stats');
  });

  it('calls a handler with the results when one is given', async () => {
    ({ client, server } = await loggedOn());
    server.on(
      'sow',
      answerSow([
        [
          { key: '1', data: 'a' },
          { key: '2', data: 'b' },
        ],
      ]),
    );
    const got: string[] = [];
    const queryId = await client.sow('orders', undefined, {
      handler: (m) => got.push(`${m.command} ${m.text}`),
    });
    await settle();
    expect(queryId).toBe(server.commands('sow')[0]?.fields.queryId);
    expect(got).toEqual(['group_begin ', 'sow a', 'sow b', 'group_end ']);
  });

  it('returns an empty result bracketed by group markers', async () => {
    ({ client, server } = await loggedOn());
    server.on('sow', answerSow([]));
    const all = await (await client.sow('orders')).toArray();
    expect(all.map((m) => m.command)).toEqual(['group_begin', 'group_end']);
  });

  it('rejects a failed query with the mapped error', async () => {
    ({ client, server } = await loggedOn());
    server.on('sow', (cmd, s) =>
      s.reply(ackFor(cmd, 'processed', { status: 'failure', reason: 'invalid topic' })),
    );
    await expect(client.sow('nosow')).rejects.toBeInstanceOf(InvalidTopicError);
  });

  it('sowAndSubscribe delivers the snapshot, then oof and live publishes on the same stream', async () => {
    ({ client, server } = await loggedOn());
    let sent: Received | undefined;
    server.on('sow_and_subscribe', (cmd, s) => {
      sent = cmd;
      answerSow([
        [
          { key: '1001', data: '{"id":1,"qty":10}' },
          { key: '1002', data: '{"id":2,"qty":20}' },
        ],
      ])(cmd, s);
    });
    const stream = await client.sowAndSubscribe('orders', '/qty > 5', { oof: true });
    expect(sent?.fields.subId).toBe(stream.subId);
    expect(sent?.fields.queryId).toBe(stream.subId);
    expect(sent?.fields.options).toBe('oof');
    expect(sent?.fields.ackType).toBe('processed');
    server.reply(
      { command: 'oof', topic: 'orders', subIds: stream.subId ?? '', sowKey: '1001', reason: 'match' },
      '{"id":1,"qty":3}',
    );
    server.reply(
      { command: 'publish', topic: 'orders', subIds: stream.subId ?? '', sowKey: '1003' },
      '{"id":3,"qty":7}',
    );
    const seen: string[] = [];
    for (let i = 0; i < 6; i++) {
      const m = (await stream.read(500)) as Message;
      seen.push(`${m.command}${m.sowKey ? ` ${m.sowKey}` : ''}`);
    }
    expect(seen).toEqual(['group_begin', 'sow 1001', 'sow 1002', 'group_end', 'oof 1001', 'publish 1003']);
    expect(stream.isEnded).toBe(false);
  });

  it('sowAndDeltaSubscribe asks for no_empties when empties are not wanted', async () => {
    ({ client, server } = await loggedOn());
    server.on('sow_and_delta_subscribe', answerSow([]));
    await client.sowAndDeltaSubscribe('orders', undefined, { oof: true, sendEmpties: false, batchSize: 50 });
    const f = server.commands('sow_and_delta_subscribe')[0]?.fields;
    expect(f?.options).toBe('oof,no_empties');
    expect(f?.batchSize).toBe('50');
  });

  it('closing a running query cancels it by query id', async () => {
    ({ client, server } = await loggedOn());
    server.on('sow', (cmd, s) => {
      s.reply(ackFor(cmd, 'processed'));
      s.reply({ command: 'group_begin', queryId: cmd.fields.queryId ?? '' });
    });
    const stream = await client.sow('orders');
    stream.close();
    const un = await server.next('unsubscribe');
    expect(un.fields.queryId).toBe(stream.queryId);
  });
});

describe('sow_delete', () => {
  it('deletes by filter and returns the stats ack', async () => {
    ({ client, server } = await loggedOn());
    server.on('sow_delete', (cmd, s) => {
      s.reply(ackFor(cmd, 'processed'));
      s.reply(ackFor(cmd, 'stats', { recordsDeleted: '3', matches: '3', topicMatches: '120' }));
    });
    const stats = await client.sowDelete('orders', "/status = 'closed'");
    expect(stats.recordsDeleted).toBe(3);
    expect(stats.topicMatches).toBe(120);
    const sent = server.commands('sow_delete')[0];
    expect(sent?.header).toBe(
      `{"c":"sow_delete","t":"orders","cid":"${sent?.fields.commandId}","filter":"/status = 'closed'","a":"processed,stats","query_id":"${sent?.fields.commandId}"}`,
    );
  });

  it('deletes by keys and by data', async () => {
    ({ client, server } = await loggedOn());
    server.on('sow_delete', (cmd, s) => {
      s.reply(ackFor(cmd, 'processed'));
      s.reply(ackFor(cmd, 'stats', { recordsDeleted: '1' }));
    });
    await client.sowDeleteByKeys('orders', ['1001', '1002']);
    await client.sowDeleteByData('orders', '{"id":1}');
    const [byKeys, byData] = server.commands('sow_delete');
    expect(byKeys?.fields.sowKeys).toBe('1001,1002');
    expect(byData?.payload.toString()).toBe('{"id":1}');
    await settle();
  });

  it('times out when the stats ack never comes', async () => {
    ({ client, server } = await loggedOn());
    server.on('sow_delete', (cmd, s) => s.reply(ackFor(cmd, 'processed')));
    await expect(client.sowDelete('orders', '1=1', { timeoutMs: 30 })).rejects.toThrow(
      /timed out after 30 ms/,
    );
  });
});
