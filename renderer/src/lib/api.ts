/**
 * The renderer's ONLY platform access. In Electron the preload exposes the API as
 * `window.amps`; in the browser host it is built here over a WebSocket to the page's own
 * origin, authenticated with the per-launch token from the URL fragment (`#token=...`).
 */
import type { AppMode } from '../../../common/src/dto/app.js';
import type { ExplorerApi } from '../../../common/src/ipc/contract.js';
import { createApi } from '../../../common/src/ipc/createApi.js';
import { isExplorerError } from '../../../common/src/ipc/errors.js';
import { createWireClient } from '../../../common/src/ipc/wire.js';
import type { WireClient } from '../../../common/src/ipc/wire.js';

/** Why the API could not be reached. */
export type ApiUnavailableReason = 'no-token' | 'refused' | 'unreachable' | 'timeout';

/** The page cannot talk to the main process / host; the message says what to do. */
export class ApiUnavailableError extends Error {
  override readonly name = 'ApiUnavailableError';
  readonly reason: ApiUnavailableReason;

  constructor(reason: ApiUnavailableReason, message: string) {
    super(message);
    this.reason = reason;
  }
}

/** A reachable API and how it is hosted. */
export interface ApiConnection {
  api: ExplorerApi;
  /** `electron` when the preload provided it, `browser` over the host's WebSocket. */
  transport: AppMode;
  /** Called once if the host connection is lost later (browser mode; never in Electron). */
  onLost(callback: (reason: string) => void): () => void;
}

/** The bits of a browser WebSocket used here. */
export interface SocketLike {
  send(text: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

/** What {@link openApi} needs from the page; tests pass fakes. */
export interface PlatformEnv {
  /** `window.amps`, when the Electron preload set it. */
  preloadApi: unknown;
  location: { protocol: string; host: string; hash: string; pathname?: string; search?: string };
  /** To drop the token from the address bar once read (`history.replaceState`). */
  history?: { replaceState(data: unknown, unused: string, url: string): void };
  /** Keeps the token for this tab only, so a reload still finds it (`sessionStorage`). */
  storage?: { getItem(key: string): string | null; setItem(key: string, value: string): void };
  /** How this page was reached (`reload`, `navigate`, ...; PerformanceNavigationTiming.type). */
  navigationType?: string;
  /** A fresh random id (crypto.randomUUID). */
  randomId?: () => string;
  /**
   * Whether the host answers plain HTTP: after a socket refused at the upgrade, tells a wrong
   * token (the host is up) from a host that is down.
   */
  hostAnswers?: () => Promise<boolean>;
  openSocket(url: string): SocketLike;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Path of the host's WebSocket endpoint (electron/host/server.ts `WS_PATH`). */
export const HOST_WS_PATH = '/ws';
/** How long the host may take to accept the token. */
export const CONNECT_TIMEOUT_MS = 10_000;
/** How long any request may take before it fails with code `timeout`. */
export const REQUEST_TIMEOUT_MS = 30_000;

/** The per-launch token from a URL fragment such as `#token=abc`, or undefined. */
export function tokenFromHash(hash: string): string | undefined {
  const params = new URLSearchParams(hash.startsWith('#') ? hash.slice(1) : hash);
  const token = params.get('token');
  return token === null || token === '' ? undefined : token;
}

/** The sessionStorage key of the token (this tab only; gone when the tab closes). */
export const TOKEN_STORAGE_KEY = 'amps-explorer-token';

/**
 * The token for this page: taken from the URL fragment and then removed from the address
 * (so it does not linger in the address bar, history or a copied link) and kept in this tab's
 * session storage for reloads; without a fragment, the one kept earlier.
 */
export function takeToken(env: Pick<PlatformEnv, 'location' | 'history' | 'storage'>): string | undefined {
  const fromHash = tokenFromHash(env.location.hash);
  if (fromHash === undefined) {
    try {
      const kept = env.storage?.getItem(TOKEN_STORAGE_KEY);
      return kept === null || kept === undefined || kept === '' ? undefined : kept;
    } catch {
      return undefined;
    }
  }
  try {
    env.storage?.setItem(TOKEN_STORAGE_KEY, fromHash);
  } catch {
    // Storage refused (private mode): a reload will need the printed address again.
  }
  const rest = new URLSearchParams(env.location.hash.replace(/^#/, ''));
  rest.delete('token');
  const hash = rest.toString() === '' ? '' : `#${rest.toString()}`;
  env.history?.replaceState(null, '', `${env.location.pathname ?? '/'}${env.location.search ?? ''}${hash}`);
  return fromHash;
}

/** The sessionStorage key of this page's session id. */
export const SESSION_STORAGE_KEY = 'amps-explorer-session';

/**
 * The id of this page's session with the host, sent when the socket opens: the host keeps the
 * session's connections and subscriptions for a short while after its socket drops, so a
 * reload finds them again. Kept across a reload only: a new or duplicated tab (which copies
 * session storage) starts a session of its own.
 */
export function pageSessionId(env: Pick<PlatformEnv, 'storage' | 'navigationType' | 'randomId'>): string {
  let kept: string | null | undefined;
  try {
    kept = env.navigationType === 'reload' ? env.storage?.getItem(SESSION_STORAGE_KEY) : undefined;
  } catch {
    kept = undefined;
  }
  if (kept !== null && kept !== undefined && /^[A-Za-z0-9_-]{8,64}$/.test(kept)) return kept;
  const fresh = (env.randomId?.() ?? `${Date.now()}-${Math.random()}`).replace(/[^A-Za-z0-9_-]/g, '');
  try {
    env.storage?.setItem(SESSION_STORAGE_KEY, fresh);
  } catch {
    // Storage refused: a reload starts a new session (its views end cleanly).
  }
  return fresh;
}

/** The page's real environment. */
export function browserEnv(): PlatformEnv {
  return {
    preloadApi: (window as unknown as { amps?: unknown }).amps,
    location: window.location,
    history: window.history,
    storage: {
      getItem: (key) => window.sessionStorage.getItem(key),
      setItem: (key, value) => window.sessionStorage.setItem(key, value),
    },
    navigationType: (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined)
      ?.type,
    randomId: () => crypto.randomUUID(),
    hostAnswers: () =>
      fetch('/', { method: 'HEAD', cache: 'no-store' }).then(
        (response) => response.ok,
        () => false,
      ),
    openSocket: (url) => new WebSocket(url) as unknown as SocketLike,
    setTimeout: (callback, ms) => window.setTimeout(callback, ms),
    clearTimeout: (handle) => window.clearTimeout(handle as number),
  };
}

const isApi = (value: unknown): value is ExplorerApi =>
  typeof value === 'object' && value !== null && typeof (value as ExplorerApi).getAppInfo === 'function';

/**
 * Returns the API: the preload's in Electron, otherwise one over the browser host's WebSocket.
 * @throws ApiUnavailableError with a message for the user (missing or refused token, host down)
 */
export async function openApi(env: PlatformEnv = browserEnv()): Promise<ApiConnection> {
  if (isApi(env.preloadApi)) {
    return { api: env.preloadApi, transport: 'electron', onLost: () => () => undefined };
  }
  const token = takeToken(env);
  if (token === undefined) {
    throw new ApiUnavailableError(
      'no-token',
      'This page has no access token. Open the exact address the AMPS Explorer host printed (it ends with #token=…).',
    );
  }
  const scheme = env.location.protocol === 'https:' ? 'wss' : 'ws';
  // The token rides in the query so the host checks it before accepting any frame.
  const query = new URLSearchParams({ token, session: pageSessionId(env) });
  const socket = env.openSocket(`${scheme}://${env.location.host}${HOST_WS_PATH}?${query.toString()}`);
  const lostListeners = new Set<(reason: string) => void>();
  let wire: WireClient | undefined;
  let ready = false;

  const opened = new Promise<WireClient>((resolve, reject) => {
    const timer = env.setTimeout(() => {
      reject(
        new ApiUnavailableError(
          'timeout',
          `The AMPS Explorer host did not answer within ${CONNECT_TIMEOUT_MS / 1000} s.`,
        ),
      );
      socket.close();
    }, CONNECT_TIMEOUT_MS);
    socket.onopen = () => {
      const client = createWireClient({
        send: (text) => socket.send(text),
        token,
        requestTimeoutMs: REQUEST_TIMEOUT_MS,
        timers: { setTimeout: env.setTimeout, clearTimeout: env.clearTimeout },
      });
      wire = client;
      client.ready.then(
        () => {
          env.clearTimeout(timer);
          ready = true;
          resolve(client);
        },
        (error: unknown) => {
          env.clearTimeout(timer);
          const refused = isExplorerError(error) && error.code === 'refused';
          reject(
            refused
              ? new ApiUnavailableError(
                  'refused',
                  `The AMPS Explorer host refused this page's token (${error.message}). Open the address it printed at its latest start.`,
                )
              : new ApiUnavailableError(
                  'unreachable',
                  `The AMPS Explorer host closed the connection: ${String((error as Error).message)}`,
                ),
          );
        },
      );
    };
    socket.onmessage = (event) => {
      if (typeof event.data === 'string') wire?.receive(event.data);
    };
    socket.onerror = () => undefined;
    socket.onclose = (event) => {
      const reason = event.reason === '' ? `code ${event.code}` : `${event.reason} (code ${event.code})`;
      if (wire === undefined) {
        env.clearTimeout(timer);
        // The host checks the token at the upgrade: a host that answers HTTP refused the token.
        void (env.hostAnswers?.() ?? Promise.resolve(false)).then((up) =>
          reject(
            up
              ? new ApiUnavailableError(
                  'refused',
                  `The AMPS Explorer host refused this page's token. Open the address it printed at its latest start.`,
                )
              : new ApiUnavailableError(
                  'unreachable',
                  `Cannot reach the AMPS Explorer host at ${env.location.host} (${reason}). Is it still running?`,
                ),
          ),
        );
        return;
      }
      wire.closed(reason);
      if (ready) for (const listener of lostListeners) listener(reason);
    };
  });

  const client = await opened;
  return {
    api: createApi(client.transport),
    transport: 'browser',
    onLost(callback) {
      lostListeners.add(callback);
      return () => {
        lostListeners.delete(callback);
      };
    },
  };
}
