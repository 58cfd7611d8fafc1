import { describe, expect, it, vi } from 'vitest';
import type { Envelope } from '../src/dto/errors.js';
import { CHANNELS } from '../src/ipc/contract.js';
import { createApi } from '../src/ipc/createApi.js';
import { ExplorerError, isExplorerError, serializeError } from '../src/ipc/errors.js';
import type { ApiTransport } from '../src/ipc/transport.js';

function fakeTransport(reply: (channel: string, payload: unknown) => Promise<Envelope<unknown>>) {
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const calls: Array<[string, unknown]> = [];
  const transport: ApiTransport = {
    invoke: (channel, payload) => {
      calls.push([channel, payload]);
      return reply(channel, payload);
    },
    subscribe: (channel, cb) => {
      const set = listeners.get(channel) ?? new Set();
      listeners.set(channel, set);
      set.add(cb);
      return () => set.delete(cb);
    },
  };
  const push = (channel: string, payload: unknown): void =>
    listeners.get(channel)?.forEach((l) => l(payload));
  return { transport, calls, push };
}

describe('createApi', () => {
  it('invokes the derived channel with the payload and resolves the value', async () => {
    const t = fakeTransport(async () => ({ ok: true, value: { subscriptionId: 'sub-1' } }));
    const api = createApi(t.transport);
    const spec = { connectionId: 'conn-1', topic: 'orders', mode: 'subscribe' as const };
    await expect(api.subscribe(spec)).resolves.toEqual({ subscriptionId: 'sub-1' });
    expect(t.calls).toEqual([[CHANNELS.subscribe, spec]]);
  });

  it('rebuilds an error envelope as a typed error keeping name, code and retriable', async () => {
    const t = fakeTransport(async () => ({
      ok: false,
      error: { name: 'BadFilterError', message: 'bad filter at 3', code: 'bad filter', retriable: false },
    }));
    const api = createApi(t.transport);
    const error = await api
      .subscribe({ connectionId: 'c', topic: 't', mode: 'subscribe' })
      .catch((e: unknown) => e);
    expect(isExplorerError(error)).toBe(true);
    expect(error).toMatchObject({
      name: 'BadFilterError',
      message: 'bad filter at 3',
      code: 'bad filter',
      retriable: false,
    });
  });

  it('round-trips serializeError of a retriable error', async () => {
    const original = Object.assign(new Error('gone'), {
      name: 'DisconnectedError',
      code: 'disconnected',
      retriable: true,
    });
    const t = fakeTransport(async () => ({ ok: false, error: serializeError(original) }));
    const error = await createApi(t.transport)
      .listConnections()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      name: 'DisconnectedError',
      code: 'disconnected',
      retriable: true,
      message: 'gone',
    });
  });

  it('rejects a malformed envelope with a ProtocolError', async () => {
    const t = fakeTransport(async () => ({ nope: true }) as unknown as Envelope<unknown>);
    const error = await createApi(t.transport)
      .getAppInfo()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExplorerError);
    expect(error).toMatchObject({ name: 'ProtocolError', code: 'bad-envelope' });
  });

  it('turns a transport failure into a retriable TransportError', async () => {
    const t = fakeTransport(async () => {
      throw new Error('socket closed');
    });
    const error = await createApi(t.transport)
      .getSandboxInfo()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'TransportError', code: 'transport-failed', retriable: true });
    expect((error as Error).message).toContain('socket closed');
  });

  it('delivers events until unsubscribed', () => {
    const t = fakeTransport(async () => ({ ok: true, value: undefined }));
    const api = createApi(t.transport);
    const seen = vi.fn();
    const stop = api.onSubscriptionEnded(seen);
    t.push(CHANNELS.onSubscriptionEnded, { subscriptionId: 's', reason: 'unsubscribed' });
    stop();
    t.push(CHANNELS.onSubscriptionEnded, { subscriptionId: 's2', reason: 'unsubscribed' });
    expect(seen).toHaveBeenCalledTimes(1);
    expect(seen).toHaveBeenCalledWith({ subscriptionId: 's', reason: 'unsubscribed' });
  });

  it('exposes exactly the contract members and is frozen', () => {
    const api = createApi(fakeTransport(async () => ({ ok: true, value: 1 })).transport);
    expect(Object.keys(api).sort()).toEqual(Object.keys(CHANNELS).sort());
    expect(Object.isFrozen(api)).toBe(true);
  });
});
