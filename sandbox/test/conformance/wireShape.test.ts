/**
 * Every frame the sandbox writes in a broad session, checked against what official clients
 * parse (spec §1.4, §3.1, §7.2, §15.2 "Parsing & emission"): compact JSON with `c` first,
 * only known keys, `s` unquoted and never last, `bs`/`l`/stats unquoted and exact, `sids` and
 * `l` on every delivery, one ack type per ack, records that add up to `bs`.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SandboxServer } from '../../src/server.js';
import type { RawClient } from '../helpers.js';
import { ackOf, RawClientPool, startServer } from '../helpers.js';
import { officialViolations, readStrictHeader } from './officialParser.js';

let server: SandboxServer;
const clients = new RawClientPool();

beforeEach(async () => {
  server = await startServer({
    topics: [
      { name: 'orders', keys: ['/id'], txlog: true },
      { name: 'jobs', queue: { leasePeriodMs: 30_000, maxBacklog: 5 } },
    ],
    tickMs: 50,
  });
});
afterEach(async () => {
  clients.closeAll();
  await server.close();
});

const client = (): Promise<RawClient> => clients.connect(server.ports.tcp as number);

describe('server frames as official clients read them', () => {
  it('a session touching every message kind writes only frames the official parser accepts', async () => {
    // A publisher with a publish store (s + persisted), so the next logon under its name has s and bm.
    const w = await client();
    w.send('{"c":"logon","cid":"1","client_name":"w","a":"processed","version":"5.3.5.1.0:python"}');
    await w.waitFor(ackOf('1', 'processed'));
    for (let id = 1; id <= 5; id++) {
      w.send(
        `{"c":"p","t":"orders","a":"persisted","s":${id}}`,
        JSON.stringify({ id, qty: id * 4, status: 'open' }),
      );
    }
    await w.waitFor((m) => m.fields.ackType === 'persisted' && m.fields.sequence === '5');
    w.send('{"c":"p","t":"jobs","x":"Y29ycg=="}', '{"job":1}');
    w.send('{"c":"flush","cid":"f","a":"processed"}');
    await w.waitFor(ackOf('f', 'processed'));
    w.close();

    const c = await client();
    c.send('{"c":"logon","cid":"1","client_name":"w","a":"processed","version":"5.3.5.1.0:python"}');
    const logonAck = await c.waitFor(ackOf('1', 'processed'));
    expect(logonAck.fields.sequence).toBe('5');
    expect(logonAck.fields.bookmark).toMatch(/^\d+\|\d+\|$/);
    c.send('{"c":"heartbeat","o":"start,1","a":"received","cid":"hb"}');
    c.send(
      '{"c":"sow","t":"orders","cid":"q","query_id":"q","a":"processed,completed,stats","batch_size":2,"o":"timestamp"}',
    );
    await c.waitFor(ackOf('q', 'completed'));
    c.send(
      '{"c":"sow_and_subscribe","t":"orders","cid":"ss","sub_id":"ss","query_id":"ss","filter":"/qty > 5","a":"processed,completed","batch_size":10,"o":"oof"}',
    );
    c.send('{"c":"delta_subscribe","t":"orders","cid":"ds","sub_id":"ds","a":"processed"}');
    c.send(
      '{"c":"subscribe","t":"orders","cid":"bk","sub_id":"bk","a":"processed,completed,persisted","bookmark":"0","o":"timestamp"}',
    );
    c.send('{"c":"subscribe","t":"jobs","cid":"jq","sub_id":"jq","a":"processed","o":"max_backlog=2"}');
    c.send('{"c":"subscribe","t":"orders","cid":"bad","sub_id":"bad","a":"processed","filter":"/qty >"}');
    await c.waitFor(ackOf('bad', 'processed'));
    await c.waitFor((m) => m.fields.command === 'publish' && m.fields.topic === 'jobs');

    const p = await client();
    await p.logon('p2');
    p.send('{"c":"p","t":"orders"}', '{"id":1,"qty":3,"status":"open"}'); // oof match for ss
    p.send('{"c":"delta_publish","t":"orders"}', '{"id":2,"status":"filled"}');
    p.send('{"c":"p","t":"orders","x":"QUJD"}', '{"id":6,"qty":60,"status":"open"}');
    p.send('{"c":"sow_delete","t":"orders","cid":"d","a":"processed,stats","filter":"/id = 6"}');
    await p.waitFor(ackOf('d', 'stats'));
    await c.waitFor((m) => m.fields.command === 'oof' && m.fields.reason === 'deleted');
    await c.waitFor((m) => m.fields.ackType === 'persisted' && m.fields.subId === 'bk');
    await c.waitFor((m) => m.fields.command === 'heartbeat', 4000);
    c.send('{"c":"unsubscribe","cid":"u","sub_id":"all","a":"processed"}');
    c.send('{"c":"flush","cid":"end","a":"processed"}');
    await c.waitFor(ackOf('end', 'processed'));

    const kinds = new Set<string>();
    const problems: string[] = [];
    for (const m of [...w.received, ...c.received, ...p.received]) {
      kinds.add(`${m.fields.command ?? ''}${m.fields.ackType ? `:${m.fields.ackType}` : ''}`);
      for (const v of officialViolations(m.raw)) problems.push(`${v}\n    in ${m.text}`);
    }
    expect(problems).toEqual([]);
    // The session really produced every kind the checker is meant to see.
    for (const k of [
      'ack:received',
      'ack:processed',
      'ack:completed',
      'ack:stats',
      'ack:persisted',
      'group_begin',
      'group_end',
      'sow',
      'publish',
      'oof',
      'heartbeat',
    ]) {
      expect(kinds, k).toContain(k);
    }
    // Queue deliveries carry bm and lp (§5.4, §11.1); x travels with the message.
    const job = c.received.find((m) => m.fields.topic === 'jobs' && m.fields.command === 'publish');
    expect(job?.fields.leasePeriod).toMatch(/^\d{8}T\d{6}\.\d{6}Z$/);
    expect(job?.fields.bookmark).toMatch(/^\d+\|\d+\|$/);
    expect(job?.fields.correlationId).toBe('Y29ycg==');
    // Deliveries to a delta subscription are written as "c":"p" (Appendix A).
    const delta = c.received.find((m) => m.fields.subIds === 'ds' && m.payload.includes('filled'));
    expect(delta?.text.startsWith('{"c":"p",')).toBe(true);
  });

  it('the strict model itself refuses what the official parser refuses', () => {
    const bad = [
      '{"c":"ack", "a":"processed","status":"success"}',
      '{"c":"ack","a":"processed","status":"success","s":"5"}',
      '{"c":"ack","a":"processed","status":"success","s":5}',
      '{"c":"p","t":"x","sub_id":"1","l":2}{}',
      '{"c":"p","t":"x","sids":"1","sow_key":"1","l":2}{}',
      '{"c":"sow","t":"x","query_id":"1","bs":2}{"k":"1","l":2}{}',
      '{"t":"x","c":"heartbeat"}',
      '{}',
    ];
    for (const text of bad) expect(officialViolations(Buffer.from(text)), text).not.toEqual([]);
    expect(officialViolations(Buffer.from('{"c":"ack","a":"persisted","s":7,"status":"success"}'))).toEqual(
      [],
    );
    expect(readStrictHeader(Buffer.from('{"c":"p","l":0}')).end).toBe(15);
  });
});
