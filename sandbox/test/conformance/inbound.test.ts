/**
 * What the server must accept from clients it did not write (spec §1.2, §1.4, §1.5, §3.4,
 * §4.3): the official byte dumps, every header alias, whitespace, numbers quoted or bare,
 * zero-length frames, and the extension keys other clients add.
 */
import { connect } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FrameReader } from '../../../client/src/protocol/frame.js';
import type { SandboxServer } from '../../src/server.js';
import type { RawClient } from '../helpers.js';
import { ackOf, RawClientPool, settle, startServer } from '../helpers.js';

let server: SandboxServer;
const clients = new RawClientPool();

beforeEach(async () => {
  server = await startServer({ topics: [{ name: 'orders', keys: ['/id'], txlog: true }] });
});
afterEach(async () => {
  clients.closeAll();
  await server.close();
});

const client = (): Promise<RawClient> => clients.connect(server.ports.tcp as number);

const hex = (rows: string): Buffer => Buffer.from(rows.replace(/\s+/g, ''), 'hex');

describe('inbound frames from official clients (byte dumps)', () => {
  it('accepts the §4.3 logon and the §1.5 publish exactly as dumped, and delivers the publish', async () => {
    const sock = connect(server.ports.tcp as number, '127.0.0.1');
    await new Promise<void>((resolve, reject) => {
      sock.once('connect', resolve);
      sock.once('error', reject);
    });
    const frames: string[] = [];
    const reader = new FrameReader((f) => frames.push(Buffer.from(f).toString()), 1 << 20);
    sock.on('data', (d: Buffer) => reader.push(d));
    try {
      // §4.3: the official client's 121-byte logon frame (prefix 0x79).
      sock.write(
        hex(`00 00 00 79 7b 22 63 22 3a 22 6c 6f 67 6f 6e 22 2c 22 63 69 64 22 3a 22 31 22 2c 22 63 6c 69 65
             6e 74 5f 6e 61 6d 65 22 3a 22 76 69 65 77 65 72 2d 31 22 2c 22 75 73 65 72 5f 69 64 22 3a 22 61
             6c 69 63 65 22 2c 22 61 22 3a 22 70 72 6f 63 65 73 73 65 64 22 2c 22 76 65 72 73 69 6f 6e 22 3a
             22 35 2e 33 2e 35 2e 31 2e 30 3a 74 73 22 2c 22 70 77 22 3a 22 73 65 63 72 65 74 22 7d`),
      );
      const sub = await client();
      await sub.logon('sub');
      sub.send('{"c":"subscribe","t":"orders","cid":"5","sub_id":"5","a":"processed"}');
      const subAck = await sub.waitFor(ackOf('5'));
      // §1.5: the 69-byte processed ack, byte for byte.
      expect(Buffer.concat([hex('00 00 00 45'), subAck.raw])).toEqual(
        hex(`00 00 00 45 7b 22 63 22 3a 22 61 63 6b 22 2c 22 63 69 64 22 3a 22 35 22 2c 22 61 22 3a 22 70 72
             6f 63 65 73 73 65 64 22 2c 22 73 74 61 74 75 73 22 3a 22 73 75 63 63 65 73 73 22 2c 22 73 75 62
             5f 69 64 22 3a 22 35 22 7d`),
      );
      // §1.5: the publish `{"c":"p","t":"orders"}{"id":1,"qty":10}` (39 bytes).
      sock.write(
        hex(`00 00 00 27 7b 22 63 22 3a 22 70 22 2c 22 74 22 3a 22 6f 72 64 65 72 73 22 7d 7b 22 69 64 22 3a
             31 2c 22 71 74 79 22 3a 31 30 7d`),
      );
      const got = await sub.waitFor((m) => m.fields.command === 'publish');
      expect(got.text).toMatch(/^\{"c":"p","t":"orders","sids":"5","k":"\d+","l":17\}\{"id":1,"qty":10\}$/);
      // §1.5: with the bookmark option the delivery has the dump's layout: sids, bm, k, l.
      sub.send('{"c":"subscribe","t":"orders","cid":"6","sub_id":"6","a":"processed","o":"bookmark"}');
      await sub.waitFor(ackOf('6'));
      sock.write(
        hex(`00 00 00 27 7b 22 63 22 3a 22 70 22 2c 22 74 22 3a 22 6f 72 64 65 72 73 22 7d 7b 22 69 64 22 3a
             31 2c 22 71 74 79 22 3a 31 30 7d`),
      );
      const withBm = await sub.waitFor((m) => m.fields.subIds === '6');
      expect(withBm.text).toMatch(
        /^\{"c":"p","t":"orders","sids":"6","bm":"\d+\|\d+\|","k":"\d+","l":17\}\{"id":1,"qty":10\}$/,
      );
      // §1.5: the heartbeat beat command is accepted silently (no ack requested).
      sock.write(
        hex(
          '00 00 00 1c 7b 22 63 22 3a 22 68 65 61 72 74 62 65 61 74 22 2c 22 6f 22 3a 22 62 65 61 74 22 7d',
        ),
      );
      await settle(30);
      expect(frames).toHaveLength(1);
      expect(frames[0]).toMatch(
        /^\{"c":"ack","cid":"1","a":"processed","status":"success","s":0,"client_name":"viewer-1","version":"5\.3\.\d[^"]*"\}$/,
      );
    } finally {
      sock.destroy();
    }
  });

  it('reads the official C client sow with numbers unquoted (batch_size, top_n) and the JS one with them quoted', async () => {
    const pub = await client();
    await pub.logon('pub');
    for (let id = 1; id <= 4; id++) pub.send('{"c":"p","t":"orders"}', JSON.stringify({ id }));
    pub.send('{"c":"flush","cid":"f","a":"processed"}');
    await pub.waitFor(ackOf('f'));
    const c = await client();
    await c.logon('c');
    c.send(
      '{"c":"sow","t":"orders","cid":"7","a":"processed,completed","query_id":"7","batch_size":10,"top_n":3,"orderby":"/id DESC"}',
    );
    await c.waitFor(ackOf('7', 'completed'));
    const batch = c.received.find((m) => m.fields.command === 'sow' && m.fields.queryId === '7');
    expect(batch?.text).toMatch(/^\{"c":"sow","t":"orders","query_id":"7","bs":3\}/);
    expect(batch?.payload.match(/\{"id":\d\}/g)).toEqual(['{"id":4}', '{"id":3}', '{"id":2}']);
    c.send(
      '{"c":"sow","t":"orders","cid":"auto8","a":"processed,completed","query_id":"auto8","bs":"2","top_n":"3"}',
    );
    await c.waitFor(ackOf('auto8', 'completed'));
    const js = c.received.filter((m) => m.fields.command === 'sow' && m.fields.queryId === 'auto8');
    expect(js.map((m) => m.fields.batchSize)).toEqual(['2', '1']);
  });

  it('accepts quoted and bare s, and answers persisted with s unquoted and not last', async () => {
    const c = await client();
    await c.logon('seq');
    c.send('{"c":"publish","t":"orders","a":"persisted","s":"1700000000000000001"}', '{"id":1}');
    const first = await c.waitFor((m) => m.fields.ackType === 'persisted');
    expect(first.text).toBe('{"c":"ack","a":"persisted","s":1700000000000000001,"status":"success"}');
    c.send('{"c":"p","t":"orders","a":"persisted","s":1700000000000000002}', '{"id":2}');
    const second = await c.waitFor((m) => m.fields.sequence === '1700000000000000002');
    expect(second.text).toBe('{"c":"ack","a":"persisted","s":1700000000000000002,"status":"success"}');
  });
});

describe('tolerant header parsing (§1.4 test-server rule, §3.4 aliases)', () => {
  it('accepts long aliases, whitespace and quoted numbers', async () => {
    const pub = await client();
    await pub.logon('pub');
    pub.send('{ "cmd" : "publish" , "topic" : "orders" }', '{"id":1,"qty":2}');
    pub.send('{"cmd":"p","topic":"orders","seq":"9","expiration":"60","correlation_id":"QQ=="}', '{"id":2}');
    pub.send('{"c":"flush","cmd_id":"f","ack_type":"processed"}');
    await pub.waitFor(ackOf('f'));
    const c = await client();
    await c.logon('c');
    c.send(
      '{\n  "cmd": "sow",\n  "topic": "orders",\n  "cmd_id": "q",\n  "ack": "processed,completed",\n  "query_id": "q",\n  "batch_size": "10",\n  "opts": "no_sowkey",\n  "order_by": "/id"\n}',
    );
    await c.waitFor(ackOf('q', 'completed'));
    const batch = c.received.find((m) => m.fields.command === 'sow');
    expect(batch?.text).toBe(
      '{"c":"sow","t":"orders","query_id":"q","bs":2}{"l":16}{"id":1,"qty":2}{"l":8,"x":"QQ=="}{"id":2}',
    );
  });

  it('ignores header keys it does not use (Go client extensions, legacy fields) instead of failing', async () => {
    const c = await client();
    await c.logon('go');
    c.send(
      '{"c":"subscribe","t":"orders","cid":"g","sub_id":"g","a":"processed","data_only":"true","send_empty":"false","send_keys":"true","grace_period":"5"}',
    );
    const got = await c.waitFor(ackOf('g'));
    expect(got.fields.status).toBe('success');
  });

  it('skips zero-length frames (§1.2) and keeps serving the connection', async () => {
    const c = await clients.connect(server.ports.tcp as number);
    c.socket.write(Buffer.alloc(4));
    await c.logon('z');
    c.socket.write(Buffer.alloc(8));
    c.send('{"c":"flush","cid":"f","a":"processed"}');
    const got = await c.waitFor(ackOf('f'));
    expect(got.fields.status).toBe('success');
    expect(c.isClosed()).toBe(false);
  });
});
