/** Admin HTTP endpoint: /topics, /clients, /stats; and the unix-socket listener. */
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SandboxServer } from '../src/server.js';
import { memoryClient, startServer } from './helpers.js';
import { connect } from 'node:net';

let server: SandboxServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function get(port: number, path: string): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, timeout: 3000 }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.end();
  });
}

describe('admin endpoint', () => {
  it('lists topics with kind and counts, clients and counters', async () => {
    server = await startServer({
      adminPort: 0,
      topics: [
        { name: 'orders', keys: ['/id'], txlog: true },
        { name: 'jobs', queue: true },
      ],
    });
    const c = memoryClient(server);
    await c.logon('admin-test');
    c.send({ c: 'subscribe', t: 'orders', cid: 's', sub_id: 's', a: 'processed', filter: '/id > 0' });
    c.send({ c: 'p', t: 'orders' }, '{"id":1}');
    c.send({ c: 'p', t: 'news' }, '{"h":1}');
    await c.waitFor((m) => m.fields.command === 'publish');
    const port = server.ports.admin as number;
    const topics = await get(port, '/topics');
    expect(topics.body).toEqual([
      {
        name: 'orders',
        kind: 'sow',
        messageType: 'json',
        txlog: true,
        declared: true,
        messages: 1,
        keys: ['/id'],
        records: 1,
      },
      {
        name: 'jobs',
        kind: 'queue',
        messageType: 'json',
        txlog: false,
        declared: true,
        messages: 0,
        depth: 0,
        leased: 0,
        acked: 0,
        leasePeriodMs: 30000,
        maxBacklog: 10,
      },
      { name: 'news', kind: 'pubsub', messageType: 'json', txlog: false, declared: false, messages: 1 },
    ]);
    const clients = (await get(port, '/clients')).body as { clientName: string; subscriptions: unknown[] }[];
    expect(clients.map((x) => x.clientName)).toEqual(['admin-test']);
    expect(clients[0]?.subscriptions).toEqual([
      { subId: 's', topic: 'orders', filter: '/id > 0', bookmark: false, queue: false },
    ]);
    const stats = (await get(port, '/stats')).body as Record<string, number>;
    expect(stats['published']).toBe(2);
    expect(stats['connected']).toBe(1);
    expect((await get(port, '/nope')).status).toBe(404);
  });
});

describe('unix socket', () => {
  it('speaks AMPS framing on a unix-domain socket', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sandbox-unix-'));
    const path = join(dir, 'amps.sock');
    try {
      server = await startServer({ port: null, unixPath: path });
      const sock = connect(path);
      await new Promise((r) => sock.once('connect', r));
      const body = Buffer.from('{"c":"logon","cid":"1","a":"processed"}');
      const prefix = Buffer.alloc(4);
      prefix.writeUInt32BE(body.length, 0);
      sock.write(Buffer.concat([prefix, body]));
      const reply = await new Promise<Buffer>((r) => sock.once('data', r));
      expect(reply.subarray(4).toString()).toContain('"status":"success"');
      sock.destroy();
    } finally {
      await server?.close();
      server = undefined;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
