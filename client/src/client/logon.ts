/**
 * The logon sequence (spec §6.2): `logon` with the URI's user and the authenticator's
 * password, `retry` challenges answered through the authenticator (at most
 * {@link MAX_LOGON_RETRIES} times), and the error mapping of a failed logon.
 */
import { DefaultAuthenticator, type Authenticator } from '../authenticator.js';
import { AuthenticationError, errorFromAckReason } from '../errors.js';
import type { HeaderFields } from '../protocol/fields.js';
import type { Message } from '../protocol/message.js';
import { MessageOptions, optionsText } from '../protocol/options.js';
import type { AmpsUri } from '../uri.js';

/** This library's version. */
export const CLIENT_VERSION = '0.1.0';
/** The `version` header sent with `logon` (spec §6.1 form `<version>:<language>`). */
export const CLIENT_VERSION_HEADER = `${CLIENT_VERSION}:typescript`;
/** Challenges answered before the logon gives up. */
export const MAX_LOGON_RETRIES = 10;

/** Options of {@link ClientCommands.logon}. */
export interface LogonOptions {
  /** Milliseconds to wait for each logon ack (default: the client's command timeout). */
  timeoutMs?: number;
  /** Supplies the password/token; default returns the URI's password. */
  authenticator?: Authenticator;
  /** Logon options (`ack_conflation=...`); `pretty` is added when the URI asks for it. */
  options?: string | MessageOptions;
  /** Logon correlation data (`x`); overrides {@link ClientCommands.setLogonCorrelationData}. */
  correlationData?: string;
}

/** What the logon sequence needs from the client. */
export interface LogonHost {
  uri: AmpsUri;
  clientName: string;
  defaultTimeoutMs: number;
  correlationData: string | undefined;
  nextCommandId(): string;
  send(fields: HeaderFields): void;
  /** Registers a waiter for the ack of `commandId`. */
  awaitAck(commandId: string, timeoutMs: number): { ack: Promise<Message>; fail(error: Error): void };
}

/**
 * Runs logon attempts until the server answers success or failure.
 * @returns the command id and ack of the successful attempt
 * @throws the mapped error of a failed logon, AuthenticationError after too many retries,
 *   TimedOutError, DisconnectedError
 */
export async function logonSequence(
  host: LogonHost,
  options: LogonOptions,
): Promise<{ cid: string; ack: Message }> {
  const uri = host.uri;
  const auth = options.authenticator ?? new DefaultAuthenticator();
  const timeoutMs = options.timeoutMs ?? host.defaultTimeoutMs;
  const logonOptions = new MessageOptions();
  if (uri.options.pretty) logonOptions.pretty();
  const extra = optionsText(options.options);
  if (extra) logonOptions.add(extra);
  const correlation = options.correlationData ?? host.correlationData;
  let userId = uri.user ?? '';
  let password = await auth.authenticate(userId, uri.password ?? '');
  for (let attempt = 0; ; attempt++) {
    const cid = host.nextCommandId();
    const fields: HeaderFields = {
      command: 'logon',
      commandId: cid,
      clientName: host.clientName,
      ackType: 'processed',
      version: CLIENT_VERSION_HEADER,
    };
    if (userId !== '') fields.userId = userId;
    if (password !== '') fields.password = password;
    if (uri.protocol === 'amps' && uri.messageType) fields.messageType = uri.messageType;
    if (correlation !== undefined) fields.correlationId = correlation;
    if (!logonOptions.isEmpty) fields.options = logonOptions.toString();
    const waiter = host.awaitAck(cid, timeoutMs);
    try {
      host.send(fields);
    } catch (e) {
      waiter.fail(e as Error);
      throw e;
    }
    const ack = await waiter.ack;
    if (ack.status === 'retry') {
      if (attempt >= MAX_LOGON_RETRIES) {
        auth.completed(userId, password, 'too many retries');
        throw new AuthenticationError(
          `logon failed: the server asked to retry more than ${MAX_LOGON_RETRIES} times`,
          { code: 'auth failure' },
        );
      }
      userId = ack.userId ?? userId;
      password = await auth.retry(userId, ack.password ?? '');
      continue;
    }
    if (ack.status !== 'success') {
      auth.completed(ack.userId ?? userId, ack.password ?? password, ack.reason ?? 'failure');
      throw errorFromAckReason(ack.reason, 'logon');
    }
    auth.completed(ack.userId ?? userId, ack.password ?? password, ack.reason ?? 'success');
    return { cid, ack };
  }
}
