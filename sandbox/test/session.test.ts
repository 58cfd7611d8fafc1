/** Logon, client names, acks, flush, unknown/malformed commands, heartbeats (spec §4.3, §4.13, §4.15, §6.4, §10.2). */
import { afterEach, describe, expect, it } from 'vitest';
import type { SandboxServer } from '../src/server.js';
import { memoryClient, settle, startServer, texts } from './helpers.js';

let server: SandboxServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('logon', () => {
  it('acks with s, client_name and version; a second logon is a duplicate logon attempt', async () => {
    server = await startServer();
    const c = memoryClient(server);
    const ackMsg = await c.logon('viewer');
    expect(ackMsg.text).toBe(
      '{"c":"ack","cid":"logon-1","a":"processed","status":"success","s":0,"client_name":"viewer","version":"5.3.5.1"}',
    );
    const again = await c.logon('viewer');
    expect(again.fields.status).toBe('failure');
    expect(again.fields.reason).toBe('duplicate logon attempt');
  });

  it('answers commands before logon with logon required, or logs on implicitly when configured', async () => {
    server = await startServer();
    const c = memoryClient(server);
    c.send({ c: 'subscribe', t: 'x', cid: '1', a: 'processed' });
    const m = await c.waitFor((r) => r.fields.commandId === '1');
    expect(m.text).toBe('{"c":"ack","cid":"1","a":"processed","status":"failure","reason":"logon required"}');
    await server.close();
    server = await startServer({ implicitLogon: true });
    const d = memoryClient(server);
    d.send({ c: 'subscribe', t: 'x', cid: '1', a: 'processed' });
    expect((await d.waitFor((r) => r.fields.commandId === '1')).fields.status).toBe('success');
  });

  it('checks credentials from the users table: auth failure then disconnect', async () => {
    server = await startServer({ users: { alice: 'secret' } });
    const bad = memoryClient(server);
    const r = await bad.logon('a', { user_id: 'alice', pw: 'nope' });
    expect(r.fields.status).toBe('failure');
    expect(r.fields.reason).toBe('auth failure');
    await bad.closed;
    const good = memoryClient(server);
    expect((await good.logon('b', { user_id: 'alice', pw: 'secret' })).fields.status).toBe('success');
  });

  it('refuses a client name held by another user (name in use) and lets the same user take it over', async () => {
    server = await startServer({ users: { alice: 'a', bob: 'b' } });
    const first = memoryClient(server);
    await first.logon('shared', { user_id: 'alice', pw: 'a' });
    const other = memoryClient(server);
    const r = await other.logon('shared', { user_id: 'bob', pw: 'b' });
    expect(r.fields.reason).toBe('name in use');
    await other.closed;
    expect(first.isClosed()).toBe(false);
    const again = memoryClient(server);
    expect((await again.logon('shared', { user_id: 'alice', pw: 'a' })).fields.status).toBe('success');
    await first.closed;
  });
});

describe('acks and flush', () => {
  it('sends only the requested ack types, cid echoed, received first', async () => {
    server = await startServer();
    const c = memoryClient(server);
    await c.logon('x');
    c.send({ c: 'publish', t: 'plain', cid: 'p1', a: 'received,processed,completed' }, '{"a":1}');
    c.send({ c: 'publish', t: 'plain', cid: 'p2' }, '{"a":1}');
    c.send({ c: 'flush', cid: 'f', a: 'processed' });
    await c.waitFor((m) => m.fields.commandId === 'f');
    expect(texts(c, 1)).toEqual([
      '{"c":"ack","cid":"p1","a":"received","status":"success"}',
      '{"c":"ack","cid":"p1","a":"processed","status":"success"}',
      '{"c":"ack","cid":"p1","a":"completed","status":"success"}',
      '{"c":"ack","cid":"f","a":"processed","status":"success"}',
    ]);
  });
});

describe('bad commands', () => {
  it('closes on an unknown command after a failure ack when one was requested', async () => {
    server = await startServer();
    const c = memoryClient(server);
    await c.logon('x');
    c.send({ c: 'explode', cid: '9', a: 'processed' });
    await c.closed;
    expect(texts(c, 1)).toEqual([
      '{"c":"ack","cid":"9","a":"processed","status":"failure","reason":"unknown command"}',
    ]);
  });

  it('keeps the connection in lenient mode', async () => {
    server = await startServer({ lenientUnknownCommands: true });
    const c = memoryClient(server);
    await c.logon('x');
    c.send({ c: 'explode', cid: '9', a: 'processed' });
    await c.waitFor((m) => m.fields.commandId === '9');
    c.send({ c: 'flush', cid: 'f', a: 'processed' });
    await c.waitFor((m) => m.fields.commandId === 'f');
    expect(c.isClosed()).toBe(false);
  });

  it('closes only the connection that sent a malformed header', async () => {
    server = await startServer();
    const bad = memoryClient(server);
    const good = memoryClient(server);
    await good.logon('good');
    bad.send('{"c":"logon","cid":', '');
    await bad.closed;
    bad.received.length = 0;
    const other = memoryClient(server);
    await other.logon('other');
    good.send({ c: 'flush', cid: 'f', a: 'processed' });
    expect((await good.waitFor((m) => m.fields.commandId === 'f')).fields.status).toBe('success');
  });
});

describe('heartbeats (§10.2)', () => {
  it('sends heartbeats on an idle connection and disconnects a silent client after 2x the interval', async () => {
    server = await startServer({ tickMs: 20 });
    const c = memoryClient(server);
    await c.logon('hb');
    c.send({ c: 'heartbeat', o: 'start,0.2', cid: 'h', a: 'received' });
    const ackMsg = await c.waitFor((m) => m.fields.commandId === 'h');
    expect(ackMsg.text).toBe('{"c":"ack","cid":"h","a":"received","status":"success"}');
    const beat = await c.waitFor((m) => m.fields.command === 'heartbeat');
    expect(beat.text).toBe('{"c":"heartbeat"}');
    await c.closed;
  });

  it('keeps a client that answers with beat', async () => {
    server = await startServer({ tickMs: 20 });
    const c = memoryClient(server);
    await c.logon('hb');
    c.send({ c: 'heartbeat', o: 'start,0.2' });
    for (let i = 0; i < 4; i++) {
      const n = c.received.length;
      await c.waitFor((m) => m.fields.command === 'heartbeat', 2000, n);
      c.send({ c: 'heartbeat', o: 'beat' });
    }
    await settle(100);
    expect(c.isClosed()).toBe(false);
  });
});

describe('client name policy', () => {
  it('refuses any second holder of a name with clientNamePolicy=refuse', async () => {
    server = await startServer({ clientNamePolicy: 'refuse' });
    const a = memoryClient(server);
    await a.logon('same');
    const b = memoryClient(server);
    expect((await b.logon('same')).fields.reason).toBe('name in use');
    await b.closed;
    expect(a.isClosed()).toBe(false);
  });

  it('lets the same (anonymous) user take a name over by default, disconnecting the old connection', async () => {
    server = await startServer();
    const a = memoryClient(server);
    await a.logon('same');
    const b = memoryClient(server);
    expect((await b.logon('same')).fields.status).toBe('success');
    await a.closed;
  });
});

describe('logon challenge (§6.2)', () => {
  it('answers the first logon with retry + pw, then accepts the next one', async () => {
    server = await startServer({ logonChallenge: 'TlRMTVNTUAACAAAA' });
    const c = memoryClient(server);
    const first = await c.logon('ch', { user_id: 'alice' });
    expect(first.text).toBe(
      '{"c":"ack","cid":"logon-1","a":"processed","status":"retry","user_id":"alice","pw":"TlRMTVNTUAACAAAA"}',
    );
    expect((await c.logon('ch', { user_id: 'alice', pw: 'response' })).fields.status).toBe('success');
  });
});
