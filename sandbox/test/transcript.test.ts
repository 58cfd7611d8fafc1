/** The end-to-end transcript of spec §15.1 and the batch layout of §7.2, byte for byte. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SandboxServer } from '../src/server.js';
import { memoryClient, startServer, tcpClient } from './helpers.js';

const TS = /"ts":"\d{8}T\d{6}\.\d{6}Z"/g;
const norm = (s: string): string => s.replace(TS, '"ts":"T"');

describe('spec §15.1 transcript', () => {
  let server: SandboxServer;
  beforeEach(async () => {
    server = await startServer({ topics: [{ name: 'orders', sow: true, keys: [] }] });
  });
  afterEach(() => server.close());

  it('produces the transcript frames exactly (timestamps normalised)', async () => {
    const viewer = memoryClient(server);
    const publisher = memoryClient(server);
    await publisher.logon('pub');
    publisher.send('{"c":"p","t":"orders","k":"1001"}', '{"id":1,"qty":10}');
    publisher.send('{"c":"p","t":"orders","k":"1002"}', '{"id":2,"qty":20}');
    viewer.send(
      '{"c":"logon","cid":"1","client_name":"viewer-1","user_id":"alice","a":"processed","version":"0.1.0:typescript","pw":"secret"}',
    );
    await viewer.waitForCount(1);
    expect(viewer.received[0]?.text).toBe(
      '{"c":"ack","cid":"1","a":"processed","status":"success","s":0,"client_name":"viewer-1","version":"5.3.5.1"}',
    );
    viewer.send('{"c":"heartbeat","o":"start,30"}');
    viewer.send(
      '{"c":"sow_and_subscribe","t":"orders","cid":"2","filter":"/qty > 5","a":"processed,completed","sub_id":"2","query_id":"2","batch_size":10,"o":"oof,timestamp"}',
    );
    await viewer.waitForCount(6);
    expect(viewer.received.slice(1, 6).map((m) => norm(m.text))).toEqual([
      '{"c":"ack","cid":"2","a":"processed","status":"success","sub_id":"2","query_id":"2"}',
      '{"c":"group_begin","query_id":"2"}',
      '{"c":"sow","t":"orders","query_id":"2","bs":2}{"k":"1001","l":17,"ts":"T"}{"id":1,"qty":10}{"k":"1002","l":17,"ts":"T"}{"id":2,"qty":20}',
      '{"c":"group_end","query_id":"2"}',
      '{"c":"ack","cid":"2","a":"completed","status":"success","sub_id":"2","query_id":"2"}',
    ]);
    publisher.send('{"c":"p","t":"orders","k":"1001"}', '{"id":1,"qty":3}');
    publisher.send('{"c":"p","t":"orders","k":"1003"}', '{"id":3,"qty":7}');
    await viewer.waitForCount(8);
    expect(viewer.received.slice(6, 8).map((m) => norm(m.text))).toEqual([
      '{"c":"oof","t":"orders","sids":"2","k":"1001","reason":"match","ts":"T","l":16}{"id":1,"qty":3}',
      '{"c":"p","t":"orders","sids":"2","k":"1003","ts":"T","l":16}{"id":3,"qty":7}',
    ]);
    viewer.send('{"c":"unsubscribe","cid":"3","sub_id":"2"}');
    publisher.send('{"c":"p","t":"orders","k":"1004"}', '{"id":4,"qty":70}');
    publisher.send('{"c":"flush","cid":"f","a":"processed"}');
    await publisher.waitFor((m) => m.fields.commandId === 'f');
    viewer.send('{"c":"flush","cid":"g","a":"processed"}');
    await viewer.waitFor((m) => m.fields.commandId === 'g');
    expect(viewer.received).toHaveLength(9);
  });

  it('writes the two-record batch of §7.2 byte for byte over TCP', async () => {
    const pub = memoryClient(server);
    await pub.logon('p');
    pub.send('{"c":"p","t":"orders","k":"1001"}', '{"id":1,"qty":10}');
    pub.send('{"c":"p","t":"orders","k":"1002"}', '{"id":2,"qty":20}');
    const c = await tcpClient(server.ports.tcp as number);
    await c.logon('q');
    const raw: Buffer[] = [];
    c.socket.on('data', (d: Buffer) => raw.push(d));
    c.send('{"c":"sow","t":"orders","query_id":"7","batch_size":10}');
    await c.waitFor((m) => m.fields.command === 'group_end');
    const all = Buffer.concat(raw);
    const expected = Buffer.from(
      '00000076' +
        Buffer.from(
          '{"c":"sow","t":"orders","query_id":"7","bs":2}{"k":"1001","l":17}{"id":1,"qty":10}{"k":"1002","l":17}{"id":2,"qty":20}',
        ).toString('hex'),
      'hex',
    );
    expect(all.indexOf(expected)).toBeGreaterThan(0);
    c.close();
  });
});
