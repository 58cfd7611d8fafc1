/**
 * The error hierarchy of the AMPS clients (spec §5.6), in TypeScript idiom: the seed's
 * `XxxException` is `XxxError` here, with the same parents, so applications can catch
 * base classes. Every error carries a `code` (the AMPS reason text, or a client-side code)
 * and `retriable`, so it can cross the IPC boundary as data and be rebuilt.
 */

/** Options common to every AMPS error. */
export interface AmpsErrorOptions {
  /** Underlying cause (socket error, ack, ...). */
  cause?: unknown;
  /** The AMPS failure reason or a client-side code; defaults to the class's own code. */
  code?: string;
  /** Whether repeating the operation may succeed. */
  retriable?: boolean;
}

/** Base of every error raised by the AMPS client (the seed's AMPSException). */
export class AmpsError extends Error {
  override name = 'AmpsError';
  /** AMPS reason text or client-side code, e.g. `bad filter`, `disconnected`. */
  readonly code: string;
  /** Whether retrying the operation may succeed. */
  readonly retriable: boolean;

  constructor(message: string, options: AmpsErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code ?? 'error';
    this.retriable = options.retriable ?? false;
  }
}

/** Base for command failures; also the fallback for any unrecognised ack reason. */
export class CommandError extends AmpsError {
  override name = 'CommandError';
}
/** Base for connection-state problems. */
export class ConnectionError extends AmpsError {
  override name = 'ConnectionError';
}

/** `connect()` on a client that is already connected. */
export class AlreadyConnectedError extends ConnectionError {
  override name = 'AlreadyConnectedError';
}
/** Logon refused: `auth failure` (a ConnectionError, as in the official clients). */
export class AuthenticationError extends ConnectionError {
  override name = 'AuthenticationError';
}
/** The socket connection was refused, or an HTTP preflight was not answered with 101. */
export class ConnectionRefusedError extends ConnectionError {
  override name = 'ConnectionRefusedError';
}
/** No connection: sending while disconnected, or the connection ended while waiting. */
export class DisconnectedError extends ConnectionError {
  override name = 'DisconnectedError';
}
/** Client-side: message type options are invalid for this connection. */
export class InvalidMessageTypeOptionsError extends ConnectionError {
  override name = 'InvalidMessageTypeOptionsError';
}
/** A bad connection-string option or option value. */
export class InvalidTransportOptionsError extends ConnectionError {
  override name = 'InvalidTransportOptionsError';
}
/** The URI's message type is not available. */
export class MessageTypeError extends ConnectionError {
  override name = 'MessageTypeError';
}
/** `name in use`: another connected client has this client name. */
export class NameInUseError extends ConnectionError {
  override name = 'NameInUseError';
}
/** `not entitled`: the user may not access the resource. */
export class NotEntitledError extends ConnectionError {
  override name = 'NotEntitledError';
}
/** A command was aborted by a disconnect; it may be retried. */
export class RetryOperationError extends ConnectionError {
  override name = 'RetryOperationError';
}
/** The inbound stream is corrupt (bad frame, bad header). */
export class StreamError extends ConnectionError {
  override name = 'StreamError';
}
/** A command or logon did not complete in time. */
export class TimedOutError extends ConnectionError {
  override name = 'TimedOutError';
}
/** A transport-level failure (socket error, TLS failure). */
export class TransportError extends ConnectionError {
  override name = 'TransportError';
}
/** The URI's transport is not supported. */
export class TransportTypeError extends ConnectionError {
  override name = 'TransportTypeError';
}
/** Reconnection gave up: the delay strategy's maximum was exceeded. */
export class ReconnectMaximumExceededError extends ConnectionError {
  override name = 'ReconnectMaximumExceededError';
}

/**
 * Which part of a connection string is wrong: `transport`, `userinfo`, `host`, `port`,
 * `path`, `options` (the query as a whole), or `option:<name>` for one option.
 */
export type UriPart = 'transport' | 'userinfo' | 'host' | 'port' | 'path' | 'options' | `option:${string}`;

/** A problem found in a connection string, as data (what {@link InvalidUriError} carries). */
export interface UriProblem {
  /** The offending part. */
  part: UriPart;
  /** 0-based index of the first offending character in the string. */
  position: number;
  /** Number of offending characters (0 when something is missing at `position`). */
  length: number;
  /** Human-readable description naming the part and the position. */
  message: string;
}

/** A malformed connection string (the seed's InvalidUriException); names the part and its position. */
export class InvalidUriError extends ConnectionError {
  override name = 'InvalidUriError';
  /** The offending part. */
  readonly part: UriPart;
  /** 0-based index of the first offending character. */
  readonly position: number;
  /** Number of offending characters (0 when something is missing). */
  readonly length: number;

  constructor(part: UriPart, position: number, length: number, message: string) {
    super(message, { code: 'invalid uri' });
    this.part = part;
    this.position = position;
    this.length = length;
  }

  /** The problem as plain data. */
  toProblem(): UriProblem {
    return { part: this.part, position: this.position, length: this.length, message: this.message };
  }
}

/** `bad filter`: the content filter does not parse. */
export class BadFilterError extends CommandError {
  override name = 'BadFilterError';
}
/** `bad regex topic` or `regex topic not supported`. */
export class BadRegexTopicError extends CommandError {
  override name = 'BadRegexTopicError';
}
/** `bad sow key`. */
export class BadSowKeyError extends CommandError {
  override name = 'BadSowKeyError';
}
/** `duplicate logon attempt`. */
export class DuplicateLogonError extends CommandError {
  override name = 'DuplicateLogonError';
}
/** `invalid bookmark`. */
export class InvalidBookmarkError extends CommandError {
  override name = 'InvalidBookmarkError';
}
/** `invalid options`. */
export class InvalidOptionsError extends CommandError {
  override name = 'InvalidOptionsError';
}
/** `invalid order by`. */
export class InvalidOrderByError extends CommandError {
  override name = 'InvalidOrderByError';
}
/** `invalid subid`. */
export class InvalidSubIdError extends CommandError {
  override name = 'InvalidSubIdError';
}
/** `invalid topic` / `invalid topic or filter`; also `sow` on a non-SOW topic. */
export class InvalidTopicError extends CommandError {
  override name = 'InvalidTopicError';
}
/** `logon required`. */
export class LogonRequiredError extends CommandError {
  override name = 'LogonRequiredError';
}
/** A required field is missing (`no topic or filter`, `orderby required`, ...). */
export class MissingFieldsError extends CommandError {
  override name = 'MissingFieldsError';
}
/** `sow store failed`, `tx store failure`. */
export class PublishError extends CommandError {
  override name = 'PublishError';
}
/** Client-side: a publish was refused by a local publish filter. */
export class PublishFilterError extends CommandError {
  override name = 'PublishFilterError';
}
/** `subid in use`. */
export class SubidInUseError extends CommandError {
  override name = 'SubidInUseError';
}
/** Client-side: a subscription id is reused locally. */
export class SubscriptionAlreadyExistsError extends CommandError {
  override name = 'SubscriptionAlreadyExistsError';
}
/** Defined for completeness; the reason mapping never produces it. */
export class UnknownError extends CommandError {
  override name = 'UnknownError';
}

/** Misuse of the API (wrong arguments, wrong state). */
export class UsageError extends AmpsError {
  override name = 'UsageError';
}
/** A bookmark or publish store failed (I/O, corruption). */
export class StoreError extends AmpsError {
  override name = 'StoreError';
}
/** A publish store was asked to replay from a sequence it no longer holds. */
export class PublishStoreGapError extends StoreError {
  override name = 'PublishStoreGapError';
}
/** A message stream's bounded queue overflowed. */
export class MessageStreamFullError extends AmpsError {
  override name = 'MessageStreamFullError';
}

type ErrorClass = new (message: string, options?: AmpsErrorOptions) => AmpsError;

/** Exact reasons (lower case) → class, spec §5.6. */
const REASONS: ReadonlyMap<string, ErrorClass> = new Map<string, ErrorClass>([
  ['bad filter', BadFilterError],
  ['bad sow key', BadSowKeyError],
  ['bad regex topic', BadRegexTopicError],
  ['regex topic not supported', BadRegexTopicError],
  ['duplicate logon attempt', DuplicateLogonError],
  ['invalid bookmark', InvalidBookmarkError],
  ['invalid message type', CommandError],
  ['invalid options', InvalidOptionsError],
  ['invalid order by', InvalidOrderByError],
  ['invalid subid', InvalidSubIdError],
  ['invalid topic', InvalidTopicError],
  ['invalid topic or filter', InvalidTopicError],
  ['logon required', LogonRequiredError],
  ['name in use', NameInUseError],
  ['not entitled', NotEntitledError],
  ['no filter or bookmark', MissingFieldsError],
  ['no client name', MissingFieldsError],
  ['no topic or filter', MissingFieldsError],
  ['orderby required', MissingFieldsError],
  ['subid in use', SubidInUseError],
  ['sow store failed', PublishError],
  ['tx store failure', PublishError],
]);

/**
 * Builds the error for a failed ack (spec §5.6). The official clients classify any reason
 * starting with `auth` as an authentication failure; unrecognised reasons become a
 * CommandError that carries the reason.
 * @param reason the ack's `reason` header
 * @param context what was being done, for the message (e.g. `subscribe to "orders"`)
 */
export function errorFromAckReason(reason: string | undefined, context?: string): AmpsError {
  const text = (reason ?? '').trim();
  const key = text.toLowerCase();
  const Cls: ErrorClass = key.startsWith('auth') ? AuthenticationError : (REASONS.get(key) ?? CommandError);
  const message = context ? `${context} failed: ${text || 'no reason given'}` : text || 'command failed';
  return new Cls(message, { code: text || 'failure' });
}

/** Every error class by name, for rebuilding errors that crossed a process boundary as data. */
export const ERROR_CLASSES: Readonly<Record<string, ErrorClass>> = Object.fromEntries(
  [
    AmpsError, CommandError, ConnectionError, AlreadyConnectedError, AuthenticationError, ConnectionRefusedError,
    DisconnectedError, InvalidMessageTypeOptionsError, InvalidTransportOptionsError, MessageTypeError,
    NameInUseError, NotEntitledError, RetryOperationError, StreamError, TimedOutError, TransportError,
    TransportTypeError, ReconnectMaximumExceededError, BadFilterError, BadRegexTopicError, BadSowKeyError,
    DuplicateLogonError, InvalidBookmarkError, InvalidOptionsError, InvalidOrderByError, InvalidSubIdError,
    InvalidTopicError, LogonRequiredError, MissingFieldsError, PublishError, PublishFilterError, SubidInUseError,
    SubscriptionAlreadyExistsError, UnknownError, UsageError, StoreError, PublishStoreGapError,
    MessageStreamFullError,
  ].map((cls) => [new cls('').name, cls as ErrorClass]),
);
