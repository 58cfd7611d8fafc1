import type { WebSocket } from 'ws';
import { MEMBER_KINDS, memberOfChannel } from '../../common/src/ipc/contract.js';
import type { RequestName } from '../../common/src/ipc/contract.js';
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
}

const send = (ws: WebSocket, frame: ServerFrame): void => {
  if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
};

const refuse = (ws: WebSocket, code: number, message: string): void => {
  send(ws, { type: 'refused', message });
  ws.close(code, message.slice(0, 120));
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
    if (!authenticated) refuse(ws, CLOSE.authTimeout, `no token within ${ctx.authTimeoutMs} ms`);
  }, ctx.authTimeoutMs);

  const accept = (): void => {
    authenticated = true;
    clearTimeout(authTimer);
    unregister = ctx.hub.register(ctx.clientId, {
      send(channel, payload) {
        if (ws.bufferedAmount > ctx.maxBufferedBytes) {
          ctx.logger.warn(`host: ${ctx.clientId} is not reading; closing it`);
          ws.close(CLOSE.tooSlow, 'client too slow');
          return;
        }
        send(ws, { type: 'event', channel, payload });
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
    if (isBinary) {
      refuse(ws, CLOSE.badFrame, 'binary frames are not part of the protocol');
      return;
    }
    let frame: Partial<ClientFrame> & Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(String(data));
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
        throw new Error('not an object');
      frame = parsed as typeof frame;
    } catch {
      refuse(ws, CLOSE.badFrame, 'frames must be JSON objects');
      return;
    }
    if (!authenticated) {
      if (frame.type === 'auth' && tokenMatches(ctx.token, frame.token)) accept();
      else refuse(ws, CLOSE.unauthorized, 'missing or wrong token');
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
