import { CHANNELS, REQUEST_NAMES } from '../../../common/src/ipc/contract.js';
import type { RequestName, RequestPayload, RequestResult } from '../../../common/src/ipc/contract.js';
import { ExplorerError, serializeError } from '../../../common/src/ipc/errors.js';
import { parseRequest } from '../../../common/src/ipc/schemas.js';
import type { Envelope } from '../../../common/src/dto/errors.js';
import type { Logger } from '../platform/logger.js';

/** Who is calling: the window (or browser-host socket) a request came from. */
export interface CallContext {
  /** Stable id of the caller: `window:<webContents id>` or `web:<n>`; owns subscriptions. */
  clientId: string;
}

/** The services behind the contract: one function per request, taking the validated payload. */
export type RequestHandlers = {
  [K in RequestName]: (
    payload: RequestPayload<K>,
    context: CallContext,
  ) => Promise<RequestResult<K>> | RequestResult<K>;
};

/** One incoming request, whatever the transport. */
export interface IncomingRequest {
  /** URL of the frame (Electron) or the Origin (browser host) the request came from. */
  senderUrl: string | undefined;
  clientId: string;
  payload: unknown;
}

/** Runs one request through the checks; always resolves with an envelope. */
export type RequestWrapper = (name: RequestName, request: IncomingRequest) => Promise<Envelope<unknown>>;

/**
 * `scheme://host[:port]` of a URL, computed by hand because WHATWG gives custom schemes such
 * as `app://explorer` an opaque (`null`) origin.
 */
export function originOf(url: string): string | undefined {
  try {
    const u = new URL(url);
    if (u.host === '') return u.protocol === 'file:' ? 'file://' : undefined;
    return `${u.protocol}//${u.host}`;
  } catch {
    return undefined;
  }
}

/**
 * A sender check that accepts exactly the app's own origins. Pass a function when the origin
 * is known only later (the browser host learns its port after listening).
 */
export function createOriginCheck(
  allowedOrigins: readonly string[] | (() => readonly string[]),
): (senderUrl: string | undefined) => boolean {
  return (senderUrl) => {
    if (senderUrl === undefined) return false;
    const origin = originOf(senderUrl);
    const allowed = typeof allowedOrigins === 'function' ? allowedOrigins() : allowedOrigins;
    return origin !== undefined && allowed.includes(origin);
  };
}

/** Options of {@link createRequestWrapper}. */
export interface WrapperOptions {
  isAllowedSender(senderUrl: string | undefined): boolean;
  logger: Logger;
}

/**
 * THE wrapper every request goes through, over Electron IPC and the browser host alike:
 * 1. the sender must be the app's own origin, 2. the payload must pass its schema,
 * 3. the service runs, 4. the result or the error returns as an envelope. It never throws,
 * and it never logs payloads (they may hold passwords).
 */
export function createRequestWrapper(handlers: RequestHandlers, options: WrapperOptions): RequestWrapper {
  return async (name, request) => {
    try {
      if (!options.isAllowedSender(request.senderUrl)) {
        options.logger.warn(
          `ipc: refused ${name} from a foreign sender (${originOf(request.senderUrl ?? '') ?? 'unknown'})`,
        );
        throw new ExplorerError({
          name: 'ForbiddenSenderError',
          message: `${name}: the sender is not this app`,
          code: 'forbidden-sender',
        });
      }
      const payload = parseRequest(name, request.payload);
      const handler = handlers[name] as (p: unknown, c: CallContext) => Promise<unknown> | unknown;
      const value = await handler(payload, { clientId: request.clientId });
      return { ok: true, value };
    } catch (error) {
      const serialized = serializeError(error);
      if (
        serialized.code === 'internal' ||
        serialized.name === 'TypeError' ||
        serialized.name === 'RangeError'
      ) {
        options.logger.error(`ipc: ${name} failed: ${serialized.name}: ${serialized.message}`);
      }
      return { ok: false, error: serialized };
    }
  };
}

/** The bits of an Electron `IpcMainInvokeEvent` the wrapper reads. */
export interface IpcInvokeEventLike {
  /** `parent` is null for a window's main frame; requests from subframes are refused. */
  senderFrame: { url: string; parent?: unknown } | null;
  sender: { id: number };
}

/** The bits of Electron's `ipcMain` used here, so tests can pass a fake. */
export interface IpcMainLike {
  handle(
    channel: string,
    listener: (event: IpcInvokeEventLike, ...args: unknown[]) => Promise<unknown>,
  ): void;
  removeHandler(channel: string): void;
}

/** The client id of an Electron window, shared by the handlers and the event hub. */
export const windowClientId = (webContentsId: number): string => `window:${webContentsId}`;

/**
 * Registers one `ipcMain.handle` per contract request, each through the wrapper.
 * Returns a function that removes them all.
 */
export function registerHandlers(ipcMain: IpcMainLike, wrapper: RequestWrapper): () => void {
  for (const name of REQUEST_NAMES) {
    ipcMain.handle(CHANNELS[name], (event, ...args) =>
      wrapper(name, {
        senderUrl:
          event.senderFrame === null || (event.senderFrame.parent ?? null) !== null
            ? undefined
            : event.senderFrame.url,
        clientId: windowClientId(event.sender.id),
        payload: args.length > 1 ? args : args[0],
      }),
    );
  }
  return () => {
    for (const name of REQUEST_NAMES) ipcMain.removeHandler(CHANNELS[name]);
  };
}
