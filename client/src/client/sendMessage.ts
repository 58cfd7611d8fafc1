/**
 * The seed's `send(message, handler, timeout)` and `allocate_message()`: a Message the
 * application built itself is sent as it is (no defaults of spec §4.1 added), except that a
 * handler needs ids to route by.
 */
import { SubscriptionAlreadyExistsError, UsageError } from '../errors.js';
import { parseAckTypes } from '../protocol/ack.js';
import { COMMAND_NAMES, QUERY_COMMANDS, SUBSCRIBE_COMMANDS } from '../protocol/command.js';
import type { HeaderFields } from '../protocol/fields.js';
import { Message } from '../protocol/message.js';
import type { RouteKind } from './commandRoute.js';
import type { Plan, PlanContext } from './plan.js';

const KNOWN: ReadonlySet<string> = new Set(COMMAND_NAMES);

/**
 * Builds an outbound Message (the seed's `allocate_message`): our Messages are immutable, so
 * the header fields and payload are given at once instead of being set one by one.
 * @throws UsageError when `fields` is not an object
 */
export function allocateMessage(fields: HeaderFields = {}, data?: string | Uint8Array): Message {
  if (typeof fields !== 'object' || fields === null)
    throw new UsageError('allocateMessage needs an object of header fields', { code: 'invalid argument' });
  const payload =
    data === undefined
      ? undefined
      : typeof data === 'string'
        ? Buffer.from(data, 'utf8')
        : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return new Message({ ...fields }, payload);
}

/**
 * Plans sending `message` as it is. With a handler: a command id is added when missing, and
 * the sub id (subscriptions) or query id (queries) defaults to it; the handler receives the
 * command's messages and the acks the message requests (`a`); the send waits for the
 * `processed` ack when the message requests one.
 * @param timeoutMs wait for that ack (default: the client's command timeout)
 * @throws UsageError for a message without a known command, for `logon`, for unknown ack
 *   types or a bad timeout; SubscriptionAlreadyExistsError for a sub id in use
 */
export function planMessage(
  message: Message,
  withHandler: boolean,
  timeoutMs: number | undefined,
  ctx: PlanContext,
): Plan {
  if (!(message instanceof Message))
    throw new UsageError('sendMessage needs a Message (see allocateMessage)', { code: 'invalid argument' });
  const fields: HeaderFields = { ...message.fields };
  const name = fields.command;
  if (name === undefined || name === '')
    throw new UsageError('sendMessage: the message has no command (header field "command")', {
      code: 'invalid command',
    });
  if (!KNOWN.has(name))
    throw new UsageError(
      `sendMessage: unknown command "${name}" (expected one of ${COMMAND_NAMES.join(', ')})`,
      { code: 'invalid command' },
    );
  if (name === 'logon') throw new UsageError('use logon() to log on', { code: 'invalid command' });
  if (timeoutMs !== undefined && !(Number.isFinite(timeoutMs) && timeoutMs >= 0))
    throw new UsageError(`sendMessage timeout must be a number of milliseconds >= 0, got ${timeoutMs}`, {
      code: 'invalid argument',
    });
  const requested = parseAckTypes(fields.ackType);
  let kind: RouteKind = 'command';
  if (withHandler) {
    const commandId = (fields.commandId ??= ctx.nextCommandId());
    if (SUBSCRIBE_COMMANDS.has(name)) {
      kind = 'subscription';
      fields.subId ??= commandId;
      if (ctx.subscription(fields.subId))
        throw new SubscriptionAlreadyExistsError(`subscription "${fields.subId}" already exists`, {
          code: 'subscription already exists',
        });
    } else if (name === 'sow') kind = 'query';
    if (QUERY_COMMANDS.has(name)) fields.queryId ??= commandId;
  }
  const data = message.size > 0 ? message.data : undefined;
  return {
    fields,
    data,
    kind,
    requested,
    visible: requested,
    waitFor: requested.has('processed') ? 'processed' : undefined,
    timeoutMs: timeoutMs ?? ctx.commandTimeoutMs,
    context: `${name}${fields.topic !== undefined ? ` "${fields.topic}"` : ''}`,
    routed: withHandler && (kind !== 'command' || requested.size > 0),
    replaces: undefined,
  };
}
