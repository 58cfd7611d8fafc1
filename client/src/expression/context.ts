/**
 * Message-level information the message functions of spec §14.6.6 read. Every field is
 * optional; a function whose information is absent returns NULL.
 */
export interface EvalContext {
  /** `TOPIC_NAME()`: the topic of the message. */
  topic?: string;
  /** `SOW_KEY()`: the SOW key of the message. */
  sowKey?: string;
  /** `BOOKMARK()`: the bookmark of the message (absent for SOW query results). */
  bookmark?: string;
  /** `CORRELATION_ID()`: the correlation id of the message. */
  correlationId?: string;
  /** `CLIENT_NAME()`: name of the client whose command caused the evaluation. */
  clientName?: string;
  /** The authenticated user of that client (informational; no documented function reads it). */
  user?: string;
  /** `AMPS_INSTANCE_NAME()`: name of this AMPS instance. */
  instanceName?: string;
  /** `AMPS_GROUP_NAME()` (name UNCONFIRMED in the spec): the instance's group name. */
  groupName?: string;
  /** `MESSAGE_SIZE()`: payload size in bytes. */
  messageSize?: number;
  /** `LAST_UPDATED()`: seconds since the epoch of the record's last SOW update (default: now). */
  lastUpdated?: number;
  /** Clock for `UNIX_TIMESTAMP()`, `TODAY()`, ...: seconds since the epoch (default: system clock). */
  now?: () => number;
  /**
   * Local time zone offset from UTC in seconds (east positive) for the legacy local-time
   * functions `TIMEZONEOFFSET()`, `DATE()`, `TODAY()` (default: the host's zone).
   */
  timezoneOffset?: number;
}

/** The context used when none is given (shared, never mutated). */
export const EMPTY_CONTEXT: EvalContext = Object.freeze({});

/** Current time in seconds since the epoch, from the context's clock or the system clock. */
export function nowSeconds(context: EvalContext): number {
  return context.now === undefined ? Date.now() / 1000 : context.now();
}
