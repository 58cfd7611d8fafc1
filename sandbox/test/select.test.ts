/** `select=[...]` field projection on subscribe and sow (spec §4.2). */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applySelect, parseSelect } from '../src/select.js';
import type { SandboxServer } from '../src/server.js';
import type { RawClient } from './helpers.js';
import { memoryClient, startServer } from './helpers.js';

let server: SandboxServer;
let pub: RawClient;
let c: RawClient;

const ORDER = { id: 1, sym: 'IBM', qty: 100, detail: { venue: 'X', trader: 'al' } };

beforeEach(async () => {
  server = await startServer({ topics: [{ name: 'orders', keys: ['/id'] }] });
  pub = memoryClient(server);
  c = memoryClient(server);
  await pub.logon('pub');
  await c.logon('c');
});
afterEach(() => server.close());

describe('select option', () => {
  it('projects sow results and live deliveries of sow_and_subscribe', async () => {
    pub.send({ c: 'p', t: 'orders' }, JSON.stringify(ORDER));
    c.send({
      c: 'sow_and_subscribe',
      t: 'orders',
      cid: 's',
      sub_id: 's',
      a: 'completed',
      o: 'select=[-/,+/id,+/qty]',
    });
    await c.waitFor((m) => m.fields.ackType === 'completed');
    const sow = c.received.find((m) => m.fields.command === 'sow');
    const key = server.broker.topics.get('orders').sow?.records.keys().next().value as string;
    expect(sow?.text).toBe(
      `{"c":"sow","t":"orders","query_id":"s","bs":1}{"k":"${key}","l":18}{"id":1,"qty":100}`,
    );
    const from = c.received.length;
    pub.send({ c: 'p', t: 'orders' }, JSON.stringify({ ...ORDER, qty: 7 }));
    const live = await c.waitFor((m) => m.fields.command === 'publish', 3000, from);
    expect(live.text).toBe(`{"c":"p","t":"orders","sids":"s","k":"${key}","l":16}{"id":1,"qty":7}`);
  });

  it('removes fields and keeps nested selections on a plain subscribe', async () => {
    c.send({
      c: 'subscribe',
      t: 'orders',
      cid: 'a',
      sub_id: 'a',
      a: 'processed',
      o: 'select=[-/detail/trader,-/sym]',
    });
    c.send({
      c: 'subscribe',
      t: 'orders',
      cid: 'b',
      sub_id: 'b',
      a: 'processed',
      o: 'select=[+/detail/venue]',
    });
    await c.waitFor((m) => m.fields.commandId === 'b');
    const from = c.received.length;
    pub.send({ c: 'p', t: 'orders' }, JSON.stringify(ORDER));
    await c.waitForCount(from + 2);
    const bodies = Object.fromEntries(c.received.slice(from).map((m) => [m.fields.subIds, m.payload]));
    expect(bodies).toEqual({
      a: '{"id":1,"qty":100,"detail":{"venue":"X"}}',
      b: '{"detail":{"venue":"X"}}',
    });
  });

  it('refuses a malformed select list with invalid options', async () => {
    c.send({ c: 'sow', t: 'orders', cid: 'q', a: 'processed', o: 'select=[id]' });
    c.send({ c: 'subscribe', t: 'orders', cid: 'r', a: 'processed', o: 'select=[]' });
    await c.waitFor((m) => m.fields.commandId === 'r');
    expect(c.received.slice(-2).map((m) => m.text)).toEqual([
      '{"c":"ack","cid":"q","a":"processed","status":"failure","reason":"invalid options"}',
      '{"c":"ack","cid":"r","a":"processed","status":"failure","reason":"invalid options"}',
    ]);
  });

  it('applies entries in order: the last entry covering a field decides', () => {
    const doc = { a: 1, b: { c: 2, d: 3 }, e: [1, 2] };
    expect(applySelect(parseSelect('[-/,+/b,-/b/c]'), doc)).toEqual({ b: { d: 3 } });
    expect(applySelect(parseSelect('[+/b/c,-/b]'), doc)).toEqual({});
    expect(applySelect(parseSelect('[-/a]'), doc)).toEqual({ b: { c: 2, d: 3 }, e: [1, 2] });
    expect(applySelect(parseSelect('[+/e]'), 'not an object')).toBe('not an object');
    expect(() => parseSelect('[+id]')).toThrow(/\+id/);
  });
});
