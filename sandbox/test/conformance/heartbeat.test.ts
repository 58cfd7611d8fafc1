/**
 * Heartbeats with the official JavaScript 5.3.x client's rhythm (spec §10.1): that client
 * sends `beat` only when a server message arrives more than one interval after its previous
 * beat. Server heartbeats come one interval apart, so when the spacing is exactly one interval
 * the client answers only every second heartbeat: its traffic arrives about 2 × interval
 * apart. The documented rule (§10.1 step 4) counts the 2 × interval from the server heartbeat
 * that went unanswered, so such a client must stay connected; a client that stops answering
 * altogether must still be dropped.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { SandboxServer } from '../../src/server.js';
import type { RawClient } from '../helpers.js';
import { closedWithin, RawClientPool, settle, startServer } from '../helpers.js';

let server: SandboxServer | undefined;
const clients = new RawClientPool();
afterEach(async () => {
  clients.closeAll();
  await server?.close();
  server = undefined;
});

const client = (): Promise<RawClient> =>
  clients.connect((server as SandboxServer).ports.tcp as number, `hb${clients.size + 1}`);

const beats = (c: RawClient): number => c.received.filter((m) => m.fields.command === 'heartbeat').length;

describe('server heartbeat timeout (§10.1 step 4)', () => {
  it('keeps a client that answers only every second server heartbeat', async () => {
    server = await startServer({ tickMs: 20 });
    const c = await client();
    c.send('{"c":"heartbeat","cid":"auto2","a":"received","o":"start,0.2"}');
    let answered = 0;
    for (let n = 2; n <= 10; n += 2) {
      await c.waitFor(() => beats(c) >= n, 3000);
      c.send('{"c":"heartbeat","o":"beat"}');
      answered++;
    }
    await settle(50);
    expect(answered).toBe(5);
    expect(c.isClosed()).toBe(false);
  });

  it('still drops a client that stops answering, after the heartbeats it left unanswered', async () => {
    server = await startServer({ tickMs: 20 });
    const c = await client();
    c.send('{"c":"heartbeat","o":"start,0.2"}');
    await closedWithin(c, 3000);
    // It was told the server is alive (at least one heartbeat) before being dropped.
    expect(beats(c)).toBeGreaterThanOrEqual(1);
    expect(server.broker.sessions.size).toBe(0);
  });
});
