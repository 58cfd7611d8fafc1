import { describe, expect, it } from 'vitest';
import type { ExplorerApi } from '../../common/src/ipc/contract.js';
import {
  ApiUnavailableError,
  SESSION_STORAGE_KEY,
  TOKEN_STORAGE_KEY,
  openApi,
  pageSessionId,
  takeToken,
  tokenFromHash,
} from '../src/lib/api.js';
import type { PlatformEnv, SocketLike } from '../src/lib/api.js';
import { FakeApi } from './fakes.js';

class FakeSocket implements SocketLike {
  readonly sent: string[] = [];
  closedWith: number | undefined;
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  constructor(readonly url: string) {}
  send(text: string): void {
    this.sent.push(text);
  }
  close(code = 1000): void {
    this.closedWith = code;
  }
  serverSends(frame: unknown): void {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }
}

function env(
  hash: string,
  preloadApi?: unknown,
): { env: PlatformEnv; sockets: FakeSocket[]; timers: (() => void)[] } {
  const sockets: FakeSocket[] = [];
  const timers: (() => void)[] = [];
  return {
    sockets,
    timers,
    env: {
      preloadApi,
      location: { protocol: 'http:', host: '127.0.0.1:4321', hash },
      openSocket: (url) => {
        const s = new FakeSocket(url);
        sockets.push(s);
        return s;
      },
      setTimeout: (cb) => timers.push(cb),
      clearTimeout: () => undefined,
    },
  };
}

const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

describe('pageSessionId', () => {
  const memory = (): { getItem(k: string): string | null; setItem(k: string, v: string): void } => {
    const map = new Map<string, string>();
    return { getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v) };
  };

  it('keeps the session across a reload, and starts a new one in a new or duplicated tab', () => {
    const storage = memory();
    let n = 0;
    const randomId = (): string => `0000000${++n}-aaaa-bbbb`;
    const first = pageSessionId({ storage, navigationType: 'navigate', randomId });
    expect(storage.getItem(SESSION_STORAGE_KEY)).toBe(first);
    expect(pageSessionId({ storage, navigationType: 'reload', randomId })).toBe(first);
    // A duplicated tab copies session storage but is not a reload.
    const duplicate = pageSessionId({ storage, navigationType: 'back_forward', randomId });
    expect(duplicate).not.toBe(first);
    expect(duplicate).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
  });

  it('ignores a kept value that is not a session id', () => {
    const storage = memory();
    storage.setItem(SESSION_STORAGE_KEY, 'bad id!');
    const id = pageSessionId({ storage, navigationType: 'reload', randomId: () => 'abcdefgh-1234' });
    expect(id).toBe('abcdefgh-1234');
  });
});

describe('tokenFromHash', () => {
  it('reads the token from the fragment', () => {
    expect(tokenFromHash('#token=abc-_1')).toBe('abc-_1');
    expect(tokenFromHash('#x=1&token=t')).toBe('t');
    expect(tokenFromHash('')).toBeUndefined();
    expect(tokenFromHash('#token=')).toBeUndefined();
  });
});

describe('takeToken', () => {
  const page = (hash: string) => {
    const kept = new Map<string, string>();
    const urls: string[] = [];
    return {
      kept,
      urls,
      env: {
        location: { protocol: 'http:', host: 'h', hash, pathname: '/', search: '' },
        history: { replaceState: (_d: unknown, _u: string, url: string) => void urls.push(url) },
        storage: {
          getItem: (k: string) => kept.get(k) ?? null,
          setItem: (k: string, v: string) => void kept.set(k, v),
        },
      },
    };
  };

  it('drops the token from the address once read and keeps it for a reload of this tab', () => {
    const first = page('#token=secret-1&view=2');
    expect(takeToken(first.env)).toBe('secret-1');
    expect(first.urls).toEqual(['/#view=2']);
    expect(first.kept.get(TOKEN_STORAGE_KEY)).toBe('secret-1');
    // The reload: no fragment any more, the kept token is used.
    const reload = { ...page(''), kept: first.kept };
    reload.env.storage = { getItem: (k) => first.kept.get(k) ?? null, setItem: () => undefined };
    expect(takeToken(reload.env)).toBe('secret-1');
    expect(reload.urls).toEqual([]);
    expect(takeToken(page('').env)).toBeUndefined();
  });
});

describe('openApi', () => {
  it("uses the preload's window.amps in Electron", async () => {
    const fake = new FakeApi();
    const { env: e, sockets } = env('', fake.api);
    const connection = await openApi(e);
    expect(connection.transport).toBe('electron');
    expect(connection.api).toBe(fake.api);
    expect(sockets).toHaveLength(0);
  });

  it('refuses clearly when the browser page has no token', async () => {
    const { env: e, sockets } = env('');
    await expect(openApi(e)).rejects.toThrow(/no access token.*#token=/);
    await expect(openApi(e)).rejects.toBeInstanceOf(ApiUnavailableError);
    expect(sockets).toHaveLength(0);
  });

  it('authenticates with the token over the same-origin WebSocket and calls the API', async () => {
    const { env: e, sockets } = env('#token=secret');
    const pending = openApi(e);
    const socket = sockets[0] as FakeSocket;
    // The token and the page's session id ride in the query: the host checks them at the upgrade.
    expect(socket.url).toMatch(/^ws:\/\/127\.0\.0\.1:4321\/ws\?token=secret&session=[A-Za-z0-9_-]{8,64}$/);
    socket.onopen?.({});
    expect(JSON.parse(socket.sent[0] ?? '')).toEqual({ type: 'auth', token: 'secret' });
    socket.serverSends({ type: 'ready' });
    const connection = await pending;
    expect(connection.transport).toBe('browser');

    const api: ExplorerApi = connection.api;
    const info = api.getAppInfo();
    const invoke = JSON.parse(socket.sent[1] ?? '') as { id: number; channel: string };
    expect(invoke.channel).toBe('amps:getAppInfo');
    socket.serverSends({
      type: 'result',
      id: invoke.id,
      envelope: {
        ok: true,
        value: { mode: 'browser', version: '1', secretStorage: { persistent: false, backend: 'memory' } },
      },
    });
    await expect(info).resolves.toMatchObject({ mode: 'browser' });

    const seen: unknown[] = [];
    api.onConnectionStatus((event) => seen.push(event));
    socket.serverSends({
      type: 'event',
      channel: 'amps:onConnectionStatus',
      payload: { connectionId: 'c', state: 'closed', at: 1 },
    });
    expect(seen).toHaveLength(1);
  });

  it('reports a refused token', async () => {
    const { env: e, sockets } = env('#token=old');
    const pending = openApi(e);
    const socket = sockets[0] as FakeSocket;
    socket.onopen?.({});
    socket.serverSends({ type: 'refused', message: 'wrong token' });
    await expect(pending).rejects.toMatchObject({
      reason: 'refused',
      message: expect.stringMatching(/refused this page's token/),
    });
  });

  it('reports a token refused at the upgrade when the host still answers HTTP', async () => {
    const { env: e, sockets } = env('#token=old');
    const pending = openApi({ ...e, hostAnswers: () => Promise.resolve(true) });
    sockets[0]?.onclose?.({ code: 1006, reason: '' });
    await expect(pending).rejects.toMatchObject({
      reason: 'refused',
      message: expect.stringMatching(/refused this page's token/),
    });
  });

  it('reports a host that cannot be reached, and a host that does not answer', async () => {
    const a = env('#token=t');
    const first = openApi(a.env);
    a.sockets[0]?.onclose?.({ code: 1006, reason: '' });
    await expect(first).rejects.toMatchObject({
      reason: 'unreachable',
      message: expect.stringMatching(/Cannot reach.*code 1006/),
    });

    const b = env('#token=t');
    const second = openApi(b.env);
    b.timers[0]?.();
    await expect(second).rejects.toMatchObject({ reason: 'timeout' });
    expect(b.sockets[0]?.closedWith).toBe(1000);
  });

  it('tells the page when the host connection is lost later', async () => {
    const { env: e, sockets } = env('#token=t');
    const pending = openApi(e);
    const socket = sockets[0] as FakeSocket;
    socket.onopen?.({});
    socket.serverSends({ type: 'ready' });
    const connection = await pending;
    const reasons: string[] = [];
    connection.onLost((r) => reasons.push(r));
    const call = expect(connection.api.listConnections()).rejects.toMatchObject({
      code: 'transport-failed',
      message: expect.stringMatching(/connection closed: host stopping/),
    });
    socket.onclose?.({ code: 1001, reason: 'host stopping' });
    await tick();
    expect(reasons).toEqual(['host stopping (code 1001)']);
    await call;
  });
});
