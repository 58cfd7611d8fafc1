import type { WebSocket } from 'ws';
import type { SubscriptionBatch } from '../../common/src/dto/subscriptions.js';
import { CHANNELS, MEMBER_KINDS, memberOfChannel } from '../../common/src/ipc/contract.js';
import type { RequestName } from '../../common/src/ipc/contract.js';
import { packBatch } from '../../common/src/ipc/wire.js';
import type { ClientFrame, ServerFrame } from '../../common/src/ipc/wire.js';
import type { EventHub } from '../main/ipc/eventHub.js';
import type { RequestWrapper } from '../main/ipc/registerHandlers.js';
import type { Logger } from '../main/platform/logger.js';
import { tokenMatches } from './token.js';

/** Close codes the host uses. */
export const CLOSE = {
  unauthorized: 4401,
  badFrame: 4400,
  authTimeout: 4408,
  tooSlow: 4429,
} as const;

/** What one socket needs from the host. */
export interface BridgeContext {
  token: string;
  hub: EventHub;
  wrapper: RequestWrapper;
  logger: Logger;
  /** The sender URL handed to the wrapper: the (verified) Origin, or the host's own origin. */
  senderUrl: string;
  clientId: string;
  /** The token was already presented (and checked) in the URL query. */
  preAuthenticated: boolean;
  authTimeoutMs: number;
  /** Close the socket if this many bytes are waiting to be sent (a stalled page). */
  maxBufferedBytes: number;
  /** Called once the socket is authenticated, before it is registered. */
  onAuthenticated?: () => void;
}

const send = (ws: WebSocket, frame: ServerFrame): void => {
  if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
};

/** Event frames already serialised, by payload: an event sent to every socket is encoded once. */
const eventTexts = new WeakMap<object, { channel: string; text: string }>();

/**
 * The text of the frame that carries one event: a `batch` frame (packed, see wire.ts) for
 * subscription batches, otherwise an `event` frame, the same JSON as `JSON.stringify` of the
 * frame object.
 */
export function eventFrameText(channel: string, payload: unknown): string {
  const cacheable = typeof payload === 'object' && payload !== null;
  if (cacheable) {
    const known = eventTexts.get(payload);
    if (known !== undefined && known.channel === channel) return known.text;
  }
  let text: string;
  if (channel === CHANNELS.onSubscriptionBatch && cacheable) {
    const frame: ServerFrame = { type: 'batch', channel, payload: packBatch(payload as SubscriptionBatch) };
    text = JSON.stringify(frame);
  } else {
    const body = JSON.stringify(payload) as string | undefined;
    text = `{"type":"event","channel":${JSON.stringify(channel)}${body === undefined ? '' : `,"payload":${body}`}}`;
  }
  if (cacheable) eventTexts.set(payload, { channel, text });
  return text;
}

const refuse = (ws: WebSocket, code: number, message: string): void => {
  send(ws, { type: 'refused', message });
  ws.close(code, message.slice(0, 120));
};

/**
 * Refuses a socket that never authenticated: the close frame goes out, and the socket is
 * destroyed shortly after whether or not the peer answers it (no 30 s close handshake).
 */
const drop = (ws: WebSocket, code: number, message: string): void => {
  refuse(ws, code, message);
  setTimeout(() => ws.terminate(), 200).unref();
};

/**
 * Serves the contract on one authenticated socket: `auth` first (unless pre-authenticated),
 * then `invoke` frames through the SAME request wrapper as Electron IPC, and events pushed to
 * this client only. Unauthenticated sockets are closed (wrong token or no token in time).
 */
export function bridgeSocket(ws: WebSocket, ctx: BridgeContext): void {
  let authenticated = false;
  let unregister: (() => void) | undefined;
  const authTimer = setTimeout(() => {
    if (!authenticated) drop(ws, CLOSE.authTimeout, `no token within ${ctx.authTimeoutMs} ms`);
  }, ctx.authTimeoutMs);

  const accept = (): void => {
    authenticated = true;
    clearTimeout(authTimer);
    ctx.onAuthenticated?.();
    unregister = ctx.hub.register(ctx.clientId, {
      send(channel, payload) {
        if (ws.bufferedAmount > ctx.maxBufferedBytes) {
          ctx.logger.warn(`host: ${ctx.clientId} is not reading; closing it`);
          ws.close(CLOSE.tooSlow, 'client too slow');
          return;
        }
        if (ws.readyState === ws.OPEN) ws.send(eventFrameText(channel, payload));
      },
    });
    send(ws, { type: 'ready' });
  };

  const onInvoke = (frame: { id: unknown; channel: unknown; payload?: unknown }): void => {
    if (typeof frame.id !== 'number' || !Number.isSafeInteger(frame.id)) {
      refuse(ws, CLOSE.badFrame, 'invoke frame needs an integer "id"');
      return;
    }
    const id = frame.id;
    const member = typeof frame.channel === 'string' ? memberOfChannel(frame.channel) : undefined;
    if (member === undefined || MEMBER_KINDS[member] !== 'request') {
      send(ws, {
        type: 'result',
        id,
        envelope: {
          ok: false,
          error: {
            name: 'UnknownChannelError',
            message: `${String(frame.channel).slice(0, 100)}: not a request of the contract`,
            code: 'unknown-channel',
            retriable: false,
          },
        },
      });
      return;
    }
    void ctx
      .wrapper(member as RequestName, {
        senderUrl: ctx.senderUrl,
        clientId: ctx.clientId,
        payload: frame.payload,
      })
      .then((envelope) => send(ws, { type: 'result', id, envelope }));
  };

  ws.on('message', (data, isBinary) => {
    const reject = authenticated ? refuse : drop;
    if (isBinary) {
      reject(ws, CLOSE.badFrame, 'binary frames are not part of the protocol');
      return;
    }
    let frame: Partial<ClientFrame> & Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(String(data));
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
        throw new Error('not an object');
      frame = parsed as typeof frame;
    } catch {
      reject(ws, CLOSE.badFrame, 'frames must be JSON objects');
      return;
    }
    if (!authenticated) {
      if (frame.type === 'auth' && tokenMatches(ctx.token, frame.token)) accept();
      else drop(ws, CLOSE.unauthorized, 'missing or wrong token');
      return;
    }
    if (frame.type === 'invoke') onInvoke(frame as { id: unknown; channel: unknown; payload?: unknown });
    else if (frame.type !== 'auth')
      refuse(ws, CLOSE.badFrame, `unknown frame type ${JSON.stringify(frame.type)}`);
  });
  ws.on('close', () => {
    clearTimeout(authTimer);
    unregister?.();
  });
  ws.on('error', (error) => ctx.logger.warn(`host: socket ${ctx.clientId}: ${error.message}`));
  if (ctx.preAuthenticated) accept();
}
