/**
 * Command dispatch for one inbound frame: decode the header (tolerant, spec §3.4), enforce
 * logon, answer `received`, run the handler; malformed or unknown commands close the
 * connection (spec §4.15). Nothing a client sends can throw out of here.
 */
import { decodeHeader } from '../../client/src/protocol/header.js';
import type { Broker } from './broker.js';
import type { CommandContext } from './context.js';
import { ack, fail } from './context.js';
import { HANDLERS } from './handlers/index.js';
import type { Session } from './session.js';
import { parseAckTypes } from './wire.js';

/** Executes one frame (header + payload) from a session. */
export function dispatchFrame(broker: Broker, session: Session, frame: Buffer): void {
  if (session.closed) return;
  session.lastInbound = Date.now();
  session.heartbeatSentAt = undefined;
  session.messagesIn++;
  let decoded;
  try {
    decoded = decodeHeader(frame);
  } catch (e) {
    session.close(`malformed command header: ${(e as Error).message}`, 'warn');
    return;
  }
  const fields = decoded.fields;
  const command = fields.command;
  const ctx: CommandContext = {
    session,
    broker,
    fields,
    payload: frame.subarray(decoded.end),
    acks: parseAckTypes(fields.ackType),
  };
  if (command === undefined || command === '') {
    session.close('unknown command: header has no "c"', 'warn');
    return;
  }
  const handler = HANDLERS.get(command);
  if (!handler) {
    fail(ctx, 'unknown command');
    if (!broker.lenientUnknownCommands) session.close(`unknown command "${command.slice(0, 64)}"`, 'warn');
    return;
  }
  ack(ctx, 'received');
  if (!session.loggedOn && command !== 'logon') {
    if (implicitLogon(broker, session)) {
      session.loggedOn = true;
    } else {
      fail(ctx, 'logon required');
      return;
    }
  }
  try {
    handler(ctx);
  } catch (e) {
    broker.log(
      'error',
      `internal error in ${command} from ${session.label}: ${(e as Error).stack ?? String(e)}`,
    );
    fail(ctx, 'internal error');
  }
}

/**
 * Whether a command that arrives before any logon logs the connection on implicitly (spec
 * §4.3): when configured and no users are checked, and always on a WebSocket, whose upgrade
 * request (`Authorization: Basic`) may stand in for the logon command (§1.10.1: accept the
 * credentials from the header and/or a logon command).
 */
function implicitLogon(broker: Broker, session: Session): boolean {
  if (broker.implicitLogon && !broker.users) return true;
  if (session.transportKind !== 'ws' && session.transportKind !== 'wss') return false;
  const http = session.httpCredentials;
  if (broker.users && (http === undefined || broker.users[http.user] !== http.password)) return false;
  session.userId = http?.user ?? '';
  broker.log('info', `implicit logon ${session.label} user="${session.userId}" (WebSocket upgrade)`);
  return true;
}
