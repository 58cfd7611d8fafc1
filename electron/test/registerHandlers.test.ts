import { describe, expect, it, vi } from 'vitest';
import { CHANNELS, REQUEST_NAMES } from '../../common/src/ipc/contract.js';
import type { Envelope } from '../../common/src/dto/errors.js';
import { ExplorerError } from '../../common/src/ipc/errors.js';
import {
  createOriginCheck,
  createRequestWrapper,
  originOf,
  registerHandlers,
} from '../main/ipc/registerHandlers.js';
import type { IpcInvokeEventLike, IpcMainLike, RequestHandlers } from '../main/ipc/registerHandlers.js';
import { memoryLogger } from '../main/platform/logger.js';

type Listener = (event: IpcInvokeEventLike, ...args: unknown[]) => Promise<unknown>;

class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, Listener>();
  handle(channel: string, listener: Listener): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  invoke(channel: string, url: string | null, payload?: unknown): Promise<Envelope<unknown>> {
    const listener = this.handlers.get(channel);
    if (listener === undefined) throw new Error(`no handler for ${channel}`);
    const event = { senderFrame: url === null ? null : { url }, sender: { id: 7 } };
    return listener(event, payload) as Promise<Envelope<unknown>>;
  }
}

const handlersWith = (overrides: Partial<RequestHandlers>): RequestHandlers => {
  const base = Object.fromEntries(
    REQUEST_NAMES.map((n) => [n, () => Promise.reject(new Error(`${n} not expected in this test`))]),
  ) as unknown as RequestHandlers;
  return { ...base, ...overrides };
};

const setup = (overrides: Partial<RequestHandlers>) => {
  const ipc = new FakeIpcMain();
  const logger = memoryLogger();
  const wrapper = createRequestWrapper(handlersWith(overrides), {
    isAllowedSender: createOriginCheck(['app://explorer']),
    logger,
  });
  const dispose = registerHandlers(ipc, wrapper);
  return { ipc, logger, dispose };
};

describe('IPC wrapper over a fake ipcMain', () => {
  it('registers one handler per request and removes them all', () => {
    const { ipc, dispose } = setup({});
    expect([...ipc.handlers.keys()].sort()).toEqual(REQUEST_NAMES.map((n) => CHANNELS[n]).sort());
    expect(ipc.handlers.has(CHANNELS.onSubscriptionBatch)).toBe(false);
    dispose();
    expect(ipc.handlers.size).toBe(0);
  });

  it('passes the validated payload and the window as context, returning the value', async () => {
    const subscribe = vi.fn(async () => ({ subscriptionId: 'sub-1' }));
    const { ipc } = setup({ subscribe });
    const spec = { connectionId: 'conn-1', topic: 'orders', mode: 'subscribe' };
    const env = await ipc.invoke(CHANNELS.subscribe, 'app://explorer/index.html', spec);
    expect(env).toEqual({ ok: true, value: { subscriptionId: 'sub-1' } });
    expect(subscribe).toHaveBeenCalledWith(spec, { clientId: 'window:7' });
  });

  it('rejects a foreign sender frame without calling the service', async () => {
    const getAppInfo = vi.fn();
    const { ipc, logger } = setup({ getAppInfo });
    for (const url of ['https://evil.example/', 'file:///etc/passwd', 'app://other/index.html', null]) {
      const env = await ipc.invoke(CHANNELS.getAppInfo, url);
      expect(env).toMatchObject({
        ok: false,
        error: { name: 'ForbiddenSenderError', code: 'forbidden-sender', retriable: false },
      });
    }
    expect(getAppInfo).not.toHaveBeenCalled();
    expect(logger.lines.some((l) => l.includes('refused getAppInfo'))).toBe(true);
  });

  it('rejects an invalid payload with a clear error naming the path', async () => {
    const subscribe = vi.fn();
    const { ipc } = setup({ subscribe });
    const env = await ipc.invoke(CHANNELS.subscribe, 'app://explorer/', {
      connectionId: 'c',
      topic: 't',
      mode: 'sow',
    });
    expect(env).toMatchObject({ ok: false, error: { name: 'ValidationError', code: 'invalid-payload' } });
    expect(env.ok === false && env.error.message).toMatch(/^payload\.mode: expected one of/);
    expect(subscribe).not.toHaveBeenCalled();
  });

  it('serializes a service error into the envelope instead of throwing', async () => {
    const { ipc } = setup({
      closeConnection: async () => {
        throw new ExplorerError({
          name: 'DisconnectedError',
          message: 'gone',
          code: 'disconnected',
          retriable: true,
        });
      },
      listConnections: () => {
        throw 'a string';
      },
    });
    await expect(
      ipc.invoke(CHANNELS.closeConnection, 'app://explorer/', { connectionId: 'c1' }),
    ).resolves.toEqual({
      ok: false,
      error: { name: 'DisconnectedError', message: 'gone', code: 'disconnected', retriable: true },
    });
    await expect(ipc.invoke(CHANNELS.listConnections, 'app://explorer/')).resolves.toMatchObject({
      ok: false,
      error: { name: 'InternalError', code: 'internal' },
    });
  });

  it('never logs payloads (which may hold passwords)', async () => {
    const { ipc, logger } = setup({});
    await ipc.invoke(CHANNELS.openConnection, 'https://evil.example/', {
      connectionString: 'tcp://u:hunter2@h:1/amps/json',
    });
    await ipc.invoke(CHANNELS.openConnection, 'app://explorer/', {
      connectionString: 'tcp://h:1/amps/json',
      password: 'hunter2',
    });
    expect(logger.lines.join('\n')).not.toContain('hunter2');
  });
});

describe('origins', () => {
  it('computes scheme://host for custom and http schemes', () => {
    expect(originOf('app://explorer/index.html')).toBe('app://explorer');
    expect(originOf('http://127.0.0.1:5173/x?y')).toBe('http://127.0.0.1:5173');
    expect(originOf('not a url')).toBeUndefined();
  });
});

describe('subframes', () => {
  it('refuses requests from a subframe even of the app origin', async () => {
    const ipc = new FakeIpcMain();
    const getAppInfo = vi.fn();
    registerHandlers(
      ipc,
      createRequestWrapper(handlersWith({ getAppInfo }), {
        isAllowedSender: createOriginCheck(['app://explorer']),
        logger: memoryLogger(),
      }),
    );
    const listener = ipc.handlers.get(CHANNELS.getAppInfo);
    const env = await listener?.({
      senderFrame: { url: 'app://explorer/index.html', parent: {} },
      sender: { id: 1 },
    });
    expect(env).toMatchObject({ ok: false, error: { code: 'forbidden-sender' } });
    expect(getAppInfo).not.toHaveBeenCalled();
  });
});
