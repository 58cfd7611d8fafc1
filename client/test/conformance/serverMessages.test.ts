/**
 * Conformance: what the client must accept from a server (spec §0.3 "be liberal", §1.3, §1.5,
 * §3.4, §5.3, §5.4, §7.2, §10.1, Appendix A). Every server message is written here as raw
 * bytes, in the spellings the spec says real servers or other implementations may use, and
 * sent through the fake server byte for byte.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Client } from '../../src/client.js';
import { PREFIX_BYTES } from '../../src/protocol/frame.js';
import { ackFor, type FakeServer } from '../client/fakeServer.js';
import { loggedOn, settle } from '../client/helpers.js';
import { DELIVERY, SOW_BATCH } from '../protocol/golden.js';

let client: Client | undefined;
let server: FakeServer;
afterEach(async () => {
  await client?.disconnect();
  client = undefined;
});

/** Sends `header` then `payload` as one frame, exactly as given. */
function raw(header: string, payload: string | Buffer = ''): void {
  server.sendRaw(Buffer.concat([Buffer.from(header, 'utf8'), Buffer.from(payload)]));
}

describe('§1.5 / §7.2 byte dumps reach the application', () => {
  it('the §1.5 delivery: sids routes it, bm/k/t are read, the payload is the rest of the frame', async () => {
    ({ client, server } = await loggedOn());
    const stream = await client.subscribe('orders', undefined, { subId: '5' });
    server.sendRaw(DELIVERY.subarray(PREFIX_BYTES));
    const m = await stream.read(500);
    expect(m?.command).toBe('publish');
    expect(m?.topic).toBe('orders');
    expect(m?.subIds).toEqual(['5']);
    expect(m?.bookmark).toBe('11290131331453466431|1700000000000042|');
    expect(m?.sowKey).toBe('1001');
    expect(m?.text).toBe('{"id":1,"qty":10}');
  });

  it('the §7.2 batch: two records, each a message of its own with the batch topic and query id', async () => {
    ({ client, server } = await loggedOn());
    server.on('sow', (cmd, s) => {
      s.reply(ackFor(cmd, 'processed'));
      raw('{"c":"group_begin","query_id":"7"}');
      s.sendRaw(SOW_BATCH.subarray(PREFIX_BYTES));
      raw('{"c":"group_end","query_id":"7"}');
      s.reply(ackFor(cmd, 'completed'));
    });
    const stream = await client.sow('orders', undefined, { queryId: '7' });
    const records = (await stream.toArray()).filter((m) => m.command === 'sow');
    expect(records.map((m) => [m.topic, m.queryId, m.sowKey, m.text])).toEqual([
      ['orders', '7', '1001', '{"id":1,"qty":10}'],
      ['orders', '7', '1002', '{"id":2,"qty":20}'],
    ]);
  });

  it('l on a non-SOW message is informational: the payload runs to the end of the frame', async () => {
    ({ client, server } = await loggedOn());
    const stream = await client.subscribe('orders', undefined, { subId: 'S' });
    raw('{"c":"p","t":"orders","sids":"S","l":3}', '{"id":1,"qty":10}');
    expect((await stream.read(500))?.text).toBe('{"id":1,"qty":10}');
  });

  it('the payload is opaque: braces, quotes and NUL bytes pass through unchanged (§1.3)', async () => {
    ({ client, server } = await loggedOn());
    const stream = await client.subscribe('bin', undefined, { subId: 'B' });
    const payload = Buffer.from([0x7d, 0x00, 0x7b, 0x22, 0x7d, 0x00, 0xff]);
    raw('{"c":"p","t":"bin","sids":"B"}', payload);
    expect((await stream.read(500))?.data.equals(payload)).toBe(true);
  });

  it('an empty payload (l 0) is a message with no data (§1.3)', async () => {
    ({ client, server } = await loggedOn());
    const stream = await client.subscribe('orders', undefined, { subId: 'E' });
    raw('{"c":"p","t":"orders","sids":"E","l":0}');
    const m = await stream.read(500);
    expect(m?.command).toBe('publish');
    expect(m?.data.length).toBe(0);
  });
});

describe('§3.4 aliases, quoted numbers and whitespace from a server', () => {
  it('acks, deliveries and batches written with the long header names are routed and read', async () => {
    ({ client, server } = await loggedOn());
    server.on('subscribe', (cmd) =>
      raw(`{"cmd":"ack","cmd_id":"${cmd.fields.commandId}","ack_type":"processed","status":"success"}`),
    );
    const a = await client.subscribe('orders', undefined, { subId: 'A' });
    const b = await client.subscribe('orders', undefined, { subId: 'B' });
    raw(
      '{"cmd":"publish","topic":"orders","sub_ids":"A,B","sow_key":"9","bookmark":"1|2|","seq":"42","msg_len":"2"}',
      '{}',
    );
    for (const stream of [a, b]) {
      const m = await stream.read(500);
      expect([m?.command, m?.topic, m?.sowKey, m?.bookmark, m?.sequence, m?.text]).toEqual([
        'publish',
        'orders',
        '9',
        '1|2|',
        '42',
        '{}',
      ]);
    }
    server.on('sow', (cmd) => {
      const qid = cmd.fields.queryId ?? '';
      raw(`{"cmd":"ack","cmd_id":"${cmd.fields.commandId}","ack_type":"processed","status":"success"}`);
      raw(`{"cmd":"group_begin","query_id":"${qid}"}`);
      raw(
        `{"cmd":"sow","topic":"orders","query_id":"${qid}","batch_size":"2"}`,
        '{"sow_key":"1","msg_len":"3"}{1}{"sow_key":"2","msg_len":2}{}',
      );
      raw(`{"cmd":"group_end","query_id":"${qid}"}`);
      raw(`{"cmd":"ack","cmd_id":"${cmd.fields.commandId}","ack_type":"completed","status":"success"}`);
    });
    const q = await client.sow('orders');
    const records = (await q.toArray()).filter((m) => m.command === 'sow');
    expect(records.map((m) => [m.sowKey, m.text])).toEqual([
      ['1', '{1}'],
      ['2', '{}'],
    ]);
  });

  it('whitespace around keys and values and unknown keys do not break routing (§0.3)', async () => {
    ({ client, server } = await loggedOn());
    server.on('subscribe', (cmd) =>
      raw(
        `{ "c" : "ack" , "cid" : "${cmd.fields.commandId}" , "a" : "processed", "status":"success", "new_field_x": 1 }`,
      ),
    );
    const s = await client.subscribe('orders', undefined, { subId: 'W' });
    raw('{ "c":"p", "t":"orders", "sids":"W", "future":"yes" }', 'x');
    const m = await s.read(500);
    expect(m?.text).toBe('x');
    expect(m?.topic).toBe('orders');
  });
});

describe('§5.3 / §5.4 ack routing', () => {
  it('a subscribe processed ack without sub_id still settles the subscribe (route by cid)', async () => {
    ({ client, server } = await loggedOn());
    server.on('subscribe', (cmd) =>
      raw(`{"c":"ack","cid":"${cmd.fields.commandId}","a":"processed","status":"success"}`),
    );
    const s = await client.subscribe('orders', undefined, { subId: 'named' });
    expect(s.subId).toBe('named');
  });

  it('an ack that carries only query_id (no cid) reaches its query', async () => {
    ({ client, server } = await loggedOn());
    server.on('sow', (cmd) => {
      const qid = cmd.fields.queryId ?? '';
      raw(`{"c":"ack","a":"processed","status":"success","query_id":"${qid}"}`);
      raw(`{"c":"group_begin","query_id":"${qid}"}`);
      raw(`{"c":"group_end","query_id":"${qid}"}`);
      raw(`{"c":"ack","a":"completed","status":"success","query_id":"${qid}"}`);
    });
    const q = await client.sow('orders', undefined, { queryId: 'Q1' });
    expect((await q.toArray()).map((m) => m.command)).toEqual(['group_begin', 'group_end']);
  });
});

describe('Appendix A / §10.1 other server messages', () => {
  it('a delivery sent as c=delta_publish is accepted like p', async () => {
    ({ client, server } = await loggedOn());
    const s = await client.deltaSubscribe('orders', undefined, { subId: 'D' });
    raw('{"c":"delta_publish","t":"orders","sids":"D","k":"1"}', '{"qty":5}');
    const m = await s.read(500);
    expect(m?.sowKey).toBe('1');
    expect(m?.text).toBe('{"qty":5}');
  });

  it('a server heartbeat with extra fields is answered with beat', async () => {
    ({ client, server } = await loggedOn());
    client.setHeartbeat(30);
    await server.next('heartbeat', (r) => r.fields.options === 'start,30');
    raw('{"c":"heartbeat","a":"processed","status":"success","o":"beat","unknown":1}');
    const beat = await server.next('heartbeat', (r) => r.fields.options === 'beat');
    expect(beat.header).toBe('{"c":"heartbeat","o":"beat"}');
    await settle();
    expect(client.isConnected).toBe(true);
  });
});
