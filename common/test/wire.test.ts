import { describe, expect, it } from 'vitest';
import { createWireClient } from '../src/ipc/wire.js';
import type { ClientFrame } from '../src/ipc/wire.js';

const setup = (token?: string) => {
  const sent: ClientFrame[] = [];
  const client = createWireClient({
    send: (t) => sent.push(JSON.parse(t) as ClientFrame),
    ...(token ? { token } : {}),
  });
  return { sent, client };
};

describe('wire client', () => {
  it('sends the token first, then matches results to requests by id', async () => {
    const { sent, client } = setup('tok');
    expect(sent[0]).toEqual({ type: 'auth', token: 'tok' });
    client.receive(JSON.stringify({ type: 'ready' }));
    await expect(client.ready).resolves.toBeUndefined();
    const a = client.transport.invoke('amps:getAppInfo', undefined);
    const b = client.transport.invoke('amps:deleteProfile', { id: 'p' });
    expect(sent.slice(1)).toEqual([
      { type: 'invoke', id: 1, channel: 'amps:getAppInfo' },
      { type: 'invoke', id: 2, channel: 'amps:deleteProfile', payload: { id: 'p' } },
    ]);
    client.receive(JSON.stringify({ type: 'result', id: 2, envelope: { ok: true, value: 'B' } }));
    client.receive(JSON.stringify({ type: 'result', id: 1, envelope: { ok: true, value: 'A' } }));
    await expect(a).resolves.toEqual({ ok: true, value: 'A' });
    await expect(b).resolves.toEqual({ ok: true, value: 'B' });
  });

  it('rejects pending requests and ready when the host refuses', async () => {
    const { client } = setup('bad');
    const pending = client.transport.invoke('amps:getAppInfo', undefined);
    client.receive(JSON.stringify({ type: 'refused', message: 'missing or wrong token' }));
    await expect(client.ready).rejects.toMatchObject({ code: 'refused' });
    await expect(pending).rejects.toMatchObject({ code: 'refused' });
  });

  it('rejects pending and later requests once closed', async () => {
    const { client } = setup();
    const pending = client.transport.invoke('amps:getAppInfo', undefined);
    client.closed('network');
    await expect(pending).rejects.toMatchObject({ code: 'disconnected', retriable: true });
    await expect(client.transport.invoke('amps:getAppInfo', undefined)).rejects.toMatchObject({
      code: 'disconnected',
    });
  });

  it('routes events to subscribers of the channel and ignores junk frames', () => {
    const { client } = setup();
    const got: unknown[] = [];
    const stop = client.transport.subscribe('amps:onConnectionStatus', (p) => got.push(p));
    client.receive('not json');
    client.receive(JSON.stringify({ type: 'event', channel: 'amps:onConnectionStatus', payload: 1 }));
    client.receive(JSON.stringify({ type: 'event', channel: 'amps:other', payload: 2 }));
    stop();
    client.receive(JSON.stringify({ type: 'event', channel: 'amps:onConnectionStatus', payload: 3 }));
    expect(got).toEqual([1]);
  });
});
