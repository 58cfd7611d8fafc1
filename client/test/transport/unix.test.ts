import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TransportConnectError, connectTransport } from '../../src/transport/connect.js';
import { Recorder, frame, readFrames } from './helpers.js';

let dir: string;
let server: Server | undefined;
const sockets: Socket[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'amps-unix-'));
});

afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  if (server) await new Promise<void>((resolve) => server?.close(() => resolve()));
  server = undefined;
  rmSync(dir, { recursive: true, force: true });
});

describe('unix transport', () => {
  it('connects to the socket file of the path option; frames flow both ways', async () => {
    const path = join(dir, 'amps.sock');
    server = createServer((s) => {
      sockets.push(s);
      s.write(frame('{"c":"heartbeat"}'));
    });
    server.listen(path);
    await once(server, 'listening');
    const rec = new Recorder();
    const t = await connectTransport(`unix://localhost:0/amps/json?path=${path}`, rec);
    expect(t.peer).toBe(`unix://${path}`);
    await rec.waitFrames(1);
    expect(rec.texts()).toEqual(['{"c":"heartbeat"}']);
    const got = readFrames(sockets[0] as Socket);
    t.send(Buffer.from('{"c":"p","t":"x"}'), Buffer.from('{"a":1}'));
    await got.wait(1);
    expect(got.frames.map(String)).toEqual(['{"c":"p","t":"x"}{"a":1}']);
    t.close();
    expect(await rec.waitClose()).toBeUndefined();
  });

  it('a missing socket file → TransportConnectError (ENOENT)', async () => {
    const path = join(dir, 'nobody.sock');
    const err = await connectTransport(`unix://localhost:0/amps/json?path=${path}`, new Recorder()).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(TransportConnectError);
    expect((err as TransportConnectError).code).toBe('ENOENT');
    expect((err as TransportConnectError).peer).toBe(`unix://${path}`);
  });
});
