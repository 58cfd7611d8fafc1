/** `logon` (spec §4.3, §6.4): credentials, client-name rules, version in the ack. */
import type { CommandContext } from '../context.js';
import { ack, fail } from '../context.js';
import { isMessageType, setSessionMessageType } from '../messageTypes.js';
import { parseInterval, parseOptions } from '../options.js';

export function handleLogon(ctx: CommandContext): void {
  const { session, broker, fields } = ctx;
  if (session.loggedOn) {
    fail(ctx, 'duplicate logon attempt');
    return;
  }
  let ackConflationMs: number | undefined;
  try {
    const text = parseOptions(fields.options).get('ack_conflation');
    if (text !== undefined) {
      ackConflationMs = parseInterval(text);
      if (ackConflationMs === undefined) throw new Error(`ack_conflation=${text} is not an interval`);
    }
  } catch (e) {
    broker.log('info', `logon from ${session.label} refused: ${(e as Error).message}`);
    fail(ctx, 'invalid options');
    return;
  }
  const mt = fields.messageType;
  if (mt !== undefined && mt !== '' && !isMessageType(mt)) {
    broker.log('info', `logon from ${session.label} refused: unknown message type "${mt}"`);
    fail(ctx, 'invalid message type');
    return;
  }
  if (broker.logonChallenge !== undefined && !session.challenged) {
    session.challenged = true;
    ack(ctx, 'processed', 'retry', { userId: fields.userId ?? '', password: broker.logonChallenge });
    return;
  }
  const http = session.httpCredentials;
  const user = fields.userId ?? http?.user ?? '';
  const password = fields.password ?? (http && http.user === user ? http.password : '');
  if (broker.users) {
    const expected = broker.users[user];
    if (expected === undefined || expected !== password) {
      fail(ctx, 'auth failure');
      session.close(`auth failure for user "${user}"`, 'warn');
      return;
    }
  }
  const name = fields.clientName;
  if (name !== undefined && name !== '') {
    const holder = broker.names.get(name);
    if (holder && holder !== session && !holder.closed) {
      if (broker.clientNamePolicy === 'takeover' && (holder.userId ?? '') === user) {
        holder.close(`name in use: client name "${name}" logged on again from ${session.peer}`, 'warn');
      } else {
        fail(ctx, 'name in use');
        session.close(`name in use: client name "${name}" belongs to another user`, 'warn');
        return;
      }
    }
    session.clientName = name;
    broker.names.set(name, session);
  }
  session.userId = user;
  session.ackConflationMs = ackConflationMs ?? broker.ackConflationMs;
  session.version = fields.version;
  session.loggedOn = true;
  if (mt !== undefined && mt !== '' && isMessageType(mt)) setSessionMessageType(session, mt);
  broker.log('info', `logon ${session.label} user="${user}" version=${fields.version ?? '?'}`);
  ack(ctx, 'processed', 'success', {
    sequence: name ? broker.lastSequence(name).toString() : '0',
    clientName: name,
    version: broker.version,
    bookmark: name ? broker.lastBookmarks.get(name) : undefined,
  });
}
